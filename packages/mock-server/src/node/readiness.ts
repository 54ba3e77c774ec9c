/** What a storage reports about its own readiness: whether it can serve, and each check that decided it. */
export interface Readiness {
  /** True when every check passed and the storage can serve requests. */
  readonly ready: boolean;
  /** Each check by name: `true` when it passed, `false` or a reason (`'connecting'`) when it did not. */
  readonly checks: Record<string, boolean | string>;
}

/**
 * An optional member a storage may implement (a Redis storage: is the connection up?). The node
 * transport's `GET /readyz` asks it; a storage without it (the in-memory one) is always ready.
 */
export interface ReadinessProbe {
  /** Reports whether the storage can serve now. */
  readiness(): Promise<Readiness>;
}

/**
 * An optional member a storage may implement: how far this instance's view of a shared log lags
 * behind it (ms or entries behind). The node transport exports it as the `livedrop_stream_lag` gauge;
 * a storage without it (the in-memory one, which has no lag) reads 0.
 */
export interface StreamLagProbe {
  /** How far behind the shared log this instance is. */
  streamLag(): number;
}

/** The readiness of a storage that does not report its own: nothing to wait for. */
const ALWAYS_READY: Readiness = { ready: true, checks: { storage: true } };

/**
 * The readiness of `storage`: what its `readiness()` reports when it has one, else ready. A probe
 * that throws reads as not ready, with the error's message as the reason.
 */
export async function readinessOf(storage: object): Promise<Readiness> {
  const probe = (storage as Partial<ReadinessProbe>).readiness;
  if (typeof probe !== 'function') return ALWAYS_READY;
  try {
    return await probe.call(storage);
  } catch (error) {
    return { ready: false, checks: { storage: error instanceof Error ? error.message : String(error) } };
  }
}

/**
 * The stream lag of `storage`: what its `streamLag()` reports when it has one, else 0. A probe that
 * throws reads as `NaN` (Prometheus's "no value"), so a scrape still answers.
 */
export function streamLagOf(storage: object): number {
  const probe = (storage as Partial<StreamLagProbe>).streamLag;
  if (typeof probe !== 'function') return 0;
  try {
    return probe.call(storage);
  } catch {
    return Number.NaN;
  }
}
