#!/usr/bin/env node
/**
 * The HTTP load generator the benches fork (`child_process.fork`), so the client's CPU is not the
 * server's. It answers IPC messages:
 *
 *   { type: 'run', id, url, method, headers, bodies?, body?, count, sockets, idempotencyKeys?, latencies? }
 *     sends `count` requests over a keep-alive `http.Agent` with `sockets` connections, each
 *     connection sending its next request as soon as the previous response has been read. Request i
 *     carries `bodies[i]` (or the same `body`), and a fresh `Idempotency-Key` when `idempotencyKeys`.
 *   → { type: 'done', id, requests, seconds, requestsPerSecond, statuses: { [status]: count },
 *       latenciesMs?: number[] (per request, in sending order, when `latencies`) }
 *
 *   { type: 'alternate', id, targets: [{ url, headers }], count }
 *     sends `count` GET requests to each target, taking turns request by request (A, B, A, B, …), one
 *     at a time, each target over its own keep-alive connection (kept across runs): the targets meet the same moments
 *     of the machine, so a hiccup hits them alike.
 *   → { type: 'done', id, statuses: [{ [status]: count }], latenciesMs: number[][] } (per target, in sending order)
 *
 * It sends { type: 'ready' } once listening for messages.
 */
import http from 'node:http';

const agents = new Map();
/** One keep-alive agent per (origin, sockets), kept across runs so connections are reused. */
function agentFor(url, sockets) {
  const key = `${new URL(url).origin} ${sockets}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
    agents.set(key, agent);
  }
  return agent;
}

function send(agent, target, method, headers, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      target,
      {
        method,
        agent,
        headers: body === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        // Read the whole body, as a client would, but keep nothing.
        response.on('data', () => undefined);
        response.on('end', () => resolve(response.statusCode));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function run({
  id,
  url,
  method = 'GET',
  headers = {},
  bodies,
  body,
  count,
  sockets = 1,
  idempotencyKeys = false,
  latencies = false,
}) {
  const agent = agentFor(url, sockets);
  const target = new URL(url);
  const statuses = {};
  const latenciesMs = latencies ? new Array(count) : undefined;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const requestHeaders = idempotencyKeys ? { ...headers, 'idempotency-key': `bench-${id}-${index}` } : headers;
      const started = latencies ? process.hrtime.bigint() : 0n;
      const status = await send(agent, target, method, requestHeaders, bodies ? bodies[index] : body);
      if (latencies) latenciesMs[index] = Number(process.hrtime.bigint() - started) / 1e6;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(sockets, count) }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    type: 'done',
    id,
    requests: count,
    seconds,
    requestsPerSecond: count / seconds,
    statuses,
    ...(latenciesMs ? { latenciesMs } : {}),
  };
}

async function alternate({ id, targets, count }) {
  const prepared = targets.map(({ url, headers = {} }) => ({ agent: agentFor(url, 1), target: new URL(url), headers }));
  const latenciesMs = targets.map(() => new Array(count));
  const statuses = targets.map(() => ({}));
  for (let index = 0; index < count; index++) {
    for (let t = 0; t < prepared.length; t++) {
      const { agent, target, headers } = prepared[t];
      const started = process.hrtime.bigint();
      const status = await send(agent, target, 'GET', headers, undefined);
      latenciesMs[t][index] = Number(process.hrtime.bigint() - started) / 1e6;
      statuses[t][status] = (statuses[t][status] ?? 0) + 1;
    }
  }
  return { type: 'done', id, statuses, latenciesMs };
}

process.on('message', (message) => {
  if (message.type === 'run' || message.type === 'alternate') {
    (message.type === 'run' ? run(message) : alternate(message)).then(
      (result) => process.send(result),
      (error) => process.send({ type: 'error', id: message.id, message: String(error?.stack ?? error) }),
    );
  } else if (message.type === 'exit') {
    for (const agent of agents.values()) agent.destroy();
    process.disconnect();
  }
});
process.send({ type: 'ready' });
