import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signWebhook, type LiveDropEvent } from '@livedrop/core';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { webhookMiddleware, type FastifyReplyLike, type WebhookRequest } from './middleware';
import { WebhookBodyError } from './webhook-body-error';

const secret = `whsec_${randomBytes(24).toString('base64')}`;

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
// Spaced on purpose: a parser that re-serializes would not give these bytes back.
const body = JSON.stringify(event, null, 2);

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A node:http server on port 0, closed (connections too) when disposed. */
async function listen(handler: Handler) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return {
    url,
    async [Symbol.asyncDispose]() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function post(url: string, payload: string, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    body: payload,
    headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  };
}

const signed = (payload = body) => signWebhook(payload, { id: 'msg_1', secret });

/** Express-style `(req, res, next)` layers, run in order; `next(error)` answers 500 with the message, as Express's default handler does. */
type Layer = (req: IncomingMessage & WebhookRequest, res: ServerResponse, next: (error?: unknown) => void) => void;
function chain(errors: unknown[], ...layers: Layer[]): Handler {
  return (req, res) => {
    let index = 0;
    const next = (error?: unknown) => {
      if (error !== undefined) {
        errors.push(error);
        res.writeHead(500, { 'content-type': 'text/plain' }).end((error as Error).message);
        return;
      }
      layers[index++]?.(req, res, next);
    };
    next();
  };
}

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req
      .on('data', (chunk: Buffer) => chunks.push(chunk))
      .on('end', () => resolve(Buffer.concat(chunks)))
      .on('error', reject);
  });
}

/** What express.json() does: consume the stream, leave a parsed object (and body-parser's `_body` flag). */
const jsonParser: Layer = (req, _res, next) => {
  void readAll(req).then((bytes) => {
    Object.assign(req, { _body: true, body: JSON.parse(bytes.toString('utf8')) as unknown });
    next();
  }, next);
};
/** What express.raw() does. */
const rawParser: Layer = (req, _res, next) => {
  void readAll(req).then((bytes) => {
    req.body = bytes;
    next();
  }, next);
};
/** express.json({ verify: (req, res, buf) => { req.rawBody = buf } }). */
const jsonWithRawBody: Layer = (req, _res, next) => {
  void readAll(req).then((bytes) => {
    Object.assign(req, { _body: true, rawBody: bytes, body: JSON.parse(bytes.toString('utf8')) as unknown });
    next();
  }, next);
};
/** Express 4's body-parser on a route whose content type it skips: `req.body = {}`, stream untouched. */
const skippingParser: Layer = (req, _res, next) => {
  req.body = {};
  next();
};

