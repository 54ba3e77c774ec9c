import { EventSource } from 'eventsource';

/** One SSE message as a client received it. */
export interface SseMessage {
  readonly event: string;
  readonly id: string;
  readonly data: string;
}

/** A real EventSource client (the `eventsource` package) and what it received. */
export interface SseClient extends Disposable {
  readonly messages: SseMessage[];
  /** The headers of every request it sent: the first connection, then each reconnection. */
  readonly requests: Headers[];
  /** How many times the connection failed (each is followed by a reconnection). */
  readonly errors: () => number;
  close(): void;
}

/**
 * Connects a real EventSource client to `url` with `key` as the bearer token, listening for the
 * named `events` (SSE `event:` names). It reconnects by itself, sending `Last-Event-ID`.
 */
export function openSse(
  url: string,
  key: string,
  events: readonly string[],
  headers: Record<string, string> = {},
): SseClient {
  const messages: SseMessage[] = [];
  const requests: Headers[] = [];
  let errors = 0;
  const source = new EventSource(url, {
    fetch: (input, init) => {
      const sent = new Headers({ ...headers, ...init.headers, authorization: `Bearer ${key}` });
      requests.push(sent);
      return fetch(input, { ...init, headers: sent });
    },
  });
  for (const event of events)
    source.addEventListener(event, (message) =>
      messages.push({ event, id: message.lastEventId, data: message.data as string }),
    );
  source.addEventListener('error', () => errors++);
  const close = () => source.close();
  return { messages, requests, errors: () => errors, close, [Symbol.dispose]: close };
}

/** Waits (real time) until `condition` holds; fails naming `what` after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Reads a streaming response's body as text until `done(text)` holds, then cancels it. For raw
 * checks of the bytes on the wire (the `retry:` field, heartbeats).
 */
export async function readUntil(
  response: Response,
  done: (text: string) => boolean,
  timeoutMs = 10_000,
): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const timer = setTimeout(() => void reader.cancel(new Error('timeout')), timeoutMs);
  try {
    while (!done(text)) {
      const { done: ended, value } = await reader.read();
      if (ended) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => undefined);
  }
  if (!done(text))
    throw new Error(`The stream ended (or timed out) before the expected text; got:\n${text.slice(0, 2000)}`);
  return text;
}

/** Parses raw SSE text into messages (ignoring comments and `retry:`), for streams read with fetch. */
export function parseSse(text: string): SseMessage[] {
  const messages: SseMessage[] = [];
  const blocks = text.split('\n\n');
  // The last piece is empty or a message still arriving.
  blocks.pop();
  for (const block of blocks) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      fields.set(line.slice(0, colon), line.slice(colon + 1).replace(/^ /, ''));
    }
    const id = fields.get('id');
    if (id !== undefined)
      messages.push({ event: fields.get('event') ?? 'message', id, data: fields.get('data') ?? '' });
  }
  return messages;
}
