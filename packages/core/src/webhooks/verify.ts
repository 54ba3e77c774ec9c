import { fromBase64, toBase64 } from '../internal/base64';
import { timingSafeEqual } from '../internal/timing-safe-equal';
import { LiveDropEvent } from '../schemas/event';
import { WebhookVerificationError } from './webhook-verification-error';

/** Webhook request headers: a `Headers`, or Node's `req.headers`. */
export type WebhookHeadersInput = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** The three Standard Webhooks headers of one delivery (a type alias, so it passes as a header record). */
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, either way, in seconds. @default 300 */
  toleranceSeconds?: number | undefined;
  /** The time to check against (epoch ms or a Date). @default the current time */
  now?: Date | number | undefined;
}

/** Options of {@link signWebhook}. */
export interface SignWebhookOptions {
  /** The delivery's id (`webhook-id`), the same on every retry of it, e.g. `msg_…` or the event id. */
  id: string;
  /** The signing secret(s), `whsec_<base64>`; several during a rotation (one signature each). */
  secret: string | readonly string[];
  /** The send time (epoch ms or a Date). @default the current time */
  now?: Date | number | undefined;
}

const encoder = /* @__PURE__ */ new TextEncoder();
const PREFIX = 'whsec_';

function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
  const bytes = fromBase64(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret);
  if (!bytes || bytes.length === 0)
    throw new TypeError('A webhook secret must be "whsec_" followed by base64; copy it from the endpoint as created.');
  return bytes;
}

/** HMAC-SHA256 over `id.timestamp.body`, the Standard Webhooks signed content. */
async function sign(secret: string, id: string, timestamp: string, body: Uint8Array): Promise<Uint8Array> {
  const head = encoder.encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(head.length + body.length);
  content.set(head);
  content.set(body, head.length);
  const key = await crypto.subtle.importKey('raw', secretBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, content));
}

function headerOf(headers: WebhookHeadersInput, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    return typeof value === 'string' ? value : value.join(' ');
  }
  return undefined;
}

const seconds = (now: Date | number | undefined) => Math.floor(new Date(now ?? Date.now()).getTime() / 1000);

/**
 * Signs a delivery the Standard Webhooks way: one `v1,<base64 HMAC-SHA256>` per secret.
 * The reference server signs with it; tests use it to make deliveries.
 * @example
 * const headers = await signWebhook(JSON.stringify(event), { id: event.id, secret: endpoint.secret });
 */
export async function signWebhook(body: string | Uint8Array, options: SignWebhookOptions): Promise<WebhookHeaders> {
  const timestamp = String(seconds(options.now));
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const secrets = typeof options.secret === 'string' ? [options.secret] : options.secret;
  const signatures = await Promise.all(
    secrets.map(async (secret) => `v1,${toBase64(await sign(secret, options.id, timestamp, bytes))}`),
  );
  return { 'webhook-id': options.id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}

/**
 * Verifies a webhook delivery (Standard Webhooks) and returns its event, checked against the contract.
 * Pass the **raw** body exactly as received: re-serialized JSON does not match the signature.
 * Any of several secrets may match (rotation), and any of several signatures.
 * @example
 * const event = await verifyWebhook(await request.text(), request.headers, process.env.LIVEDROP_WEBHOOK_SECRET!);
 * if (event.type === 'livedrop.order.created') fulfil(event.data.order);
 * @throws WebhookVerificationError with a `code` saying what failed
 */
export async function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: WebhookHeadersInput,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): Promise<LiveDropEvent> {
  const id = headerOf(headers, 'webhook-id');
  const timestamp = headerOf(headers, 'webhook-timestamp');
  const signatures = headerOf(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    throw new WebhookVerificationError(
      'webhook_headers_missing',
      'The request lacks webhook-id, webhook-timestamp or webhook-signature; is this a LiveDrop webhook, and does your framework pass headers through?',
    );
  }
  const sentAt = /^\d{1,15}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  const tolerance = options.toleranceSeconds ?? 300;
  const skew = seconds(options.now) - sentAt;
  if (!(Math.abs(skew) <= tolerance)) {
    throw new WebhookVerificationError(
      'webhook_timestamp_invalid',
      `The webhook-timestamp ${JSON.stringify(timestamp)} is ${Number.isNaN(skew) ? 'not a number' : `${skew} s from now`}; more than ${tolerance} s apart is refused as a possible replay (check this server's clock).`,
    );
  }
  const body = typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
  const offered = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => fromBase64(entry.slice(3)))
    .filter((bytes) => bytes !== null);
  let matched = false;
  for (const candidate of typeof secret === 'string' ? [secret] : secret) {
    const expected = await sign(candidate, id, timestamp, body);
    // Every pair is compared (no early exit) so timing reveals nothing about which one matched.
    for (const signature of offered) matched = timingSafeEqual(signature, expected) || matched;
  }
  if (!matched) {
    throw new WebhookVerificationError(
      'webhook_signature_invalid',
      'No webhook signature matches the secret: check the endpoint secret, and pass the raw body exactly as received (not re-serialized JSON).',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof rawBody === 'string' ? rawBody : new TextDecoder().decode(rawBody));
  } catch (error) {
    throw new WebhookVerificationError('webhook_payload_invalid', 'The signed webhook body is not JSON.', {
      cause: error,
    });
  }
  const event = LiveDropEvent.safeParse(json);
  if (!event.success) {
    const issue = event.error.issues[0];
    throw new WebhookVerificationError(
      'webhook_payload_invalid',
      `The webhook's event does not match the contract at "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}. Upgrade @livedrop/core if the server is newer.`,
    );
  }
  return event.data;
}