describe('webhookMiddleware on plain node:http', () => {
  it('verifies a delivery signed by signWebhook and hands the event over', async () => {
    const seen: LiveDropEvent[] = [];
    await using server = await listen(webhookMiddleware({ secret, onEvent: (e) => void seen.push(e) }));
    const res = await post(server.url, body, await signed());
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ received: true });
    expect(seen).toEqual([event]);
  });

  it('verifies a delivery signed by the standardwebhooks library', async () => {
    const seen: LiveDropEvent[] = [];
    await using server = await listen(webhookMiddleware({ secret, onEvent: (e) => void seen.push(e) }));
    const sentAt = new Date();
    const headers = {
      'webhook-id': 'msg_sw',
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign('msg_sw', sentAt, body),
    };
    expect((await post(server.url, body, headers)).status).toBe(200);
    expect(seen.map((e) => e.id)).toEqual(['evt_7Hq2']);
  });

  it('answers 400 problem+json to a tampered, unsigned, stale or foreign delivery, and never calls the handler', async () => {
    const seen: LiveDropEvent[] = [];
    await using server = await listen(webhookMiddleware({ secret, onEvent: (e) => void seen.push(e) }));
    const headers = await signed();

    const tampered = await post(server.url, body.replace('key_new', 'key_evil'), headers);
    expect(tampered.status).toBe(400);
    expect(tampered.type).toBe('application/problem+json');
    expect(tampered.json()).toMatchObject({
      status: 400,
      code: 'webhook_signature_invalid',
      title: 'Webhook verification failed',
      detail: expect.stringContaining('raw body'),
    });

    expect((await post(server.url, body, {})).json()).toMatchObject({ status: 400, code: 'webhook_headers_missing' });
    const stale = await signWebhook(body, { id: 'msg_old', secret, now: Date.now() - 600_000 });
    expect((await post(server.url, body, stale)).json()).toMatchObject({
      status: 400,
      code: 'webhook_timestamp_invalid',
    });
    const foreign = await signWebhook(body, { id: 'msg_1', secret: `whsec_${randomBytes(24).toString('base64')}` });
    expect((await post(server.url, body, foreign)).json()).toMatchObject({ code: 'webhook_signature_invalid' });
    const unknownType = JSON.stringify({ ...event, type: 'livedrop.unknown.thing' });
    expect((await post(server.url, unknownType, await signed(unknownType))).json()).toMatchObject({
      code: 'webhook_payload_invalid',
    });
    expect(seen).toEqual([]);
  });

  it('honours the tolerance and an injected clock', async () => {
    const sentAt = Date.now() - 600_000;
    const headers = await signWebhook(body, { id: 'msg_2', secret, now: sentAt });
    await using lenient = await listen(webhookMiddleware({ secret, toleranceSeconds: 900 }));
    expect((await post(lenient.url, body, headers)).status).toBe(200);
    await using backdated = await listen(webhookMiddleware({ secret, now: () => sentAt + 1_000 }));
    expect((await post(backdated.url, body, headers)).status).toBe(200);
  });

  it('answers 413 to a body over the limit, before verifying it', async () => {
    await using server = await listen(webhookMiddleware({ secret, maxBodyBytes: 64 }));
    const res = await post(server.url, body, await signed());
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ code: 'webhook_body_too_large' });
  });

  it('answers 500 when the handler throws, so LiveDrop retries, and reports the error', async () => {
    const reported: unknown[] = [];
    const failure = new Error('database down');
    await using server = await listen(
      webhookMiddleware({
        secret,
        onEvent: () => Promise.reject(failure),
        onError: (error) => void reported.push(error),
      }),
    );
    const res = await post(server.url, body, await signed());
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ code: 'webhook_handler_failed' });
    expect(res.text).not.toContain('database down');
    expect(reported).toEqual([failure]);
  });

  it('lets the handler answer for itself', async () => {
    await using server = await listen(
      webhookMiddleware({
        secret,
        onEvent: (_event, _req, res) =>
          void (res as ServerResponse).writeHead(202, { 'content-type': 'text/plain' }).end('queued'),
      }),
    );
    const res = await post(server.url, body, await signed());
    expect([res.status, res.text]).toEqual([202, 'queued']);
  });
});

describe('webhookMiddleware in an Express-style (req, res, next) chain', () => {
  const handler: Layer = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ handled: req.livedropEvent?.id }));
  };

  it('reads the raw body itself when mounted first, then calls next with req.livedropEvent set', async () => {
    const errors: unknown[] = [];
    await using server = await listen(chain(errors, webhookMiddleware({ secret }), handler));
    const res = await post(server.url, body, await signed());
    expect([res.status, res.json()]).toEqual([200, { handled: 'evt_7Hq2' }]);
    expect((await post(server.url, `${body} `, await signed())).status).toBe(400);
    expect(errors).toEqual([]);
  });

  it('accepts bodies kept raw by express.raw(), a verify hook’s req.rawBody, or a skipped parser', async () => {
    for (const parser of [rawParser, jsonWithRawBody, skippingParser]) {
      const errors: unknown[] = [];
      await using server = await listen(chain(errors, parser, webhookMiddleware({ secret }), handler));
      const res = await post(server.url, body, await signed());
      expect([res.status, res.text, errors]).toEqual([200, JSON.stringify({ handled: 'evt_7Hq2' }), []]);
    }
  });

  it('fails loudly, with the fix, when express.json() consumed the body first', async () => {
    const errors: unknown[] = [];
    let handled = false;
    await using server = await listen(
      chain(errors, jsonParser, webhookMiddleware({ secret }), () => {
        handled = true;
      }),
    );
    const res = await post(server.url, body, await signed());
    expect(res.status).toBe(500);
    expect(handled).toBe(false);
    expect(errors).toHaveLength(1);
    const error = errors[0] as WebhookBodyError;
    expect(error).toBeInstanceOf(WebhookBodyError);
    expect(error.code).toBe('webhook_body_parsed');
    expect(error.message).toMatch(/before express\.json\(\)/);
    expect(error.message).toMatch(/express\.raw\(/);
  });

  it('passes handler errors to next', async () => {
    const errors: unknown[] = [];
    await using server = await listen(
      chain(errors, webhookMiddleware({ secret, onEvent: () => Promise.reject(new Error('boom')) }), handler),
    );
    expect((await post(server.url, body, await signed())).status).toBe(500);
    expect(errors).toEqual([new Error('boom')]);
  });
});

