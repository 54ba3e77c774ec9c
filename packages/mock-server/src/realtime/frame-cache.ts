/**
 * The encoded frames of recent log positions. A broadcast puts its frames here, so the clients that
 * reconnect after a dropped connection replay the same bytes instead of re-encoding them each.
 * Bounded: only the newest `capacity` positions are kept.
 */
export class FrameCache {
  readonly #frames = new Map<number, Uint8Array>();
  readonly #capacity: number;
  #newest = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The frame of `seq`, built (and kept, when recent) on first use. */
  getOrBuild(seq: number, build: () => Uint8Array): Uint8Array {
    const cached = this.#frames.get(seq);
    if (cached) return cached;
    const bytes = build();
    if (seq > this.#newest - this.#capacity) {
      this.#frames.set(seq, bytes);
      if (seq > this.#newest) this.#newest = seq;
      // Pruning walks the map, so it runs once per `capacity` inserts: amortized O(1).
      if (this.#frames.size > 2 * this.#capacity) this.#prune();
    }
    return bytes;
  }

  #prune(): void {
    const oldest = this.#newest - this.#capacity;
    for (const seq of this.#frames.keys()) if (seq <= oldest) this.#frames.delete(seq);
  }
}
