import type { Engine } from '../engine';
import type { RequestHead } from '../http/server-request';
import { PlatformChannel } from './platform-channel';
import { SessionChannel } from './session-channel';
import { encodeRetry, HEARTBEAT_BYTES } from './sse-frame';
import { SseSubscriber, type ReplayPage, type StreamEndReason } from './sse-subscriber';
import type { ChannelContext, StreamChannel } from './stream-channel';
import type { StreamOptions } from './stream-options';

export type { StreamOptions } from './stream-options';

/** Counts of an engine's streams since it was created. */
export interface StreamStats {
  /** Streams open now. */
  readonly open: number;
  /** Streams ever opened. */
  readonly opened: number;
  /** Streams cut off because their client stopped reading. */
  readonly cutOff: number;
  /** Streams torn by the `dropStreams` fault. */
  readonly dropped: number;
}

/** What a stream request names: the tenant, and the session for a public projection. */
export interface StreamTarget {
  readonly tenantId: string;
  readonly sessionId?: string;
}

/**
 * An engine's SSE streams (`engine.streams`): one channel per watched log or session, each a tail
 * consumer of the log (so each event is projected and encoded once however many clients watch),
 * the subscribers, their heartbeats and the `dropStreams` fault. Its tuning is
 * `engine.config.streams`. What it holds is process-local by nature: open sockets and the channels
 * feeding them; everything a client needs to resume is in the log.
 */
