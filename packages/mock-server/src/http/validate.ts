import type { FieldError } from '@livedrop/core';
import type * as z from 'zod/mini';
import { ApiProblem } from '../problem';

type Issue = z.core.$ZodIssue;

function describe(issue: Issue, path: string): string {
  const field = path === '' ? 'The body' : `"${path}"`;
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${field} has unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove them.`;
    case 'invalid_type':
      return `${field} must be ${issue.expected === 'int' ? 'an integer' : `of type ${issue.expected}`}${issue.input === undefined ? ' and is required' : ''}.`;
    case 'invalid_value':
      return `${field} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${received(issue.input)}.`;
    case 'too_small':
      return `${field} must be at least ${String(issue.minimum)}${issue.origin === 'string' ? ' characters long' : issue.origin === 'array' ? ' items' : ''}.`;
    case 'too_big':
      return `${field} must be at most ${String(issue.maximum)}${issue.origin === 'string' ? ' characters long' : issue.origin === 'array' ? ' items' : ''}.`;
    default:
      return `${field} ${issue.message === 'Invalid input' ? 'is invalid' : issue.message}.`;
  }
}

/** `, not "x"` for a short scalar a client sent, so the message names what was wrong. */
function received(input: unknown): string {
  const shown = JSON.stringify(input);
  return (typeof input === 'string' || typeof input === 'number') && shown.length <= 100 ? `, not ${shown}` : '';
}

/** Turns zod issues into the contract's field errors: a dotted path, a code, and the fix. */
export function toFieldErrors(issues: readonly Issue[], prefix = ''): FieldError[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return { path, code: issue.code, message: describe(issue, path) };
  });
}

/**
 * Parses `input` with `schema` or throws a 400 `validation_failed` naming every bad field.
 * `where` ("body", "query", "params") prefixes the message.
 */
export function parseOrThrow<T extends z.ZodMiniType>(schema: T, input: unknown, where: string): z.infer<T> {
  // The input is reported so a message can say what was sent, and a missing field from a wrong one.
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const errors = toFieldErrors(result.error.issues, where === 'body' ? '' : where);
  const first = errors[0];
  throw new ApiProblem('validation_failed', `The request ${where} is invalid${first ? `: ${first.message}` : '.'}`, {
    errors,
  });
}
