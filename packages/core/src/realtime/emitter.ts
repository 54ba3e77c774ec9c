import { EventEmitter } from 'eventemitter3';
import type { LiveDropError } from '../errors/live-drop-error';
import type { EventOf, EventType, LiveDropEvent } from '../schemas/event';
import type { PublicStreamData, PublicStreamEventName } from '../schemas/stream';

/** What `'connected'` carries. */
export interface StreamConnectedInfo {
  /** The `Last-Event-ID` the connection resumed after; undefined for a first connection from the start. */
  readonly resumedAfter: string | undefined;
}

/** What `'reconnecting'` carries. */
export interface StreamReconnectingInfo {
  /** 1 for the first reconnection after a failure, 2 for the next, …; back to 1 once connected. */
  readonly attempt: number;
  /** How long the stream waits before connecting again. */
  readonly delayMs: number;
  /** Why the connection ended: `ConnectionError` (torn, refused), `TimeoutError` (stalled), a 5xx or 429 error. */
  readonly error: LiveDropError;
}

/** Where a stream is in its life. */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Events every realtime stream emits about its connection. */
export interface StreamLifecycleEvents {
  /** The server accepted the stream (first connection or reconnection). */
  connected: [info: StreamConnectedInfo];
  /** The connection ended; another attempt follows after `delayMs`. Nothing is lost: it resumes after the last event delivered. */
  reconnecting: [info: StreamReconnectingInfo];
  /**
   * A final error (`AuthenticationError`, `PermissionDeniedError`, `NotFoundError`, …), after which the
   * stream is closed (`state === 'closed'`); or a message that breaks the contract
   * (`ResponseValidationError`, the stream goes on without it).
   */
  error: [error: LiveDropError];
}

/** Events of `client.realtime.session(id)`: each public stream message under its name, with its data. */
export type SessionStreamEvents = { [K in PublicStreamEventName]: [data: PublicStreamData<K>] } & StreamLifecycleEvents;

/** Events of `client.realtime.events()`: every event under its type, and all of them under `'event'`. */
export type PlatformStreamEvents = { [T in EventType]: [event: EventOf<T>] } & { event: [event: LiveDropEvent] } & StreamLifecycleEvents;

/**
 * A typed EventEmitter3 whose `emit` never lets a listener's exception into the caller: the stream
 * that emits keeps going, and the exception is reported as an uncaught error, as a DOM event
 * listener's would be.
 */
export class RealtimeEmitter<Events extends object> extends EventEmitter<Events> {
  /** @internal Emits `name` for the stream; a throwing listener is reported, never thrown. */
  protected deliver(name: string, ...args: unknown[]): void {
    try {
      (this as EventEmitter).emit(name, ...args);
    } catch (error) {
      const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
      if (report) report(error);
      else
        setTimeout(() => {
          throw error;
        }, 0);
    }
  }
}
