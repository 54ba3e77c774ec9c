import { headerBytes, serverCpuMs } from './origin-fetch';

/** A session stream read to count its bytes: one viewer's, or an edge POP's with fan-out. */
export interface StreamTap {
  /** Bytes of the response head. */
  readonly headBytes: number;
  /** Server CPU milliseconds of answering the connection. */
  readonly cpuMs: number;
  /** Resolves when the stream has carried `session.ended`, closed or failed. */
  readonly ended: Promise<void>;
  /** Closes the connection. */
  close(): void;
}

const ENDED = 'event: session.ended\n';

/**
 * Opens `GET /v1/sessions/{id}/stream` on `baseUrl` and hands each chunk's byte count to `onBytes`.
 * @throws Error when the origin refuses the stream
 */
export async function tapSessionStream(
  baseUrl: string,
  sessionId: string,
  authorization: string,
  onBytes: (bytes: number) => void,
): Promise<StreamTap> {
  const controller = new AbortController();
  const response = await fetch(new URL(`/v1/sessions/${sessionId}/stream`, baseUrl), {
    headers: { authorization, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (!response.ok || !response.body)
    throw new Error(`The session stream of ${sessionId} answered ${response.status}: ${await response.text()}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let tail = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        onBytes(value.byteLength);
        tail = (tail + decoder.decode(value, { stream: true })).slice(-4096);
        if (tail.includes(ENDED)) return;
      }
    } catch {
      // Closed by us or torn: either way the stream is over.
    }
  })();
  return {
    headBytes: headerBytes(response.headers),
    cpuMs: serverCpuMs(response.headers),
    ended,
    close: () => controller.abort(),
  };
}
