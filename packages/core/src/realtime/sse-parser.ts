/** One dispatched Server-Sent Events message. */
export interface SseMessage {
  /** The `event:` field, or `message` when the message named none. */
  readonly event: string;
  /** The `data:` fields joined with `\n`. */
  readonly data: string;
  /** The last `id:` seen on the stream so far (ids persist across messages); empty when none. */
  readonly lastEventId: string;
}

/** What an {@link SseParser} reports besides messages. */
export interface SseParserHandlers {
  /** A message was dispatched (a blank line ended a message that had data). */
  readonly onMessage: (message: SseMessage) => void;
  /** A `retry:` field set the reconnection time, in milliseconds. */
  readonly onRetry?: ((ms: number) => void) | undefined;
  /** A comment line (`: hb`), without its leading colon. */
  readonly onComment?: ((text: string) => void) | undefined;
}

const LF = 10;
const CR = 13;

/**
 * An incremental parser of the `text/event-stream` format, as the WHATWG HTML standard
 * ("Server-sent events", §9.2.6) defines it: feed it text chunks as they arrive, split anywhere.
 *
 * Lines end with CRLF, LF or CR (a CRLF split across two chunks counts once); one BOM at the
 * start is skipped; `field: value` loses one space after the colon; a line without a colon is a
 * field with an empty value; `data` lines join with `\n`; `id` persists across messages and is
 * ignored when it contains NUL; `retry` takes ASCII digits only; unknown fields are ignored; a
 * blank line dispatches, unless no `data` came. What follows the last blank line when the stream
 * ends is an incomplete message and is never dispatched.
 *
 * @example
 * const parser = new SseParser({ onMessage: (m) => console.log(m.event, m.data) });
 * for await (const chunk of body.pipeThrough(new TextDecoderStream())) parser.feed(chunk);
 */
export class SseParser {
  readonly #handlers: SseParserHandlers;
  /** The current partial line (text after the last line ending). */
  #line = '';
  #atStart = true;
  /** The previous chunk ended with CR: a LF opening the next one belongs to that line ending. */
  #skipLf = false;
  #data = '';
  #hasData = false;
  #event = '';
  #idBuffer = '';
  #lastEventId = '';

  constructor(handlers: SseParserHandlers) {
    this.#handlers = handlers;
  }

  /** The last event id of the stream (what a reconnection sends as `Last-Event-ID`). */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** Parses the next chunk of the stream's text. */
  feed(chunk: string): void {
    let start = 0;
    if (this.#atStart && chunk.length > 0) {
      this.#atStart = false;
      if (chunk.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (this.#skipLf && start < chunk.length) {
      this.#skipLf = false;
      if (chunk.charCodeAt(start) === LF) start++;
    }
    let lineStart = start;
    for (let i = start; i < chunk.length; i++) {
      const code = chunk.charCodeAt(i);
      if (code !== CR && code !== LF) continue;
      const line = this.#line + chunk.slice(lineStart, i);
      this.#line = '';
      if (code === CR) {
        if (i + 1 === chunk.length) this.#skipLf = true;
        else if (chunk.charCodeAt(i + 1) === LF) i++;
      }
      lineStart = i + 1;
      this.#processLine(line);
    }
    this.#line += chunk.slice(lineStart);
  }

  /**
   * Forgets a partial line and message, as when the connection ends; the last event id stays
   * (a reconnection resumes from it) and the next chunk may start with a BOM again.
   */
  reset(): void {
    this.#line = '';
    this.#atStart = true;
    this.#skipLf = false;
    this.#data = '';
    this.#hasData = false;
    this.#event = '';
    this.#idBuffer = this.#lastEventId;
  }

  #processLine(line: string): void {
    if (line === '') {
      this.#dispatch();
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) {
      this.#handlers.onComment?.(line.slice(1));
      return;
    }
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data = this.#hasData ? `${this.#data}\n${value}` : value;
        this.#hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.#idBuffer = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.#handlers.onRetry?.(Number.parseInt(value, 10));
        break;
      default:
        break;
    }
  }

  #dispatch(): void {
    this.#lastEventId = this.#idBuffer;
    const hasData = this.#hasData;
    const message: SseMessage = {
      event: this.#event === '' ? 'message' : this.#event,
      data: this.#data,
      lastEventId: this.#lastEventId,
    };
    this.#data = '';
    this.#hasData = false;
    this.#event = '';
    if (hasData) this.#handlers.onMessage(message);
  }
}
