/** Why a request reached the origin. */
export type OriginCause =
  /** A viewer's request the edge could not answer (or every viewer request, without an edge). */
  | 'viewer'
  /** The edge on its own: background revalidation, warm-up prefetch, its own stream per session. */
  | 'edge'
  /** The platform's backend: starting sessions, publishing offers, the edge scheduler's event polls. */
  | 'platform';

/** Scaled-up totals of one scenario. Counts are viewers' and requests' real-world numbers. */
export interface TrafficTotals {
  /** Requests viewers made (reads of the session and stream connections). */
  readonly viewerRequests: number;
  /** Viewer requests the edge answered itself (copies and stream fan-out). */
  readonly edgeHits: number;
  /** Viewer requests that went on to the origin. */
  readonly viewerRequestsToOrigin: number;
  /** Requests the origin answered, by cause; `originRequests` is their sum. */
  readonly originRequestsByCause: Readonly<Record<OriginCause, number>>;
  readonly originRequests: number;
  /** Requests the edge answered (every viewer request, when there is an edge; else 0). */
  readonly edgeRequests: number;
  /** Bytes the origin sent (to the edge, or to viewers without one). */
  readonly originBytes: number;
  /** Bytes the edge sent to viewers. */
  readonly edgeBytes: number;
  /** Origin streams held open (one per viewer, or one per POP and session with fan-out). */
  readonly originStreams: number;
  /** Server CPU seconds spent answering, measured per request and scaled like the requests. */
  readonly computeSeconds: number;
  /** Origin requests per simulated second (seconds without any are absent). */
  readonly originPerSecond: ReadonlyMap<number, number>;
  /** The highest of {@link originPerSecond}, and when (seconds after the schedule's start). */
  readonly peakOriginPerSecond: number;
  readonly peakSecond: number;
}

/** Counts one scenario's traffic as it happens, with each real request's weight (the viewers it stands for). */
export class TrafficMeter {
  #viewerRequests = 0;
  #edgeHits = 0;
  #viewerToOrigin = 0;
  readonly #byCause: Record<OriginCause, number> = { viewer: 0, edge: 0, platform: 0 };
  #edgeRequests = 0;
  #originBytes = 0;
  #edgeBytes = 0;
  #originStreams = 0;
  #cpuMs = 0;
  readonly #perSecond = new Map<number, number>();
  /** The simulated second requests are counted in. */
  second = 0;

  /** A viewer request of `weight` viewers reached the edge (or the origin, without an edge). */
  viewerRequest(weight: number, { viaEdge }: { viaEdge: boolean }): void {
    this.#viewerRequests += weight;
    if (viaEdge) this.#edgeRequests += weight;
  }

  /** `weight` viewer requests were answered by the edge. */
  edgeHit(weight: number): void {
    this.#edgeHits += weight;
  }

  /** The origin answered `weight` requests like this one (`cpuMs` and `bytes` are this one's). */
  origin(cause: OriginCause, weight: number, bytes: number, cpuMs: number): void {
    this.#byCause[cause] += weight;
    if (cause === 'viewer') this.#viewerToOrigin += weight;
    this.#originBytes += weight * bytes;
    this.#cpuMs += weight * cpuMs;
    this.#perSecond.set(this.second, (this.#perSecond.get(this.second) ?? 0) + weight);
  }

  /** Bytes the origin sent outside a counted request (frames on its streams). */
  originStreamBytes(bytes: number): void {
    this.#originBytes += bytes;
  }

  /** The edge sent `bytes` to viewers. */
  edgeEgress(bytes: number): void {
    this.#edgeBytes += bytes;
  }

  /** `weight` origin streams were opened. */
  originStream(weight: number): void {
    this.#originStreams += weight;
  }

  /** The totals so far. */
  totals(): TrafficTotals {
    let peakOriginPerSecond = 0;
    let peakSecond = 0;
    for (const [second, count] of this.#perSecond) {
      if (count > peakOriginPerSecond) [peakOriginPerSecond, peakSecond] = [count, second];
    }
    const originRequests = this.#byCause.viewer + this.#byCause.edge + this.#byCause.platform;
    return {
      viewerRequests: this.#viewerRequests,
      edgeHits: this.#edgeHits,
      viewerRequestsToOrigin: this.#viewerToOrigin,
      originRequestsByCause: { ...this.#byCause },
      originRequests,
      edgeRequests: this.#edgeRequests,
      originBytes: this.#originBytes,
      edgeBytes: this.#edgeBytes,
      originStreams: this.#originStreams,
      computeSeconds: this.#cpuMs / 1000,
      originPerSecond: new Map(this.#perSecond),
      peakOriginPerSecond,
      peakSecond,
    };
  }
}
