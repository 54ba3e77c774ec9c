/** A content coding the server can send: Brotli, gzip, or the body as is. */
export type ContentCoding = 'br' | 'gzip' | 'identity';

/** The codings the server sends, best first: on equal q-values the earlier one wins. */
const PREFERENCE: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

/**
 * The coding to answer with for an `Accept-Encoding` header (RFC 9110 §12.5.3): the acceptable
 * coding with the highest q-value, the server's preference (br, gzip, identity) breaking ties. A
 * coding the header does not name takes the q-value of `*`, if any, else 0 — except `identity`,
 * which is acceptable unless refused (`identity;q=0`, or `*;q=0` without naming it). A malformed
 * q-value refuses its coding. No header
 * at all answers `identity`. When everything is refused, `identity` is sent anyway (the body, rather
 * than a 406 no client knows what to do with).
 */
export function negotiateContentCoding(acceptEncoding: string | null): ContentCoding {
  if (acceptEncoding === null) return 'identity';
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (coding === '') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number(value?.trim());
    }
    weights.set(coding, Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0);
  }
  const wildcard = weights.get('*');
  const weightOf = (coding: ContentCoding): number =>
    weights.get(coding) ?? wildcard ?? (coding === 'identity' ? 1 : 0);
  let best: ContentCoding = 'identity';
  let bestWeight = 0;
  for (const coding of PREFERENCE) {
    const weight = weightOf(coding);
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}
