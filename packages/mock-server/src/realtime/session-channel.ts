import type { StoredEvent } from '../storage/event-log-store';
import { FrameCache } from './frame-cache';
import {
  encodeSessionMessage,
  encodeStockMessage,
  projectSessionEvent,
  StockCoalescer,
  type SessionProjection,
} from './session-projection';
import type { Frame } from './sse-frame';
import type { ReplayPage } from './sse-subscriber';
import { TailChannel, type ChannelContext } from './stream-channel';

/**
 * One session's public projection (`GET /v1/sessions/{id}/stream`). Offer and session messages
 * go out with the batch the log's tail delivered them in; stock changes wait up to a short window
 * (`stockCoalesceMs`) and go out as one `stock` message per offer. Waiting stock is released before
 * any other message, so SSE ids stay increasing and resuming from any of them loses nothing.
 */
export class SessionChannel extends TailChannel {
  readonly #sessionId: string;
  readonly #frames: FrameCache;
  readonly #stock = new StockCoalescer();
  #window: ReturnType<typeof setTimeout> | undefined;

  constructor(context: ChannelContext, sessionId: string) {
    super(context);
    this.#sessionId = sessionId;
    this.#frames = new FrameCache(context.engine.config.streams.frameCacheSize);
  }

  override async replay(after: number, budgetBytes: number): Promise<ReplayPage> {
    const page = await this.readPage(after, this.engine.config.streams.replayPageSize);
    const frames: Frame[] = [];
    const stock = new StockCoalescer();
    let cursor = after;
    let bytes = 0;
    const send = (frame: Frame) => {
      frames.push(frame);
      bytes += frame.bytes.byteLength;
    };
    // Stock levels are read now, when the page is sent: a resuming viewer wants the latest.
    const releaseStock = () => {
      for (const { offerId, seq } of stock.drain()) {
        const frame = encodeStockMessage(this.engine, offerId, seq);
        if (frame) send({ seq, bytes: frame });
      }
    };
    for (const { event } of page) {
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
    return { frames, cursor };
  }

  override dispose(): void {
    super.dispose();
    clearTimeout(this.#window);
    this.#window = undefined;
  }

  protected override onEvent({ event }: StoredEvent): void {
    const projection = projectSessionEvent(event, this.#sessionId);
    if (!projection) return;
    if (projection.kind === 'stock') {
      this.#stock.note(projection.offerId, event.seq);
      this.#window ??= setTimeout(() => {
        this.#window = undefined;
        this.#releaseStock();
      }, this.engine.config.streams.stockCoalesceMs);
      return;
    }
    this.#releaseStock();
    this.broadcaster.publish({ seq: event.seq, bytes: this.#messageFrame(event.seq, projection) });
  }

  /** Publishes the waiting stock; the levels are read when the batch goes out, so they are the latest. */
  #releaseStock(): void {
    for (const { offerId, seq } of this.#stock.drain()) {
      this.broadcaster.publish({ seq, bytes: () => encodeStockMessage(this.engine, offerId, seq) });
    }
  }

  #messageFrame(seq: number, projection: Extract<SessionProjection, { kind: 'message' }>): Uint8Array {
    return this.#frames.getOrBuild(seq, () => encodeSessionMessage(seq, projection.name, projection.data));
  }
}
