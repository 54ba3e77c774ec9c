/**
 * The creator page in a real Chromium (Debian's, driven by playwright-core): the static site with
 * its strict CSP embeds the widget with a script tag, shows the live offer, and a viewer buys it.
 */
import { existsSync } from 'node:fs';
import { createClient } from '@livedrop/node';
import { startReferenceServer, type StartedReferenceServer } from '@livedrop/mock-server/node';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLiveSession, type LiveSession } from '../src/live-session';
import { serveCreatorSite, type CreatorSite } from '../src/serve';

const CHROMIUM = '/usr/bin/chromium';

describe('creator-page example', () => {
  let api: StartedReferenceServer;
  let site: CreatorSite;
  let browser: Browser;
  let live: LiveSession;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium`);
    api = await startReferenceServer({ port: 0 });
    live = await openLiveSession(api.url, api.server.keys.secretKey, api.server.keys.creatorId);
    site = await serveCreatorSite(api.url);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await api?.close();
  });

  const platform = () => createClient({ apiKey: api.server.keys.secretKey, baseUrl: api.url });

  it('shows the live offer through one script tag, untouched by the host CSS, and sells it', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const url = new URL(site.url);
    url.search = new URLSearchParams({
      session: live.sessionId,
      key: api.server.keys.publishableKey,
      api: api.url,
      buyerSession: (await platform().buyerSessions.create({ buyerId: 'viewer_ex' })).credential,
    }).toString();
    await page.goto(url.toString());

    const card = page.locator(`livedrop-checkout li[data-offer-id="${live.offerId}"]`);
    await expect.poll(() => card.locator('[part~=offer-title]').textContent()).toBe('Speckled mug');
    expect(await card.locator('[part~=price]').textContent()).toBe('$32.00');
    // The host's `button { font-size: 2rem; color: hotpink }` stops at the shadow boundary.
    const reserve = card.locator('[data-action=reserve]');
    expect(await reserve.evaluate((el) => getComputedStyle(el).fontSize)).not.toBe('32px');
    expect(await reserve.evaluate((el) => getComputedStyle(el).color)).not.toBe('rgb(255, 105, 180)');

    await reserve.click();
    await card.locator('[data-action=pay]').click();
    await expect.poll(() => card.locator('[part~=order-id]').textContent()).toMatch(/^ord_\w+$/);
    const orderId = (await card.locator('[part~=order-id]').textContent())!;
    const ld = platform();
    expect(await ld.orders.retrieve(orderId)).toMatchObject({
      offerId: live.offerId,
      buyerId: 'viewer_ex',
      gross: { amount: 3_200, currency: 'USD' },
    });
    expect(violations).toEqual([]);
    await page.close();
  });
});
