import { PaymentRequiredError, type LiveDropClient, type Order, type Reservation } from '@livedrop/node';
import type { ServerControl } from './control';
import type { LatencyRecorder } from './metrics';
import { forEachConcurrently } from './pool';
import type { Progress } from './progress';
import type { Random } from './random';

/**
 * What a buyer holding a unit does next: pays; has a card declined and pays with another; has a
 * card declined and gives up; walks away (the hold expires); or removes it from the cart.
 */
export type CheckoutChoice = 'pay' | 'decline_then_pay' | 'decline_and_leave' | 'abandon' | 'release';

/** A buyer's hold and what the script has them do with it. */
export interface CheckoutPlan {
  readonly buyerId: string;
  readonly reservation: Reservation;
  readonly choice: CheckoutChoice;
  /** Seconds after `heldAtMs` at which the buyer acts (pays, or declines first). */
  readonly actAfterSeconds: number;
}

/** How a checkout ended. */
export interface CheckoutResult {
  readonly plan: CheckoutPlan;
  /** The order, when the buyer paid. */
  readonly order: Order | null;
  /** Card declines the buyer saw (402 `payment_declined`). */
  readonly declines: number;
}

/** The share of buyers making each choice. */
export type ChoiceMix = readonly (readonly [CheckoutChoice, number])[];

/** Buyers who got a unit in the rush: most pay, some cards are declined, some walk away. */
export const RUSH_MIX: ChoiceMix = [
  ['pay', 0.72],
  ['decline_then_pay', 0.07],
  ['decline_and_leave', 0.07],
  ['abandon', 0.14],
];

/** Buyers who come back at the last call are keen: they pay, or change their mind and release. */
export const LAST_CALL_MIX: ChoiceMix = [
  ['pay', 0.85],
  ['release', 0.15],
];

/**
 * Decides what each holder does. Which buyers win a rush depends on how requests interleave, so
 * decisions go by rank in buyer-id order, not by buyer or by arrival: the k-th holder gets the
 * k-th draw of the seeded stream, and the counts come out the same on every run with the seed.
 * Acting times fall inside the hold's TTL (`windowSeconds`), leaving a margin before it lapses.
 */
export function planCheckouts(
  holds: readonly { buyerId: string; reservation: Reservation }[],
  random: Random,
  mix: ChoiceMix,
  windowSeconds: number,
): CheckoutPlan[] {
  const ranked = [...holds].sort((a, b) => (a.buyerId < b.buyerId ? -1 : a.buyerId > b.buyerId ? 1 : 0));
  const latest = Math.max(20, windowSeconds - 60);
  return ranked.map(({ buyerId, reservation }) => {
    const choice = random.weighted(mix);
    // Most pay within the first two minutes; a long tail takes longer.
    const actAfterSeconds = Math.min(latest, 10 + Math.round(random.next() ** 2 * (latest - 10)));
    return { buyerId, reservation, choice, actAfterSeconds };
  });
}

/** Options of {@link runCheckouts}. */
export interface RunCheckoutsOptions {
  /** Show time (server clock, epoch ms) the holds were granted; actions happen at `heldAtMs + actAfterSeconds`. */
  readonly heldAtMs: number;
  /** Seconds of show time between clock moves: buyers acting in the same slice act together. */
  readonly sliceSeconds: number;
  readonly concurrency: number;
  readonly latency: LatencyRecorder;
  readonly progress: Progress;
  /** What the progress bar calls this phase. */
  readonly phaseName: string;
}

const RETRY_AFTER_DECLINE_SECONDS = 25;

/**
 * Plays the checkouts on the show clock: the server's clock moves slice by slice, and in each slice
 * the buyers due act through the browser client (confirm with a test card, or release). A declined
 * card is the SDK's typed `PaymentRequiredError` (`payment_declined`); the hold stays, so a buyer
 * with another card pays with it moments later.
 */
export async function runCheckouts(
  browser: LiveDropClient,
  control: ServerControl,
  plans: readonly CheckoutPlan[],
  options: RunCheckoutsOptions,
): Promise<{ results: CheckoutResult[]; lastActionMs: number }> {
  const results = new Map<CheckoutPlan, { order: Order | null; declines: number }>();
  type Step = { plan: CheckoutPlan; atSeconds: number; action: 'pay' | 'decline' | 'release' };
  const steps: Step[] = [];
  for (const plan of plans) {
    results.set(plan, { order: null, declines: 0 });
    const at = plan.actAfterSeconds;
    if (plan.choice === 'pay') steps.push({ plan, atSeconds: at, action: 'pay' });
    if (plan.choice === 'release') steps.push({ plan, atSeconds: at, action: 'release' });
    if (plan.choice === 'decline_and_leave') steps.push({ plan, atSeconds: at, action: 'decline' });
    if (plan.choice === 'decline_then_pay') {
      steps.push({ plan, atSeconds: at, action: 'decline' });
      steps.push({ plan, atSeconds: at + RETRY_AFTER_DECLINE_SECONDS, action: 'pay' });
    }
  }
  const slices = new Map<number, Step[]>();
  for (const step of steps) {
    const slice = Math.ceil(step.atSeconds / options.sliceSeconds) * options.sliceSeconds;
    slices.set(slice, [...(slices.get(slice) ?? []), step]);
  }
  options.progress.phase(options.phaseName, steps.length);
  let lastActionMs = options.heldAtMs;
  for (const slice of [...slices.keys()].sort((a, b) => a - b)) {
    lastActionMs = options.heldAtMs + slice * 1000;
    await control.moveClockTo(lastActionMs);
    await forEachConcurrently(slices.get(slice)!, options.concurrency, async ({ plan, action }) => {
      const { id, clientSecret } = plan.reservation;
      const result = results.get(plan)!;
      if (action === 'release') {
        await browser.reservations.release(id, { clientSecret });
      } else {
        try {
          result.order = await options.latency.time(() =>
            browser.reservations.confirm(id, {
              clientSecret: clientSecret!,
              paymentMethod: action === 'pay' ? 'pm_test_ok' : 'pm_test_declined',
            }),
          );
        } catch (error) {
          if (!(error instanceof PaymentRequiredError) || error.code !== 'payment_declined' || action !== 'decline')
            throw error;
          result.declines++;
        }
      }
      options.progress.tick();
    });
  }
  return { results: plans.map((plan) => ({ plan, ...results.get(plan)! })), lastActionMs };
}
