export { TokenVerificationError } from './token-verification-error';
export type { TokenVerificationCode } from './token-verification-error';
export { verifyOfferToken } from './verify';
export type { VerifyOfferTokenOptions } from './verify';
