import { BUYER_SESSION_DEFAULT_TTL_SECONDS, type BuyerSession } from '@livedrop/core';
import { isoTime } from '../clock';
import type { Engine } from '../engine';
import { created, type Handlers } from '../http/handler';
import { randomToken } from '../ids';
import type { Job } from '../storage/scheduler';

/**
 * How long an expired session is remembered, so its credential is told as expired (mint a new one)
 * rather than unknown; then it is forgotten.
 */
const REMEMBER_EXPIRED_MS = 24 * 3600 * 1000;

/** The prefix of every buyer session credential. */
export const BUYER_SESSION_PREFIX = 'bs_test_';

/**
 * Buyer sessions: the platform (secret key) asserts which signed-in buyer a browser acts for. The
 * credential is random and shown once; the record is kept under its SHA-256 until it expires, so a
 * copy of the store cannot be used to act as a buyer.
 */
export const buyerSessionHandlers = {
  createBuyerSession: async ({ engine, principal, body }) => {
    const credential = `${BUYER_SESSION_PREFIX}${randomToken(40)}`;
    const credentialHash = engine.hash(credential);
    const expiresAtMs = engine.clock.now() + (body.ttlSeconds ?? BUYER_SESSION_DEFAULT_TTL_SECONDS) * 1000;
    const { tenantId } = principal;
    await engine.transact((tx) => {
      tx.put('buyerSessions', credentialHash, { tenantId, buyerId: body.buyerId, expiresAtMs });
      tx.schedule(expiresAtMs + REMEMBER_EXPIRED_MS, { kind: 'buyer_session_expiry', tenantId, credentialHash });
    });
    const session: BuyerSession = {
      object: 'buyer_session',
      credential,
      buyerId: body.buyerId,
      expiresAt: isoTime(expiresAtMs),
    };
    return created(session);
  },
} satisfies Handlers;

/**
 * Forgets a buyer session a day after it expired (its credential is refused from `expiresAtMs` on,
 * as expired until this job runs, as unknown after).
 */
export async function forgetBuyerSession(
  engine: Engine,
  job: Extract<Job, { kind: 'buyer_session_expiry' }>,
): Promise<boolean> {
  return engine.transact((tx) => {
    const record = tx.get('buyerSessions', job.credentialHash);
    if (!record || record.tenantId !== job.tenantId || record.expiresAtMs + REMEMBER_EXPIRED_MS > tx.now) return false;
    tx.delete('buyerSessions', job.credentialHash);
    return true;
  });
}
