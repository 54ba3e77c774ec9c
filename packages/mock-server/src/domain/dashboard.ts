import type {
  CommerceAttribution,
  CreatorDashboard,
  CurrencyCode,
  LiveDropEvent,
  Money,
  Transfer,
} from '@livedrop/core';
import { ok, type Handlers } from '../http/handler';
import { ApiProblem, notFound } from '../problem';

/**
 * Running money totals in minor units, by currency. Kept as `bigint` because a sum of safe amounts
 * need not be safe: a `number` total past `Number.MAX_SAFE_INTEGER` would round silently, and every
 * later subtraction (a payout, a reversal) would carry the error. See {@link moneyList} for how a
 * total too large for `Money` is reported.
 */
type MoneyTotals = Map<CurrencyCode, bigint>;

/** The largest amount a `Money` can carry, as the totals count. */
const MAX_MONEY = BigInt(Number.MAX_SAFE_INTEGER);

/** One creator's running numbers, for one session or for all of them. */
interface Tally {
  tokensIssued: number;
  reservations: number;
  captures: number;
  readonly gmv: MoneyTotals;
  /** Creator transfers not yet paid, net of reversals. */
  readonly pending: MoneyTotals;
  /** Creator transfers paid, net of reversals. */
  readonly paid: MoneyTotals;
  /** Capture → settlement of each settled order, ascending, so the median is a lookup. */
  readonly settlementTimes: number[];
}

/** Where an order's numbers go, kept for as long as its transfers can still move. */
interface OrderKey {
  readonly creatorId: string;
  readonly sessionId: string;
}

/** An order whose transfers have not all been paid yet. */
interface Unsettled {
  readonly capturedAtMs: number;
  /** Ids of its transfers still pending. */
  readonly pending: Set<string>;
}

/** The key for all of a creator's sessions. */
const ALL_SESSIONS = '*';

function emptyTally(): Tally {
  return {
    tokensIssued: 0,
    reservations: 0,
    captures: 0,
    gmv: new Map(),
    pending: new Map(),
    paid: new Map(),
    settlementTimes: [],
  };
}

/** Adds (or with `sign` -1 takes away) an amount, exactly however large the total grows. */
function add(totals: MoneyTotals, money: Money, sign: 1 | -1 = 1): void {
  const amount = BigInt(money.amount);
  totals.set(money.currency, (totals.get(money.currency) ?? 0n) + (sign === 1 ? amount : -amount));
}

/**
 * Non-zero totals as Money, by currency code, so the answer does not depend on arrival order. A
 * total above `Number.MAX_SAFE_INTEGER` cannot be a JSON number exactly: it is named in `overflow`
 * (as `<what> <currency> <exact decimal>`) and left out, and the view is refused (see
 * {@link refuseOverflow}) rather than answered rounded or saturated. The tally itself stays exact,
 * so once refunds bring it back in range it is reported exactly again.
 */
function moneyList(totals: ReadonlyMap<CurrencyCode, bigint>, what: string, overflow: string[]): Money[] {
  const list: Money[] = [];
  const sorted = [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [currency, amount] of sorted) {
    if (amount === 0n) continue;
    if (amount > MAX_MONEY) overflow.push(`${what} ${currency} ${amount}`);
    else list.push({ amount: Number(amount), currency });
  }
  return list;
}

/**
 * Refuses a dashboard whose totals do not fit a JSON number exactly (2^53 − 1 minor units), with
 * the exact figures. Prices are bounded (`MAX_PRICE_AMOUNT`), so this takes hundreds of the largest
 * orders of one creator in one currency.
 */
function refuseOverflow(overflow: readonly string[]): never {
  throw new ApiProblem(
    'invalid_state',
    `This dashboard's totals pass 2^53 − 1 minor units, the most a JSON number carries exactly: ${overflow.join(', ')}. They are not answered rounded; read one session at a time (\`?sessionId=\`) or total the orders yourself with exact integers.`,
  );
}

function insertSorted(sorted: number[], value: number): void {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! <= value) low = mid + 1;
    else high = mid;
  }
  sorted.splice(low, 0, value);
}

