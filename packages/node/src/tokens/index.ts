export { createOfferTokenSigner } from './signer';
export type { OfferTokenSignClaims, OfferTokenSigner, OfferTokenSignerOptions } from './signer';
export { createOfferTokenVerifier } from './verifier';
export type { OfferTokenVerifier, OfferTokenVerifierCommonOptions, OfferTokenVerifierOptions } from './verifier';