export class StreamHub {
  readonly #engine: Engine;
  readonly #channels = new Map<string, StreamChannel>();
  readonly #subscribers = new Set<SseSubscriber>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  /** The interval the running heartbeat was started with, to notice a change of `heartbeatIntervalMs`. */
  #heartbeatMs = 0;
  #opened = 0;
  #cutOff = 0;
  #dropped = 0;

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /** The tuning in force (`engine.config.streams`). */
  get #options(): StreamOptions {
    return this.#engine.config.streams;
  }

  /**
   * Changes the tuning in `engine.config.streams`; streams opened from now on use it, and the
   * heartbeat restarts at once with a new interval.
   */
  configure(options: Partial<StreamOptions>): void {
    this.#engine.config.streams = { ...this.#engine.config.streams, ...options };
    this.#restartHeartbeatIfChanged();
  }

  /**
   * Opens a stream of `target` that replays the log after `after`, then stays live. It ends when
   * the request's signal aborts, the client cancels, stops reading, or a fault drops it.
   */
  open(target: StreamTarget, after: number, request: RequestHead): ReadableStream<Uint8Array> {
    const key = target.sessionId === undefined ? target.tenantId : `${target.tenantId}/${target.sessionId}`;
    const stale = this.#channels.get(key);
    // A channel whose tail ended follows a log a reset replaced: its clients come back to a new one.
    if (stale?.ended) this.#retire(key, stale);
    let channel = this.#channels.get(key);
    if (!channel) {
      channel = this.#newChannel(target);
      this.#channels.set(key, channel);
    }
    const owner = channel;
    const options = this.#options;
    const subscriber = new SseSubscriber({
      after,
      preamble: encodeRetry(options.retryMs),
      highWaterMarkBytes: options.highWaterMarkBytes,
      replay: this.#replayFrom(target.tenantId, owner),
      livePosition: () => owner.position,
      path: new URL(request.url).pathname,
      onEnd: (ended, reason) => this.#detach(key, owner, ended, reason),
    });
    owner.broadcaster.add(subscriber);
    this.#subscribers.add(subscriber);
    this.#opened++;
    this.#startHeartbeat();
    if (request.signal.aborted) subscriber.close();
    else request.signal.addEventListener('abort', () => subscriber.close(), { once: true });
    return subscriber.stream;
  }

  /**
   * Tears every open stream the `dropStreams` fault targets (see `FaultsControl.paths`), as a network
   * failure would; clients reconnect with `Last-Event-ID`. Runs before each broadcast and each
   * heartbeat; call it when the faults change to tear at once. Answers how many were torn.
   */
  applyFaults(): number {
    const faults = this.#engine.faults;
    if (!faults.dropStreams) return 0;
    let torn = 0;
    for (const subscriber of [...this.#subscribers]) {
      if (!this.#engine.faultDice.applies(faults, subscriber.path)) continue;
      subscriber.tear();
      torn++;
    }
    return torn;
  }

  /** Counts of streams, for tests and the lead's notes. */
  stats(): StreamStats {
    return { open: this.#subscribers.size, opened: this.#opened, cutOff: this.#cutOff, dropped: this.#dropped };
  }

  /**
   * Brings open streams in line with the engine: tears them when `dropStreams` is on, ends those
   * whose log a reset replaced (their clients reconnect to the new log) and follows a change of the
   * heartbeat interval. The engine calls it after a reset, the control API after changing faults;
   * it also runs at each heartbeat.
   */
  sync(): void {
    this.applyFaults();
    for (const [key, channel] of [...this.#channels]) if (channel.ended) this.#retire(key, channel);
    this.#restartHeartbeatIfChanged();
  }

  #newChannel(target: StreamTarget): StreamChannel {
    const context: ChannelContext = {
      engine: this.#engine,
      tenantId: target.tenantId,
      beforeSend: () => void this.applyFaults(),
      onEnded: (ended) => {
        const key = target.sessionId === undefined ? target.tenantId : `${target.tenantId}/${target.sessionId}`;
        this.#retire(key, ended);
      },
    };
    return target.sessionId === undefined
      ? new PlatformChannel(context)
      : new SessionChannel(context, target.sessionId);
  }

  /**
   * The replay of one subscriber. Its first page checks the cursor against the log's head: a cursor
   * past the head cannot come from this log (it was reset), so the client starts over from the new
   * log's first event instead of missing everything up to its old position.
   */
  #replayFrom(tenantId: string, channel: StreamChannel): (after: number, budgetBytes: number) => Promise<ReplayPage> {
    let checked = false;
    return async (after, budgetBytes) => {
      let from = after;
      if (!checked) {
        checked = true;
        if (from > (await this.#engine.storage.events.head(tenantId))) from = 0;
      }
      return channel.replay(from, budgetBytes);
    };
  }

  #detach(key: string, channel: StreamChannel, subscriber: SseSubscriber, reason: StreamEndReason): void {
    channel.broadcaster.delete(subscriber);
    this.#subscribers.delete(subscriber);
    if (reason === 'cut_off') this.#cutOff++;
    if (reason === 'dropped') this.#dropped++;
    if (channel.broadcaster.size === 0) {
      channel.dispose();
      if (this.#channels.get(key) === channel) this.#channels.delete(key);
    }
    if (this.#subscribers.size === 0) this.#stopHeartbeat();
  }

  /** Ends the streams of a channel that no longer follows its log, and forgets the channel. */
  #retire(key: string, channel: StreamChannel): void {
    if (this.#channels.get(key) === channel) this.#channels.delete(key);
    for (const subscriber of [...channel.broadcaster.subscribers()]) subscriber.close();
    channel.dispose();
  }

  #tick(): void {
    this.sync();
    for (const subscriber of this.#subscribers) subscriber.heartbeat(HEARTBEAT_BYTES);
  }

  #startHeartbeat(): void {
    if (this.#heartbeat !== undefined) return;
    this.#heartbeatMs = this.#options.heartbeatIntervalMs;
    this.#heartbeat = setInterval(() => this.#tick(), this.#heartbeatMs);
    // Open streams keep their sockets alive; the heartbeat alone must not keep a process running.
    this.#heartbeat.unref?.();
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  #restartHeartbeatIfChanged(): void {
    if (this.#heartbeat === undefined || this.#heartbeatMs === this.#options.heartbeatIntervalMs) return;
    this.#stopHeartbeat();
    this.#startHeartbeat();
  }
}

/**
 * Tunes `engine`'s SSE streams (sets `engine.config.streams`; tests shorten the heartbeat and `retry:`).
 * @example configureStreams(ld.server.engine, { heartbeatIntervalMs: 50, retryMs: 20 });
 */
export function configureStreams(engine: Engine, options: Partial<StreamOptions>): void {
  engine.streams.configure(options);
}

/**
 * Brings `engine`'s open streams in line with its state at once, instead of at the next broadcast
 * or heartbeat: tears them all when `faults.dropStreams` is on, ends those of logs a reset replaced.
 * Same as `engine.streams.sync()`.
 */
export function syncStreams(engine: Engine): void {
  engine.streams.sync();
}

/** Counts of `engine`'s streams: open, opened, cut off, dropped. Same as `engine.streams.stats()`. */
export function streamStats(engine: Engine): StreamStats {
  return engine.streams.stats();
}
