import type { Engine } from '../engine';
import type { StoredEvent } from '../storage/event-log-store';
import { SseBroadcaster } from './sse-broadcaster';
import type { ReplayPage } from './sse-subscriber';

/**
 * One stream that many clients watch: it follows a tenant's log from creation to disposal,
 * publishes its projection of each event to its broadcaster, and replays the same projection from
 * the store from any cursor for clients that are resuming or catching up.
 */
export interface StreamChannel {
  readonly broadcaster: SseBroadcaster;
  /** The last log position this channel has published: its broadcasts carry everything after it. */
  readonly position: number;
  /** True once it stopped following its log (a reset replaced the log, or the log could not be read). */
  readonly ended: boolean;
  /** The projection of the page of the log after `after`, up to about `budgetBytes` of frames. */
  replay(after: number, budgetBytes: number): Promise<ReplayPage>;
  /** Stops following the log. */
  dispose(): void;
}

/** What a channel needs from the hub that owns it. */
export interface ChannelContext {
  readonly engine: Engine;
  readonly tenantId: string;
  /** Runs before each broadcast goes out (the `dropStreams` fault check). */
  readonly beforeSend: () => void;
  /** Called once when the channel's tail ends by itself (not by {@link StreamChannel.dispose}). */
  readonly onEnded: (channel: StreamChannel) => void;
}

/**
 * The part every channel shares: it tails the tenant's log from the head it finds at creation,
 * hands each event to {@link onEvent} and then moves {@link position} past the batch, in one
 * synchronous turn, so a subscriber comparing its cursor with `position` sees either both or neither.
 */
export abstract class TailChannel implements StreamChannel {
  readonly broadcaster: SseBroadcaster;
  protected readonly engine: Engine;
  protected readonly tenantId: string;
  #position = 0;
  #ended = false;
  readonly #abort = new AbortController();
  /** Settles once the starting head is known: replays wait for it, so `position` means something. */
  readonly #started: Promise<void>;

  protected constructor(context: ChannelContext) {
    this.engine = context.engine;
    this.tenantId = context.tenantId;
    this.broadcaster = new SseBroadcaster(context.beforeSend);
    let started!: () => void;
    this.#started = new Promise<void>((resolve) => (started = resolve));
    void this.#follow(started, context.onEnded);
  }

  get position(): number {
    return this.#position;
  }

  get ended(): boolean {
    return this.#ended;
  }

  abstract replay(after: number, budgetBytes: number): Promise<ReplayPage>;

  dispose(): void {
    this.#abort.abort();
  }

  /** Projects one event onto the stream (publishing to the broadcaster). Called in `seq` order. */
  protected abstract onEvent(stored: StoredEvent): void;

  /** Up to `limit` events after `after`, read from the store once the channel knows where it started. */
  protected async readPage(after: number, limit: number): Promise<StoredEvent[]> {
    await this.#started;
    return this.engine.storage.events.read(this.tenantId, after, limit);
  }

  async #follow(started: () => void, onEnded: (channel: StreamChannel) => void): Promise<void> {
    const { events } = this.engine.storage;
    try {
      // From the head, not the start: clients replay what came before from the store themselves.
      // (A reset landing between this read and the tail's start would leave the channel following the
      // new log from the old head; its subscribers then never catch up and are ended at the next reset
      // or when they leave. The window is one store round trip at a channel's creation.)
      this.#position = await events.head(this.tenantId);
      started();
      for await (const batch of events.tail(this.tenantId, this.#position, this.#abort.signal)) {
        for (const stored of batch) {
          try {
            this.onEvent(stored);
          } catch (error) {
            // One event that fails to project must not stop the stream; clients resume from the log.
            console.error('[livedrop-mock] a stream could not project an event', error);
          }
        }
        const last = batch.at(-1);
        if (last) this.#position = last.event.seq;
      }
    } catch (error) {
      console.error('[livedrop-mock] a stream stopped following its log', error);
    } finally {
      // Never leave a replay waiting on a channel that did not start.
      started();
      this.#ended = true;
      // A tail that ends without being disposed means the log was replaced (a reset): the hub retires the channel.
      if (!this.#abort.signal.aborted) onEnded(this);
    }
  }
}
