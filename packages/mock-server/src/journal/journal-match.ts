import type { RequestMatch } from '@livedrop/core';
import { pathMatches } from '../faults';
import type { JournalRecord } from '../storage/journal-store';
import { headersOf, queryOf } from './journal-record';

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
  const add = (field: string, expected: string, test: Criterion['test'], actual: Criterion['actual']) =>
    criteria.push({ field, expected, test, actual });
  if (match.method !== undefined) {
    const method = match.method.toUpperCase();
    add(
      'method',
      method,
      (r) => r.method === method,
      (r) => r.method,
    );
  }
  if (match.path !== undefined) {
    const test = pathTest(match.path);
    add(
      'path',
      match.path,
      (r) => test(r.path),
      (r) => r.path,
    );
  }
  if (match.operation !== undefined) {
    const operation = match.operation;
    add(
      'operation',
      operation,
      (r) => r.operation === operation,
      (r) => String(r.operation),
    );
  }
  if (match.status !== undefined) {
    const test = statusTest(match.status);
    add(
      'status',
      String(match.status),
      (r) => test(r.status),
      (r) => String(r.status),
    );
  }
  if (match.code !== undefined) {
    const code = match.code;
    add(
      'code',
      code,
      (r) => r.code === code,
      (r) => String(r.code),
    );
  }
  if (match.role !== undefined) {
    const role = match.role;
    add(
      'role',
      role,
      (r) => r.role === role,
      (r) => String(r.role),
    );
  }
  if (match.replayed !== undefined) {
    const replayed = match.replayed;
    add(
      'replayed',
      String(replayed),
      (r) => r.replayed === replayed,
      (r) => String(r.replayed),
    );
  }
  if (match.faulted !== undefined) {
    const faulted = match.faulted;
    const isFaulted = (r: JournalRecord) => r.latencyMs > 0 || r.faultError !== null;
    add(
      'faulted',
      String(faulted),
      (r) => isFaulted(r) === faulted,
      (r) => String(isFaulted(r)),
    );
  }
  for (const [name, value] of Object.entries(match.headers ?? {})) {
    const header = name.toLowerCase();
    const read = (r: JournalRecord) => headersOf(r)[header];
    add(
      `headers.${header}`,
      value,
      (r) => read(r) === value,
      (r) => read(r) ?? '(absent)',
    );
  }
  for (const [name, value] of Object.entries(match.query ?? {})) {
    const read = (r: JournalRecord) => queryOf(r)[name];
    add(
      `query.${name}`,
      value,
      (r) => read(r) === value,
      (r) => read(r) ?? '(absent)',
    );
  }
  if (match.bodySha256 !== undefined) {
    const digest = match.bodySha256;
    add(
      'bodySha256',
      digest,
      (r) => r.bodySha256 === digest,
      (r) => r.bodySha256 ?? '(no body)',
    );
  }
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
