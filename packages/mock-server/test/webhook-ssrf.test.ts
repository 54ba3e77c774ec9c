import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../src/webhooks/network-address';
import { expectStatus, startDropWorld } from './support/drop-world';
import { startWebhookReceiver } from './support/webhook-receiver';

const PRIVATE_URLS = [
  'https://169.254.169.254/latest/meta-data/',
  'https://10.0.0.1/hooks',
  'https://172.16.5.4/hooks',
  'https://172.31.255.255/hooks',
  'https://192.168.1.10/hooks',
  'https://127.0.0.1/hooks',
  'https://127.1.2.3/hooks',
  'https://0.0.0.0/hooks',
  'https://[::1]/hooks',
  'https://[fc00::1]/hooks',
  'https://[fd12:3456::1]/hooks',
  'https://[fe80::1]/hooks',
  'https://[::ffff:127.0.0.1]/hooks',
  'https://[::ffff:a9fe:a9fe]/hooks',
  'https://metadata.google.internal/computeMetadata/v1/',
  'https://localhost/hooks',
  'https://localhost./hooks',
  // Decimal, hex and short IPv4 forms, which URL parsing turns into 127.0.0.1 and 169.254.169.254.
  'https://2130706433/hooks',
  'https://0x7f.0.0.1/hooks',
  'https://0xa9fea9fe/hooks',
  'https://127.1/hooks',
];

describe('webhook URLs cannot reach private networks (SSRF)', () => {
  for (const url of PRIVATE_URLS) {
    it(`refuses ${url} at create time with 400 naming url, creating nothing`, async () => {
      await using world = await startDropWorld();
      const refused = await world.api.post('/v1/webhook-endpoints', { url, eventTypes: ['*'] });
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'url', code: 'invalid_url' })]);
      expect((await world.api.get('/v1/webhook-endpoints')).body.data).toEqual([]);
    });
  }

  it('refuses credentials in the URL, even where private networks are allowed, and never shows them back', async () => {
    await using world = await startDropWorld({ webhooks: { allowPrivateNetworks: true } });
    for (const url of ['https://alice:s3cret@hooks.example.com/in', 'https://t0ken@hooks.example.com/in']) {
      const refused = await world.api.post('/v1/webhook-endpoints', { url, eventTypes: ['*'] });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].path).toBe('url');
      expect(JSON.stringify(refused.body)).not.toMatch(/s3cret|t0ken/);
    }
    expect((await world.api.get('/v1/webhook-endpoints')).body.data).toEqual([]);
  });

  it('takes a public https URL', async () => {
    await using world = await startDropWorld();
    await expectStatus(
      world.api.post('/v1/webhook-endpoints', { url: 'https://hooks.example.com/in', eventTypes: ['*'] }),
      201,
    );
    await expectStatus(world.api.post('/v1/webhook-endpoints', { url: 'https://8.8.8.8/in', eventTypes: ['*'] }), 201);
  });

  it('refuses at delivery time a public name that resolves to a private address, without sending', async () => {
    const sent: string[] = [];
    const resolved: string[] = [];
    await using world = await startDropWorld({
      webhooks: {
        retryScheduleMs: [60_000],
        lookup: async (hostname) => {
          resolved.push(hostname);
          return ['93.184.216.34', '10.1.2.3'];
        },
        fetch: async (input) => {
          sent.push(String(input));
          return new Response(null, { status: 204 });
        },
      },
    });
    const endpoint = await expectStatus(
      world.api.post('/v1/webhook-endpoints', { url: 'https://rebind.example.com/in', eventTypes: ['*'] }),
      201,
    );
    // The endpoint's own `created` event is its first delivery (the list is newest first).
    const first = async () => (await world.api.get(`/v1/webhook-endpoints/${endpoint.id}/deliveries`)).body.data.at(-1);
    await expect.poll(async () => (await first())?.attempts).toBeGreaterThan(0);
    const delivery = await first();
    expect(delivery.status).toBe('pending');
    expect(delivery.lastResponseStatus).toBeNull();
    expect(resolved).toContain('rebind.example.com');
    expect(sent).toEqual([]);
  });

  it('delivers to a loopback receiver only with the explicit allowance', async () => {
    await using receiver = await startWebhookReceiver();
    await using closed = await startDropWorld();
    const refused = await closed.api.post('/v1/webhook-endpoints', { url: receiver.url, eventTypes: ['*'] });
    expect(refused.status).toBe(400);

    await using open = await startDropWorld({ webhooks: { allowPrivateNetworks: true } });
    await expectStatus(open.api.post('/v1/webhook-endpoints', { url: receiver.url, eventTypes: ['*'] }), 201);
    await open.api.post('/v1/sellers', { name: 'Trigger' });
    await expect.poll(() => receiver.received.length).toBeGreaterThan(0);
  });

  it('classifies addresses as written and as resolved', () => {
    for (const address of ['10.0.0.1', '169.254.169.254', '::1', '::ffff:10.0.0.1', 'fe80::1%eth0', '64:ff9b::a00:1'])
      expect(isPrivateAddress(address), address).toBe(true);
    for (const address of ['8.8.8.8', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8', '172.32.0.1'])
      expect(isPrivateAddress(address), address).toBe(false);
  });
});
