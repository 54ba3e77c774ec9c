import type { EventLogStore } from '../storage/event-log-store';

/** Log events per chunk of an export. */
const EXPORT_PAGE_SIZE = 500;

const encoder = new TextEncoder();

/**
 * The tenant's log after `after` as NDJSON (one CloudEvent per line), up to the head at the time of
 * the call. Pages are read from the store only when the consumer asks for more, so an export holds
 * one page in memory however long the log is; the lines are the JSON the log serialized at append.
 * @example new Response(await ndjsonExport(engine.storage.events, tenantId, 0))
 */
export async function ndjsonExport(
  events: EventLogStore,
  tenantId: string,
  after: number,
): Promise<ReadableStream<Uint8Array>> {
  const until = await events.head(tenantId);
  let cursor = Math.min(after, until);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const page = await events.read(tenantId, cursor, Math.min(EXPORT_PAGE_SIZE, until - cursor));
        let text = '';
        for (const { event, text: line } of page) {
          // Stop at the head of the call: what was appended since belongs to the next export.
          if (event.seq > until) break;
          text += `${line}\n`;
          cursor = event.seq;
        }
        if (text !== '') controller.enqueue(encoder.encode(text));
        // An empty page before `until` means the log was replaced (a reset): end rather than spin.
        if (cursor >= until || page.length === 0) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}
