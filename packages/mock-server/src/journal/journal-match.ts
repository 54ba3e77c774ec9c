import type { RequestMatch } from '@livedrop/core';
import { pathMatches } from '../faults';
import type { JournalRecord } from '../storage/journal-store';
import { headersOf, isFaulted, queryOf } from './journal-record';

/** One thing a matcher asks of a record: its field name, what it expects, and how to read and test it. */
export interface Criterion {
  readonly field: string;
  readonly expected: string;
  test(record: JournalRecord): boolean;
  actual(record: JournalRecord): string;
}

/**
 * A path pattern as a test: an exact path, or a pattern as fault rules read it ({@link pathMatches}:
 * `*` is one segment, a trailing `**` the rest), so one rule serves both.
 */
export function pathTest(pattern: string): (path: string) => boolean {
  if (!pattern.includes('*')) return (path) => path === pattern;
  return (path) => pathMatches(pattern, path);
}

/** A status as a test: exact (`201`) or a class (`"4xx"`). */
export function statusTest(status: number | string): (actual: number) => boolean {
  const text = String(status);
  if (text.endsWith('xx')) {
    const hundreds = Number(text[0]);
    return (actual) => Math.floor(actual / 100) === hundreds;
  }
  const exact = Number(text);
  return (actual) => actual === exact;
}

/** The criteria of `match` (its `since` is a window, applied by {@link sinceTest}, not a criterion). */
export function criteriaOf(match: Omit<RequestMatch, 'since'>): Criterion[] {
  const criteria: Criterion[] = [];
  /** A criterion that a record's value (read by `read`) equals `value`; `absent` names a missing one. */
  const equals = <T>(field: string, value: T, read: (r: JournalRecord) => T | null | undefined, absent = 'null') =>
    criteria.push({
      field,
      expected: String(value),
      test: (r) => read(r) === value,
      actual: (r) => {
        const found = read(r);
        return found === null || found === undefined ? absent : String(found);
      },
    });
  if (match.method !== undefined) equals('method', match.method.toUpperCase(), (r) => r.method);
  if (match.path !== undefined) {
    const test = pathTest(match.path);
    criteria.push({ field: 'path', expected: match.path, test: (r) => test(r.path), actual: (r) => r.path });
  }
  if (match.operation !== undefined) equals('operation', match.operation, (r) => r.operation);
  if (match.status !== undefined) {
    const test = statusTest(match.status);
    criteria.push({
      field: 'status',
      expected: String(match.status),
      test: (r) => test(r.status),
      actual: (r) => String(r.status),
    });
  }
  if (match.code !== undefined) equals('code', match.code, (r) => r.code);
  if (match.role !== undefined) equals('role', match.role, (r) => r.role);
  if (match.replayed !== undefined) equals('replayed', match.replayed, (r) => r.replayed);
  if (match.faulted !== undefined) equals('faulted', match.faulted, isFaulted);
  for (const [name, value] of Object.entries(match.headers ?? {})) {
    const header = name.toLowerCase();
    equals(`headers.${header}`, value, (r) => headersOf(r)[header], '(absent)');
  }
  for (const [name, value] of Object.entries(match.query ?? {}))
    equals(`query.${name}`, value, (r) => queryOf(r)[name], '(absent)');
  if (match.bodySha256 !== undefined) equals('bodySha256', match.bodySha256, (r) => r.bodySha256, '(no body)');
  return criteria;
}

/** `since` as a window: after a journal `seq` (a number or digits), or at or after a time (server clock). */
export function sinceTest(since: number | string | undefined): (record: JournalRecord) => boolean {
  if (since === undefined) return () => true;
  if (typeof since === 'number' || /^\d+$/.test(since)) {
    const seq = Number(since);
    return (r) => r.seq > seq;
  }
  const time = Date.parse(since);
  return (r) => r.time >= time;
}
