import type { EventLog } from '../event-log';
import { FrameCache } from './frame-cache';
import { SseBroadcaster } from './sse-broadcaster';
import { encodeSseFrame, type Frame } from './sse-frame';
import type { ReplayPage } from './sse-subscriber';
import type { ChannelOptions, StreamChannel } from './stream-channel';

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
    this.#unsubscribe = log.subscribe((event, serialized) => {
      const bytes = this.#frames.getOrBuild(event.seq, () => encodeSseFrame(event.seq, event.type, serialized));
      this.broadcaster.publish({ seq: event.seq, bytes });
    });
  }

  replay(after: number): ReplayPage {
    const page = this.log.page(after, this.#options.replayPageSize);
    const frames: Frame[] = page.data.map(({ seq, type }) => ({
      seq,
      bytes: this.#frames.getOrBuild(seq, () => encodeSseFrame(seq, type, this.log.serializedAt(seq)!)),
    }));
    return { frames, cursor: page.nextAfter, atHead: page.nextAfter >= this.log.headSeq };
  }

  dispose(): void {
    this.#unsubscribe();
  }
}
