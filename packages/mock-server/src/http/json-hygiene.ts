import type { FieldError } from '@livedrop/core';

/**
 * Keys refused anywhere in a body: they name an object's prototype machinery, so a body that carries
 * them is an attack or a bug, never data. Refused (400) rather than dropped, so the sender learns.
 */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** A UTF-16 surrogate that is not half of a pair: text no UTF-8 store or client can represent. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** `String.prototype.isWellFormed` (ES2024, native and fast) where the runtime has it. */
const isWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

function hasLoneSurrogate(text: string): boolean {
  return isWellFormed ? !isWellFormed.call(text) : LONE_SURROGATE.test(text);
}

/**
 * The field errors of a parsed JSON body that no schema may see: forbidden keys and strings with
 * lone surrogates, each named by its dotted path. Empty when the body is clean.
 */
export function unsafeJsonErrors(value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  visit(value, '', errors);
  return errors;
}

function visit(value: unknown, path: string, errors: FieldError[]): void {
  if (typeof value === 'string') {
    if (hasLoneSurrogate(value))
      errors.push({
        path,
        code: 'invalid_string',
        message: `${label(path)} contains a lone UTF-16 surrogate; send well-formed Unicode text.`,
      });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) visit(value[index], join(path, String(index)), errors);
    return;
  }
  // JSON.parse makes "__proto__" an own property, so Object.keys sees it.
  for (const key of Object.keys(value)) {
    const at = join(path, key);
    if (FORBIDDEN_KEYS.has(key)) {
      errors.push({
        path: at,
        code: 'forbidden_key',
        message: `"${at}" is not allowed: "${key}" is never a field; remove it.`,
      });
      continue;
    }
    if (hasLoneSurrogate(key))
      errors.push({
        path: at,
        code: 'invalid_string',
        message: `A key in ${label(path)} contains a lone UTF-16 surrogate; send well-formed Unicode text.`,
      });
    visit((value as Record<string, unknown>)[key], at, errors);
  }
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
const label = (path: string) => (path === '' ? 'The body' : `"${path}"`);
