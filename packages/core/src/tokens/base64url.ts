/*
 * base64url (RFC 4648 §5, no padding) in plain JS, so offer tokens are read the same way in Node,
 * at the edge and in a browser (the reference server inside msw), without `atob` and its string
 * round trips.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function valueTable(): Int8Array {
  const values = new Int8Array(128).fill(-1);
  for (let index = 0; index < ALPHABET.length; index++) values[ALPHABET.charCodeAt(index)] = index;
  return values;
}

/** Character code → 6-bit value; -1 outside the alphabet. Built by a pure call, so bundles that never decode drop it. */
const VALUES = /* @__PURE__ */ valueTable();

const ALPHABET_ONLY = /^[\w-]*$/;

/**
 * Whether `text` is the one canonical unpadded base64url spelling of some bytes: the text
 * {@link base64urlDecode} accepts, checked without decoding (a native regex over the alphabet,
 * then the length and the unused low bits of the last character), so any decoder reads the same
 * bytes from it afterwards.
 * @example
 * isCanonicalBase64url('QQ'); // true
 * isCanonicalBase64url('QR'); // false: the same byte, spelt with a stray bit
 */
export function isCanonicalBase64url(text: string): boolean {
  const rest = text.length & 3;
  if (rest === 1 || !ALPHABET_ONLY.test(text)) return false;
  // Two characters of a last group carry 1 byte (4 spare bits), three carry 2 bytes (2 spare bits).
  return rest === 0 || (VALUES[text.charCodeAt(text.length - 1)]! & (rest === 2 ? 15 : 3)) === 0;
}

/**
 * Encodes bytes as unpadded base64url.
 * @example base64urlEncode(new TextEncoder().encode('{"alg":"EdDSA"}')); // 'eyJhbGciOiJFZERTQSJ9'
 */
export function base64urlEncode(bytes: Uint8Array): string {
  let out = '';
  let index = 0;
  for (; index + 2 < bytes.length; index += 3) {
    const triple = (bytes[index]! << 16) | (bytes[index + 1]! << 8) | bytes[index + 2]!;
    out +=
      ALPHABET[triple >> 18]! + ALPHABET[(triple >> 12) & 63]! + ALPHABET[(triple >> 6) & 63]! + ALPHABET[triple & 63]!;
  }
  const rest = bytes.length - index;
  if (rest === 1) {
    const byte = bytes[index]!;
    out += ALPHABET[byte >> 2]! + ALPHABET[(byte & 3) << 4]!;
  } else if (rest === 2) {
    const pair = (bytes[index]! << 8) | bytes[index + 1]!;
    out += ALPHABET[pair >> 10]! + ALPHABET[(pair >> 4) & 63]! + ALPHABET[(pair & 15) << 2]!;
  }
  return out;
}

/**
 * Decodes unpadded base64url, strictly: `undefined` for any character outside the alphabet
 * (padding included), for an impossible length, and for a text that is not the one canonical
 * spelling of its bytes (unused low bits of the last character set), so one value has one text.
 * @example base64urlDecode('QQ'); // Uint8Array [0x41]; 'QR', 'QQ==' and 'Q' give undefined
 */
export function base64urlDecode(text: string): Uint8Array<ArrayBuffer> | undefined {
  const length = text.length;
  if (length % 4 === 1) return undefined;
  const bytes = new Uint8Array((length * 3) >> 2);
  let buffer = 0;
  let bits = 0;
  let offset = 0;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    const value = code < 128 ? VALUES[code]! : -1;
    if (value < 0) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[offset++] = (buffer >> bits) & 0xff;
    }
  }
  // The bits left over after the last whole byte must be zero in the canonical spelling.
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return bytes;
}