/** The median of an ascending list; the mean of the middle two (rounded) for an even count. */
function median(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

/**
 * The creator dashboards of one tenant, kept up to date event by event: every event updates the
 * tally of its (creator, session) and of (creator, all sessions), so answering is O(currencies) and
 * never rescans the log. Built only from events, as an analytics consumer of the export would; the
 * `DashboardProjection` feeds it each event of the tenant's log exactly once, in `seq` order.
 */
export class CreatorDashboards {
  readonly #tallies = new Map<string, Tally>();
  readonly #orders = new Map<string, OrderKey>();
  readonly #unsettled = new Map<string, Unsettled>();

  /** Folds one event into the tallies. */
  apply(event: LiveDropEvent): void {
    switch (event.type) {
      case 'livedrop.token.issued':
        for (const tally of this.#talliesOf(event.data.attribution)) tally.tokensIssued++;
        break;
      case 'livedrop.reservation.held':
      case 'livedrop.reservation.backordered':
        // A promotion is the same reservation moving on, not a new one.
        for (const tally of this.#talliesOf(event.data.attribution)) tally.reservations++;
        break;
      case 'livedrop.order.created': {
        const { order, attribution } = event.data;
        const creatorTransfers = order.transfers.filter((transfer) => transfer.party === 'creator');
        for (const tally of this.#talliesOf(attribution)) {
          tally.captures++;
          add(tally.gmv, order.gross);
          for (const transfer of creatorTransfers) add(tally.pending, transfer.amount);
        }
        this.#orders.set(order.id, { creatorId: attribution.creatorId, sessionId: attribution.sessionId });
        // An order that pays nobody (a zero gross) has nothing to settle.
        if (order.transfers.length > 0)
          this.#unsettled.set(order.id, {
            capturedAtMs: Date.parse(order.capturedAt),
            pending: new Set(order.transfers.map((transfer) => transfer.id)),
          });
        break;
      }
      case 'livedrop.transfer.paid':
        this.#onPaid(event.data.transfer);
        break;
      case 'livedrop.transfer.reversed':
        this.#onReversed(event.data.transfer, event.data.reversal.amount);
        break;
      default:
        break;
    }
  }

  /**
   * The dashboard of `creatorId`, for one session or (null) all of them.
   * @throws ApiProblem 409 `invalid_state` when a total passes `Number.MAX_SAFE_INTEGER`
   */
  view(creatorId: string, sessionId: string | null): CreatorDashboard {
    const tally = this.#tallies.get(`${creatorId} ${sessionId ?? ALL_SESSIONS}`) ?? emptyTally();
    const overflow: string[] = [];
    const gmv = moneyList(tally.gmv, 'gmv', overflow);
    const pending = moneyList(tally.pending, 'earnings.pending', overflow);
    const paid = moneyList(tally.paid, 'earnings.paid', overflow);
    if (overflow.length > 0) refuseOverflow(overflow);
    return {
      object: 'creator_dashboard',
      creatorId,
      sessionId,
      tokensIssued: tally.tokensIssued,
      reservations: tally.reservations,
      captures: tally.captures,
      conversion: tally.tokensIssued === 0 ? 0 : Math.min(1, tally.captures / tally.tokensIssued),
      gmv,
      earnings: { pending, paid },
      medianTimeToSettlementMs: median(tally.settlementTimes),
    };
  }

  #onPaid(transfer: Transfer): void {
    const key = this.#orders.get(transfer.orderId);
    if (!key) return;
    if (transfer.party === 'creator') {
      // What a partially reversed transfer pays out is what is left of it.
      const net: Money = {
        amount: transfer.amount.amount - transfer.amountReversed.amount,
        currency: transfer.amount.currency,
      };
      for (const tally of this.#talliesOf(key)) {
        add(tally.pending, net, -1);
        add(tally.paid, net);
      }
    }
    const unsettled = this.#unsettled.get(transfer.orderId);
    if (!unsettled) return;
    unsettled.pending.delete(transfer.id);
    if (unsettled.pending.size > 0 || transfer.paidAt === null) return;
    // The order's last payout: the same ISO timestamps the order's own timeToSettlementMs uses.
    const elapsed = Date.parse(transfer.paidAt) - unsettled.capturedAtMs;
    for (const tally of this.#talliesOf(key)) insertSorted(tally.settlementTimes, elapsed);
    this.#unsettled.delete(transfer.orderId);
  }

  #onReversed(transfer: Transfer, amount: Money): void {
    const key = this.#orders.get(transfer.orderId);
    if (!key) return;
    const wasPaid = transfer.paidAt !== null;
    if (transfer.party === 'creator') {
      for (const tally of this.#talliesOf(key)) add(wasPaid ? tally.paid : tally.pending, amount, -1);
    }
    // A pending transfer reversed in full will never be paid; an order left with nothing to pay never settles.
    const unsettled = this.#unsettled.get(transfer.orderId);
    if (unsettled && !wasPaid && transfer.status === 'reversed') {
      unsettled.pending.delete(transfer.id);
      if (unsettled.pending.size === 0) this.#unsettled.delete(transfer.orderId);
    }
  }

  #talliesOf(key: Pick<CommerceAttribution, 'creatorId' | 'sessionId'>): [Tally, Tally] {
    return [this.#tally(`${key.creatorId} ${key.sessionId}`), this.#tally(`${key.creatorId} ${ALL_SESSIONS}`)];
  }

  #tally(key: string): Tally {
    let tally = this.#tallies.get(key);
    if (!tally) {
      tally = emptyTally();
      this.#tallies.set(key, tally);
    }
    return tally;
  }
}

/**
 * `GET /v1/creators/{id}/dashboard`: a creator's tokens issued, reservations, captures, conversion,
 * GMV and earnings (pending vs paid, net of reversals, per currency) and median time-to-settlement,
 * for all sessions or one (`?sessionId=`). A creator key reads only its own dashboard. Totals are
 * exact; one past `Number.MAX_SAFE_INTEGER` is refused (409 `invalid_state`) with its exact figure.
 */
export const dashboardHandlers = {
  async getCreatorDashboard({ engine, principal, params, query }) {
    const creator = engine.store.find(engine.store.creators, params.id, principal.tenantId);
    if (!creator || (principal.role === 'creator' && principal.creatorId !== params.id))
      throw notFound('creator', params.id);
    const sessionId = query.sessionId ?? null;
    if (sessionId !== null) {
      const session = engine.store.find(engine.store.sessions, sessionId, principal.tenantId);
      if (!session || session.value.creatorId !== params.id) throw notFound('session', sessionId);
    }
    return ok(await engine.dashboards.view(principal.tenantId, params.id, sessionId));
  },
} satisfies Handlers;
