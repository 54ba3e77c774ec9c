import { ID_PREFIXES, type IdKind } from '@livedrop/core';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random bytes drawn in one call and handed out in slices: one `getRandomValues` per few hundred ids, not one per id. */
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

/** Makes random base62 strings; ids and secrets both come from here. */
export function randomToken(length: number): string {
  if (length > pool.length) return randomToken(pool.length) + randomToken(length - pool.length);
  if (poolOffset + length > pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  let out = '';
  // 62 does not divide 256; the slight bias is irrelevant for opaque ids and test secrets.
  for (let index = poolOffset; index < poolOffset + length; index++) out += ALPHABET[pool[index]! % 62];
  poolOffset += length;
  return out;
}

/** A new opaque id of the given kind, e.g. `off_4fT9…`. */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomToken(20)}`;
}
