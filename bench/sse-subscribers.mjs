#!/usr/bin/env node
/**
 * The SSE subscribers of bench/fanout.bench.mjs, in their own process (forked), so reading 2,000
 * sockets does not take CPU from the server being measured. Each subscriber is a raw node:http GET
 * that scans what it receives for probe markers (`"currentKid":"probe_<n>"`) and records when each
 * probe arrived, on the system-wide monotonic clock (`process.hrtime`, CLOCK_MONOTONIC on Linux), so
 * the parent can subtract its own publish time.
 *
 *   { type: 'open', group, url, headers, count } → { type: 'opened', id }   (every response has begun)
 *   once every subscriber of `group` has probe n → { type: 'received', group, probe, firstMs, lastMs }
 *   { type: 'status', group } → { type: 'status', id, byProbe, ended }   (subscribers by the last probe they saw)
 *   { type: 'exit' } closes everything.
 */
import http from 'node:http';

const MARKER = '"currentKid":"probe_';
const groups = new Map();
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const nowMs = () => Number(process.hrtime.bigint() / 1000n) / 1000;

function subscribe(group, url, headers) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers });
    request.on('error', reject);
    request.on('response', (response) => {
      if (response.statusCode !== 200) reject(new Error(`${url} answered ${response.statusCode}`));
      // A marker may straddle two chunks: keep the end of the last one, and count each probe once.
      let tail = '';
      let lastProbe = -1;
      request.lastProbe = () => lastProbe;
      response.on('end', () => (request.ended = true));
      response.on('data', (chunk) => {
        const at = nowMs();
        const text = tail + chunk.toString('latin1');
        for (let index = text.indexOf(MARKER); index !== -1; index = text.indexOf(MARKER, index + 1)) {
          // Only a number closed by its quote is whole; otherwise it continues in the next chunk.
          const number = /^(\d+)"/.exec(text.slice(index + MARKER.length, index + MARKER.length + 20));
          if (number && Number(number[1]) > lastProbe) {
            lastProbe = Number(number[1]);
            arrived(group, lastProbe, at);
          }
        }
        tail = text.slice(-(MARKER.length + 20));
      });
      resolve(request);
    });
  });
}

function arrived(group, probe, at) {
  let seen = group.probes.get(probe);
  if (!seen) {
    seen = { count: 0, firstMs: at, lastMs: at };
    group.probes.set(probe, seen);
  }
  seen.count++;
  seen.lastMs = Math.max(seen.lastMs, at);
  if (seen.count === group.requests.length) {
    process.send({ type: 'received', group: group.name, probe, firstMs: seen.firstMs, lastMs: seen.lastMs });
    group.probes.delete(probe);
  }
}

process.on('message', async (message) => {
  if (message.type === 'open') {
    try {
      const group = { name: message.group, requests: [], probes: new Map() };
      groups.set(message.group, group);
      // 100 at a time: a thousand simultaneous connects overflow the listen backlog.
      for (let from = 0; from < message.count; from += 100) {
        const batch = Math.min(100, message.count - from);
        group.requests.push(
          ...(await Promise.all(Array.from({ length: batch }, () => subscribe(group, message.url, message.headers)))),
        );
      }
      process.send({ type: 'opened', id: message.id });
    } catch (error) {
      process.send({ type: 'error', id: message.id, message: String(error?.stack ?? error) });
    }
  } else if (message.type === 'status') {
    // How far each subscriber of a group has got: subscribers by the last probe they saw, and how many ended.
    const group = groups.get(message.group);
    const byProbe = {};
    for (const request of group.requests) byProbe[request.lastProbe()] = (byProbe[request.lastProbe()] ?? 0) + 1;
    const ended = group.requests.filter((request) => request.ended).length;
    process.send({ type: 'status', id: message.id, byProbe, ended });
  } else if (message.type === 'exit') {
    for (const group of groups.values()) for (const request of group.requests) request.destroy();
    agent.destroy();
    process.disconnect();
  }
});
process.send({ type: 'ready' });
