import type {
  RequestCount,
  RequestJournalPage,
  RequestJournalQuery,
  RequestMatch,
  RequestVerification,
} from '@livedrop/core';
import type { JournalRecord, JournalSnapshot } from '../storage/journal-store';
import { criteriaOf, sinceTest, type Criterion } from './journal-match';
import { toJournalEntry } from './journal-record';

const DEFAULT_LIMIT = 100;
const MATCHES_SHOWN = 10;
const NEAR_MISSES_SHOWN = 5;

/** A page of the journal for `GET /__control/requests`: the first `limit` matching records after `since`. */
export function journalPage(snapshot: JournalSnapshot, query: RequestJournalQuery, size: number): RequestJournalPage {
  const { since, limit = DEFAULT_LIMIT, ...filters } = query;
  const inWindow = sinceTest(since);
  const criteria = criteriaOf(filters);
  const data: RequestJournalPage['data'] = [];
  let hasMore = false;
  for (const record of snapshot.records) {
    if (!inWindow(record) || !criteria.every((c) => c.test(record))) continue;
    if (data.length === limit) {
      hasMore = true;
      break;
    }
    data.push(toJournalEntry(record));
  }
  const sinceSeq = since !== undefined && /^\d+$/.test(since) ? Number(since) : 0;
  return {
    object: 'request_journal',
    data,
    hasMore,
    nextSince: data.length > 0 ? data[data.length - 1]!.seq : sinceSeq,
    size,
    evicted: snapshot.evicted,
  };
}

/** Counts the records matching `match` against `count`; when wrong, explains with the near misses. */
export function verifyJournal(
  snapshot: JournalSnapshot,
  match: RequestMatch = {},
  count: RequestCount = { atLeast: 1 },
): RequestVerification {
  const { since, ...rest } = match;
  const inWindow = sinceTest(since);
  const criteria = criteriaOf(rest);
  const expected =
    typeof count === 'number'
      ? { atLeast: count, atMost: count }
      : { atLeast: count.atLeast ?? 0, atMost: count.atMost ?? null };
  const matched: JournalRecord[] = [];
  const misses: { record: JournalRecord; failed: Criterion[] }[] = [];
  for (const record of snapshot.records) {
    if (!inWindow(record)) continue;
    const failed = criteria.filter((c) => !c.test(record));
    if (failed.length === 0) matched.push(record);
    else misses.push({ record, failed });
  }
  const ok = matched.length >= expected.atLeast && (expected.atMost === null || matched.length <= expected.atMost);
  // Near misses explain too few matches; with too many, the matches themselves are the diff.
  const nearMisses =
    ok || matched.length > (expected.atMost ?? Number.POSITIVE_INFINITY)
      ? []
      : misses
          .sort((a, b) => a.failed.length - b.failed.length || b.record.seq - a.record.seq)
          .slice(0, NEAR_MISSES_SHOWN)
          .map(({ record, failed }) => ({
            entry: toJournalEntry(record),
            mismatches: failed.map((c) => ({ field: c.field, expected: c.expected, actual: c.actual(record) })),
          }));
  return {
    object: 'request_verification',
    ok,
    matched: matched.length,
    expected,
    message: messageOf(ok, matched.length, expected, criteria, since, nearMisses),
    matches: matched.slice(0, MATCHES_SHOWN).map(toJournalEntry),
    nearMisses,
  };
}

function messageOf(
  ok: boolean,
  matched: number,
  expected: RequestVerification['expected'],
  criteria: readonly Criterion[],
  since: number | string | undefined,
  nearMisses: RequestVerification['nearMisses'],
): string {
  const wanted =
    expected.atMost === expected.atLeast
      ? `exactly ${expected.atLeast}`
      : expected.atMost === null
        ? `at least ${expected.atLeast}`
        : `${expected.atLeast} to ${expected.atMost}`;
  const what = criteria.length === 0 ? 'any request' : criteria.map((c) => `${c.field}=${c.expected}`).join(', ');
  const window = since === undefined ? '' : ` since ${since}`;
  const head = `Expected ${wanted} request(s) matching ${what}${window}; found ${matched}.`;
  if (ok) return head;
  const closest = nearMisses[0];
  if (!closest) return `${head}${matched > 0 ? ' The matches are listed in `matches`.' : ' No request came close.'}`;
  const { entry, mismatches } = closest;
  const diff = mismatches.map((m) => `${m.field}: expected ${m.expected}, was ${m.actual}`).join('; ');
  return `${head} Closest: #${entry.seq} ${entry.method} ${entry.path} → ${entry.status} (${diff}).`;
}
