import type { WebhookEndpointRecord } from '../store';

/** Random bytes in a signing secret (Standard Webhooks asks for 24 to 64). */
const SECRET_BYTES = 32;

/** A fresh signing secret: `whsec_` and the base64 of 32 random bytes, as Standard Webhooks libraries expect. */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(SECRET_BYTES));
  // btoa over a binary string keeps this runtime-agnostic (the server also runs inside msw in browsers).
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/** The secrets that sign a delivery sent at `now` (injected clock): newest first, then those still in their overlap. */
export function activeSecrets(record: WebhookEndpointRecord, now: number): string[] {
  return record.secrets
    .filter((entry) => entry.expiresAt === null || entry.expiresAt > now)
    .map((entry) => entry.secret);
}

/**
 * Puts `secret` in force on `record` (a transaction's working copy) and lets every older secret keep signing for `overlapMs` more (an
 * overlap of 0 retires them at once). Secrets already past their overlap are forgotten.
 */
export function rotateSecrets(record: WebhookEndpointRecord, secret: string, now: number, overlapMs: number): void {
  const retireAt = now + overlapMs;
  const older = record.secrets
    .filter((entry) => entry.expiresAt === null || entry.expiresAt > now)
    .map((entry) => ({
      secret: entry.secret,
      expiresAt: entry.expiresAt === null ? retireAt : Math.min(entry.expiresAt, retireAt),
    }));
  record.secrets = [{ secret, expiresAt: null }, ...older];
}
