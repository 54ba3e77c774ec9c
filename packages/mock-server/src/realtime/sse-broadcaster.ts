import type { Frame } from './sse-frame';
import type { SseSubscriber } from './sse-subscriber';

/** A frame whose bytes are built when the batch is sent (e.g. stock levels, read at that moment). */
export interface PendingFrame {
  readonly seq: number;
  readonly bytes: Uint8Array | (() => Uint8Array | undefined);
}

/**
 * Fans frames out to the live subscribers of one stream (a tenant's log, or one session's public
 * projection). Frames published during one synchronous run (one batch of the log's tail, a stock
 * window closing) are sent together at the end of it, in one write loop: they are joined into one
 * buffer once, and every subscriber is handed that same buffer, or a zero-copy view of its tail
 * when the subscriber has already seen the first frames (it replayed them from the store).
 */
export class SseBroadcaster {
  readonly #subscribers = new Set<SseSubscriber>();
  #pending: PendingFrame[] = [];
  #scheduled = false;
  readonly #beforeSend: () => void;

  /** @param beforeSend runs before each batch goes out (the `dropStreams` fault check). */
  constructor(beforeSend: () => void) {
    this.#beforeSend = beforeSend;
  }

  /** How many subscribers are attached (replaying or live). */
  get size(): number {
    return this.#subscribers.size;
  }

  add(subscriber: SseSubscriber): void {
    this.#subscribers.add(subscriber);
  }

  delete(subscriber: SseSubscriber): void {
    this.#subscribers.delete(subscriber);
  }

  /** The attached subscribers. */
  subscribers(): IterableIterator<SseSubscriber> {
    return this.#subscribers.values();
  }

  /** Queues a frame for the batch going out at the end of this synchronous run. Frames must come in `seq` order. */
  publish(frame: PendingFrame): void {
    this.#pending.push(frame);
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      try {
        this.flush();
      } catch (error) {
        // A failed broadcast must not take the whole server down; the clients resume from their cursors.
        console.error('[livedrop-mock] stream broadcast failed', error);
      }
    });
  }

  /** Sends the queued batch now. */
  flush(): void {
    this.#scheduled = false;
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    const frames: Frame[] = [];
    for (const frame of pending) {
      const bytes = typeof frame.bytes === 'function' ? frame.bytes() : frame.bytes;
      if (bytes) frames.push({ seq: frame.seq, bytes });
    }
    const last = frames.at(-1);
    if (!last) return;
    this.#beforeSend();
    const { batch, offsets } = join(frames);
    for (const subscriber of this.#subscribers) {
      if (!subscriber.live || subscriber.cursor >= last.seq) continue;
      const first = frames.findIndex((frame) => frame.seq > subscriber.cursor);
      subscriber.push(first === 0 ? batch : batch.subarray(offsets[first]), last.seq);
    }
  }
}

function join(frames: readonly Frame[]): { batch: Uint8Array; offsets: number[] } {
  if (frames.length === 1) return { batch: frames[0]!.bytes, offsets: [0] };
  const offsets: number[] = [];
  let length = 0;
  for (const frame of frames) {
    offsets.push(length);
    length += frame.bytes.byteLength;
  }
  const batch = new Uint8Array(length);
  frames.forEach((frame, index) => {
    batch.set(frame.bytes, offsets[index]);
  });
  return { batch, offsets };
}
