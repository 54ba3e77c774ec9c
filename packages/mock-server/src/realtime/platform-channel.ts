import type { StoredEvent } from '../storage/event-log-store';
import { FrameCache } from './frame-cache';
import { encodeSseFrame, type Frame } from './sse-frame';
import type { ReplayPage } from './sse-subscriber';
import { TailChannel, type ChannelContext } from './stream-channel';

/**
 * A tenant's whole log as SSE (`GET /v1/events/stream`): `id:` is the event's `seq`, `event:` its
 * type and `data:` the CloudEvent exactly as the log serialized it at append (the stored `text`),
 * encoded once per event however many clients watch.
 */
export class PlatformChannel extends TailChannel {
  readonly #frames: FrameCache;

  constructor(context: ChannelContext) {
    super(context);
    this.#frames = new FrameCache(context.engine.config.streams.frameCacheSize);
  }

  override async replay(after: number, budgetBytes: number): Promise<ReplayPage> {
    const page = await this.readPage(after, this.engine.config.streams.replayPageSize);
    const frames: Frame[] = [];
    let cursor = after;
    let bytes = 0;
    for (const stored of page) {
      const frame = this.#frame(stored);
      frames.push(frame);
      cursor = frame.seq;
      bytes += frame.bytes.byteLength;
      if (bytes >= budgetBytes) break;
    }
    return { frames, cursor };
  }

  protected override onEvent(stored: StoredEvent): void {
    this.broadcaster.publish(this.#frame(stored));
  }

  /** The frame of one event, from the cache when a broadcast or another replay already built it. */
  #frame({ event, text }: StoredEvent): Frame {
    return {
      seq: event.seq,
      bytes: this.#frames.getOrBuild(event.seq, () => encodeSseFrame(event.seq, event.type, text)),
    };
  }
}
