import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer } from '../src/node';
import { apiAs, buyerBrowser } from './support/http';
import { inBatches } from './support/in-batches';

const FAIR_BUYERS = 500;
const PER_BUYER_LIMIT = 2;
/** Enough for every fair buyer plus the most the rules let the bot hold. */
const UNITS = FAIR_BUYERS + PER_BUYER_LIMIT;
/** The bot's attempts while the crowd buys (4 at a time): far more than any person would make. */
const BOT_ATTEMPTS = 300;

describe('default rate limits against a bot', () => {
  it(`a bot hammering one offer is throttled while ${FAIR_BUYERS} distinct buyers each get a unit (default limits)`, {
    timeout: 60_000,
  }, async () => {
    await using ld = await startReferenceServer({ clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')) });
    const { secretKey, publishableKey, creatorId } = ld.server.keys;
    const api = apiAs(ld.url, secretKey);
    const storefront = apiAs(ld.url, publishableKey);
    const control = apiAs(ld.url, ld.server.controlKey);

    const seller = await api.post('/v1/sellers', { name: 'Acme Sneakers' });
    await api.post(`/v1/creators/${creatorId}/entitlements`, {
      sellerId: seller.body.id,
      commissionBps: 1500,
      contentRights: ['live_stream'],
    });
    const session = await api.post('/v1/sessions', {
      creatorId,
      title: 'Hype drop',
      scheduledStartAt: '2026-11-25T19:00:00.000Z',
    });
    await api.post(`/v1/sessions/${session.body.id}/start`);
    const offer = await api.post(`/v1/sessions/${session.body.id}/offers`, {
      sellerId: seller.body.id,
      sku: 'HYPE-1',
      title: 'Limited runner',
      price: { amount: 19_900, currency: 'USD' },
      quantity: UNITS,
      perBuyerLimit: PER_BUYER_LIMIT,
    });
    const offerId = offer.body.id as string;
    expect((await api.post(`/v1/offers/${offerId}/publish`)).status).toBe(200);

    // The bot signed up as a buyer, got the page (publishable key and its buyer session) and loops:
    // a token, then a reservation, as fast as it can.
    const botPage = await buyerBrowser(ld.url, ld.server.keys, 'buyer_bot');
    const bot = { tokenStatuses: [] as string[], reservationStatuses: [] as string[] };
    const botAttempt = async () => {
      const token = await botPage.post(`/v1/offers/${offerId}/tokens`, {});
      bot.tokenStatuses.push(token.status === 201 ? '201' : `${token.status} ${token.body.code}`);
      if (token.status !== 201) return;
      const reservation = await botPage.post('/v1/reservations', { offerToken: token.body.token, quantity: 1 });
      bot.reservationStatuses.push(
        reservation.status === 201 ? '201' : `${reservation.status} ${reservation.body.code}`,
      );
    };
    const botLoop = inBatches(
      Array.from({ length: BOT_ATTEMPTS }, (_, i) => i),
      4,
      botAttempt,
    );

    // Meanwhile every fair buyer tries once: the platform issues a token, the buyer's browser reserves.
    const fair = await inBatches(
      Array.from({ length: FAIR_BUYERS }, (_, i) => `buyer_${i}`),
      50,
      async (buyerId) => {
        const token = await api.post(`/v1/offers/${offerId}/tokens`, { buyerId });
        if (token.status !== 201) return `token ${token.status} ${token.body.code}`;
        const reservation = await storefront.post('/v1/reservations', { offerToken: token.body.token, quantity: 1 });
        return reservation.status === 201
          ? reservation.body.status
          : `reservation ${reservation.status} ${reservation.body.code}`;
      },
    );
    await botLoop;

    // Every fair buyer got a unit.
    expect(fair.filter((outcome) => outcome !== 'held')).toEqual([]);
    // The bot was throttled: 10 tokens in its burst, every other attempt a 429 with nothing issued.
    expect(bot.tokenStatuses.filter((s) => s === '201')).toHaveLength(10);
    expect(bot.tokenStatuses.filter((s) => s === '429 rate_limited')).toHaveLength(BOT_ATTEMPTS - 10);
    expect(bot.tokenStatuses.every((s) => s === '201' || s === '429 rate_limited')).toBe(true);
    // It holds at most its per-buyer cap; its other reservations were refused by that cap.
    const botHeld = bot.reservationStatuses.filter((s) => s === '201').length;
    expect(botHeld).toBeLessThanOrEqual(PER_BUYER_LIMIT);
    expect(bot.reservationStatuses.filter((s) => s !== '201').every((s) => s === '422 limit_exceeded')).toBe(true);

    const stock = (await api.get(`/v1/offers/${offerId}`)).body.stock;
    expect(stock.reserved).toBe(FAIR_BUYERS + botHeld);
    expect(stock.available + stock.reserved + stock.sold).toBe(stock.total);
    expect((await control.get('/__control/state')).body.invariantHolds).toBe(true);

    // A patient bot that waits out the bucket is caught by the velocity check: 20 tokens per 10 minutes.
    const late: string[] = [];
    for (const waitMs of [10_000, 10_000]) {
      expect((await control.post('/__control/clock', { advanceMs: waitMs })).status).toBe(200);
      for (let i = 0; i < 10; i++) {
        const token = await botPage.post(`/v1/offers/${offerId}/tokens`, {});
        late.push(token.status === 201 ? '201' : `${token.status} ${token.body.code}`);
      }
    }
    expect(late).toEqual([...Array<string>(10).fill('201'), ...Array<string>(10).fill('429 velocity_exceeded')]);
    const issued = await api.get('/v1/events?types=livedrop.token.issued&limit=1000');
    const botTokens = issued.body.data.filter(
      (event: { data: { buyerId: string } }) => event.data.buyerId === 'buyer_bot',
    );
    expect(botTokens).toHaveLength(20);
  });
});
