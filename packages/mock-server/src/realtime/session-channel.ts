import type { LiveDropEvent } from '@livedrop/core';
import type { Engine } from '../engine';
import type { EventLog } from '../event-log';
import { FrameCache } from './frame-cache';
import { encodeSessionMessage, encodeStockMessage, projectSessionEvent, StockCoalescer, type SessionProjection } from './session-projection';
import { SseBroadcaster } from './sse-broadcaster';
import type { Frame } from './sse-frame';
import type { ReplayPage } from './sse-subscriber';
import { guardListener, type ChannelOptions, type StreamChannel } from './stream-channel';

/** Options of a {@link SessionChannel}. */
export interface SessionChannelOptions extends ChannelOptions {
  /** Real-time ms during which stock changes are gathered into one `stock` message per offer. */
  readonly stockCoalesceMs: number;
}

/**
 * One session's public projection (`GET /v1/sessions/{id}/stream`). Offer and session messages
 * go out with the batch of the run that appended them; stock changes wait up to a short window and
 * go out as one `stock` message per offer. Waiting stock is released before any other message, so
 * SSE ids stay increasing and resuming from any of them loses nothing.
 */
export class SessionChannel implements StreamChannel {
  readonly log: EventLog;
  readonly broadcaster: SseBroadcaster;
  readonly #engine: Engine;
  readonly #sessionId: string;
  readonly #options: SessionChannelOptions;
  readonly #frames: FrameCache;
  readonly #stock = new StockCoalescer();
  #window: ReturnType<typeof setTimeout> | undefined;
  readonly #unsubscribe: () => void;

  constructor(engine: Engine, log: EventLog, sessionId: string, beforeSend: () => void, options: SessionChannelOptions) {
    this.#engine = engine;
    this.log = log;
    this.#sessionId = sessionId;
    this.#options = options;
    this.broadcaster = new SseBroadcaster(beforeSend);
    this.#frames = new FrameCache(options.frameCacheSize);
    this.#unsubscribe = log.subscribe(guardListener((event) => this.#onEvent(event)));
  }

  replay(after: number, budgetBytes: number): ReplayPage {
    const frames: Frame[] = [];
    const stock = new StockCoalescer();
    let cursor = after;
    let bytes = 0;
    const send = (frame: Frame) => {
      frames.push(frame);
      bytes += frame.bytes.byteLength;
    };
    const releaseStock = () => {
      for (const { offerId, seq } of stock.drain()) {
        const frame = encodeStockMessage(this.#engine, offerId, seq);
        if (frame) send({ seq, bytes: frame });
      }
    };
    for (const event of this.log.page(after, this.#options.replayPageSize).data) {
      cursor = event.seq;
      const projection = projectSessionEvent(event, this.#sessionId);
      if (projection?.kind === 'stock') stock.note(projection.offerId, event.seq);
      else if (projection) {
        releaseStock();
        send({ seq: event.seq, bytes: this.#messageFrame(event.seq, projection) });
      }
      if (bytes >= budgetBytes) break;
    }
    releaseStock();
    return { frames, cursor, atHead: cursor >= this.log.headSeq };
  }

  dispose(): void {
    this.#unsubscribe();
    clearTimeout(this.#window);
    this.#window = undefined;
  }

  #onEvent(event: LiveDropEvent): void {
    const projection = projectSessionEvent(event, this.#sessionId);
    if (!projection) return;
    if (projection.kind === 'stock') {
      this.#stock.note(projection.offerId, event.seq);
      this.#window ??= setTimeout(() => {
        this.#window = undefined;
        this.#releaseStock();
      }, this.#options.stockCoalesceMs);
      return;
    }
    this.#releaseStock();
    this.broadcaster.publish({ seq: event.seq, bytes: this.#messageFrame(event.seq, projection) });
  }

  /** Publishes the waiting stock; the levels are read when the batch goes out, so they are the latest. */
  #releaseStock(): void {
    for (const { offerId, seq } of this.#stock.drain()) {
      this.broadcaster.publish({ seq, bytes: () => encodeStockMessage(this.#engine, offerId, seq) });
    }
  }

  #messageFrame(seq: number, projection: Extract<SessionProjection, { kind: 'message' }>): Uint8Array {
    return this.#frames.getOrBuild(seq, () => encodeSessionMessage(seq, projection.name, projection.data));
  }
}
