import type { Frame } from './sse-frame';

/** One page of a replay: the frames after a cursor and how far the log was read. */
export interface ReplayPage {
  readonly frames: readonly Frame[];
  /** The last log position read (or `after` when there was nothing to read); the next page starts after it. */
  readonly cursor: number;
}

/**
 * Reads, from the store, the page of a stream's projection that follows `after`, stopping once its
 * frames reach `budgetBytes` (at least one log event is read when there is one, so a replay always
 * moves on).
 */
export type ReplaySource = (after: number, budgetBytes: number) => Promise<ReplayPage>;

/** Why a subscriber's stream ended. */
export type StreamEndReason = 'cancelled' | 'cut_off' | 'dropped' | 'closed';

/** Options of {@link SseSubscriber}. */
export interface SseSubscriberOptions {
  /** Resume after this log position (0 for the start of the log). */
  readonly after: number;
  /** Sent first (the `retry:` field). */
  readonly preamble: Uint8Array;
  /** Bytes the stream may queue for a client that is not reading before it is cut off. */
  readonly highWaterMarkBytes: number;
  readonly replay: ReplaySource;
  /**
   * The last log position the stream's live broadcasts have reached: every frame after it will
   * still be broadcast. A subscriber whose replay reaches it goes live.
   */
  readonly livePosition: () => number;
  /** The request path, which the `paths` of injected faults are matched against. */
  readonly path: string;
  /** Called once, whatever ends the stream. */
  readonly onEnd: (subscriber: SseSubscriber, reason: StreamEndReason) => void;
}

/**
 * A transport that writes synchronously — node:http's `ServerResponse` is one. A subscriber attached
 * to a sink writes its frames to it directly, so a broadcast is one loop of `write`s with no promise
 * per subscriber; its queue bound is then the sink's own buffer (`writableLength`).
 */
