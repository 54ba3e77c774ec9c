import type { Engine } from '../engine';
import type { RequestHead } from '../http/server-request';
import { PlatformChannel } from './platform-channel';
import { SessionChannel } from './session-channel';
import { encodeRetry, HEARTBEAT_BYTES } from './sse-frame';
import { SseSubscriber, type StreamEndReason } from './sse-subscriber';
import type { StreamChannel } from './stream-channel';

/** Tuning of the reference server's SSE streams. Every one has a production-like default. */
export interface StreamOptions {
  /** Real-time ms between heartbeat comments (`: hb`) on idle streams. @default 15000 */
  readonly heartbeatIntervalMs: number;
  /** The `retry:` (ms) every stream opens with: how long clients wait before reconnecting. @default 1000 */
  readonly retryMs: number;
  /** Real-time ms during which one offer's stock changes become one `stock` message. @default 50 */
  readonly stockCoalesceMs: number;
  /** Bytes a stream may queue for a client that is not reading before it is cut off. @default 1 MiB */
  readonly highWaterMarkBytes: number;
  /** Log events read per replay page. @default 256 */
  readonly replayPageSize: number;
  /** Encoded frames each stream keeps for clients that reconnect. @default 2048 */
  readonly frameCacheSize: number;
}

/** Defaults of {@link StreamOptions}. */
export const DEFAULT_STREAM_OPTIONS: StreamOptions = {
  heartbeatIntervalMs: 15_000,
  retryMs: 1000,
  stockCoalesceMs: 50,
  highWaterMarkBytes: 1024 * 1024,
  replayPageSize: 256,
  frameCacheSize: 2048,
};

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
 * An engine's SSE streams: one channel per watched log or session (so each event is projected and
 * encoded once however many clients watch), the subscribers, their heartbeats and the
 * `dropStreams` fault.
 */
export class StreamHub {
  readonly #engine: Engine;
  #options: StreamOptions = DEFAULT_STREAM_OPTIONS;
  readonly #channels = new Map<string, StreamChannel>();
  readonly #subscribers = new Set<SseSubscriber>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  #opened = 0;
  #cutOff = 0;
  #dropped = 0;

  constructor(engine: Engine) {
    this.#engine = engine;
  }

  /** Changes the tuning; streams opened from now on use it (heartbeats change at once). */
  configure(options: Partial<StreamOptions>): void {
    this.#options = { ...this.#options, ...options };
    if (this.#heartbeat !== undefined) {
      this.#stopHeartbeat();
      this.#startHeartbeat();
    }
  }

  /**
   * Opens a stream of `target` that replays the log after `after`, then stays live. It ends when
   * the request's signal aborts, the client cancels, stops reading, or a fault drops it.
   */
  open(target: StreamTarget, after: number, request: RequestHead): ReadableStream<Uint8Array> {
    const log = this.#engine.log(target.tenantId);
    const key = target.sessionId === undefined ? target.tenantId : `${target.tenantId}/${target.sessionId}`;
    let channel = this.#channels.get(key);
    // A reset replaces the log: streams of the old one end and clients come back to the new one.
    if (channel && channel.log !== log) this.#retire(key, channel);
    channel = this.#channels.get(key);
    if (!channel) {
      const beforeSend = () => void this.applyFaults();
      channel = target.sessionId === undefined ? new PlatformChannel(log, beforeSend, this.#options) : new SessionChannel(this.#engine, log, target.sessionId, beforeSend, this.#options);
      this.#channels.set(key, channel);
    }
    const owner = channel;
    const subscriber = new SseSubscriber({
      // A cursor past the head cannot come from this log (it was reset): start over so nothing is missed.
      after: after > log.headSeq ? 0 : after,
      preamble: encodeRetry(this.#options.retryMs),
      highWaterMarkBytes: this.#options.highWaterMarkBytes,
      replay: (from, budgetBytes) => owner.replay(from, budgetBytes),
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

  /** Ends the streams of a channel whose log was replaced, and forgets the channel. */
  #retire(key: string, channel: StreamChannel): void {
    this.#channels.delete(key);
    for (const subscriber of [...channel.broadcaster.subscribers()]) subscriber.close();
    channel.dispose();
  }

  /**
   * Brings open streams in line with the engine: tears them when `dropStreams` is on, and ends those
   * whose log a reset replaced (their clients reconnect to the new log). Runs at each heartbeat.
   */
  sync(): void {
    this.applyFaults();
    for (const [key, channel] of [...this.#channels]) {
      const tenantId = key.split('/')[0]!;
      if (this.#engine.log(tenantId) !== channel.log) this.#retire(key, channel);
    }
  }

  #tick(): void {
    this.sync();
    for (const subscriber of this.#subscribers) subscriber.heartbeat(HEARTBEAT_BYTES);
  }

  #startHeartbeat(): void {
    if (this.#heartbeat !== undefined) return;
    this.#heartbeat = setInterval(() => this.#tick(), this.#options.heartbeatIntervalMs);
    // Open streams keep their sockets alive; the heartbeat alone must not keep a process running.
    this.#heartbeat.unref?.();
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }
}

const hubs = new WeakMap<Engine, StreamHub>();

/** The stream hub of `engine`, created on first use. */
export function streamHub(engine: Engine): StreamHub {
  let hub = hubs.get(engine);
  if (!hub) {
    hub = new StreamHub(engine);
    hubs.set(engine, hub);
  }
  return hub;
}

/**
 * Tunes `engine`'s SSE streams (tests shorten the heartbeat and `retry:`).
 * @example configureStreams(ld.server.engine, { heartbeatIntervalMs: 50, retryMs: 20 });
 */
export function configureStreams(engine: Engine, options: Partial<StreamOptions>): void {
  streamHub(engine).configure(options);
}

/**
 * Brings `engine`'s open streams in line with its state at once, instead of at the next broadcast
 * or heartbeat: tears them all when `faults.dropStreams` is on, ends those of logs a reset replaced.
 * The control API calls it after changing faults and after a reset.
 */
export function syncStreams(engine: Engine): void {
  hubs.get(engine)?.sync();
}

/** Counts of `engine`'s streams: open, opened, cut off, dropped. */
export function streamStats(engine: Engine): StreamStats {
  return streamHub(engine).stats();
}
