import { writeFile } from 'node:fs/promises';
import { createClient, createOfferTokenVerifier, type Order } from '@livedrop/node';
import { redisStore, startReferenceServer, type StartedReferenceServer } from '@livedrop/mock-server/node';
import { DEFAULT_OPTIONS, type DemoOptions } from './args';
import { readBack } from './collect';
import { createServerControl } from './control';
import { planDrop } from './drop-plan';
import { subscribeToEvents } from './event-feed';
import { joinAudience } from './live-audience';
import { LatencyRecorder } from './metrics';
import { playOffer, type OfferWindow, type WindowContext } from './offer-window';
import { silentProgress, type Progress } from './progress';
import { streamOf } from './random';
import { renderReport } from './report/html';
import { createCast, openEncore, scheduleSession, stageOffers, type Encore } from './scenario';
import { buildSummary } from './build-summary';
import type { Summary } from './summary';
import { SUBSCRIBED_EVENT_TYPES, startWebhookReceiver } from './webhook-receiver';

/** What a run leaves behind. */
export interface DemoResult {
  readonly summary: Summary;
  /** The report's path, or null when none was written. */
  readonly reportPath: string | null;
  /** The reference server, still running when `serve` was asked for (close it when done); else null. */
  readonly server: StartedReferenceServer | null;
  /** The live encore session and offer left open on a served server; else null. */
  readonly encore: Encore | null;
}