export interface SseSink {
  write(bytes: Uint8Array): boolean;
  readonly writableLength: number;
  end(): void;
  destroy(error: Error): void;
  on(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/**
 * The body of an SSE response: a byte stream that carries its subscriber, so a transport that can
 * write synchronously finds it on the body itself (`new Response(stream).body` is the same object)
 * and {@link SseSubscriber.attach}es its socket.
 */
export class SseStream extends ReadableStream<Uint8Array> {
  readonly subscriber: SseSubscriber;

  constructor(
    subscriber: SseSubscriber,
    source: UnderlyingDefaultSource<Uint8Array>,
    strategy: QueuingStrategy<Uint8Array>,
  ) {
    super(source, strategy);
    this.subscriber = subscriber;
  }
}

/** The SSE subscriber whose body `stream` is, if it is one. */
export function sseSubscriberOf(stream: ReadableStream<Uint8Array> | null): SseSubscriber | undefined {
  return stream instanceof SseStream ? stream.subscriber : undefined;
}

/** A log scan that found nothing for this stream yields to the event loop every this many pages. */
const PAGES_PER_TURN = 16;

// setTimeout, not setImmediate: the reference server also runs in browsers (msw).
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * One client's SSE connection. It first replays the log after its cursor from the store, page by
 * page as the client reads (O(page) per read), then goes live the instant its cursor reaches the
 * position the live broadcasts have reached (checked in the same synchronous turn as it takes the
 * page, so no broadcast slips in between); from then on its broadcaster pushes only frames past the
 * cursor, so the hand-over has no gap and no duplicate. Its queue is bounded in bytes: a live client that stops reading is cut off (it can
 * resume with `Last-Event-ID`) rather than buffered without limit.
 */
export class SseSubscriber {
  /** The response body. */
  readonly stream: SseStream;
  readonly path: string;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #sink: SseSink | undefined;
  readonly #preamble: Uint8Array;
  #preambleSent = false;
  #cursor: number;
  #live = false;
  #ended = false;
  readonly #replay: ReplaySource;
  readonly #livePosition: () => number;
  readonly #onEnd: SseSubscriberOptions['onEnd'];
  readonly #highWaterMark: number;

  constructor(options: SseSubscriberOptions) {
    this.#cursor = options.after;
    this.#replay = options.replay;
    this.#livePosition = options.livePosition;
    this.#onEnd = options.onEnd;
    this.#highWaterMark = options.highWaterMarkBytes;
    this.path = options.path;
    this.#preamble = options.preamble;
    // highWaterMark 0: nothing is pulled until someone reads, so a transport can still attach a sink
    // to a fresh stream; the queue bound is checked by hand against highWaterMarkBytes.
    this.stream = new SseStream(
      this,
      {
        start: (controller) => {
          this.#controller = controller;
        },
        pull: () => this.#pull(),
        cancel: () => this.#end('cancelled'),
      },
      { highWaterMark: 0, size: (chunk) => chunk.byteLength },
    );
  }

  /**
   * Hands the connection to `sink` instead of the stream (which must not have been read): the
   * preamble, the replay (paced by the sink's `drain`) and every live frame go straight to it.
   */
  attach(sink: SseSink): void {
    this.#sink = sink;
    sink.on('close', () => this.#end('cancelled'));
    this.#preambleSent = true;
    sink.write(this.#preamble);
    void this.#pump(sink);
  }

  /** Bytes waiting in the stream's queue (none are pulled ahead: its highWaterMark is 0). */
  #queued(): number {
    return -(this.#controller.desiredSize ?? 0);
  }

  /** The last log position this subscriber has been sent (or has skipped as not its business). */
  get cursor(): number {
    return this.#cursor;
  }

  /** True once the replay has caught up with the log and broadcasts reach this subscriber. */
  get live(): boolean {
    return this.#live && !this.#ended;
  }

  /** True once the stream has ended, for whatever reason. */
  get ended(): boolean {
    return this.#ended;
  }

  /**
   * Sends live bytes that reflect the log up to `seq`. A client whose queue is already over its
   * bound is not reading: it is cut off instead of being buffered for.
   */
  push(bytes: Uint8Array, seq: number): void {
    if (!this.live) return;
    this.#cursor = seq;
    if (this.#sink) {
      this.#sink.write(bytes);
      if (this.#sink.writableLength > this.#highWaterMark) this.cutOff();
      return;
    }
    this.#controller.enqueue(bytes);
    if (this.#queued() > this.#highWaterMark) this.cutOff();
  }

  /** Sends a heartbeat comment, unless bytes are already waiting (then the connection is not idle). */
  heartbeat(bytes: Uint8Array): void {
    if (this.#ended) return;
    if (this.#sink) {
      if (this.#sink.writableLength === 0) this.#sink.write(bytes);
    } else if (this.#queued() === 0) this.#controller.enqueue(bytes);
  }

  /** Ends a client that stopped reading; what it had queued is dropped with it. */
  cutOff(): void {
    this.#fail(
      'cut_off',
      'The client stopped reading and fell too far behind; reconnect with Last-Event-ID to resume.',
    );
  }

  /** Tears the connection as a network failure would (the `dropStreams` fault). */
  tear(): void {
    this.#fail('dropped', 'Stream dropped by an injected fault; reconnect with Last-Event-ID to resume.');
  }

  /** Ends the stream cleanly after what is queued (the server is closing, or the log was reset). */
  close(): void {
    if (this.#ended) return;
    this.#end('closed');
    if (this.#sink) this.#sink.end();
    else this.#controller.close();
  }

  #fail(reason: StreamEndReason, message: string): void {
    if (this.#ended) return;
    this.#end(reason);
    // Erroring (rather than closing) discards the queue at once, so a stuck client holds no memory.
    if (this.#sink) this.#sink.destroy(new Error(message));
    else this.#controller.error(new Error(message));
  }

  #end(reason: StreamEndReason): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#onEnd(this, reason);
  }

  async #pull(): Promise<void> {
    let pages = 0;
    if (!this.#preambleSent) {
      this.#preambleSent = true;
      this.#controller.enqueue(this.#preamble);
    }
    try {
      while (!this.#live && !this.#ended) {
        // Pages fill only the room left in the queue, so a replay never leaves a client over its bound.
        const page = await this.#replay(this.#cursor, Math.max(1, this.#highWaterMark - this.#queued()));
        // The client may have gone (or been torn) while the page was read.
        if (this.#ended) return;
        for (const frame of page.frames) this.#controller.enqueue(frame.bytes);
        this.#advance(page.cursor);
        // Enqueueing makes the stream ask again while it wants more; an empty page must not stall a waiting read.
        if (page.frames.length > 0) return;
        if (++pages % PAGES_PER_TURN === 0) await nextTurn();
      }
    } catch (error) {
      this.#replayFailed(error);
    }
  }

  /** The replay for an attached sink: pages while the sink has room, then live. */
  async #pump(sink: SseSink): Promise<void> {
    let pages = 0;
    try {
      while (!this.#live && !this.#ended) {
        const room = this.#highWaterMark - sink.writableLength;
        if (room <= 0) {
          await drainedOrClosed(sink);
          continue;
        }
        const page = await this.#replay(this.#cursor, room);
        if (this.#ended) return;
        for (const frame of page.frames) sink.write(frame.bytes);
        this.#advance(page.cursor);
        if (page.frames.length === 0 && ++pages % PAGES_PER_TURN === 0) await nextTurn();
      }
    } catch (error) {
      this.#replayFailed(error);
    }
  }

  /**
   * Moves the cursor past a replayed page and goes live once it has reached the live position. Both
   * happen in the same synchronous turn as the caller's enqueue, so a broadcast either went out
   * before (and its frames were in the page) or comes after (and finds this subscriber live).
   */
  #advance(cursor: number): void {
    this.#cursor = cursor;
    if (cursor >= this.#livePosition()) this.#live = true;
  }

  /** A replay that could not read the store ends the stream; the client resumes from its cursor. */
  #replayFailed(error: unknown): void {
    console.error('[livedrop-mock] a stream replay failed', error);
    this.#fail('closed', 'The stream could not read the event log; reconnect with Last-Event-ID to resume.');
  }
}

/** Resolves once `sink` can take more or is gone, leaving no listener behind. */
function drainedOrClosed(sink: SseSink): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      sink.off('drain', done);
      sink.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    sink.on('close', done);
  });
}
