import type { Attribution, LiveDropClient, OfferTokenVerifier, Reservation } from '@livedrop/node';
import { LAST_CALL_MIX, RUSH_MIX, planCheckouts, runCheckouts, type CheckoutResult } from './checkout';
import type { ServerControl } from './control';
import type { LiveAudience } from './live-audience';
import type { LatencyRecorder } from './metrics';
import type { Progress } from './progress';
import { streamOf } from './random';
import type { StagedOffer } from './scenario';
import { rush, type RushOutcome } from './stampede';

/** A moment of an offer's window worth marking on its chart. */
export interface ShowMark {
  readonly label: string;
  /** Server clock, epoch ms. */
  readonly atMs: number;
}

/** One offer's time on stage, as it happened. */
export interface OfferWindow {
  readonly offerId: string;
  readonly publishedAtMs: number;
  readonly endedAtMs: number;
  /** Viewers that received `offer.published`. */
  readonly viewersReached: number;
  /** The stampede: one outcome per buyer. */
  readonly rush: readonly RushOutcome[];
  /** Real seconds the stampede took, first token to last answer. */
  readonly rushSeconds: number;
  /** Buyers who missed out and came back when abandoned units returned (plain offers). */
  readonly lastCall: readonly RushOutcome[];
  /** Backordered reservations promoted to held, per round (backorder offers). */
  readonly promotedPerRound: readonly number[];
  /** Every checkout of the window (rush, promotions, last call). */
  readonly checkouts: readonly CheckoutResult[];
  readonly marks: readonly ShowMark[];
}

/** What every window shares. */
export interface WindowContext {
  readonly platform: LiveDropClient;
  readonly browser: LiveDropClient;
  readonly control: ServerControl;
  readonly audience: LiveAudience;
  readonly seed: number;
  readonly concurrency: number;
  readonly ttlSeconds: number;
  readonly attribution: Attribution;
  readonly verifier: OfferTokenVerifier;
  readonly latency: {
    readonly tokenIssue: LatencyRecorder;
    readonly tokenVerify: LatencyRecorder;
    readonly reserve: LatencyRecorder;
    readonly confirm: LatencyRecorder;
  };
  readonly progress: Progress;
}

const SECOND = 1000;
/** Show time between clock moves while buyers check out. */
const CHECKOUT_SLICE_SECONDS = 30;
/** Share of buyers who missed out that come back for the last call. */
const LAST_CALL_RETURN_RATE = 0.5;
/** Rounds of the backorder queue (each: promotions, checkouts, lapses) before the offer ends. */
const BACKORDER_ROUNDS = 3;

function heldOf(outcomes: readonly RushOutcome[]): { buyerId: string; reservation: Reservation }[] {
  return outcomes.flatMap((outcome) =>
    outcome.kind === 'held' ? [{ buyerId: outcome.buyerId, reservation: outcome.reservation }] : [],
  );
}

function short(title: string): string {
  return title.length > 32 ? `${title.slice(0, 31)}…` : title;
}

/**
 * One offer on stage, from `startMs` on the show clock: published (viewers time its arrival), a
 * stampede of its buyers, checkouts played out over the hold's TTL, the lapse of unpaid holds, then
 * either the backorder queue served round by round or a last call for buyers who missed out, and
 * the end of the offer.
 * @returns the window, its end on the show clock included
 */
