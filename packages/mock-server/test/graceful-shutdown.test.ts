import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { domainHandlers } from '../src/domain';
import type { Handler } from '../src/http/handler';
import { startReferenceServer, type ServeOptions } from '../src/node';
import type { ReferenceServerOptions } from '../src/server';
import { MemoryStorage } from '../src/storage/memory/memory-storage';
import { apiAs } from './support/http';

/** A promise with its resolver, for a handler the test holds in flight. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/**
 * A server whose `getSession` waits, once it has the request, until the test lets it answer: a
 * request the test knows is in flight.
 */
async function serverWithSlowHydrate(options: ReferenceServerOptions & ServeOptions = {}) {
  const entered = gate();
  const release = gate();
  const getSession: Handler<'getSession'> = async (context) => {
    entered.open();
    await release.opened;
    return domainHandlers.getSession!(context);
  };
  const ld = await startReferenceServer({ handlers: { getSession }, ...options });
  const api = apiAs(ld.url, ld.server.keys.secretKey);
  const session = await api.post('/v1/sessions', {
    creatorId: ld.server.keys.creatorId,
    title: 'Winter drop',
    scheduledStartAt: '2026-11-25T19:00:00.000Z',
  });
  expect(session.status).toBe(201);
  return { ld, sessionId: session.body.id as string, entered: entered.opened, release: release.open };
}

/** Whether a new TCP connection to `port` is refused. */
function connectionRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown (RunningServer.close)', () => {
  it('lets a request in flight finish, refusing new connections meanwhile', async () => {
    const { ld, sessionId, entered, release } = await serverWithSlowHydrate();
    const slow = fetch(`${ld.url}/v1/sessions/${sessionId}`, {
      headers: { authorization: `Bearer ${ld.server.keys.secretKey}` },
    });
    await entered;
    let closed = false;
    const closing = ld.close().then(() => {
      closed = true;
    });

    expect(await connectionRefused(ld.port)).toBe(true);
    expect(closed).toBe(false);
    release();
    const res = await slow;
    expect(res.status).toBe(200);
    expect((await res.json()).session.id).toBe(sessionId);
    await closing;
    expect(closed).toBe(true);
  });

  it('answers /readyz 503 draining to a request that arrives on an open connection during the drain', async () => {
    // The storage tells when /readyz asks it, so the request in flight is let go only after.
    const probed = gate();
    const { ld, sessionId, entered, release } = await serverWithSlowHydrate({
      storage: (context) =>
        Object.assign(new MemoryStorage(context), {
          readiness: async () => {
            probed.open();
            return { ready: true, checks: { storage: true } };
          },
        }),
    });
    const socket = connect(ld.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      `GET /v1/sessions/${sessionId} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ld.server.keys.secretKey}\r\n\r\n`,
    );
    await entered;
    const closing = ld.close();
    // Pipelined behind the request in flight, on the connection the drain keeps open for it.
    socket.write('GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n');
    await probed.opened;
    release();
    await closing;
    await ended;

    const [first, second] = received.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toMatch(/\r\nconnection: close\r\n/i);
    expect(second).toContain('"code":"service_unavailable"');
    expect(second).toContain('"shutdown":"draining"');
  });

  it('ends every SSE stream with a retry: hint before the stream ends', async () => {
    await using ld = await startReferenceServer({ drainRetryMs: 250 });
    const api = apiAs(ld.url, ld.server.keys.secretKey);
    const session = await api.post('/v1/sessions', {
      creatorId: ld.server.keys.creatorId,
      title: 'Winter drop',
      scheduledStartAt: '2026-11-25T19:00:00.000Z',
    });
    const stream = await fetch(`${ld.url}/v1/sessions/${session.body.id}/stream`, {
      headers: { authorization: `Bearer ${ld.server.keys.publishableKey}` },
    });
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // The stream opens with its own retry: (1000 by default); the drain's comes after it.
    while (!text.includes('\n\n')) text += decoder.decode((await reader.read()).value, { stream: true });
    expect(text.startsWith('retry: 1000\n\n')).toBe(true);

    const closing = ld.close();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    await closing;
    // Ended cleanly (the read loop saw `done`, not an error), with the drain's hint last.
    expect(text.trimEnd().endsWith('retry: 250')).toBe(true);
  });

  it('cuts what is still in flight once shutdownTimeoutMs has passed', async () => {
    const { ld, sessionId, entered, release } = await serverWithSlowHydrate({ shutdownTimeoutMs: 50 });
    const slow = fetch(`${ld.url}/v1/sessions/${sessionId}`, {
      headers: { authorization: `Bearer ${ld.server.keys.secretKey}` },
    });
    await entered;
    await ld.close();
    await expect(slow).rejects.toThrow();
    release();
  });
});
