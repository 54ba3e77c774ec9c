export { base64urlDecode, base64urlEncode, isCanonicalBase64url } from './base64url';
export { checkClaimsToSign, checkOfferTokenClaims } from './claims';
export type { ClaimIssue } from './claims';
export {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  MAX_OFFER_TOKEN_LENGTH,
  readOfferTokenClaims,
  splitOfferToken,
} from './compact-token';
export type { CompactOfferToken, OfferTokenClaimsOptions, OfferTokenClaimsRead } from './compact-token';
export { OfferTokenHeaders, encodeOfferTokenHeader } from './offer-token-header';
export { refuseOfferToken, signatureMismatchRefusal, unknownKeyRefusal } from './offer-token-refusal';
export type { OfferTokenRefusal, OfferTokenRefusalReason } from './offer-token-refusal';
export { TokenVerificationError } from './token-verification-error';
export type { TokenVerificationCode } from './token-verification-error';
export { verifyOfferToken } from './verify';
export type { VerifyOfferTokenOptions } from './verify';
