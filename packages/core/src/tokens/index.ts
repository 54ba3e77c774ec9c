export { checkClaimsToSign, checkOfferTokenClaims } from './claims';
export type { ClaimIssue } from './claims';
export { TokenVerificationError } from './token-verification-error';
export type { TokenVerificationCode } from './token-verification-error';
export { verifyOfferToken } from './verify';
export type { VerifyOfferTokenOptions } from './verify';
