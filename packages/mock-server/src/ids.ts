import { ID_PREFIXES, type IdKind } from '@livedrop/core';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Makes random base62 strings; ids and secrets both come from here. */
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  // 62 does not divide 256; the slight bias is irrelevant for opaque ids and test secrets.
  for (const byte of bytes) out += ALPHABET[byte % 62];
  return out;
}

/** A new opaque id of the given kind, e.g. `off_4fT9…`. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomToken(20)}`;
}
