import { signWebhook } from '@livedrop/core';
import { isIpLiteral, isPrivateAddress, isPrivateHost } from './network-address';
import type { WebhookOptions } from './webhook-options';

/**
 * Whether `url` may be sent to now: its host as written and every address its name resolves to are
 * public (always true when private networks are allowed). A name the lookup cannot resolve is
 * refused too (fail closed: fetch's own resolution could answer otherwise).
 */
async function isDeliverableNow(url: string, options: WebhookOptions): Promise<boolean> {
  if (options.allowPrivateNetworks === true) return true;
  const { hostname } = new URL(url);
  if (isPrivateHost(hostname)) return false;
  if (!options.lookup || isIpLiteral(hostname)) return true;
  let addresses: readonly string[];
  try {
    addresses = await options.lookup(hostname.replace(/\.$/, ''));
  } catch {
    return false;
  }
  return !addresses.some(isPrivateAddress);
}

/** One attempt to send: the event's stored text, its id, and the secrets that sign it. */
export interface AttemptRequest {
  readonly url: string;
  /** The CloudEvent exactly as the log serialized it at append: the body, and what is signed. */
  readonly body: string;
  /** The event id: the `webhook-id`, the same on every attempt of a delivery. */
  readonly eventId: string;
  /** Newest first; during a rotation's overlap every one of them signs. */
  readonly secrets: readonly string[];
}

/** 2xx is the only success: a redirect or an error page is not the receiver taking the event. */
export const isSuccess = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

/**
 * Signs and POSTs one delivery attempt (Standard Webhooks). Resolves to the response status, or
 * null when no response came (refused, timed out); it never rejects.
 */
export async function sendAttempt(request: AttemptRequest, options: WebhookOptions): Promise<number | null> {
  try {
    // Refused like an unreachable host: the endpoint may have been public when made, or its name may move.
    if (!(await isDeliverableNow(request.url, options))) return null;
    // The one place the server reads the wall clock: receivers compare webhook-timestamp with theirs.
    const signed = await signWebhook(request.body, {
      id: request.eventId,
      secret: [...request.secrets],
      now: Date.now(),
    });
    const send = options.fetch ?? globalThis.fetch;
    const response = await send(request.url, {
      method: 'POST',
      headers: { ...signed, 'content-type': 'application/json', 'user-agent': 'livedrop-reference-server' },
      body: request.body,
      // A redirect is an answer, not a success: following it could hand a signed event to another host.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.attemptTimeoutMs ?? 5_000),
    });
    await response.body?.cancel().catch(() => undefined);
    return response.status === 0 ? null : response.status;
  } catch {
    return null;
  }
}