export async function playOffer(context: WindowContext, staged: StagedOffer, startMs: number): Promise<OfferWindow> {
  const { platform, browser, control, audience, progress, ttlSeconds } = context;
  const { planned } = staged;
  const offerId = staged.created!.id;
  const name = short(planned.title);
  const marks: ShowMark[] = [];
  const checkouts: CheckoutResult[] = [];
  /** The latest show time a buyer acted at, so the offer never ends before its last checkout. */
  let lastAction = startMs;
  const checkout = async (
    holds: { buyerId: string; reservation: Reservation }[],
    stream: string,
    mix: typeof RUSH_MIX,
    heldAtMs: number,
    windowSeconds: number,
    phase: string,
  ) => {
    const plans = planCheckouts(holds, streamOf(context.seed, `${stream}:${planned.sku}`), mix, windowSeconds);
    const { results, lastActionMs } = await runCheckouts(browser, control, plans, {
      heldAtMs,
      sliceSeconds: CHECKOUT_SLICE_SECONDS,
      concurrency: context.concurrency,
      latency: context.latency.confirm,
      progress,
      phaseName: phase,
    });
    checkouts.push(...results);
    lastAction = Math.max(lastAction, lastActionMs);
    const paid = results.filter((result) => result.order).length;
    const declined = results.reduce((sum, result) => sum + result.declines, 0);
    progress.done(`${paid} paid, ${declined} declined`);
    return results;
  };

  await control.moveClockTo(startMs);
  progress.phase(`publish · ${name}`, null);
  const { received } = await audience.timePublish(offerId, () => platform.offers.publish(offerId));
  progress.done(`${received} viewers got it`);
  marks.push({ label: 'published', atMs: startMs });

  progress.phase(`stampede · ${name}`, planned.buyerIds.length);
  const rushStarted = performance.now();
  const outcomes = await rush(
    { platform, browser },
    {
      offerId,
      buyerIds: planned.buyerIds,
      backorderConsent: planned.role === 'backorder',
      concurrency: context.concurrency,
      attribution: context.attribution,
      verifier: context.verifier,
      latency: context.latency,
      progress,
    },
  );
  const rushSeconds = (performance.now() - rushStarted) / 1000;
  const held = heldOf(outcomes);
  const queued = outcomes.filter((outcome) => outcome.kind === 'backordered').length;
  progress.done(
    `${held.length} held${queued ? `, ${queued} backordered` : ''}, ${outcomes.length - held.length - queued} sold out`,
  );

  await checkout(held, 'checkout', RUSH_MIX, startMs, ttlSeconds, `checkout · ${name}`);
  let clock = startMs + (ttlSeconds + 5) * SECOND;
  await control.moveClockTo(clock);
  marks.push({ label: 'unpaid holds lapse', atMs: clock });

  const promotedPerRound: number[] = [];
  let lastCall: RushOutcome[] = [];
  if (planned.role === 'backorder') {
    let waiting = outcomes.flatMap((outcome) => (outcome.kind === 'backordered' ? [outcome] : []));
    for (let round = 1; round <= BACKORDER_ROUNDS && waiting.length > 0; round++) {
      // The platform learns of promotions from the API: each queued buyer's reservation, read with its client secret.
      const now = await Promise.all(
        waiting.map(async (outcome) => ({
          outcome,
          reservation: await browser.reservations.retrieve(outcome.reservation.id, {
            clientSecret: outcome.reservation.clientSecret,
          }),
        })),
      );
      const promoted = now
        .filter(({ reservation }) => reservation.status === 'held')
        .map(({ outcome, reservation }) => ({
          buyerId: outcome.buyerId,
          reservation: { ...reservation, clientSecret: outcome.reservation.clientSecret },
        }));
      waiting = now.filter(({ reservation }) => reservation.status === 'backordered').map(({ outcome }) => outcome);
      promotedPerRound.push(promoted.length);
      if (promoted.length === 0) break;
      await checkout(
        promoted,
        `backorder-round-${round}`,
        RUSH_MIX,
        clock,
        ttlSeconds,
        `waitlist round ${round} · ${name}`,
      );
      if (round < BACKORDER_ROUNDS && waiting.length > 0) {
        clock += (ttlSeconds + 5) * SECOND;
        await control.moveClockTo(clock);
      }
    }
    clock = Math.max(clock, lastAction) + 60 * SECOND;
  } else {
    const missedOut = outcomes
      .flatMap((outcome) => (outcome.kind === 'refused' && outcome.code === 'sold_out' ? [outcome.buyerId] : []))
      .sort();
    const dice = streamOf(context.seed, `last-call:${planned.sku}`);
    const returning = missedOut.filter(() => dice.chance(LAST_CALL_RETURN_RATE));
    clock += 25 * SECOND;
    await control.moveClockTo(clock);
    marks.push({ label: 'last call', atMs: clock });
    progress.phase(`last call · ${name}`, returning.length);
    lastCall = await rush(
      { platform, browser },
      {
        offerId,
        buyerIds: returning,
        backorderConsent: false,
        concurrency: context.concurrency,
        attribution: context.attribution,
        verifier: context.verifier,
        latency: context.latency,
        progress,
      },
    );
    const lastHeld = heldOf(lastCall);
    progress.done(`${lastHeld.length} held, ${lastCall.length - lastHeld.length} sold out`);
    await checkout(lastHeld, 'last-call-checkout', LAST_CALL_MIX, clock, 180, `last-call checkout · ${name}`);
    clock = Math.max(clock, lastAction) + 30 * SECOND;
  }

  await control.moveClockTo(clock);
  await platform.offers.end(offerId);
  marks.push({ label: 'ended', atMs: clock });
  return {
    offerId,
    publishedAtMs: startMs,
    endedAtMs: clock,
    viewersReached: received,
    rush: outcomes,
    rushSeconds,
    lastCall,
    promotedPerRound,
    checkouts,
    marks,
  };
}
