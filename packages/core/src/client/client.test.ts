import { describe, expect, it } from 'vitest';
import { ROUTES } from '../contract/all-routes';
import { createClient } from './client';

/** Every route the client is meant to call: all but the control API, the OpenAPI document and the SSE streams (realtime). */
const EXPECTED = Object.values(ROUTES)
  .filter(
    (route) =>
      route.auth !== 'control' && route.operationId !== 'getOpenApi' && !route.operationId.startsWith('stream'),
  )
  .map((route) => `${route.method} ${route.path}`)
  .sort();

describe('LiveDropClient', () => {
  it('has a method for every route of the contract', async () => {
    const called = new Set<string>();
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const request = new Request(input, init);
      const path = new URL(request.url).pathname.replace(/\/(ses|off|res|ord|cr|sel|we)_x(?=\/|$)/g, '/{id}');
      called.add(`${request.method} ${path}`);
      return new Response(null, { status: 501 });
    };
    const ld = createClient({ apiKey: 'sk_test_x', baseUrl: 'https://api.livedrop.test', fetch, maxRetries: 0 });
    const calls: (() => Promise<unknown> | AsyncIterable<unknown> | PromiseLike<unknown>)[] = [
      () => ld.sellers.create({ name: 'x' }),
      () => ld.sellers.retrieve('sel_x'),
      () => ld.creators.create({ handle: 'x', displayName: 'x' }),
      () => ld.creators.retrieve('cr_x'),
      () => ld.creators.entitlements.create('cr_x', { sellerId: 'sel_x', commissionBps: 1, contentRights: ['clips'] }),
      () => ld.creators.entitlements.list('cr_x'),
      () => ld.creators.dashboard('cr_x'),
      () => ld.sessions.create({ creatorId: 'cr_x', title: 'x', scheduledStartAt: '2026-01-01T00:00:00Z' }),
      () => ld.sessions.list(),
      () => ld.sessions.hydrate('ses_x'),
      () => ld.sessions.update('ses_x', {}, { version: 1 }),
      () => ld.sessions.start('ses_x'),
      () => ld.sessions.end('ses_x'),
      () =>
        ld.offers.create('ses_x', {
          sellerId: 'sel_x',
          sku: 'x',
          title: 'x',
          price: { amount: 1, currency: 'USD' },
          quantity: 1,
        }),
      () => ld.offers.retrieve('off_x'),
      () => ld.offers.update('off_x', {}, { version: 1 }),
      () => ld.offers.publish('off_x'),
      () => ld.offers.pause('off_x'),
      () => ld.offers.end('off_x'),
      () => ld.offers.review('off_x', { decision: 'approve' }),
      () => ld.offers.issueToken('off_x', { buyerId: 'b' }),
      () => ld.buyerSessions.create({ buyerId: 'b' }),
      () => ld.signingKeys.jwks(),
      () => ld.signingKeys.rotate(),
      () => ld.reservations.create({ offerToken: 't', quantity: 1 }),
      () => ld.reservations.list(),
      () => ld.reservations.retrieve('res_x'),
      () => ld.reservations.release('res_x'),
      () => ld.reservations.capture('res_x', { paymentReference: 'p' }),
      () => ld.reservations.confirm('res_x', { clientSecret: 's', paymentMethod: 'pm_test_ok' }),
      () => ld.orders.retrieve('ord_x'),
      () => ld.orders.refund('ord_x'),
      () => ld.transfers.list(),
      () => ld.events.list(),
      () => ld.events.verifyAudit(),
      () => ld.events.export(),
      () => ld.webhookEndpoints.create({ url: 'https://x.test', eventTypes: ['*'] }),
      () => ld.webhookEndpoints.list(),
      () => ld.webhookEndpoints.retrieve('we_x'),
      () => ld.webhookEndpoints.delete('we_x'),
      () => ld.webhookEndpoints.deliveries('we_x'),
      () => ld.webhookEndpoints.replay('we_x', { after: 0 }),
      () => ld.webhookEndpoints.rotateSecret('we_x'),
      () => ld.listings.retrieve('ses_x'),
      () => ld.listings.list(),
    ];
    for (const call of calls) {
      const result = call();
      const settled =
        Symbol.asyncIterator in result && !('then' in result)
          ? (result as AsyncIterable<unknown>)[Symbol.asyncIterator]().next()
          : (result as PromiseLike<unknown>);
      await expect(Promise.resolve(settled)).rejects.toMatchObject({ status: 501 });
    }
    expect([...called].sort()).toEqual(EXPECTED);
  });
});
