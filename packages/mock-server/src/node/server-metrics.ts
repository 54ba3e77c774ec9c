import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the gauges read when `/metrics` is scraped: the running server's live figures. */
export interface MetricsSources {
  /** Open SSE connections on this server. */
  readonly sseSubscribers: () => number;
  /** How far behind the shared log this instance is (0 without a lagging storage). */
  readonly streamLag: () => number;
  /** Whether `available + reserved + sold == total` holds for every offer. */
  readonly invariantHolds: () => boolean;
}

/** How a reservation request ended, for the `livedrop_reservations_total` counter. */
export type ReservationOutcome =
  | { readonly outcome: 'created' | 'backordered' }
  | { readonly outcome: 'refused'; readonly code: string };

/**
 * The Prometheus metrics of one running server, in a registry of its own (never prom-client's
 * global one: several servers may run in one process, each scraped alone). Request latency is
 * labelled by operation id, never by raw path, so the number of series stays bounded.
 */
export class ServerMetrics {
  /** The registry `GET /metrics` serializes. */
  readonly registry = new Registry();
  readonly #requests: Histogram<'route' | 'status'>;
  readonly #reservations: Counter<'outcome' | 'code'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.#requests = new Histogram({
      name: 'livedrop_http_request_duration_seconds',
      help: 'Time from a request to its answer (its headers, for a stream), by operation id and status.',
      labelNames: ['route', 'status'],
      registers,
    });
    this.#reservations = new Counter({
      name: 'livedrop_reservations_total',
      help: 'Reservation requests by outcome: created (held), backordered, or refused with its problem code.',
      labelNames: ['outcome', 'code'],
      registers,
    });
    new Gauge({
      name: 'livedrop_sse_subscribers',
      help: 'Open Server-Sent Events connections.',
      registers,
      collect() {
        this.set(sources.sseSubscribers());
      },
    });
    new Gauge({
      name: 'livedrop_stream_lag',
      help: "How far this instance's view of the shared event log lags behind it (the storage's unit; 0 in memory).",
      registers,
      collect() {
        this.set(sources.streamLag());
      },
    });
    new Gauge({
      name: 'livedrop_stock_invariant_holds',
      help: '1 while available + reserved + sold == total holds for every offer, else 0.',
      registers,
      collect() {
        this.set(sources.invariantHolds() ? 1 : 0);
      },
    });
  }

  /** Records one answered request: `route` is its operation id (or `unmatched`), `status` 0 for a torn connection. */
  observeRequest(route: string, status: number, seconds: number): void {
    this.#requests.observe({ route, status: String(status) }, seconds);
  }

  /** Counts one reservation request by how it ended. */
  countReservation(result: ReservationOutcome): void {
    if (result.outcome === 'refused') this.#reservations.inc({ outcome: 'refused', code: result.code });
    else this.#reservations.inc({ outcome: result.outcome });
  }

  /** The metrics in the Prometheus text format, and its content type. */
  async render(): Promise<{ readonly contentType: string; readonly text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
