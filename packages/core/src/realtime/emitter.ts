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
export type PlatformStreamEvents = { [T in EventType]: [event: EventOf<T>] } & {
  event: [event: LiveDropEvent];
} & StreamLifecycleEvents;

/** The arguments a listener of `Events[K]` receives. */
export type ListenerArgs<Events extends object, K extends keyof Events> = Events[K] extends readonly unknown[]
  ? Events[K]
  : never;
/** A listener of `Events[K]`. */
export type Listener<Events extends object, K extends keyof Events> = (...args: ListenerArgs<Events, K>) => void;

interface Entry {
  readonly listener: (...args: never) => void;
  readonly once: boolean;
}

/**
 * A typed event emitter with EventEmitter3's methods (`on`, `once`, `off`, `removeAllListeners`,
 * `listenerCount`, `listeners`, `eventNames`). Listeners run in the order they were added; one that
 * throws never stops the others nor the stream that emits: the exception is reported as an
 * uncaught error, as a DOM event listener's would be.
 */
export class RealtimeEmitter<Events extends object> {
  readonly #entries = new Map<keyof Events, Entry[]>();

  /** Calls `listener` on every `name`. */
  on<K extends keyof Events>(name: K, listener: Listener<Events, K>): this {
    return this.#add(name, { listener, once: false });
  }

  /** Calls `listener` on the next `name` only. */
  once<K extends keyof Events>(name: K, listener: Listener<Events, K>): this {
    return this.#add(name, { listener, once: true });
  }

  /** Removes `listener` from `name` (every time it was added), or every listener of `name`. */
  off<K extends keyof Events>(name: K, listener?: Listener<Events, K>): this {
    return this.#set(
      name,
      listener === undefined ? [] : (this.#entries.get(name) ?? []).filter((entry) => entry.listener !== listener),
    );
  }

  /** Removes every listener of `name`, or of every event. */
  removeAllListeners(name?: keyof Events): this {
    if (name === undefined) this.#entries.clear();
    else this.#entries.delete(name);
    return this;
  }

  /** How many listeners `name` has. */
  listenerCount(name: keyof Events): number {
    return this.#entries.get(name)?.length ?? 0;
  }

  /** The listeners of `name`, in the order they run. */
  listeners<K extends keyof Events>(name: K): Listener<Events, K>[] {
    return (this.#entries.get(name) ?? []).map((entry) => entry.listener as Listener<Events, K>);
  }

  /** The events that have listeners. */
  eventNames(): (keyof Events)[] {
    return [...this.#entries.keys()];
  }

  /** @internal Emits `name` for the stream: every listener runs; one that throws is reported, never thrown. */
  protected deliver(name: string, ...args: unknown[]): void {
    const entries = this.#entries.get(name as keyof Events);
    if (!entries) return;
    // Lists are replaced, never changed in place: listeners added or removed meanwhile don't change this delivery.
    if (entries.some((entry) => entry.once))
      this.#set(
        name as keyof Events,
        entries.filter((entry) => !entry.once),
      );
    for (const { listener } of entries) {
      try {
        (listener as (...args: unknown[]) => void)(...args);
      } catch (error) {
        reportUncaught(error);
      }
    }
  }

  #add(name: keyof Events, entry: Entry): this {
    return this.#set(name, [...(this.#entries.get(name) ?? []), entry]);
  }

  #set(name: keyof Events, entries: Entry[]): this {
    if (entries.length === 0) this.#entries.delete(name);
    else this.#entries.set(name, entries);
    return this;
  }
}

/** Reports `error` the way an exception in an event listener is reported where the stream runs. */
function reportUncaught(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (report) report(error);
  else
    setTimeout(() => {
      throw error;
    }, 0);
}
