/**
 * Forks a bench helper (load-generator.mjs, sse-subscribers.mjs) and talks to it by IPC: `request`
 * sends a message with a fresh `id` and resolves with the reply of that `id`; `next(type)` waits for
 * the next unsolicited message of a type (kept until asked for).
 */
import { fork } from 'node:child_process';

export async function forkHelper(file, { execArgv = [] } = {}) {
  const child = fork(new URL(`../${file}`, import.meta.url), [], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map();
  const waiting = [];
  // Unsolicited messages no one waits for yet: IPC can deliver several in one turn, before a waiter
  // that handled the first has asked again, so they are kept rather than dropped.
  const unclaimed = [];
  let lastId = 0;
  let exited = false;
  child.on('message', (message) => {
    if (message.id !== undefined && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.type === 'error') reject(new Error(`${file}: ${message.message}`));
      else resolve(message);
      return;
    }
    const index = waiting.findIndex((waiter) => waiter.type === message.type);
    if (index !== -1) waiting.splice(index, 1)[0].resolve(message);
    else unclaimed.push(message);
  });
  child.on('exit', (code) => {
    exited = true;
    const error = new Error(`${file} exited with code ${code}`);
    for (const { reject } of pending.values()) reject(error);
    for (const { reject } of waiting) reject(error);
  });
  const next = (type) => {
    const index = unclaimed.findIndex((message) => message.type === type);
    if (index !== -1) return Promise.resolve(unclaimed.splice(index, 1)[0]);
    return new Promise((resolve, reject) => waiting.push({ type, resolve, reject }));
  };
  await next('ready');
  return {
    child,
    next,
    /** Sends `message` and resolves with the child's reply to it. */
    request(message) {
      const id = ++lastId;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ ...message, id });
      });
    },
    /** Sends `message` without waiting for a reply. */
    send(message) {
      child.send(message);
    },
    async close() {
      if (exited) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'exit' });
      const timer = setTimeout(() => child.kill(), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
