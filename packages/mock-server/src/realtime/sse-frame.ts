/**
 * Server-Sent Events framing. Frames are encoded to bytes once and the same bytes are handed to
 * every subscriber, so a broadcast costs one serialization however many viewers are watching.
 */

const encoder = new TextEncoder();

/** A frame ready to send and the log position (`seq`) it reflects, which is also its SSE `id:`. */
export interface Frame {
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/**
 * Encodes one SSE message. `data` must be single-line JSON (what `JSON.stringify` produces), so it
 * fits one `data:` field.
 */
export function encodeSseFrame(seq: number, event: string, data: string): Uint8Array {
  return encoder.encode(`id: ${seq}\nevent: ${event}\ndata: ${data}\n\n`);
}

/** The `retry:` field that opens every stream: how long a client waits before reconnecting. */
export function encodeRetry(retryMs: number): Uint8Array {
  return encoder.encode(`retry: ${retryMs}\n\n`);
}

/** A comment line that keeps idle connections (and the proxies in between) from timing out. */
export const HEARTBEAT_BYTES: Uint8Array = encoder.encode(': hb\n\n');
