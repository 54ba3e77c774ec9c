import { REDACTED, type RequestJournalEntry } from '@livedrop/core';
import { isoTime } from '../clock';
import type { RequestHead } from '../http/server-request';
import type { JournalRecord } from '../storage/journal-store';

/** Query parameters that carry secrets: their values are never journaled. */
const SECRET_PARAMS = new Set([
  'clientsecret',
  'offertoken',
  'token',
  'buyersession',
  'secret',
  'apikey',
  'access_token',
]);
const SECRET_PARAM_PATTERN = /(?:^|[?&])(?:clientSecret|offerToken|token|buyerSession|secret|apiKey|access_token)=/i;

/** The longest header value kept (an `Idempotency-Key` is at most 255): the ring stays small in bytes too. */
const MAX_HEADER_CHARS = 256;

function capped(value: string | null): string | null {
  return value !== null && value.length > MAX_HEADER_CHARS ? value.slice(0, MAX_HEADER_CHARS) : value;
}

/**
 * A new record for `request`, arriving at `time` (server clock): the one allocation the journal
 * makes per request. The rest is filled in as the pipeline runs.
 */
export function newJournalRecord(request: RequestHead, time: number): JournalRecord {
  const { headers } = request;
  return {
    seq: 0,
    requestId: '',
    time,
    method: request.method,
    path: '',
    search: '',
    operation: null,
    contentType: capped(headers.get('content-type')),
    idempotencyKey: capped(headers.get('idempotency-key')),
    ifMatch: capped(headers.get('if-match')),
    ifNoneMatch: capped(headers.get('if-none-match')),
    lastEventId: capped(headers.get('last-event-id')),
    authorization: headers.get('authorization') !== null,
    buyerSession: headers.get('livedrop-buyer-session') !== null,
    bodySize: -1,
    bodySha256: null,
    status: 0,
    code: null,
    role: null,
    replayed: false,
    latencyMs: 0,
    faultError: null,
    faultConnection: null,
    durationMs: 0,
  };
}

/** `search` (`''` or `?…`) with the values of secret parameters replaced by `"[redacted]"`. */
export function redactSearch(search: string): string {
  if (search.length === 0 || !SECRET_PARAM_PATTERN.test(search)) return search;
  const params = new URLSearchParams(search);
  for (const name of [...params.keys()]) if (SECRET_PARAMS.has(name.toLowerCase())) params.set(name, REDACTED);
  return `?${params.toString()}`;
}

/** The headers a record kept, by lower-case name; secrets as `"[redacted]"`. */
export function headersOf(record: JournalRecord): Record<string, string> {
  const headers: Record<string, string> = {};
  if (record.authorization) headers['authorization'] = REDACTED;
  if (record.buyerSession) headers['livedrop-buyer-session'] = REDACTED;
  if (record.contentType !== null) headers['content-type'] = record.contentType;
  if (record.idempotencyKey !== null) headers['idempotency-key'] = record.idempotencyKey;
  if (record.ifMatch !== null) headers['if-match'] = record.ifMatch;
  if (record.ifNoneMatch !== null) headers['if-none-match'] = record.ifNoneMatch;
  if (record.lastEventId !== null) headers['last-event-id'] = record.lastEventId;
  return headers;
}

/** The query parameters a record kept (secrets already redacted). */
export function queryOf(record: JournalRecord): Record<string, string> {
  return record.search.length === 0 ? {} : Object.fromEntries(new URLSearchParams(record.search));
}

/** Whether an injected fault hit the request: latency, or a failure (an answer or a broken connection) in a phase. */
export function isFaulted(record: JournalRecord): boolean {
  return record.latencyMs > 0 || record.faultError !== null;
}

/** A record as the control API answers it. */
export function toJournalEntry(record: JournalRecord): RequestJournalEntry {
  const faulted = isFaulted(record);
  return {
    object: 'journal_entry',
    seq: record.seq,
    requestId: record.requestId,
    time: isoTime(record.time),
    method: record.method,
    path: record.path,
    query: queryOf(record),
    operation: record.operation,
    headers: headersOf(record),
    body: record.bodySha256 === null ? null : { size: record.bodySize, sha256: record.bodySha256 },
    status: record.status,
    code: record.code,
    role: record.role,
    replayed: record.replayed,
    faulted,
    fault: faulted
      ? { latencyMs: record.latencyMs, error: record.faultError, connection: record.faultConnection }
      : null,
    durationMs: record.durationMs,
  };
}
