/**
 * Why an offer token was refused, one reason per check of the rule, in the order the checks run:
 * - `too_long`: longer than the length cap, refused before a byte is decoded;
 * - `not_compact`: not three canonical base64url parts joined by `.`;
 * - `header`: the header is not exactly `{alg: "EdDSA", kid, typ: "offer+jwt"}`;
 * - `signature_encoding`: the signature part is not a canonical 64-byte Ed25519 signature;
 * - `unknown_key`: no public key for the header's `kid` (the verifier's key lookup);
 * - `signature`: the signature does not match (the verifier's signature check);
 * - `payload`: the payload is not base64url UTF-8 JSON of an object;
 * - `issuer`, `audience`: `iss` is not the expected issuer, `aud` not `livedrop:reservations`;
 * - `not_yet_valid`, `expired`: outside `nbf`…`exp`, with the clock tolerance;
 * - `claims`: a claim breaks the contract (unknown claims included).
 */
export type OfferTokenRefusalReason =
  | 'too_long'
  | 'not_compact'
  | 'header'
  | 'signature_encoding'
  | 'unknown_key'
  | 'signature'
  | 'payload'
  | 'issuer'
  | 'audience'
  | 'not_yet_valid'
  | 'expired'
  | 'claims';

/**
 * A refusal by the offer-token rule: the reason, for a verifier to map to its own error type, and
 * a detail that names what is wrong (a clause, e.g. `its header says alg "HS256"; only "EdDSA" is accepted`).
 */
export interface OfferTokenRefusal {
  readonly ok: false;
  readonly reason: OfferTokenRefusalReason;
  readonly detail: string;
}

/**
 * Makes a refusal; verifiers use it for the two checks they own (the key lookup and the signature).
 * @example
 * if (!keys.has(token.kid)) throw TokenVerificationError.from(refuseOfferToken('unknown_key', `no key "${token.kid}"`));
 */
export function refuseOfferToken(reason: OfferTokenRefusalReason, detail: string): OfferTokenRefusal {
  return { ok: false, reason, detail };
}

const REISSUE = 'issue a new one with POST /v1/offers/{id}/tokens';

/**
 * The refusal for a token whose `kid` names no key the verifier has (unknown or retired).
 * @example
 * const key = keys.get(token.kid);
 * if (!key) throw TokenVerificationError.from(unknownKeyRefusal(token.kid));
 */
export function unknownKeyRefusal(kid: string): OfferTokenRefusal {
  return refuseOfferToken(
    'unknown_key',
    `it was signed with kid ${JSON.stringify(kid.slice(0, 64))}, which is not in the JWKS (unknown or retired key); ${REISSUE}`,
  );
}

/** The refusal for a signature that does not match the token's contents. */
export function signatureMismatchRefusal(): OfferTokenRefusal {
  return refuseOfferToken('signature', `its signature does not match its contents (was it edited?); ${REISSUE}`);
}
