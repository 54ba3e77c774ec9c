import type { DropSchedule } from './schedule';

/** What the platform does at a given second: the same in every scenario. */
export type PlatformAction =
  | { readonly kind: 'start'; readonly session: number }
  | { readonly kind: 'publish'; readonly session: number; readonly offer: number }
  | { readonly kind: 'end'; readonly session: number };

/** One simulated viewer (a real client) doing something: arriving (read + stream) or reading again. */
export interface ViewerAction {
  readonly session: number;
  /** The client's index within its session, from 0 in arrival order. */
  readonly viewer: number;
}

/** Everything due in one simulated second. */
export interface PlanTick {
  /** Seconds after the schedule's `startsAt`. */
  readonly second: number;
  readonly platform: PlatformAction[];
  readonly arrivals: ViewerAction[];
  readonly refreshes: ViewerAction[];
}

/** How the audience of one session is represented by real clients. */
export interface SessionAudience {
  /** Real clients that stand for the audience. */
  readonly clients: number;
  /** Viewers each client stands for: `expectedViewers / clients` (so scaled totals match the audience). */
  readonly weight: number;
  /** Second at which the session starts, and at which it ends. */
  readonly startSecond: number;
  readonly endSecond: number;
}

/** The whole evening as seconds with work in them, in order. */
export interface ArrivalPlan {
  readonly ticks: readonly PlanTick[];
  readonly audiences: readonly SessionAudience[];
  /** The first and last second with anything in them. */
  readonly firstSecond: number;
  readonly lastSecond: number;
}

/** A spike lasts five time constants; what would come after is folded into it. */
const SPIKE_CONSTANTS = 5;

/** Splits `count` whole clients over slots in proportion to `weights` (largest remainder, ties to the earlier slot). */
export function spread(count: number, weights: readonly number[]): number[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (count === 0 || total === 0) return weights.map(() => 0);
  const exact = weights.map((weight) => (count * weight) / total);
  const counts = exact.map(Math.floor);
  let left = count - counts.reduce((sum, n) => sum + n, 0);
  const order = exact
    .map((value, index) => ({ index, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest || a.index - b.index);
  for (const { index } of order) {
    if (left === 0) break;
    counts[index]! += 1;
    left -= 1;
  }
  return counts;
}

/** Weights of a spike decaying with time constant `tau` seconds. */
function decay(tau: number): number[] {
  return Array.from({ length: tau * SPIKE_CONSTANTS }, (_, i) => Math.exp(-i / tau));
}

/**
 * Turns a schedule into the seconds that have work in them, at `scale` (one real client per
 * `1 / scale` viewers, at least one per session). Deterministic: the same schedule and scale give
 * the same plan. The audience arrives in a linear ramp before the start, a spike at the start and
 * smaller spikes at each offer's publish, each decaying exponentially; when an offer is published,
 * `refreshShare` of the viewers present read the session again, in a spike of the same shape.
 */
export function planArrivals(schedule: DropSchedule, scale: number): ArrivalPlan {
  const ticks = new Map<number, { platform: PlatformAction[]; arrivals: ViewerAction[]; refreshes: ViewerAction[] }>();
  const at = (second: number) => {
    let tick = ticks.get(second);
    if (!tick) ticks.set(second, (tick = { platform: [], arrivals: [], refreshes: [] }));
    return tick;
  };
  const { arrival } = schedule;
  const spike = decay(arrival.decaySeconds);
  const audiences: SessionAudience[] = [];

  schedule.sessions.forEach((session, s) => {
    const clients = Math.max(1, Math.round(session.expectedViewers * scale));
    const startSecond = session.startMinute * 60;
    const endSecond = startSecond + session.durationMinutes * 60;
    audiences.push({ clients, weight: session.expectedViewers / clients, startSecond, endSecond });
    const publishSeconds = session.offers.map((offer) => startSecond + offer.publishMinute * 60);

    at(startSecond).platform.push({ kind: 'start', session: s });
    session.offers.forEach((_, o) => {
      at(publishSeconds[o]!).platform.push({ kind: 'publish', session: s, offer: o });
    });
    at(endSecond).platform.push({ kind: 'end', session: s });

    const rampClients = Math.round(clients * arrival.rampShare);
    const startClients =
      publishSeconds.length === 0
        ? clients - rampClients
        : Math.min(clients - rampClients, Math.round(clients * arrival.startShare));
    const offerClients = spread(
      clients - rampClients - startClients,
      publishSeconds.map(() => 1),
    );
    // Each wave of arrivals, as [first second, clients per second]; arrivals never outlast the session.
    const waves: [number, number[]][] = [];
    const rampSeconds = arrival.rampMinutes * 60;
    if (rampSeconds > 0)
      waves.push([
        startSecond - rampSeconds,
        spread(
          rampClients,
          Array.from({ length: rampSeconds }, (_, i) => i + 1),
        ),
      ]);
    else waves.push([startSecond, spread(rampClients, spike)]);
    waves.push([startSecond, spread(startClients, spike)]);
    publishSeconds.forEach((second, o) => {
      waves.push([second, spread(offerClients[o]!, spike)]);
    });

    const arrivedAt: number[] = [];
    for (const [first, perSecond] of waves) {
      perSecond.forEach((count, i) => {
        const second = Math.min(first + i, endSecond - 1);
        for (let n = 0; n < count; n++) arrivedAt.push(second);
      });
    }
    // Viewer indices follow arrival order.
    arrivedAt.sort((a, b) => a - b);
    arrivedAt.forEach((second, viewer) => {
      at(second).arrivals.push({ session: s, viewer });
    });

    for (const publish of publishSeconds) {
      const present = arrivedAt.filter((second) => second < publish).length;
      const readers: number[] = [];
      for (let viewer = 0; viewer < present; viewer++) {
        if (Math.floor((viewer + 1) * arrival.refreshShare) > Math.floor(viewer * arrival.refreshShare))
          readers.push(viewer);
      }
      let next = 0;
      spread(readers.length, spike).forEach((count, i) => {
        const second = Math.min(publish + i, endSecond - 1);
        for (let n = 0; n < count; n++) at(second).refreshes.push({ session: s, viewer: readers[next++]! });
      });
    }
  });

  const seconds = [...ticks.keys()].sort((a, b) => a - b);
  return {
    ticks: seconds.map((second) => ({ second, ...ticks.get(second)! })),
    audiences,
    firstSecond: seconds[0]!,
    lastSecond: seconds[seconds.length - 1]!,
  };
}
