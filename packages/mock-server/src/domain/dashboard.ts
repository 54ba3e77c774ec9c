import type { CommerceAttribution, CreatorDashboard, CurrencyCode, LiveDropEvent, Money, Transfer } from '@livedrop/core';
import type { Engine } from '../engine';
import type { EventLog } from '../event-log';
import { ok, type Handlers } from '../http/handler';
import { notFound } from '../problem';

/** One creator's running numbers, for one session or for all of them. */
interface Tally {
  tokensIssued: number;
  reservations: number;
  captures: number;
  readonly gmv: Map<CurrencyCode, number>;
  /** Creator transfers not yet paid, net of reversals. */
  readonly pending: Map<CurrencyCode, number>;
  /** Creator transfers paid, net of reversals. */
  readonly paid: Map<CurrencyCode, number>;
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
  return { tokensIssued: 0, reservations: 0, captures: 0, gmv: new Map(), pending: new Map(), paid: new Map(), settlementTimes: [] };
}

function add(totals: Map<CurrencyCode, number>, money: Money, sign: 1 | -1 = 1): void {
  totals.set(money.currency, (totals.get(money.currency) ?? 0) + sign * money.amount);
}

/** Non-zero totals as Money, by currency code, so the answer does not depend on arrival order. */
function moneyList(totals: ReadonlyMap<CurrencyCode, number>): Money[] {
  return [...totals]
    .filter(([, amount]) => amount !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, amount]) => ({ amount, currency }));
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
 * never rescans the log. Built only from events, as an analytics consumer of the export would.
 */
class CreatorDashboards {
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
        if (order.transfers.length > 0) this.#unsettled.set(order.id, { capturedAtMs: Date.parse(order.capturedAt), pending: new Set(order.transfers.map((transfer) => transfer.id)) });
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

  /** The dashboard of `creatorId`, for one session or (null) all of them. */
  view(creatorId: string, sessionId: string | null): CreatorDashboard {
    const tally = this.#tallies.get(`${creatorId} ${sessionId ?? ALL_SESSIONS}`) ?? emptyTally();
    return {
      object: 'creator_dashboard',
      creatorId,
      sessionId,
      tokensIssued: tally.tokensIssued,
      reservations: tally.reservations,
      captures: tally.captures,
      conversion: tally.tokensIssued === 0 ? 0 : Math.min(1, tally.captures / tally.tokensIssued),
      gmv: moneyList(tally.gmv),
      earnings: { pending: moneyList(tally.pending), paid: moneyList(tally.paid) },
      medianTimeToSettlementMs: median(tally.settlementTimes),
    };
  }

  #onPaid(transfer: Transfer): void {
    const key = this.#orders.get(transfer.orderId);
    if (!key) return;
    if (transfer.party === 'creator') {
      // What a partially reversed transfer pays out is what is left of it.
      const net: Money = { amount: transfer.amount.amount - transfer.amountReversed.amount, currency: transfer.amount.currency };
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

/** Events read per page while catching up with a log. */
const CATCH_UP_PAGE = 1000;

/**
 * Dashboards keyed by the tenant's event log: a reset replaces every log, so the tallies of the old
 * state cannot outlive it (and are collected with it).
 */
const dashboardsByLog = new WeakMap<EventLog, CreatorDashboards>();

/**
 * The tenant's dashboards, following its log. The first call catches up with the events already
 * written and then subscribes; both happen in one synchronous turn, so no event is missed or counted
 * twice. After that, each event costs O(1) and a read never rescans the log.
 */
function dashboardsOf(engine: Engine, tenantId: string): CreatorDashboards {
  const log = engine.log(tenantId);
  const existing = dashboardsByLog.get(log);
  if (existing) return existing;
  const dashboards = new CreatorDashboards();
  for (let after = 0; ; ) {
    const page = log.page(after, CATCH_UP_PAGE);
    for (const event of page.data) dashboards.apply(event);
    if (!page.hasMore) break;
    after = page.nextAfter;
  }
  log.subscribe((event) => dashboards.apply(event));
  dashboardsByLog.set(log, dashboards);
  return dashboards;
}

/**
 * `GET /v1/creators/{id}/dashboard`: a creator's tokens issued, reservations, captures, conversion,
 * GMV and earnings (pending vs paid, net of reversals, per currency) and median time-to-settlement,
 * for all sessions or one (`?sessionId=`). A creator key reads only its own dashboard.
 */
export const dashboardHandlers = {
  getCreatorDashboard({ engine, principal, params, query }) {
    const creator = engine.store.find(engine.store.creators, params.id, principal.tenantId);
    if (!creator || (principal.role === 'creator' && principal.creatorId !== params.id)) throw notFound('creator', params.id);
    const sessionId = query.sessionId ?? null;
    if (sessionId !== null) {
      const session = engine.store.find(engine.store.sessions, sessionId, principal.tenantId);
      if (!session || session.value.creatorId !== params.id) throw notFound('session', sessionId);
    }
    return ok(dashboardsOf(engine, principal.tenantId).view(params.id, sessionId));
  },
} satisfies Handlers;
