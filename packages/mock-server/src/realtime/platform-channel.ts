import type { EventListener, EventLog } from '../event-log';
import { FrameCache } from './frame-cache';
import { SseBroadcaster } from './sse-broadcaster';
import { encodeSseFrame, type Frame } from './sse-frame';
import type { ReplayPage } from './sse-subscriber';
import { guardListener, type ChannelOptions, type StreamChannel } from './stream-channel';

/**
 * A tenant's whole log as SSE (`GET /v1/events/stream`): `id:` is the event's `seq`, `event:` its
 * type and `data:` the CloudEvent exactly as the log serialized it at append.
 */
export class PlatformChannel implements StreamChannel {
  readonly log: EventLog;
  readonly broadcaster: SseBroadcaster;
  readonly #frames: FrameCache;
  readonly #options: ChannelOptions;
  readonly #unsubscribe: () => void;

  constructor(log: EventLog, beforeSend: () => void, options: ChannelOptions) {
    this.log = log;
    this.#options = options;
    this.broadcaster = new SseBroadcaster(beforeSend);
    this.#frames = new FrameCache(options.frameCacheSize);
    const onEvent: EventListener = (event, serialized) => {
      const bytes = this.#frames.getOrBuild(event.seq, () => encodeSseFrame(event.seq, event.type, serialized));
      this.broadcaster.publish({ seq: event.seq, bytes });
    };
    this.#unsubscribe = log.subscribe(guardListener(onEvent));
  }

  replay(after: number, budgetBytes: number): ReplayPage {
    const frames: Frame[] = [];
    let cursor = after;
    let bytes = 0;
    for (const { seq, type } of this.log.page(after, this.#options.replayPageSize).data) {
      const frame = this.#frames.getOrBuild(seq, () => encodeSseFrame(seq, type, this.log.serializedAt(seq)!));
      frames.push({ seq, bytes: frame });
      cursor = seq;
      bytes += frame.byteLength;
      if (bytes >= budgetBytes) break;
    }
    return { frames, cursor, atHead: cursor >= this.log.headSeq };
  }

  dispose(): void {
    this.#unsubscribe();
  }
}
