import { describe, expect, it } from 'vitest';
import { negotiateContentCoding } from './content-coding';

describe('negotiateContentCoding', () => {
  it.each([
    [null, 'identity'],
    ['', 'identity'],
    ['gzip, deflate, br', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['BR;Q=1, GZIP;q=0.9', 'br'],
    ['gzip;q=0.2, identity;q=0.5', 'identity'],
    ['identity', 'identity'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0.1', 'gzip'],
    ['deflate', 'identity'],
    ['zstd, deflate;q=0.5', 'identity'],
    ['gzip;q=nonsense, br;q=0.1, identity;q=0', 'br'],
    ['*;q=0.5, gzip;q=0.1', 'br'],
    // Everything refused: the body as is, rather than a 406.
    ['identity;q=0', 'identity'],
    ['*;q=0', 'identity'],
  ])('%j → %s', (header, expected) => {
    expect(negotiateContentCoding(header)).toBe(expected);
  });
});
