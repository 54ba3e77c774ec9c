import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { isLiveDropError } from '../errors/live-drop-error';
import { signWebhook, verifyWebhook } from './verify';
import { WebhookVerificationError } from './webhook-verification-error';

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

const event = {
  specversion: '1.0',
  id: 'evt_7Hq2',
  source: '/livedrop/reference',
  type: 'livedrop.signing_key.rotated',
  time: '2026-11-25T18:00:00.000Z',
  subject: 'key_new',
  datacontenttype: 'application/json',
  seq: 12,
  prevhash: 'a'.repeat(64),
  hash: 'b'.repeat(64),
  data: { currentKid: 'key_new', previousKid: 'key_old' },
};
const body = JSON.stringify(event);

async function rejection(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  expect(isLiveDropError(error)).toBe(true);
  return error as WebhookVerificationError;
}

describe('verifyWebhook against the standardwebhooks library', () => {
  it('verifies what standardwebhooks signs', async () => {
    const secret = newSecret();
    const now = new Date();
    const signature = new Webhook(secret).sign('msg_1', now, body);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    };
    await expect(verifyWebhook(body, headers, secret)).resolves.toEqual(event);
    await expect(verifyWebhook(new TextEncoder().encode(body), new Headers(headers), secret)).resolves.toEqual(event);
  });

  it('signs what standardwebhooks verifies', async () => {
    const secret = newSecret();
    const headers = await signWebhook(body, { id: 'msg_2', secret });
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(event);
  });

  it('refuses a tampered body, in both directions', async () => {
    const secret = newSecret();
    const tampered = body.replace('key_new', 'key_evil');
    const ours = await signWebhook(body, { id: 'msg_3', secret });
    expect((await rejection(verifyWebhook(tampered, ours, secret))).code).toBe('webhook_signature_invalid');
    expect(() => new Webhook(secret).verify(tampered, { ...ours })).toThrow();
  });

  it('refuses a timestamp outside the tolerance, either way', async () => {
    const secret = newSecret();
    const old = new Date(Date.now() - 301_000);
    const theirs = new Webhook(secret).sign('msg_4', old, body);
    const headers = {
      'webhook-id': 'msg_4',
      'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
      'webhook-signature': theirs,
    };
    expect((await rejection(verifyWebhook(body, headers, secret))).code).toBe('webhook_timestamp_invalid');
    const future = await signWebhook(body, { id: 'msg_5', secret, now: Date.now() + 301_000 });
    expect((await rejection(verifyWebhook(body, future, secret))).code).toBe('webhook_timestamp_invalid');
    // The library agrees that ours is too old.
    const ancient = await signWebhook(body, { id: 'msg_6', secret, now: old });
    expect(() => new Webhook(secret).verify(body, { ...ancient })).toThrow(/too old/i);
    // An injected clock moves the window.
    await expect(verifyWebhook(body, ancient, secret, { now: old })).resolves.toEqual(event);
    await expect(verifyWebhook(body, ancient, secret, { toleranceSeconds: 600 })).resolves.toEqual(event);
  });

  it('accepts any matching signature and any matching secret (rotation)', async () => {
    const [oldSecret, newer, other] = [newSecret(), newSecret(), newSecret()];
    const both = await signWebhook(body, { id: 'msg_7', secret: [newer, oldSecret] });
    expect(both['webhook-signature'].split(' ')).toHaveLength(2);
    await expect(verifyWebhook(body, both, oldSecret)).resolves.toEqual(event);
    await expect(verifyWebhook(body, both, newer)).resolves.toEqual(event);
    const single = await signWebhook(body, { id: 'msg_8', secret: oldSecret });
    await expect(verifyWebhook(body, single, [newer, oldSecret])).resolves.toEqual(event);
    expect((await rejection(verifyWebhook(body, single, other))).code).toBe('webhook_signature_invalid');
    // Unknown versions and garbage entries are skipped, not fatal.
    const noisy = { ...single, 'webhook-signature': `v2,abc v1,!!notbase64 ${single['webhook-signature']}` };
    await expect(verifyWebhook(body, noisy, oldSecret)).resolves.toEqual(event);
  });

  it('reads Node-style header records case-insensitively', async () => {
    const secret = newSecret();
    const signed = await signWebhook(body, { id: 'msg_9', secret });
    const nodeHeaders = {
      'Webhook-Id': signed['webhook-id'],
      'webhook-timestamp': [signed['webhook-timestamp']],
      'WEBHOOK-SIGNATURE': signed['webhook-signature'],
      host: undefined,
    };
    await expect(verifyWebhook(body, nodeHeaders, secret)).resolves.toEqual(event);
  });

  it('refuses missing headers, a bad timestamp, a changed id, and events outside the contract', async () => {
    const secret = newSecret();
    const signed = await signWebhook(body, { id: 'msg_10', secret });
    expect((await rejection(verifyWebhook(body, { 'webhook-id': 'msg_10' }, secret))).code).toBe(
      'webhook_headers_missing',
    );
    expect((await rejection(verifyWebhook(body, { ...signed, 'webhook-timestamp': 'yesterday' }, secret))).code).toBe(
      'webhook_timestamp_invalid',
    );
    expect((await rejection(verifyWebhook(body, { ...signed, 'webhook-id': 'msg_other' }, secret))).code).toBe(
      'webhook_signature_invalid',
    );
    const unknown = JSON.stringify({ ...event, type: 'livedrop.unknown.thing' });
    expect(
      (await rejection(verifyWebhook(unknown, await signWebhook(unknown, { id: 'm', secret }), secret))).code,
    ).toBe('webhook_payload_invalid');
    const notJson = 'not json';
    expect(
      (await rejection(verifyWebhook(notJson, await signWebhook(notJson, { id: 'm', secret }), secret))).code,
    ).toBe('webhook_payload_invalid');
  });

  it('accepts a secret without the whsec_ prefix, as standardwebhooks does', async () => {
    const raw = randomBytes(32).toString('base64');
    const signed = await signWebhook(body, { id: 'msg_11', secret: raw });
    await expect(verifyWebhook(body, signed, `whsec_${raw}`)).resolves.toEqual(event);
    expect(new Webhook(raw).verify(body, { ...signed })).toEqual(event);
  });
});
