import { PUBLIC_ENDPOINTS } from '../contract/public-routes';
import { API_ROUTES } from '../contract/routes';
import type { ClientOptions } from '../client/options';
import { decodePlatformMessage, decodeSessionMessage } from './decode-message';
import type { PlatformStreamEvents, SessionStreamEvents } from './emitter';
import type { SseMessage } from './sse-parser';
import { RealtimeStream, type DecodedMessage, type RealtimeStreamOptions } from './stream';
import { createFetchStreamTransport, type StreamTransport } from './transport';

/** Defaults for every stream of a client (each stream's own options win). */
export type RealtimeOptions = Omit<RealtimeStreamOptions, 'lastEventId' | 'signal'>;

/** What {@link Realtime} needs of the client's options. */
export type RealtimeClientOptions = Pick<
  ClientOptions,
  'apiKey' | 'baseUrl' | 'fetch' | 'validateResponses' | 'realtime'
>;

/** A stream of `client.realtime.session(id)`: the session's public messages, typed by name. */
export type SessionStream = RealtimeStream<SessionStreamEvents>;
/** A stream of `client.realtime.events()`: every event of the log, typed by type. */
export type PlatformEventStream = RealtimeStream<PlatformStreamEvents>;

/**
 * The realtime stream a publishable key may open: a session's public stream, as a typed
 * event emitter that reconnects, resumes and dedupes by itself. Reach it as
 * `client.realtime` of {@link LiveDropPublicClient}; {@link Realtime} adds the platform's stream.
 */
export class PublicRealtime {
  readonly #options: RealtimeClientOptions;
  readonly #baseUrl: string;
  readonly #transport: StreamTransport;

  /** @internal Made by {@link LiveDropPublicClient} and {@link LiveDropClient}. */
  constructor(options: RealtimeClientOptions) {
    this.#options = options;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#transport = options.realtime?.transport ?? createFetchStreamTransport(options.fetch);
  }

  /**
   * A session's public stream (`GET /v1/sessions/{id}/stream`, publishable key): offers published,
   * updated, paused, sold out and ended, coalesced stock levels, the session starting and ending.
   * A new stream replays the session's messages from the start (pass `lastEventId` to skip ahead),
   * then stays live.
   * @example
   * const live = ld.realtime.session(sessionId);
   * live.on('offer.published', ({ offer }) => show(offer));
   * live.on('stock', ({ offerId, available }) => setStock(offerId, available));
   * live.on('error', (error) => live.state === 'closed' && showOffline(error));
   * // later
   * live.close();
   */
  session(id: string, options: RealtimeStreamOptions = {}): SessionStream {
    const path = PUBLIC_ENDPOINTS.streamSession.path.replace('{id}', encodeURIComponent(id));
    return this.open<SessionStreamEvents>(path, decodeSessionMessage, options);
  }

  /** @internal Opens the stream at `path`, decoding each message with `decode`. */
  protected open<Events extends object>(
    path: string,
    decode: (message: SseMessage, validate: boolean) => DecodedMessage,
    options: RealtimeStreamOptions,
  ): RealtimeStream<Events> {
    const validate = this.#options.validateResponses ?? true;
    const { transport, ...defaults } = { ...this.#options.realtime, ...options };
    return new RealtimeStream<Events>(
      {
        url: `${this.#baseUrl}${path}`,
        headers: { authorization: `Bearer ${this.#options.apiKey}` },
        transport: transport ?? this.#transport,
        decode: (message) => decode(message, validate),
      },
      defaults,
    );
  }
}

/**
 * Realtime streams over Server-Sent Events: a session's public stream and the platform's whole
 * event log, as typed event emitters that reconnect, resume and dedupe by themselves.
 * Reach it as `client.realtime`.
 */
export class Realtime extends PublicRealtime {
  /**
   * The tenant's whole event log as it happens (`GET /v1/events/stream`, secret key): every
   * {@link LiveDropEvent}, checked against the contract, under its type and under `'event'`.
   * A new stream replays the log from the start unless `lastEventId` says where to resume.
   * @example
   * const feed = ld.realtime.events({ lastEventId: savedSeq });
   * feed.on('livedrop.order.created', (event) => fulfil(event.data.order));
   * feed.on('event', (event) => save(event.seq));
   */
  events(options: RealtimeStreamOptions = {}): PlatformEventStream {
    return this.open<PlatformStreamEvents>(API_ROUTES.streamEvents.path, decodePlatformMessage, options);
  }
}
