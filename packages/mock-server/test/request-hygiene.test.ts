import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { createManualClock } from '../src/clock';
import { startReferenceServer, type StartedReferenceServer } from '../src/node';
import { apiAs } from './support/http';

const START = Date.parse('2026-11-25T18:00:00Z');
const start = (options: { publicUrl?: string } = {}) =>
  startReferenceServer({ clock: createManualClock(START), ...options });

/** What a test sees of one HTTP exchange: status, headers (lower-case), body text. */
interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The answer in `received` once it is complete (its Content-Length read, or the connection closed). */
function parseAnswer(received: string, closed: boolean): RawAnswer | undefined {
  const split = received.indexOf('\r\n\r\n');
  if (split === -1) return undefined;
  const [statusLine = '', ...headerLines] = received.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine.split(' ')[1]);
  const raw = received.slice(split + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    if (!raw.endsWith('0\r\n\r\n')) return closed ? { status, headers, body: raw } : undefined;
    let body = '';
    for (let at = 0; ; ) {
      const lineEnd = raw.indexOf('\r\n', at);
      const size = Number.parseInt(raw.slice(at, lineEnd), 16);
      if (!size) return { status, headers, body };
      body += raw.slice(lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = headers['content-length'];
  if (!closed && (length === undefined || raw.length < Number(length))) return undefined;
  return { status, headers, body: raw };
}

/**
 * Writes `head` (and `chunks`) on a raw socket and reads one HTTP answer, the way a hostile client
 * would: the answer counts once complete, whatever the server then does with the connection.
 */
function rawExchange(url: string, head: string, chunks: readonly (string | Uint8Array)[] = []): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const settle = (closed: boolean) => {
      const answer = parseAnswer(received, closed);
      if (answer) {
        resolve(answer);
        socket.destroy();
      } else if (closed) reject(new Error(`No HTTP answer; received ${JSON.stringify(received.slice(0, 200))}`));
    };
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => {
      received += data;
      settle(false);
    });
    // Writes past the answer may fail once the server closed its side; the answer is what counts.
    socket.on('error', () => undefined);
    socket.on('close', () => settle(true));
    socket.write(head);
    for (const chunk of chunks) socket.write(chunk);
  });
}

function expectRawProblem(answer: RawAnswer, status: number, code: string): void {
  expect(answer.status, answer.body).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(JSON.parse(answer.body)).toMatchObject({ status, code, detail: expect.any(String) });
}

async function sellerCount(ld: StartedReferenceServer): Promise<number> {
  const state = await apiAs(ld.url, ld.server.controlKey).get('/__control/state');
  return state.body.counts.sellers as number;
}

describe('request bodies are JSON or refused', () => {
  for (const [name, contentType] of [
    ['text/plain', 'text/plain'],
    ['form-encoded', 'application/x-www-form-urlencoded'],
    ['no Content-Type', undefined],
  ] as const) {
    it(`answers 415 unsupported_media_type for a ${name} body, and creates nothing`, async () => {
      await using ld = await start();
      const before = await sellerCount(ld);
      const response = await fetch(`${ld.url}/v1/sellers`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ld.server.keys.secretKey}`,
          ...(contentType ? { 'content-type': contentType } : {}),
        },
        // A Blob without a type makes fetch send no Content-Type at all.
        body: contentType ? '{"name":"Acme"}' : new Blob(['{"name":"Acme"}']),
      });
      expect(response.status).toBe(415);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const problem = (await response.json()) as { code: string; detail: string };
      expect(problem.code).toBe('unsupported_media_type');
      expect(problem.detail).toContain('application/json');
      expect(await sellerCount(ld)).toBe(before);
    });
  }

  it('takes application/json with a charset, and a bodiless POST without a Content-Type', async () => {
    await using ld = await start();
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const seller = await api.post('/v1/sellers', undefined, {
      raw: '{"name":"Acme"}',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(seller.status).toBe(201);
    const session = await api.post('/v1/sessions', {
      creatorId: ld.server.keys.creatorId,
      title: 'Drop',
      scheduledStartAt: '2026-11-25T19:00:00.000Z',
    });
    const started = await fetch(`${ld.url}/v1/sessions/${session.body.id}/start`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ld.server.keys.secretKey}` },
    });
    expect(started.status).toBe(200);
  });

  it('caps a publishable key’s body at 16 KiB (413), refused before it is parsed, while the secret key may send 1 MiB', async () => {
    await using ld = await start();
    const padded = `{"offerToken":"${'t'.repeat(17 * 1024)}","quantity":1}`;
    const publishable = await apiAs(ld.url, ld.server.keys.publishableKey).post('/v1/reservations', undefined, {
      raw: padded,
      headers: { 'idempotency-key': 'big-public' },
    });
    expect(publishable.status).toBe(413);
    expect(publishable.body.code).toBe('payload_too_large');
    expect(publishable.body.detail).toContain('16384');
    const secret = await apiAs(ld.url, ld.server.keys.secretKey).post('/v1/sellers', undefined, {
      raw: `{"name":"Acme"${' '.repeat(100 * 1024)}}`,
    });
    expect(secret.status).toBe(201);
  });

  it('refuses a string with a lone surrogate with 400 naming the field', async () => {
    await using ld = await start();
    const before = await sellerCount(ld);
    const response = await apiAs(ld.url, ld.server.keys.secretKey).post('/v1/sellers', undefined, {
      raw: '{"name":"Acme \\ud800 Sneakers"}',
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'name', code: 'invalid_string' })]);
    expect(response.body.errors[0].message).toContain('surrogate');
    expect(await sellerCount(ld)).toBe(before);
  });

  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`refuses a "${key}" key (here in metadata) with 400 naming it, instead of dropping it`, async () => {
      await using ld = await start();
      const api = apiAs(ld.url, ld.server.keys.secretKey);
      const response = await api.post('/v1/sessions', undefined, {
        raw: `{"creatorId":"${ld.server.keys.creatorId}","title":"Drop","scheduledStartAt":"2026-11-25T19:00:00.000Z","metadata":{"crm":"1","${key}":{"admin":"true"}}}`,
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors).toEqual([
        expect.objectContaining({ path: `metadata.${key}`, code: 'forbidden_key' }),
      ]);
      expect((await api.get('/v1/sessions')).body.data).toEqual([]);
    });
  }
});

