import type { EventListener, EventLog } from '../event-log';
import type { SseBroadcaster } from './sse-broadcaster';
import type { ReplayPage } from './sse-subscriber';

/**
 * One stream that many clients watch: it listens to a tenant's log from creation to disposal,
 * publishes its projection of each event to its broadcaster, and replays the same projection from
 * any cursor for clients that are resuming or catching up.
 */
export interface StreamChannel {
  /** The log it listens to; a reset replaces the log, which retires the channel. */
  readonly log: EventLog;
  readonly broadcaster: SseBroadcaster;
  /** The projection of the page of the log after `after`, up to about `budgetBytes` of frames. */
  replay(after: number, budgetBytes: number): ReplayPage;
  /** Stops listening to the log. */
  dispose(): void;
}

/** Sizes shared by the channels. */
export interface ChannelOptions {
  /** Log events read per replay page. */
  readonly replayPageSize: number;
  /** Encoded frames kept for replays (the newest positions). */
  readonly frameCacheSize: number;
}

/**
 * Wraps a log listener so a failure in a stream never fails the append: listeners run inside the
 * ledger's critical section, and the event is already in the log (clients resume from it).
 */
export function guardListener(listener: EventListener): EventListener {
  return (event, serialized) => {
    try {
      listener(event, serialized);
    } catch (error) {
      console.error('[livedrop-mock] stream listener failed', error);
    }
  };
}
