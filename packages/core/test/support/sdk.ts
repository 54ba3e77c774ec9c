/**
 * The SDK surface the tests use. Sourced from the modules directly until `src/index.ts` exports the
 * client; then this can become `export * from '@livedrop/core'`.
 */
export * from '../../src/client';
export * from '../../src/errors';
export { verifyOfferToken } from '../../src/tokens/verify';
export { TokenVerificationError } from '../../src/tokens/token-verification-error';
export { signWebhook, verifyWebhook } from '../../src/webhooks/verify';
export type { ErrorCode, Offer, OfferCreate, Reservation, Session, SessionView } from '@livedrop/core';
