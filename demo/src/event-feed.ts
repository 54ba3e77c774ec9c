import type { LiveDropClient } from '@livedrop/node';

/** What the platform's realtime subscriber counted. */
export interface FeedTally {
  /** Events received. */
  readonly received: number;
  /** Events received by type. */
  readonly byType: Readonly<Record<string, number>>;
  /** The last `seq` received. */
  readonly lastSeq: number;
  /** Places where `seq` jumped (an event never arrived); 0 when the stream is whole. */
  readonly gaps: number;
  /** Events received twice, or out of order; 0 when the stream is whole. */
  readonly repeats: number;
  /** Reconnections the stream made. */
  readonly reconnects: number;
}

/** The platform's realtime subscriber: the whole event log over SSE, counted as it arrives. */
export interface EventFeed {
  tally(): FeedTally;
  /** Resolves once the feed has received event `seq` (or after `timeoutMs`); answers whether it did. */
  reach(seq: number, timeoutMs?: number, onProgress?: (lastSeq: number) => void): Promise<boolean>;
  close(): void;
}

/**
 * Subscribes to `client.realtime.events()` (secret key) from the start of the log and counts every
 * event by type, checking that `seq` arrives in order with no gap and no repeat.
 */
export async function subscribeToEvents(platform: LiveDropClient): Promise<EventFeed> {
  const byType: Record<string, number> = {};
  let received = 0;
  let lastSeq = 0;
  let gaps = 0;
  let repeats = 0;
  let reconnects = 0;
  const stream = platform.realtime.events();
  stream.on('event', (event) => {
    received++;
    byType[event.type] = (byType[event.type] ?? 0) + 1;
    if (event.seq <= lastSeq) repeats++;
    else if (event.seq !== lastSeq + 1) gaps++;
    lastSeq = Math.max(lastSeq, event.seq);
  });
  stream.on('reconnecting', () => void reconnects++);
  await new Promise<void>((resolve, reject) => {
    stream.once('connected', () => resolve());
    stream.once('error', (error) => reject(error));
  });
  return {
    tally: () => ({ received, byType: { ...byType }, lastSeq, gaps, repeats, reconnects }),
    async reach(seq, timeoutMs = 30_000, onProgress) {
      const deadline = performance.now() + timeoutMs;
      while (lastSeq < seq && performance.now() < deadline) {
        onProgress?.(lastSeq);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      onProgress?.(lastSeq);
      return lastSeq >= seq;
    },
    close: () => stream.close(),
  };
}
