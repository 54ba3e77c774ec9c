import type { EventLog } from '../event-log';

/** Log events per chunk of an export. */
const EXPORT_PAGE_SIZE = 500;

const encoder = new TextEncoder();

/**
 * The log after `after` as NDJSON (one CloudEvent per line), up to the head at the time of the
 * call. Pages are read only when the consumer asks for more, so an export holds one page in memory
 * however long the log is; the lines are the JSON the log serialized at append.
 */
export function ndjsonExport(log: EventLog, after: number): ReadableStream<Uint8Array> {
  const until = log.headSeq;
  let cursor = Math.min(after, until);
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const end = Math.min(cursor + EXPORT_PAGE_SIZE, until);
        let text = '';
        for (let seq = cursor + 1; seq <= end; seq++) text += `${log.serializedAt(seq)!}\n`;
        cursor = end;
        if (text !== '') controller.enqueue(encoder.encode(text));
        if (cursor >= until) controller.close();
      },
    },
    { highWaterMark: 1 },
  );
}
