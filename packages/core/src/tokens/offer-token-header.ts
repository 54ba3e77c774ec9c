import { OFFER_TOKEN_ALG, OFFER_TOKEN_TYPE, type OfferTokenHeader } from '../schemas/token';
import { base64urlDecode, base64urlEncode } from './base64url';
import { refuseOfferToken, type OfferTokenRefusal } from './offer-token-refusal';

/** Far longer than `{"alg":"EdDSA","kid":…,"typ":"offer+jwt"}` with any real kid; longer headers are not parsed. */
const MAX_HEADER_LENGTH = 512;
/** A signer uses one kid, a verifier the few of a JWKS (current and previous); more than this and the cache starts over. */
const MAX_CACHED_KIDS = 64;
const encoder = /* @__PURE__ */ new TextEncoder();
const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });

/**
 * The header segment of every offer token signed with `kid`: the base64url of
 * `{"alg":"EdDSA","kid":…,"typ":"offer+jwt"}`, in that member order. Signers write it; verifiers
 * recognise it by comparing strings (see {@link OfferTokenHeaders}).
 * @example
 * const signingInput = `${encodeOfferTokenHeader('key_2026')}.${payloadSegment}`;
 */
export function encodeOfferTokenHeader(kid: string): string {
  const header: OfferTokenHeader = { alg: OFFER_TOKEN_ALG, kid, typ: OFFER_TOKEN_TYPE };
  return base64urlEncode(encoder.encode(JSON.stringify(header)));
}

/** Reads a header segment the slow way: its `kid`, or why it is not exactly the pinned header. */
function parseHeader(segment: string): string | OfferTokenRefusal {
  if (segment.length > MAX_HEADER_LENGTH)
    return refuseOfferToken('header', 'its header is longer than any offer token header');
  const bytes = base64urlDecode(segment);
  if (!bytes) return refuseOfferToken('not_compact', 'it is not a compact JWS (three base64url parts joined by ".")');
  let header: unknown;
  try {
    header = JSON.parse(utf8.decode(bytes));
  } catch {
    return refuseOfferToken('header', 'its header is not base64url JSON');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    return refuseOfferToken('header', 'its header is not a JSON object');
  const { alg, kid, typ } = header as Record<string, unknown>;
  if (alg !== OFFER_TOKEN_ALG)
    return refuseOfferToken(
      'header',
      `its header says alg ${JSON.stringify(alg) ?? 'nothing'}; only "${OFFER_TOKEN_ALG}" is accepted`,
    );
  if (typ !== OFFER_TOKEN_TYPE)
    return refuseOfferToken(
      'header',
      `its header says typ ${JSON.stringify(typ) ?? 'nothing'}; an offer token is "${OFFER_TOKEN_TYPE}"`,
    );
  if (typeof kid !== 'string') return refuseOfferToken('header', 'its header has no kid');
  if (Object.keys(header).length !== 3)
    return refuseOfferToken('header', 'its header must be exactly {"alg","kid","typ"} (no crit, jwk, jku, x5u, …)');
  return kid;
}

/**
 * The pinned offer-token header, `{alg: "EdDSA", kid, typ: "offer+jwt"}` and nothing else, with
 * its encoding cached per kid. A signer encodes its header once; a verifier that registers its
 * kids recognises their headers by one string lookup instead of decoding and parsing JSON again.
 * Any other spelling of the same header (members reordered or spaced) is parsed and checked exactly.
 * Only kids passed to {@link OfferTokenHeaders.encode} are cached, so forged headers cannot fill it.
 * @example
 * const headers = new OfferTokenHeaders(['key_current', 'key_previous']);
 * headers.read(token.slice(0, token.indexOf('.'))); // 'key_current', or an OfferTokenRefusal
 */
export class OfferTokenHeaders {
  readonly #segmentByKid = new Map<string, string>();
  readonly #kidBySegment = new Map<string, string>();

  /** @param kids the key ids to recognise from the start (a verifier's JWKS). */
  constructor(kids: Iterable<string> = []) {
    for (const kid of kids) this.encode(kid);
  }

  /** The header segment for `kid` ({@link encodeOfferTokenHeader}), encoded once and remembered. */
  encode(kid: string): string {
    let segment = this.#segmentByKid.get(kid);
    if (segment === undefined) {
      segment = encodeOfferTokenHeader(kid);
      if (this.#segmentByKid.size >= MAX_CACHED_KIDS) {
        this.#segmentByKid.clear();
        this.#kidBySegment.clear();
      }
      this.#segmentByKid.set(kid, segment);
      this.#kidBySegment.set(segment, kid);
    }
    return segment;
  }

  /** The `kid` of a header segment that is exactly the pinned header, else the refusal naming what is wrong. */
  read(segment: string): string | OfferTokenRefusal {
    return this.#kidBySegment.get(segment) ?? parseHeader(segment);
  }
}
