/** The request header that carries a reservation's client secret (lower-case, as headers are read). */
export const CLIENT_SECRET_HEADER = 'livedrop-client-secret';

/**
 * Whether a client secret matches, comparing every character whatever the first difference, so
 * response timing tells nothing about the secret.
 */
export function sameSecret(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= (given.charCodeAt(i) || 0) ^ expected.charCodeAt(i);
  return difference === 0;
}