describe('webhookMiddleware without a next (plain node:http) behind a parser', () => {
  it('answers 500 problem+json naming the fix, and reports it', async () => {
    const reported: unknown[] = [];
    const middleware = webhookMiddleware({ secret, onError: (error) => void reported.push(error) });
    await using server = await listen((req, res) => {
      void readAll(req).then((bytes) =>
        middleware(Object.assign(req, { body: JSON.parse(bytes.toString()) as unknown }), res),
      );
    });
    const res = await post(server.url, body, await signed());
    expect(res.status).toBe(500);
    expect(res.type).toBe('application/problem+json');
    expect(res.json()).toMatchObject({
      code: 'webhook_body_parsed',
      detail: expect.stringContaining('express.json()'),
    });
    expect(reported).toHaveLength(1);
  });
});

describe('webhookMiddleware as a Fastify preHandler', () => {
  /** Fastify's reply and the request a `parseAs: 'buffer'` content-type parser leaves. */
  function fastifyPair(requestBody: unknown, headers: Record<string, string>) {
    const sent: { status?: number; headers: Record<string, string>; payload?: string } = { headers: {} };
    let settle!: (outcome: { done: boolean; error?: unknown }) => void;
    const settled = new Promise<{ done: boolean; error?: unknown }>((resolve) => (settle = resolve));
    const reply: FastifyReplyLike = {
      sent: false,
      code(status) {
        sent.status = status;
      },
      header(name, value) {
        sent.headers[name] = value;
      },
      send(payload) {
        sent.payload = payload;
        settle({ done: false });
      },
    };
    const request: WebhookRequest = { headers, body: requestBody };
    const done = (error?: unknown) => settle({ done: true, error });
    return { request, reply, done, sent, settled };
  }

  it('calls done with request.livedropEvent set when the buffer body verifies', async () => {
    const pair = fastifyPair(Buffer.from(body), await signed());
    webhookMiddleware({ secret })(pair.request, pair.reply, pair.done);
    expect(await pair.settled).toEqual({ done: true, error: undefined });
    expect(pair.request.livedropEvent).toEqual(event);
  });

  it('replies 400 problem+json itself, without done, when it does not', async () => {
    const pair = fastifyPair(Buffer.from(body.replace('key_new', 'key_evil')), await signed());
    webhookMiddleware({ secret })(pair.request, pair.reply, pair.done);
    expect(await pair.settled).toEqual({ done: false });
    expect(pair.sent.status).toBe(400);
    expect(pair.sent.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(pair.sent.payload!)).toMatchObject({ code: 'webhook_signature_invalid' });
  });

  it('hands done an error naming addContentTypeParser when Fastify parsed the JSON', async () => {
    const pair = fastifyPair(event, await signed());
    webhookMiddleware({ secret })(pair.request, pair.reply, pair.done);
    const outcome = await pair.settled;
    expect(outcome.done).toBe(true);
    expect((outcome.error as Error).message).toContain(
      'addContentTypeParser("application/json", { parseAs: "buffer" }',
    );
  });
});
