/** Yields the lines of a UTF-8 byte stream (without their `\n` / `\r\n`), as they arrive. */
export async function* readLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf('\n')) !== -1) {
        yield buffered.slice(0, newline).replace(/\r$/, '');
        buffered = buffered.slice(newline + 1);
      }
      if (done) break;
    }
    if (buffered !== '') yield buffered;
  } finally {
    // Stopping early (a `break` in the caller's loop) must close the connection.
    await reader.cancel().catch(() => undefined);
  }
}
