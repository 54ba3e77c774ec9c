import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64urlDecode, base64urlEncode, isCanonicalBase64url } from './base64url';

/** Node's reading of `text`, when `text` is the canonical base64url of some bytes. */
function nodeCanonical(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? new Uint8Array(bytes) : undefined;
}

describe('base64url', () => {
  it('encodes as node:buffer does and decodes back, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = base64urlEncode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(base64urlDecode(text)).toEqual(bytes);
      }),
      { numRuns: 2_000 },
    );
  });

  it('accepts exactly the canonical spellings, for any text over the alphabet and beyond', () => {
    const chars = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=. é'.split(''),
    );
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 12 }), (text) => {
        expect(base64urlDecode(text)).toEqual(nodeCanonical(text));
        expect(isCanonicalBase64url(text)).toBe(nodeCanonical(text) !== undefined);
      }),
      { numRuns: 20_000 },
    );
  });

  it('refuses padding, the standard alphabet, stray bits and impossible lengths', () => {
    expect(base64urlDecode('QQ==')).toBeUndefined();
    expect(base64urlDecode('a+b/')).toBeUndefined();
    expect(base64urlDecode('QR')).toBeUndefined(); // "QQ" is the one spelling of 0x41
    expect(base64urlDecode('QQ')).toEqual(new Uint8Array([0x41]));
    expect(base64urlDecode('AAAAA')).toBeUndefined();
    expect(base64urlDecode('')).toEqual(new Uint8Array(0));
    for (const text of ['QQ==', 'a+b/', 'QR', 'AAAAA', 'QUJD\n', '\nQUJD'])
      expect(isCanonicalBase64url(text), text).toBe(false);
    for (const text of ['QQ', 'QUI', 'QUJD', '']) expect(isCanonicalBase64url(text), text).toBe(true);
  });
});
