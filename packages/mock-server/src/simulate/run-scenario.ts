import { createClient, type LiveDropClient } from '@livedrop/core';
import { planArrivals, type ArrivalPlan, type PlanTick, type ViewerAction } from './arrival-plan';
import { stageDrop, type StagedDrop } from './drop-setup';
import { EdgePop, type EdgeReply } from './edge-pop';
import { createOriginFetch, headerBytes, serverCpuMs, type OriginFetch, type OriginReply } from './origin-fetch';
import { startSimulatedOrigin, type SimulatedOrigin } from './origin-server';
import type { DropSchedule } from './schedule';
import { tapSessionStream, type StreamTap } from './stream-tap';
import { TrafficMeter, type TrafficTotals } from './traffic-meter';

/**
 * What stands between viewers and the origin:
 * - `no-edge`: every viewer read and stream goes to the origin;
 * - `edge`: reads go through caching edge POPs; streams pass through to the origin;
 * - `edge-warmup`: the edge also warms up on `livedrop.session.warmup_due` (prefetches the session
 *   into every POP and keeps it fresh) and fans streams out: one origin stream per POP and session.
 */
export type ScenarioName = 'no-edge' | 'edge' | 'edge-warmup';

/** Every scenario, in the order they run and are reported. */
export const SCENARIOS: readonly ScenarioName[] = ['no-edge', 'edge', 'edge-warmup'];

/** How a scenario is driven. */
export interface ScenarioOptions {
  /** Real clients per viewer, in (0, 1]. */
  readonly scale: number;
  /** Edge points of presence; viewers are spread over them evenly. */
  readonly pops: number;
  /** Viewer requests in flight at once. */
  readonly concurrency: number;
  /** How often the edge's scheduler reads the event log for warm-ups, in simulated seconds. */
  readonly pollSeconds: number;
  /** Told after each simulated second with work, with how many there are. */
  readonly onTick?: (done: number, total: number) => void;
}

/** What one scenario measured. */
export interface ScenarioResult {
  readonly scenario: ScenarioName;
  readonly totals: TrafficTotals;
  /** Requests really sent to the reference server (before scaling up). */
  readonly realOriginRequests: number;
  /** Warm-ups the edge performed on `livedrop.session.warmup_due`. */
  readonly warmups: number;
  /** Wall-clock milliseconds the scenario took. */
  readonly wallMs: number;
}

/** A tick of the edge runs with the simulated clock at the start of its second; copies fresh for at least this long answer the rest of the second. */
const TICK_MS = 1000;
/** How long (real time) to wait for a session's streams to carry its end before closing them. */
const STREAM_DRAIN_MS = 5000;

/** Runs `task` over `items`, `limit` at a time. */
async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** An SDK client whose requests are counted as the platform's while `meter` is set. */
function platformClient(
  origin: SimulatedOrigin,
  counting: { meter: TrafficMeter | null; real: number },
): LiveDropClient {
  const meteredFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (counting.meter) {
      counting.real += 1;
      counting.meter.origin(
        'platform',
        1,
        headerBytes(response.headers) + Number(response.headers.get('content-length') ?? 0),
        serverCpuMs(response.headers),
      );
    }
    return response;
  };
  return createClient({
    apiKey: origin.server.keys.secretKey,
    baseUrl: origin.url,
    fetch: meteredFetch,
    maxRetries: 0,
  });
}

/**
 * Plays the schedule against a fresh reference server over HTTP, one simulated second at a time on
 * the server's injected clock, with real clients at `scale` behind the scenario's edge, and
 * measures the origin's load. Every real request stands for `1 / scale` viewers' (the session's
 * weight); what the edge does on its own (prefetches, background revalidations, its streams) and
 * what the platform does happens once, whatever the scale.
 */
