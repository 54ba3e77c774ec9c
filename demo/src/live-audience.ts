import type { LiveDropClient } from '@livedrop/node';
import { LatencyRecorder } from './metrics';
import { forEachConcurrently } from './pool';
import type { Progress } from './progress';

type SessionStream = ReturnType<LiveDropClient['realtime']['session']>;

/** Viewers watching a session's public stream, as the creator's page would. */
export interface LiveAudience {
  /** Publish → `offer.published` received, one sample per viewer per offer, in ms. */
  readonly publishToReceived: LatencyRecorder;
  /** `stock` messages the viewers received in all. */
  stockMessages(): number;
  /**
   * Runs `publish` and measures, for every viewer, the time from just before the call to the
   * `offer.published` message for `offerId`. Resolves once every viewer has it (or after `timeoutMs`).
   * @returns how many viewers received it
   */
  timePublish<T>(
    offerId: string,
    publish: () => Promise<T>,
    timeoutMs?: number,
  ): Promise<{ result: T; received: number }>;
  close(): void;
}

/**
 * Connects `count` viewers to the session's public stream with the publishable key (each its own
 * SSE connection through `client.realtime.session`), and resolves once all are connected.
 */
export async function joinAudience(
  browser: LiveDropClient,
  sessionId: string,
  count: number,
  progress: Progress,
): Promise<LiveAudience> {
  const viewers: SessionStream[] = [];
  const publishToReceived = new LatencyRecorder();
  let stock = 0;
  /** Per offer being published: when the call started, and a callback per arrival. */
  const waiting = new Map<string, { sentAt: number; arrived: (at: number) => void }>();

  progress.phase('viewers joining the live stream', count);
  await forEachConcurrently(
    Array.from({ length: count }, (_, index) => index),
    50,
    async () => {
      const viewer = browser.realtime.session(sessionId);
      viewers.push(viewer);
      viewer.on('stock', () => void stock++);
      viewer.on('offer.published', ({ offer }) => waiting.get(offer.id)?.arrived(performance.now()));
      await new Promise<void>((resolve, reject) => {
        viewer.once('connected', () => resolve());
        viewer.once('error', (error) => reject(error));
      });
      progress.tick();
    },
  );
  progress.done();

  return {
    publishToReceived,
    stockMessages: () => stock,
    async timePublish(offerId, publish, timeoutMs = 10_000) {
      let received = 0;
      let allIn!: () => void;
      const everyone = new Promise<void>((resolve) => (allIn = resolve));
      const sentAt = performance.now();
      waiting.set(offerId, {
        sentAt,
        arrived(at) {
          publishToReceived.record(at - sentAt);
          if (++received === viewers.length) allIn();
        },
      });
      const result = await publish();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([everyone, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      waiting.delete(offerId);
      return { result, received };
    },
    close() {
      for (const viewer of viewers) viewer.close();
    },
  };
}
