import { expect, test, type APIRequestContext } from '@playwright/test';

/** The reference server's control API, with the control key the CLI printed. */
async function control(request: APIRequestContext, method: 'get' | 'post', path: string, data?: unknown) {
  const response = await request[method](`${process.env.LIVEDROP_URL}/__control/${path}`, {
    headers: { authorization: `Bearer ${process.env.LIVEDROP_CONTROL_KEY}` },
    ...(data === undefined ? {} : { data }),
  });
  expect(response.ok(), await response.text()).toBe(true);
  return response.json();
}

/** The journal's newest seq: what a test saw the server do comes after it. */
const journalHead = async (request: APIRequestContext) =>
  (await control(request, 'get', 'requests?limit=1000')).nextSince as number;

/** The parka's card in the widget. */
const parkaCard = (page: import('@playwright/test').Page) =>
  page.locator(`livedrop-checkout li[data-offer-id="${process.env.PARKA_ID}"]`);

test('a shopper reserves the parka and pays; the server saw one hold and one confirm', async ({ page, request }) => {
  const since = await journalHead(request);
  await page.goto(`${process.env.PAGE_URL}?buyer=alice`);
  const parka = parkaCard(page);
  await expect(parka.locator('[part~=offer-title]')).toHaveText('Storm Parka');
  await expect(parka.locator('[part~=price]')).toHaveText('$129.00');

  await parka.locator('[data-action=reserve]').click();
  await expect(parka.locator('[part~=timer]')).toHaveText(/^\d+:\d\d$/);
  await parka.locator('[data-action=pay]').click();
  await expect(parka.locator('[part~=success]')).toHaveText(/^Order placed: ord_\w+$/);

  for (const path of ['/v1/reservations', '/v1/reservations/*/confirm']) {
    const check = await control(request, 'post', 'requests/verify', {
      match: { method: 'POST', path, status: 201, since },
      count: 1,
    });
    expect(check.ok, check.message).toBe(true);
  }
});

test('a 429 on the first reserve is waited out: the shopper still gets the hold', async ({ page, request }) => {
  await control(request, 'post', 'faults', {
    rules: [{ method: 'POST', path: '/v1/reservations', status: 429, retryAfterSeconds: 1, times: 1 }],
  });
  const since = await journalHead(request);
  await page.goto(`${process.env.PAGE_URL}?buyer=bob`);
  const parka = parkaCard(page);
  await parka.locator('[data-action=reserve]').click();
  await expect(parka.locator('[part~=timer]')).toHaveText(/^\d+:\d\d$/);

  // The journal: the refused attempt and its retry, one Idempotency-Key.
  const page2 = await control(request, 'get', `requests?method=POST&path=/v1/reservations&since=${since}`);
  expect(page2.data.map((entry: { status: number }) => entry.status)).toEqual([429, 201]);
  expect(page2.data[1].headers['idempotency-key']).toBe(page2.data[0].headers['idempotency-key']);
  await control(request, 'post', 'faults', {});
});