export async function runScenario(
  scenario: ScenarioName,
  schedule: DropSchedule,
  options: ScenarioOptions,
  plan: ArrivalPlan = planArrivals(schedule, options.scale),
): Promise<ScenarioResult> {
  const began = performance.now();
  const startsAtMs = Date.parse(schedule.startsAt);
  const at = (second: number) => startsAtMs + second * 1000;
  const firstStart = Math.min(...plan.audiences.map((audience) => audience.startSecond));
  // Start early enough for the first warm-up (10 minutes ahead by default) to be an event, not a late catch-up.
  const openSecond = Math.min(plan.firstSecond, firstStart - 15 * 60) - 60;
  const origin = await startSimulatedOrigin(at(openSecond));
  const counting: { meter: TrafficMeter | null; real: number } = { meter: null, real: 0 };
  const taps: StreamTap[][] = plan.audiences.map(() => []);
  try {
    const platform = platformClient(origin, counting);
    const staged: StagedDrop = await stageDrop(platform, schedule);
    const meter = new TrafficMeter();
    counting.meter = meter;
    let nowMs = at(openSecond);
    const originFetch: OriginFetch = createOriginFetch(origin.url);
    const countedFetch: OriginFetch = async (path, headers) => {
      counting.real += 1;
      return originFetch(path, headers);
    };
    const withEdge = scenario !== 'no-edge';
    const fanOut = scenario === 'edge-warmup';
    const background = (reply: OriginReply) => meter.origin('edge', 1, reply.wireBytes, reply.cpuMs);
    const pops = withEdge
      ? Array.from({ length: options.pops }, () => new EdgePop(countedFetch, () => nowMs, background))
      : [];
    const authorization = `Bearer ${origin.server.keys.publishableKey}`;
    const viewerEtags = plan.audiences.map((audience) => new Array<string | null>(audience.clients).fill(null));
    const popOf = (viewer: number) => viewer % options.pops;
    /** Viewers (scaled) attached to each POP's stream of each session, for fan-out egress. */
    const attached = plan.audiences.map(() => new Array<number>(options.pops).fill(0));
    const popStreams = plan.audiences.map(() => new Array<Promise<StreamTap> | null>(options.pops).fill(null));
    const warmed = new Set<number>();
    const ended = new Set<number>();
    let warmups = 0;

    const sessionPath = (session: number) => `/v1/sessions/${staged.sessionIds[session]}`;

    function countEdgeRead(weight: number, reply: EdgeReply): void {
      meter.viewerRequest(weight, { viaEdge: true });
      meter.edgeEgress(weight * reply.bytes);
      if (!reply.origin) {
        meter.edgeHit(weight);
        return;
      }
      // The viewers this client stands for arrive over the second: when the origin's answer stays
      // fresh that long, the first one's request fills the copy and the others are answered from it.
      const shared = reply.policy.storable && reply.policy.maxAgeMs >= TICK_MS;
      const toOrigin = shared ? Math.min(1, weight) : weight;
      meter.origin('viewer', toOrigin, reply.origin.wireBytes, reply.origin.cpuMs);
      meter.edgeHit(weight - toOrigin);
    }

    async function read({ session, viewer }: ViewerAction): Promise<void> {
      const weight = plan.audiences[session]!.weight;
      const etag = viewerEtags[session]![viewer];
      const headers: Record<string, string> = { authorization, ...(etag ? { 'if-none-match': etag } : {}) };
      if (!withEdge) {
        const reply = await countedFetch(sessionPath(session), headers);
        meter.viewerRequest(weight, { viaEdge: false });
        meter.origin('viewer', weight, reply.wireBytes, reply.cpuMs);
        if (reply.status === 200) viewerEtags[session]![viewer] = reply.headers.get('etag');
        return;
      }
      const reply = await pops[popOf(viewer)]!.get(sessionPath(session), headers);
      countEdgeRead(weight, reply);
      if (reply.status === 200 || reply.status === 304) viewerEtags[session]![viewer] = reply.etag;
    }

    /** The POP's own stream of `session`, opened once; its frames are counted once at the origin and once per attached viewer at the edge. */
    function popStream(session: number, pop: number): Promise<StreamTap> {
      let stream = popStreams[session]![pop];
      if (!stream) {
        counting.real += 1;
        stream = tapSessionStream(origin.url, staged.sessionIds[session]!, authorization, (bytes) => {
          meter.originStreamBytes(bytes);
          meter.edgeEgress(bytes * attached[session]![pop]!);
        }).then((tap) => {
          meter.origin('edge', 1, tap.headBytes, tap.cpuMs);
          meter.originStream(1);
          taps[session]!.push(tap);
          return tap;
        });
        popStreams[session]![pop] = stream;
      }
      return stream;
    }

    async function connect({ session, viewer }: ViewerAction): Promise<void> {
      const weight = plan.audiences[session]!.weight;
      if (fanOut) {
        const pop = popOf(viewer);
        const tap = await popStream(session, pop);
        meter.viewerRequest(weight, { viaEdge: true });
        meter.edgeHit(weight);
        meter.edgeEgress(weight * tap.headBytes);
        attached[session]![pop]! += weight;
        return;
      }
      counting.real += 1;
      const tap = await tapSessionStream(origin.url, staged.sessionIds[session]!, authorization, (bytes) => {
        meter.originStreamBytes(bytes * weight);
        if (withEdge) meter.edgeEgress(bytes * weight);
      });
      taps[session]!.push(tap);
      meter.viewerRequest(weight, { viaEdge: withEdge });
      meter.origin('viewer', weight, tap.headBytes, tap.cpuMs);
      meter.originStream(weight);
      if (withEdge) meter.edgeEgress(weight * tap.headBytes);
    }

    async function warmUp(session: number): Promise<void> {
      if (warmed.has(session) || ended.has(session)) return;
      warmed.add(session);
      warmups += 1;
      await Promise.all(
        pops.map(async (pop, index) => {
          const reply = await pop.prefetch(sessionPath(session), { authorization });
          meter.origin('edge', 1, reply.wireBytes, reply.cpuMs);
          await popStream(session, index);
        }),
      );
    }

    /** Keeps warmed sessions' copies fresh ahead of demand, until the session ends. */
    async function keepWarm(): Promise<void> {
      for (const session of warmed) {
        if (ended.has(session)) continue;
        await Promise.all(
          pops.map(async (pop) => {
            if (!pop.needsRefresh(sessionPath(session), { authorization })) return;
            const reply = await pop.prefetch(sessionPath(session), { authorization });
            meter.origin('edge', 1, reply.wireBytes, reply.cpuMs);
          }),
        );
      }
    }

    let eventCursor = 0;
    async function pollWarmups(): Promise<void> {
      for (;;) {
        const page = await platform.events.list({
          after: eventCursor,
          types: ['livedrop.session.warmup_due'],
          limit: 100,
        });
        eventCursor = page.nextAfter;
        for (const event of page.data) {
          if (event.type !== 'livedrop.session.warmup_due') continue;
          const session = staged.sessionIds.indexOf(event.data.sessionId);
          if (session >= 0) await warmUp(session);
        }
        if (!page.hasMore) return;
      }
    }

    async function endSession(session: number): Promise<void> {
      ended.add(session);
      const drained = Promise.all(taps[session]!.map((tap) => tap.ended));
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, STREAM_DRAIN_MS).unref())]);
      for (const tap of taps[session]!) tap.close();
      taps[session] = [];
    }

    async function platformStep(tick: PlanTick): Promise<void> {
      for (const action of tick.platform) {
        const sessionId = staged.sessionIds[action.session]!;
        if (action.kind === 'start') await platform.sessions.start(sessionId);
        else if (action.kind === 'publish')
          await platform.offers.publish(staged.offerIds[action.session]![action.offer]!);
        else {
          await platform.sessions.end(sessionId);
          await endSession(action.session);
        }
      }
    }

    // The edge's scheduler reads the log every `pollSeconds`; those reads get seconds of their own.
    const seconds = new Map<number, PlanTick>(plan.ticks.map((tick) => [tick.second, tick]));
    if (fanOut) {
      for (let second = openSecond + options.pollSeconds; second <= plan.lastSecond; second += options.pollSeconds) {
        if (!seconds.has(second)) seconds.set(second, { second, platform: [], arrivals: [], refreshes: [] });
      }
    }
    const ticks = [...seconds.values()].sort((a, b) => a.second - b.second);
    let nextPoll = openSecond;
    for (const [index, tick] of ticks.entries()) {
      nowMs = at(tick.second);
      meter.second = tick.second;
      await origin.setClock(nowMs);
      await platformStep(tick);
      if (fanOut) {
        if (tick.second >= nextPoll) {
          await pollWarmups();
          nextPoll = tick.second + options.pollSeconds;
        }
        await keepWarm();
      }
      await pool(tick.arrivals, options.concurrency, async (action) => {
        await read(action);
        await connect(action);
      });
      await pool(tick.refreshes, options.concurrency, read);
      await Promise.all(pops.map((pop) => pop.settle()));
      options.onTick?.(index + 1, ticks.length);
    }
    for (let session = 0; session < plan.audiences.length; session++)
      if (!ended.has(session)) await endSession(session);
    return {
      scenario,
      totals: meter.totals(),
      realOriginRequests: counting.real,
      warmups,
      wallMs: performance.now() - began,
    };
  } finally {
    for (const sessionTaps of taps) for (const tap of sessionTaps) tap.close();
    await origin.close();
  }
}
