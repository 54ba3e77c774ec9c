/**
 * The script-tag widget in a real Chromium (Debian's, driven by playwright-core), on the demo page
 * served with its strict CSP header, against the reference server: what a shopper sees and does.
 * Screenshots of the main states go to test/screenshots/, and axe-core audits each of those states.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type LiveDropClient, type Offer, type OfferCreate } from '@livedrop/core';
import { createManualClock } from '@livedrop/mock-server';
import { startReferenceServer, type StartedReferenceServer } from '@livedrop/mock-server/node';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from './support/axe';
import { bundleScript, bundleWidget } from './support/bundle';
import { startPageServer, type PageServer } from './support/page-server';

const CHROMIUM = '/usr/bin/chromium';
const START = Date.parse('2026-11-25T18:00:00.000Z');
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));
const UPDATE_SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1';

/**
 * Runs before any page script (CDP init scripts are not subject to the page's CSP): records CSP
 * violations, every `livedrop:*` event and when it arrived, and the page's globals before the widget.
 */
const RECORDER = () => {
  const w = window as unknown as Record<string, unknown>;
  const record = {
    violations: [] as string[],
    events: [] as { type: string; detail: unknown; at: number }[],
    globalsBefore: [] as string[],
  };
  Object.defineProperty(window, '__record', { value: record, enumerable: false });
  document.addEventListener('securitypolicyviolation', (e) =>
    record.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`),
  );
  for (const type of ['ready', 'offer-rendered', 'reserved', 'backordered', 'released', 'checkout', 'error']) {
    document.addEventListener(`livedrop:${type}`, (e) =>
      record.events.push({
        type,
        detail: JSON.parse(JSON.stringify((e as CustomEvent).detail)),
        at: performance.timeOrigin + performance.now(),
      }),
    );
  }
  record.globalsBefore = Object.keys(w);
};

interface Recorded {
  violations: string[];
  events: { type: string; detail: Record<string, unknown>; at: number }[];
  globalsBefore: string[];
}

describe('<livedrop-checkout> in Chromium under a strict CSP', () => {
  let ref: StartedReferenceServer;
  let ld: LiveDropClient;
  let site: PageServer;
  /** A page whose script hands the test `mountCheckout` (the ESM entry's API) instead of defining the element. */
  let mountSite: PageServer | undefined;
  let browser: Browser;
  let sellerId: string;

  const record = (page: Page) => page.evaluate(() => (window as unknown as { __record: Recorded }).__record);
  const card = (page: Page, offerId: string): Locator =>
    page.locator(`livedrop-checkout li[data-offer-id="${offerId}"]`);
  /** Saves a screenshot of the widget and audits the same state with axe-core: no violation allowed. */
  const shot = async (page: Page, name: string) => {
    // The committed pictures change only when asked for (`pnpm screenshots`); a test run leaves the tree clean.
    await page
      .locator('livedrop-checkout')
      .screenshot(UPDATE_SCREENSHOTS ? { path: join(SCREENSHOTS, `${name}.png`) } : {});
    expect(await audit(page), `axe-core on ${name}`).toEqual([]);
  };

  async function session(title = 'Winter drop'): Promise<string> {
    const created = await ld.sessions.create({
      creatorId: ref.server.keys.creatorId,
      title,
      scheduledStartAt: new Date(START + 3_600_000).toISOString(),
    });
    await ld.sessions.start(created.id);
    return created.id;
  }

  async function publish(
    sessionId: string,
    title: string,
    amount: number,
    extra: Partial<OfferCreate> = {},
  ): Promise<Offer> {
    const offer = await ld.offers.create(sessionId, {
      sellerId,
      sku: title.toUpperCase().replace(/\W+/g, '-'),
      title,
      price: { amount, currency: 'USD' },
      quantity: 10,
      ...extra,
    });
    return ld.offers.publish(offer.id);
  }

  async function open(sessionId: string, buyer = 'buyer_ada'): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 640, height: 720 }, reducedMotion: 'reduce' });
    await page.addInitScript(RECORDER);
    await page.goto(`${site.url}/s/${sessionId}?buyer=${buyer}`);
    await expect.poll(async () => (await record(page)).events.some((e) => e.type === 'ready')).toBe(true);
    return page;
  }

  /** Moves the reference server's clock through its control API, as a QA suite would. */
  async function advanceClock(advanceMs: number): Promise<void> {
    const advanced = await fetch(`${ref.url}/__control/clock`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ref.server.controlKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs }),
    });
    expect(advanced.status).toBe(200);
  }

  /** The id of the last hold the page's widget announced (`livedrop:reserved`) for `offerId`. */
  const reservedId = async (page: Page, offerId: string): Promise<string> => {
    const events = (await record(page)).events.filter(
      (e) => e.type === 'reserved' && (e.detail['offer'] as Offer).id === offerId,
    );
    const last = events.at(-1);
    if (!last) throw new Error(`The page announced no hold of ${offerId}`);
    return (last.detail['reservation'] as { id: string }).id;
  };

  /** What the shadow DOM's focused element is, by its `data-action`. */
  const focused = (page: Page) =>
    page.evaluate(
      () => (document.activeElement?.shadowRoot?.activeElement as HTMLElement | null)?.dataset['action'] ?? null,
    );

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`);
    ref = await startReferenceServer({ clock: createManualClock(START), port: 0 });
    ld = createClient({ apiKey: ref.server.keys.secretKey, baseUrl: ref.url });
    const seller = await ld.sellers.create({
      name: 'Northwind Outfitters',
      trust: { verified: true, completedOrders: 1_204, disputeRate: 0.004 },
    });
    sellerId = seller.id;
    await ld.creators.entitlements.create(ref.server.keys.creatorId, {
      sellerId,
      commissionBps: 1500,
      contentRights: ['live_stream'],
    });
    site = await startPageServer(ref.url, ref.server.keys, await bundleWidget());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await mountSite?.close();
    await ref?.close();
  });

  it('shows offers the moment they are published, with price, stock and trust signals; no CSP violation, no global but the element', async () => {
    const sessionId = await session();
    const first = await publish(sessionId, 'Storm Parka', 12_900, {
      compareAtPrice: { amount: 17_900, currency: 'USD' },
    });
    const page = await open(sessionId);
    const parka = card(page, first.id);
    await expect.poll(() => parka.locator('[part~=price]').textContent()).toBe('$129.00');
    expect(await parka.locator('[part~=compare-at]').textContent()).toBe('was $179.00');
    expect(await parka.locator('[part~=stock]').textContent()).toBe('10 left');
    expect(await parka.locator('[part~=seller]').textContent()).toBe(
      'Sold by Northwind OutfittersVerified seller1,204 orders · 0.4% disputed',
    );
    expect(await page.locator('livedrop-checkout [part~=session-title]').textContent()).toBe('Winter drop');
    expect(await page.locator('livedrop-checkout [part~=status]').textContent()).toBe('Live');

    await publish(sessionId, 'Trail Boots', 8_900);
    const beanie = await publish(sessionId, 'Wool Beanie', 2_900, { quantity: 3 });
    await expect.poll(() => card(page, beanie.id).locator('[part~=stock]').textContent()).toBe('3 left');
    await shot(page, '1-offers');

    // Publish → paint, measured from just before the publish call to the frame that shows the offer.
    const latencies: number[] = [];
    const published: string[] = [];
    for (let i = 0; i < 20; i++) {
      const before = Date.now();
      const offer = await publish(sessionId, `Drop item ${i + 1}`, 1_000 + i * 100);
      published.push(offer.id);
      await expect
        .poll(
          async () =>
            (await record(page)).events.find((e) => e.type === 'offer-rendered' && e.detail['offerId'] === offer.id)
              ?.at ?? null,
          { interval: 5 },
        )
        .not.toBeNull();
      const at = (await record(page)).events.find(
        (e) => e.type === 'offer-rendered' && e.detail['offerId'] === offer.id,
      )!.at;
      latencies.push(at - before);
      await expect(card(page, offer.id).locator('[part~=offer-title]').textContent()).resolves.toBe(
        `Drop item ${i + 1}`,
      );
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
    console.log(
      `publish → paint over ${sorted.length} offers: p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms`,
    );
    // Newest first: the last one published is on top.
    expect(await page.locator('livedrop-checkout li[data-offer-id]').first().getAttribute('data-offer-id')).toBe(
      published.at(-1),
    );

    // Stock moves live: a reservation elsewhere takes one unit.
    const { token } = await ld.offers.issueToken(first.id, { buyerId: 'buyer_other' });
    await ld.reservations.create({ offerToken: token, quantity: 1 });
    await expect.poll(() => parka.locator('[part~=stock]').textContent()).toBe('9 left');

    const recorded = await record(page);
    expect(recorded.violations).toEqual([]);
    const globalsAfter = await page.evaluate(() => Object.keys(window));
    // `axe` is the audit's own (test/support/axe.ts), evaluated into the page after the widget ran.
    expect(globalsAfter.filter((key) => !recorded.globalsBefore.includes(key) && key !== 'axe')).toEqual([]);
    expect(await page.evaluate(() => customElements.get('livedrop-checkout') !== undefined)).toBe(true);
    expect([...site.policies].every((p) => !p.includes('unsafe'))).toBe(true);
    await page.close();
  });

  it("shows the seller's real orders and dispute rate, and the creator's sessions and sell-through, as the server derives them", async () => {
    // A seller with no history: every figure the card shows comes from the ledger.
    const fresh = await ld.sellers.create({ name: 'Harbor Goods', trust: { verified: true } });
    await ld.creators.entitlements.create(ref.server.keys.creatorId, {
      sellerId: fresh.id,
      commissionBps: 1000,
      contentRights: ['live_stream'],
    });
    // The creator's earlier session sold 1 of its 4 units.
    const earlier = await session('Earlier drop');
    const sold = await publish(earlier, 'Harbor Mug', 1_500, { sellerId: fresh.id, quantity: 4 });
    const first = await ld.reservations.create({
      offerToken: (await ld.offers.issueToken(sold.id, { buyerId: 'buyer_trust_1' })).token,
      quantity: 1,
    });
    await ld.reservations.capture(first.id, { paymentReference: 'pi_trust_1' });
    await ld.sessions.end(earlier);

    const sessionId = await session('Harbor drop');
    const offer = await publish(sessionId, 'Harbor Tote', 2_500, { sellerId: fresh.id });
    const page = await open(sessionId);
    const tote = card(page, offer.id);
    await expect.poll(() => tote.locator('[part~=trust]').textContent()).toBe('1 order · 0% disputed');
    const creator = page.locator('livedrop-checkout [part~=creator-trust]');
    // The earlier session is the only one of this creator that has ended in this suite so far.
    expect(await creator.textContent()).toBe('1 session · 25% sold');
    await page.close();

    // A second order, then a dispute of one of the two: a fresh page shows both figures moved.
    const second = await ld.reservations.create({
      offerToken: (await ld.offers.issueToken(offer.id, { buyerId: 'buyer_trust_2' })).token,
      quantity: 1,
    });
    const order = await ld.reservations.capture(second.id, { paymentReference: 'pi_trust_2' });
    await ld.orders.refund(order.id, { amount: { amount: 500, currency: 'USD' }, reason: 'dispute' });
    const again = await open(sessionId);
    await expect
      .poll(() => card(again, offer.id).locator('[part~=trust]').textContent())
      .toBe('2 orders · 50% disputed');
    await again.close();
  });

  it('checks out with the keyboard alone: Reserve → hold countdown → Pay → order id', async () => {
    const sessionId = await session();
    const offer = await publish(sessionId, 'Limited Print', 4_900);
    const page = await open(sessionId, 'buyer_kb');
    const print = card(page, offer.id);
    await print.locator('[data-action=reserve]').waitFor();

    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('reserve');
    await page.keyboard.press('Enter');
    await expect.poll(() => print.locator('[part~=timer]').textContent()).toMatch(/^(10:00|9:5\d)$/);
    expect(await print.locator('[part~=timer]').getAttribute('aria-label')).toMatch(
      /^(10 minutes|9 minutes \d+ seconds) left$/,
    );
    // Focus followed the step: the shopper is on Pay, not lost on the page.
    expect(await focused(page)).toBe('pay');
    expect(await print.locator('[data-action=pay]').textContent()).toBe('Pay $49.00');
    expect((await ld.offers.retrieve(offer.id)).stock.reserved).toBe(1);
    await shot(page, '2-held');

    await page.keyboard.press('Enter');
    await expect.poll(() => print.locator('[part~=success]').textContent()).toMatch(/^Order placed: ord_\w+$/);
    const orderId = (await print.locator('[part~=order-id]').textContent())!;
    const order = await ld.orders.retrieve(orderId);
    expect(order).toMatchObject({ offerId: offer.id, buyerId: 'buyer_kb', gross: { amount: 4_900, currency: 'USD' } });
    const events = (await record(page)).events;
    expect(events.filter((e) => e.type === 'reserved').map((e) => (e.detail['offer'] as Offer).id)).toEqual([offer.id]);
    expect(events.find((e) => e.type === 'checkout')?.detail['orderId']).toBe(orderId);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    await shot(page, '3-success');
    await page.close();
  });

  it('offers the backorder queue on a sold-out offer only when allowed, and only with consent', async () => {
    const sessionId = await session();
    const queueable = await publish(sessionId, 'Signed Vinyl', 3_500, {
      quantity: 1,
      backorder: { allowed: true, limit: 50, sellerConsentAt: new Date(START).toISOString() },
    });
    const plain = await publish(sessionId, 'Poster', 1_500, { quantity: 1 });
    for (const id of [queueable.id, plain.id]) {
      const { token } = await ld.offers.issueToken(id, { buyerId: 'buyer_fast' });
      await ld.reservations.create({ offerToken: token, quantity: 1 });
    }
    const page = await open(sessionId, 'buyer_late');
    const vinyl = card(page, queueable.id);
    await expect.poll(() => vinyl.locator('[part~=stock]').textContent()).toBe('Sold out');
    await expect.poll(() => card(page, plain.id).locator('[part~=stock]').textContent()).toBe('Sold out');
    expect(await card(page, plain.id).locator('button').count()).toBe(0);

    const join = vinyl.locator('[data-action=backorder]');
    expect(await join.getAttribute('aria-disabled')).toBe('true');
    // Without consent, pressing it does nothing (it stays focusable, so a keyboard user hears why).
    await join.focus();
    await page.keyboard.press('Enter');
    expect(await vinyl.locator('[part~=queue]').count()).toBe(0);
    expect((await ld.offers.retrieve(queueable.id)).stock.backordered).toBe(0);
    await vinyl.locator('[data-action=consent]').check();
    expect(await join.getAttribute('aria-disabled')).toBe('false');
    await shot(page, '4-backorder-consent');
    await join.click();
    await expect
      .poll(() => vinyl.locator('[part~=queue]').textContent())
      .toBe('You are number 1 in the queue. If a unit frees up, it is held for you here.');
    expect((await ld.offers.retrieve(queueable.id)).stock.backordered).toBe(1);
    expect((await record(page)).events.find((e) => e.type === 'backordered')?.detail['queuePosition']).toBe(1);
    await shot(page, '5-backordered');
    await page.close();
  });

  it('says the hold expired when the server clock passes it before Pay', async () => {
    const sessionId = await session();
    const offer = await publish(sessionId, 'Flash Sneakers', 8_900, { reservationTtlSeconds: 60 });
    const page = await open(sessionId, 'buyer_slow');
    const sneakers = card(page, offer.id);
    await sneakers.locator('[data-action=reserve]').click();
    await expect.poll(() => sneakers.locator('[part~=timer]').textContent()).toMatch(/^(1:00|0:5\d)$/);

    await advanceClock(61_000);
    await sneakers.locator('[data-action=pay]').click();
    await expect
      .poll(() => sneakers.locator('[part~=message]').textContent())
      .toBe('Your hold expired and the item went back on sale. Reserve again to try once more.');
    expect(await sneakers.locator('[part~=message]').getAttribute('data-code')).toBe('reservation_expired');
    expect((await record(page)).events.find((e) => e.type === 'error')?.detail).toMatchObject({
      offerId: offer.id,
      failure: { code: 'reservation_expired', status: 409 },
    });
    await shot(page, '6-expired');

    // Try again starts over with a fresh hold.
    await sneakers.locator('[data-action=retry]').click();
    await sneakers.locator('[data-action=reserve]').click();
    await expect.poll(() => sneakers.locator('[part~=timer]').textContent()).toMatch(/^(1:00|0:5\d)$/);
    await page.close();
  });

  it("counts down to a flash offer's end on the server's clock, then shows it ended", async () => {
    const sessionId = await session();
    // The reference server runs a test clock, days away from the page's: the countdown follows the server's.
    const endsAt = new Date(ref.server.engine.clock.now() + 5 * 60_000).toISOString();
    const offer = await publish(sessionId, 'Flash Tote', 2_500, { endsAt });
    const page = await open(sessionId, 'buyer_flash');
    const tote = card(page, offer.id);
    await expect.poll(() => tote.locator('[part~=ends]').textContent()).toMatch(/^Ends in (5:00|4:5\d)$/);
    expect(await tote.locator('[part~=ends]').getAttribute('role')).toBe('timer');
    await shot(page, '8-flash-countdown');

    await advanceClock(5 * 60_000);
    await expect.poll(() => tote.locator('[part~=stock]').textContent()).toBe('Ended');
    expect(await tote.locator('[part~=ends]').textContent()).toBe('');
    expect(await tote.locator('button').count()).toBe(0);
    expect((await ld.offers.retrieve(offer.id)).status).toBe('ended');
    await page.close();
  });

  it('shows plain messages for a declined payment (hold kept) and a replayed token, never a stack trace', async () => {
    const sessionId = await session();
    const offer = await publish(sessionId, 'Cashmere Scarf', 6_500);
    const page = await open(sessionId, 'buyer_decline');
    const scarf = card(page, offer.id);
    await page.evaluate(() =>
      document.querySelector('livedrop-checkout')!.setAttribute('test-payment-method', 'pm_test_declined'),
    );
    await scarf.locator('[data-action=reserve]').click();
    await scarf.locator('[data-action=pay]').click();
    await expect
      .poll(() => scarf.locator('[part~=message]').textContent())
      .toBe(
        'Your payment was declined and nothing was charged. Your item is still held: try again or use another payment method.',
      );
    expect(await scarf.locator('[part~=timer]').count()).toBe(1);
    expect((await ld.offers.retrieve(offer.id)).stock.reserved).toBe(1);
    await shot(page, '7-declined');

    // The host hands the widget the same token (for its signed-in buyer) twice: the second reservation is a replay.
    const { token } = await ld.offers.issueToken(offer.id, { buyerId: 'buyer_decline' });
    await page.evaluate((t) => {
      document.querySelector('livedrop-checkout')!.onRequestToken = async () => t;
    }, token);
    // Setting a callback keeps the hold (no remount); give it back before the host's token is used.
    expect(await scarf.locator('[part~=timer]').count()).toBe(1);
    await scarf.locator('[data-action=release]').click();
    await scarf.locator('[data-action=reserve]').click();
    await scarf.locator('[data-action=release]').click();
    await scarf.locator('[data-action=reserve]').click();
    await expect
      .poll(() => scarf.locator('[part~=message]').textContent())
      .toBe('This reservation was already used. Tap Reserve again to start a new one.');
    const text = (await page.locator('livedrop-checkout').evaluate((el) => el.shadowRoot!.textContent)) ?? '';
    expect(text).not.toMatch(/Error|at \w+ \(|undefined|\[object/);
    expect((await record(page)).violations).toEqual([]);
    await page.close();
  });
  it('releases a hold once on a double click of Release, and shows no failure', async () => {
    const sessionId = await session();
    const offer = await publish(sessionId, 'Wool Beanie', 2_900);
    const page = await open(sessionId, 'buyer_double');
    const beanie = card(page, offer.id);
    await beanie.locator('[data-action=reserve]').click();
    await beanie.locator('[data-action=release]').dblclick();
    await beanie.locator('[data-action=reserve]').waitFor();
    expect((await ld.offers.retrieve(offer.id)).stock.reserved).toBe(0);
    // Reserve again: by the time this hold shows, an answer to a second release would have come.
    await beanie.locator('[data-action=reserve]').click();
    await beanie.locator('[data-action=pay]').waitFor();
    const events = (await record(page)).events;
    expect(events.filter((e) => e.type === 'released')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(await beanie.locator('[part~=message]').count()).toBe(0);
    await page.close();
  });

  it("hands Pay to the host's onCheckout, which takes payment on its backend, and shows the host's order", async () => {
    const sessionId = await session();
    const offer = await publish(sessionId, 'Wool Beanie', 2_900);
    const page = await open(sessionId, 'buyer_host');
    const beanie = card(page, offer.id);
    // The host's onCheckout posts the reservation to its backend and resolves with the order id it got.
    await page.evaluate(() => {
      const handoffs: { reservationId: string; offerId: string; clientSecret: string | null }[] = [];
      const answers: ((result: { orderId: string }) => void)[] = [];
      Object.defineProperty(window, '__host', { value: { handoffs, answers } });
      document.querySelector('livedrop-checkout')!.onCheckout = (reservation, chosen) =>
        new Promise((resolve) => {
          handoffs.push({
            reservationId: reservation.id,
            offerId: chosen.id,
            clientSecret: reservation.clientSecret ?? null,
          });
          answers.push(resolve);
        });
    });
    const host = () =>
      page.evaluate(
        () =>
          (
            window as unknown as {
              __host: { handoffs: { reservationId: string; offerId: string; clientSecret: string | null }[] };
            }
          ).__host.handoffs,
      );
    await beanie.locator('[data-action=reserve]').click();
    await beanie.locator('[data-action=pay]').click();
    await expect.poll(async () => (await host()).length).toBe(1);
    const [handoff] = await host();
    expect(handoff).toMatchObject({ offerId: offer.id, clientSecret: expect.stringMatching(/\S/) });
    // While the host works, the card says so and Pay cannot be pressed twice.
    expect(await beanie.locator('[data-action=pay]').textContent()).toBe('Paying…');
    expect(await beanie.locator('[data-action=pay]').getAttribute('aria-disabled')).toBe('true');

    // The platform's backend captures the hold with its payment reference (secret key).
    const order = await ld.reservations.capture(handoff!.reservationId, { paymentReference: 'pi_host_4242' });
    await page.evaluate(
      (orderId) =>
        (window as unknown as { __host: { answers: ((r: { orderId: string }) => void)[] } }).__host.answers[0]!({
          orderId,
        }),
      order.id,
    );
    await expect.poll(() => beanie.locator('[part~=order-id]').textContent()).toBe(order.id);
    expect(await ld.orders.retrieve(order.id)).toMatchObject({
      offerId: offer.id,
      buyerId: 'buyer_host',
      paymentReference: 'pi_host_4242',
    });
    expect((await ld.offers.retrieve(offer.id)).stock).toMatchObject({ sold: 1, reserved: 0 });
    const events = (await record(page)).events;
    expect(events.find((e) => e.type === 'checkout')?.detail).toMatchObject({
      orderId: order.id,
      reservation: { id: handoff!.reservationId },
    });
    expect(events.filter((e) => e.type === 'error')).toEqual([]);

    // A host that fails gets the plain message, and the hold is kept for another try.
    await page.evaluate(() => {
      document.querySelector('livedrop-checkout')!.onCheckout = async () => {
        throw new Error('card service unreachable');
      };
    });
    const second = await publish(sessionId, 'Wool Scarf', 3_900);
    const scarf = card(page, second.id);
    await scarf.locator('[data-action=reserve]').click();
    await scarf.locator('[data-action=pay]').click();
    await expect
      .poll(() => scarf.locator('[part~=message]').textContent())
      .toBe('We could not complete your payment. Your item is still held: try again.');
    expect(await scarf.locator('[part~=message]').getAttribute('data-code')).toBe('checkout_failed');
    expect((await ld.offers.retrieve(second.id)).stock.reserved).toBe(1);
    await page.close();
  });

  it('mountCheckout mounts on any element, refuses a second mount on the same one, and unmounts cleanly', async () => {
    const sessionId = await session();
    const offer = await publish(sessionId, 'Enamel Pin', 900);
    mountSite ??= await startPageServer(
      ref.url,
      ref.server.keys,
      await bundleScript(
        `import '@livedrop/browser'; import { mountCheckout } from './src/index'; Object.defineProperty(window, '__mountCheckout', { value: mountCheckout });`,
      ),
    );
    const page = await browser.newPage();
    await page.addInitScript(RECORDER);
    await page.goto(`${mountSite.url}/s/${sessionId}?buyer=buyer_mount`);
    const outcome = await page.evaluate(
      async ({ sessionId, publishableKey, buyerSession }) => {
        type Mount = (el: HTMLElement, options: object) => { unmount(): void; ready: Promise<void> };
        const mountCheckout = (window as unknown as { __mountCheckout: Mount }).__mountCheckout;
        const host = document.createElement('div');
        document.body.append(host);
        const options = { sessionId, publishableKey, baseUrl: location.origin, buyerSession };
        const handle = mountCheckout(host, options);
        await handle.ready;
        const shown = () =>
          [...host.shadowRoot!.querySelectorAll<HTMLElement>('li[data-offer-id]')].map((li) => li.dataset['offerId']);
        const offersShown = shown();
        let second: string | null = null;
        try {
          mountCheckout(host, options);
        } catch (error) {
          second = (error as Error).message;
        }
        const stillShown = shown();
        let missing: string | null = null;
        try {
          mountCheckout(document.createElement('div'), { ...options, sessionId: '' });
        } catch (error) {
          missing = (error as Error).message;
        }
        handle.unmount();
        const afterUnmount = host.shadowRoot!.childNodes.length;
        handle.unmount(); // twice is harmless
        const again = mountCheckout(host, options);
        await again.ready;
        const remounted = shown();
        again.unmount();
        return { offersShown, second, stillShown, missing, afterUnmount, remounted };
      },
      {
        sessionId,
        publishableKey: ref.server.keys.publishableKey,
        buyerSession: (await ld.buyerSessions.create({ buyerId: 'buyer_mount' })).credential,
      },
    );
    expect(outcome).toEqual({
      offersShown: [offer.id],
      second:
        'A LiveDrop checkout is already mounted on this element; call unmount() on its handle before mounting again.',
      stillShown: [offer.id],
      missing: 'mountCheckout: options.sessionId is required (a non-empty string).',
      afterUnmount: 0,
      remounted: [offer.id],
    });
    expect((await record(page)).violations).toEqual([]);
    await page.close();
  });

  it('finds an open hold after a reload, with the time the server has left; keeps it across an attribute change; pays it', async () => {
    const sessionId = await session();
    const offer = await publish(sessionId, 'Heritage Watch', 24_900, { perBuyerLimit: 1 });
    const page = await open(sessionId, 'buyer_resume');
    const watch = card(page, offer.id);
    await watch.locator('[data-action=reserve]').click();
    await watch.locator('[data-action=pay]').waitFor();
    const reservationId = await reservedId(page, offer.id);

    // Four minutes pass on the server; the shopper reloads the page.
    await advanceClock(4 * 60_000);
    await page.reload();
    await expect.poll(async () => (await record(page)).events.some((e) => e.type === 'ready')).toBe(true);
    await watch.locator('[part~=timer]').waitFor();
    // The server's expiresAt minus the server's now: about six of the ten minutes are left.
    const server = await ld.reservations.retrieve(reservationId);
    const leftMs = Date.parse(server.expiresAt!) - ref.server.engine.clock.now();
    expect(leftMs).toBe(6 * 60_000);
    await expect.poll(() => watch.locator('[part~=timer]').textContent()).toMatch(/^(6:00|5:5\d)$/);
    expect(await watch.locator('[data-action=reserve]').count()).toBe(0);
    expect(await watch.locator('[data-action=pay]').textContent()).toBe('Pay $249.00');
    expect((await ld.offers.retrieve(offer.id)).stock).toMatchObject({ reserved: 1, sold: 0 });
    await shot(page, '9-resumed-hold');

    // A payment-method change updates the widget in place: the hold stays, and the new method is used.
    const element = page.locator('livedrop-checkout');
    await element.evaluate((el) => el.setAttribute('test-payment-method', 'pm_test_declined'));
    expect(await watch.locator('[part~=timer]').count()).toBe(1);
    await watch.locator('[data-action=pay]').click();
    await expect.poll(() => watch.locator('[part~=message]').getAttribute('data-code')).toBe('payment_declined');
    await element.evaluate((el) => el.setAttribute('test-payment-method', 'pm_test_ok'));
    await watch.locator('[data-action=pay]').click();
    await expect.poll(() => watch.locator('[part~=success]').textContent()).toMatch(/^Order placed: ord_\w+$/);
    const orderId = (await watch.locator('[part~=order-id]').textContent())!;
    expect(await ld.orders.retrieve(orderId)).toMatchObject({ offerId: offer.id, buyerId: 'buyer_resume' });
    expect((await ld.offers.retrieve(offer.id)).stock).toMatchObject({ reserved: 0, sold: 1 });

    // Reloaded after paying: the order, not a Reserve that the per-buyer limit would refuse.
    await page.reload();
    await expect.poll(() => watch.locator('[part~=order-id]').textContent()).toBe(orderId);
    expect(await watch.locator('button').count()).toBe(0);

    // Another tab (nothing kept there): Reserve says the limit is reached, with no Try again.
    const other = await open(sessionId, 'buyer_resume');
    const there = card(other, offer.id);
    await there.locator('[data-action=reserve]').click();
    await expect.poll(() => there.locator('[part~=message]').getAttribute('data-code')).toBe('limit_exceeded');
    expect(await there.locator('[part~=message]').textContent()).toBe(
      'You have reached the limit for this offer: you already hold or bought as many as one shopper may.',
    );
    expect(await there.locator('button').count()).toBe(0);
    expect(await audit(other)).toEqual([]);
    expect((await record(page)).violations).toEqual([]);
    await other.close();
    await page.close();
  });

  it('says why after a reload when the hold expired or was released, once, and lets the shopper reserve again', async () => {
    const sessionId = await session();
    const offer = await publish(sessionId, 'Canvas Tote', 3_900, { reservationTtlSeconds: 60, perBuyerLimit: 1 });
    const page = await open(sessionId, 'buyer_gone');
    const tote = card(page, offer.id);
    await tote.locator('[data-action=reserve]').click();
    await tote.locator('[data-action=pay]').waitFor();

    await advanceClock(61_000);
    await page.reload();
    await expect
      .poll(() => tote.locator('[part~=message]').textContent())
      .toBe('Your hold expired and the item went back on sale. Reserve again to try once more.');
    expect(await tote.locator('[part~=message]').getAttribute('data-code')).toBe('reservation_expired');
    expect((await ld.offers.retrieve(offer.id)).stock.reserved).toBe(0);
    // Said once: the next reload is a fresh start.
    await page.reload();
    await tote.locator('[data-action=reserve]').waitFor();
    expect(await tote.locator('[part~=message]').count()).toBe(0);

    // Try again is not a loop: the expired hold freed the buyer's limit, so Reserve holds again.
    await tote.locator('[data-action=reserve]').click();
    await tote.locator('[data-action=pay]').waitFor();
    // The platform releases it behind the page's back; the reload says the hold is gone.
    await ld.reservations.release(await reservedId(page, offer.id));
    await page.reload();
    await expect.poll(() => tote.locator('[part~=message]').getAttribute('data-code')).toBe('reservation_not_held');
    await tote.locator('[data-action=retry]').click();
    await tote.locator('[data-action=reserve]').click();
    await expect.poll(() => tote.locator('[part~=timer]').textContent()).toMatch(/^(1:00|0:5\d)$/);
    expect((await record(page)).events.filter((e) => e.type === 'error')).toEqual([]);
    await page.close();
  });

  it('sizes what a phone shows: badge text ≥ 12 px, one primary button size at every step, the focus ring on the confirmation', async () => {
    const sessionId = await session();
    const offer = await publish(sessionId, 'Phone Case', 1_900);
    const page = await browser.newPage({ viewport: { width: 360, height: 720 }, reducedMotion: 'reduce' });
    await page.addInitScript(RECORDER);
    await page.goto(`${site.url}/s/${sessionId}?buyer=buyer_phone`);
    const phoneCase = card(page, offer.id);
    await phoneCase.locator('[data-action=reserve]').waitFor();
    const fontSizes = await page
      .locator('livedrop-checkout [part~=badge]')
      .evaluateAll((badges) => badges.map((b) => Number.parseFloat(getComputedStyle(b).fontSize)));
    expect(fontSizes).toHaveLength(2); // the creator's and the seller's
    for (const size of fontSizes) expect(size).toBeGreaterThanOrEqual(12);

    const box = async (action: string) => (await phoneCase.locator(`[data-action=${action}]`).boundingBox())!;
    const reserve = await box('reserve');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await phoneCase.locator('[part~=timer]').waitFor();
    const pay = await box('pay');
    expect(Math.round(pay.width)).toBe(Math.round(reserve.width));
    expect(Math.round(pay.height)).toBe(Math.round(reserve.height));
    expect(reserve.height).toBeGreaterThanOrEqual(44);

    await page.keyboard.press('Enter');
    await phoneCase.locator('[part~=success]').waitFor();
    const ring = await phoneCase.locator('[part~=success]').evaluate((el) => {
      const style = getComputedStyle(el);
      return {
        focused: (el.getRootNode() as ShadowRoot).activeElement === el,
        outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      };
    });
    expect(ring).toEqual({ focused: true, outline: 'solid 3px rgb(47, 111, 237)' });
    await page.close();
  });

  it('audits inside the shadow root: a nameless button added there is a violation', async () => {
    const sessionId = await session();
    await publish(sessionId, 'Audit Probe', 1_000);
    const page = await open(sessionId, 'buyer_audit');
    expect(await audit(page)).toEqual([]);
    await page.evaluate(() =>
      document.querySelector('livedrop-checkout')!.shadowRoot!.append(document.createElement('button')),
    );
    expect((await audit(page)).map((violation) => violation.id)).toContain('button-name');
    await page.close();
  });
});