/** Extra wiring of {@link runDemo}. */
export interface RunDemoHooks {
  /** Where progress goes. @default silent */
  readonly progress?: Progress;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The campaign every token of the drop is attributed to. */
const ATTRIBUTION = { campaign: 'friday-night-drop', source: 'creator-live', medium: 'livestream' };
/** How far apart payout runs are on the server's clock. */
const PAYOUT_RUN_INTERVAL_MS = 30 * MINUTE;

/**
 * Runs a live drop end to end against an in-process reference server, through the public SDK only
 * (plus the control API's clock, the reference server's QA surface): the cast, a session with its
 * offers, viewers on the live stream, offers published in turn with a stampede of buyers each,
 * checkouts, lapsed holds, the backorder queue and a last call, the session's end, a partial
 * refund, settlement, and a webhook receiver and a realtime subscriber counting along. Then it
 * reads the outcome back through the API and computes the summary (and writes the report).
 */
export async function runDemo(overrides: Partial<DemoOptions> = {}, hooks: RunDemoHooks = {}): Promise<DemoResult> {
  const options: DemoOptions = { ...DEFAULT_OPTIONS, ...overrides };
  const progress = hooks.progress ?? silentProgress;
  const startedAt = new Date();
  const began = performance.now();
  const plan = planDrop(options.seed, options.buyers, options.offers);

  progress.phase('starting the reference server', null);
  // The demo's webhook receiver is on this machine: loopback delivery needs the explicit allowance.
  const ld = await startReferenceServer({
    port: 0,
    webhooks: { allowPrivateNetworks: true },
    // On Redis, each run is a platform of its own (a fresh key prefix), so runs never mix.
    ...(options.redis ? { storage: redisStore(options.redis, { prefix: `demo-${Date.now()}` }) } : {}),
  });
  const { keys } = ld.server;
  const platform = createClient({ apiKey: keys.secretKey, baseUrl: ld.url });
  const browser = createClient({ apiKey: keys.publishableKey, baseUrl: ld.url });
  const moderator = createClient({ apiKey: keys.moderatorKey, baseUrl: ld.url });
  const control = createServerControl(ld.url, ld.server.controlKey);
  const cleanups: (() => unknown)[] = [];
  let keepServer = false;
  try {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const seqBeforeEndpoint = (await control.state()).events;
    const endpoint = await platform.webhookEndpoints.create({
      url: receiver.url,
      eventTypes: [...SUBSCRIBED_EVENT_TYPES],
    });
    receiver.useSecret(endpoint.secret!);
    const feed = await subscribeToEvents(platform);
    cleanups.push(() => feed.close());
    progress.done(ld.url);

    progress.phase('cast, session and offers', null);
    const cast = await createCast(platform, plan);
    const scheduled = await scheduleSession(platform, plan, cast.creator.id, Date.now());
    const staged = await stageOffers(platform, moderator, plan, cast, scheduled.id, Date.now());
    const refused = staged.filter((offer) => offer.refusal).map((offer) => offer.refusal!.code);
    progress.done(
      `${staged.length - refused.length} offers, ${staged.filter((offer) => offer.review).length} approved after review, refused: ${refused.join(', ') || 'none'}`,
    );

    const audience = await joinAudience(browser, scheduled.id, options.viewers, progress);
    cleanups.push(() => audience.close());

    const session = await platform.sessions.start(scheduled.id);
    const showStartMs = Date.parse(session.startedAt!);
    const latency = {
      tokenIssue: new LatencyRecorder(),
      tokenVerify: new LatencyRecorder(),
      reserve: new LatencyRecorder(),
      confirm: new LatencyRecorder(),
    };
    // The storefront's edge checks tokens offline: the public keys once, then no network per token.
    // Its clock is the server's (which the demo moves), as an edge's would be in a real deployment.
    const verifier = createOfferTokenVerifier({ jwks: await browser.signingKeys.jwks(), now: () => control.now() });
    const context: WindowContext = {
      platform,
      browser,
      control,
      audience,
      seed: options.seed,
      concurrency: options.concurrency,
      ttlSeconds: plan.reservationTtlSeconds,
      attribution: ATTRIBUTION,
      verifier,
      latency,
      progress,
    };
    const windows = new Map<string, OfferWindow>();
    let clock = showStartMs + 2 * MINUTE;
    for (const offer of staged.filter((candidate) => candidate.created)) {
      const window = await playOffer(context, offer, clock);
      windows.set(window.offerId, window);
      clock = window.endedAtMs + 90_000;
    }
    await control.moveClockTo(clock);
    await platform.sessions.end(session.id);

    // A buyer asks for part of their money back ten minutes after the show: one of the first
    // offer's buyers, picked by rank in buyer order (any offer's when the first sold nothing).
    progress.phase('partial refund', null);
    const orders: Order[] = [...windows.values()].flatMap((window) =>
      window.checkouts.flatMap((checkout) => (checkout.order ? [checkout.order] : [])),
    );
    if (orders.length === 0)
      throw new Error(`Nobody bought anything with --buyers ${options.buyers}; run with more buyers.`);
    const firstOfferId = staged.find((offer) => offer.created)!.created!.id;
    const candidates = (
      orders.some((order) => order.offerId === firstOfferId)
        ? orders.filter((order) => order.offerId === firstOfferId)
        : orders
    ).sort((a, b) => (a.buyerId < b.buyerId ? -1 : 1));
    const refunded = candidates[streamOf(options.seed, 'refund').int(0, candidates.length - 1)]!;
    await control.moveClockTo(clock + 10 * MINUTE);
    const refund = await platform.orders.refund(refunded.id, {
      amount: { amount: Math.floor(refunded.gross.amount / 4), currency: refunded.gross.currency },
      reason: 'requested_by_customer',
    });
    progress.done(`${refund.id}: ${refund.reversals.length} transfers reversed`);

    // Transfers become payable two days after capture; payouts run every half hour from then on.
    const lastPayable = Math.max(
      ...orders.flatMap((order) => order.transfers.map((transfer) => Date.parse(transfer.availableAt))),
    );
    const firstPayable = Math.min(
      ...orders.flatMap((order) => order.transfers.map((transfer) => Date.parse(transfer.availableAt))),
    );
    const runs: number[] = [];
    for (
      let at = showStartMs + 48 * HOUR;
      runs.length === 0 || runs[runs.length - 1]! < lastPayable;
      at += PAYOUT_RUN_INTERVAL_MS
    )
      if (at >= firstPayable) runs.push(at);
    progress.phase('settlement: payout runs', runs.length);
    for (const at of runs) {
      await control.moveClockTo(at);
      progress.tick();
    }
    progress.done();

    // Everything that happened is in the log now: the realtime subscriber must have all of it,
    // and the webhook receiver every event it subscribed to.
    const headSeq = (await control.state()).events;
    progress.phase('realtime subscriber catching up', headSeq);
    await feed.reach(headSeq, 30_000, (seq) => progress.set(seq));
    progress.done();
    const readback = await readBack(platform, cast.creator.id, session.id, options.concurrency, progress);
    const subscribed = new Set<string>(SUBSCRIBED_EVENT_TYPES);
    const expected = readback.events
      .filter((event) => event.seq > seqBeforeEndpoint && subscribed.has(event.type))
      .map((event) => event.id);
    const delivered = receiver.deliveredIds();
    progress.phase('webhooks delivered and verified', expected.length);
    const deadline = performance.now() + 30_000 + expected.length * 5;
    while (expected.some((id) => !delivered.has(id)) && performance.now() < deadline) {
      progress.set(receiver.tally().verified);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const webhookTally = receiver.tally();
    const missing = expected.filter((id) => !delivered.has(id)).length;
    const expectedIds = new Set(expected);
    const unexpected = [...delivered].filter((id) => !expectedIds.has(id)).length;
    progress.set(webhookTally.verified);
    progress.done(missing === 0 ? 'all verified' : `${missing} missing`);

    const ended = await platform.sessions.hydrate(session.id);
    const record = {
      options,
      startedAt,
      durationMs: performance.now() - began,
      serverUrl: ld.url,
      cast,
      session: ended.session,
      staged,
      windows,
      refund: {
        orderId: refunded.id,
        reason: 'It arrived scuffed; the buyer kept it for part of the money back',
        refund,
      },
      payoutRuns: runs.length,
      payoutEveryMinutes: PAYOUT_RUN_INTERVAL_MS / MINUTE,
      latency: {
        tokenIssue: latency.tokenIssue.distribution(),
        tokenVerify: latency.tokenVerify.distribution(),
        reserve: latency.reserve.distribution(),
        confirm: latency.confirm.distribution(),
        publishToReceived: audience.publishToReceived.distribution(),
      },
      webhooks: {
        ...webhookTally,
        expected: expected.length,
        missing,
        unexpected,
        eventTypes: [...SUBSCRIBED_EVENT_TYPES],
      },
      feed: feed.tally(),
      audience: { viewers: options.viewers, stockMessages: audience.stockMessages() },
    };
    const summary = buildSummary(record, readback);

    let reportPath: string | null = null;
    if (options.out !== null) {
      progress.phase('writing the report', null);
      await writeFile(options.out, renderReport(summary), 'utf8');
      reportPath = options.out;
      progress.done(reportPath);
    }
    let encore: Encore | null = null;
    if (options.serve) {
      // The drop's own listeners leave; the server stays, with a live encore, for whoever joins next.
      await platform.webhookEndpoints.delete(endpoint.id);
      encore = await openEncore(platform, plan, cast);
      keepServer = true;
    }
    return { summary, reportPath, server: keepServer ? ld : null, encore };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    if (!keepServer) await ld.close();
    progress.close();
  }
}
