import type { Engine } from '../engine';
import type { Handlers } from '../http/handler';
import type { RequestHead } from '../http/server-request';
import { ApiProblem } from '../problem';
import { ndjsonExport } from '../realtime/ndjson-export';
import type { StreamTarget } from '../realtime/stream-hub';
import { findOwnedSession } from './sessions';

const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  // nginx and friends buffer responses by default, which would hold events back.
  'x-accel-buffering': 'no',
};

/**
 * `Cache-Control` of each stream. The public session stream carries only public data, so a CDN may
 * fan one origin connection out to many viewers (request collapsing): `no-cache` keeps it from
 * answering a new viewer with stored bytes (a stream is live, never a replay of someone else's
 * response) and `no-transform` keeps proxies from compressing or rewriting it, which buffers
 * events. The platform stream carries buyer data: no shared cache may hold or share it.
 */
const STREAM_CACHE_CONTROL = {
  public: { 'cache-control': 'no-cache, no-transform', vary: 'Authorization' },
  platform: { 'cache-control': 'private, no-store, no-transform' },
} as const;

/**
 * Where a stream resumes: after the `Last-Event-ID` header (what EventSource sends when it
 * reconnects, so it wins), else after `?lastEventId=` (for a first connection from a browser, which
 * cannot set headers), else from the start of the log.
 */
function resumeCursor(request: RequestHead, lastEventId: string | undefined): number {
  const header = request.headers.get('last-event-id');
  if (header !== null && header.trim() !== '') {
    if (!/^\d{1,15}$/.test(header.trim())) {
      const message = `"Last-Event-ID" must be the \`id:\` of an event this stream sent (an integer seq), not ${JSON.stringify(header)}.`;
      throw new ApiProblem('validation_failed', message, {
        errors: [{ path: 'Last-Event-ID', code: 'invalid_format', message }],
      });
    }
    return Number(header.trim());
  }
  return lastEventId === undefined ? 0 : Number(lastEventId);
}

function openStream(
  engine: Engine,
  target: StreamTarget,
  request: RequestHead,
  lastEventId: string | undefined,
): Response {
  const stream = engine.streams.open(target, resumeCursor(request, lastEventId), request);
  const caching = target.sessionId === undefined ? STREAM_CACHE_CONTROL.platform : STREAM_CACHE_CONTROL.public;
  return new Response(stream, { status: 200, headers: { ...SSE_HEADERS, ...caching } });
}

/** The realtime streams (SSE) and the NDJSON export of the event log. */
export const streamHandlers = {
  streamEvents({ engine, principal, request, query }) {
    return openStream(engine, { tenantId: principal.tenantId }, request, query.lastEventId);
  },

  streamSession({ engine, principal, request, params, query }) {
    const session = findOwnedSession(engine, principal, params.id);
    return openStream(
      engine,
      { tenantId: principal.tenantId, sessionId: session.value.id },
      request,
      query.lastEventId,
    );
  },

  async exportEvents({ engine, principal, query }) {
    const body = await ndjsonExport(engine.storage.events, principal.tenantId, query.after ?? 0);
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' },
    });
  },
} satisfies Handlers;