describe('transport refusals and hang-ups', () => {
  it('answers 431 problem+json for headers over the limit', async () => {
    await using ld = await start();
    const answer = await rawExchange(
      ld.url,
      `GET /v1/sessions HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(32 * 1024)}\r\n\r\n`,
    );
    expectRawProblem(answer, 431, 'headers_too_large');
  });

  it('answers 400 malformed_request problem+json for Content-Length together with Transfer-Encoding', async () => {
    await using ld = await start();
    const answer = await rawExchange(
      ld.url,
      'POST /v1/sellers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 15\r\nTransfer-Encoding: chunked\r\n\r\nf\r\n{"name":"Acme"}\r\n0\r\n\r\n',
    );
    expectRawProblem(answer, 400, 'malformed_request');
  });

  it('answers 413 problem+json to a chunked body far over the limit instead of resetting the connection', async () => {
    await using ld = await start();
    const chunk = `${(256 * 1024).toString(16)}\r\n${'a'.repeat(256 * 1024)}\r\n`;
    const answer = await rawExchange(
      ld.url,
      `POST /v1/sellers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ld.server.keys.secretKey}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      [...Array.from({ length: 80 }, () => chunk), '0\r\n\r\n'],
    );
    expectRawProblem(answer, 413, 'payload_too_large');
  });

  it('does not log a client that hangs up mid-body as an unexpected error', async () => {
    await using ld = await start();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const handled: Promise<Response>[] = [];
      const handle = ld.server.handle;
      Object.assign(ld.server, {
        handle: (request: Request) => {
          const answer = handle(request);
          handled.push(answer);
          return answer;
        },
      });
      const { hostname, port } = new URL(ld.url);
      const socket = connect(Number(port), hostname);
      socket.write(
        `POST /v1/sellers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ld.server.keys.secretKey}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`,
      );
      await vi.waitFor(() => expect(handled).toHaveLength(1));
      socket.destroy();
      const answer = await handled[0]!;
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { code: string }).code).toBe('malformed_request');
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });
});

describe('keys, origins and secrets', () => {
  it('accepts only the exact control key, whatever the length of a wrong one', async () => {
    await using ld = await start();
    const key = ld.server.controlKey;
    for (const wrong of [`${key.slice(0, -1)}x`, key.slice(1), `${key}x`, 'x'])
      expect((await apiAs(ld.url, wrong).get('/__control/state')).status).toBe(401);
    expect((await apiAs(ld.url, key).get('/__control/state')).status).toBe(200);
  });

  it('does not echo the Host header into /openapi.json servers', async () => {
    await using ld = await start();
    const answer = await rawExchange(ld.url, 'GET /openapi.json HTTP/1.0\r\nHost: evil.example\r\n\r\n');
    expect(answer.status).toBe(200);
    expect(answer.body).not.toContain('evil.example');
    expect(JSON.parse(answer.body).servers[0].url).toBe('/');
  });

  it('names the configured publicUrl in /openapi.json servers', async () => {
    await using ld = await start({ publicUrl: 'https://api.example.com' });
    const doc = await apiAs(ld.url, undefined).get('/openapi.json');
    expect(doc.body.servers[0].url).toBe('https://api.example.com');
  });
});
