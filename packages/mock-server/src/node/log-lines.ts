import { format } from 'node:util';

/** How the CLI writes its log lines: one JSON object per line, or text for a person at a terminal. */
export type LogFormat = 'json' | 'pretty';

/** A log line's severity. */
export type LogLevel = 'info' | 'warn' | 'error';

/** Writes log lines; `fields` are extra members of a JSON line (`url`, `error`…). */
export interface LogLines {
  /** The format the lines are written in. */
  readonly format: LogFormat;
  /** Writes one line at `level`. */
  write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

/** The prefix the server's own messages carry (`[livedrop-mock] sweep failed`); a JSON line drops it. */
const PREFIX = '[livedrop-mock] ';

/** An error as JSON members: name, message, code when it has one, and the stack. */
function errorFields(error: Error): Record<string, unknown> {
  const code = (error as NodeJS.ErrnoException).code;
  return { name: error.name, message: error.message, ...(code === undefined ? {} : { code }), stack: error.stack };
}

/** `members` as JSON; a member JSON cannot hold (a cycle, a BigInt) is written as node prints it. */
function safeStringify(members: Record<string, unknown>): string {
  try {
    return JSON.stringify(members);
  } catch {
    const printable: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(members)) {
      try {
        JSON.stringify(value);
        printable[name] = value;
      } catch {
        printable[name] = format('%O', value);
      }
    }
    return JSON.stringify(printable);
  }
}

/**
 * Log lines on `out` (the CLI's stderr: stdout carries the keys). A JSON line is
 * `{"level","time","msg",...fields}` with `time` the wall clock as ISO 8601 (logs tell when it
 * happened, not the server's injected clock); an `Error` in `fields` is written as its name,
 * message, code and stack. A pretty line is `livedrop-mock: msg` and its fields.
 */
export function createLogLines(logFormat: LogFormat, out: NodeJS.WritableStream): LogLines {
  return {
    format: logFormat,
    write(level, msg, fields = {}) {
      if (logFormat === 'pretty') {
        const extra = Object.values(fields).map((value) => (typeof value === 'string' ? value : format('%O', value)));
        out.write(`livedrop-mock: ${[msg, ...extra].join(' ')}\n`);
        return;
      }
      const members: Record<string, unknown> = { level, time: new Date().toISOString(), msg };
      for (const [name, value] of Object.entries(fields))
        members[name] = value instanceof Error ? errorFields(value) : value;
      out.write(`${safeStringify(members)}\n`);
    },
  };
}

/**
 * Sends what the server reports through `console.error` and `console.warn` (a failed sweep, a
 * failed webhook attempt…) to `lines` as JSON lines: the message without its `[livedrop-mock]`
 * prefix, an `Error` argument as `error`, anything else as `detail`. Answers a function that puts
 * the console back.
 */
export function routeConsoleTo(lines: LogLines): () => void {
  const { error, warn } = console;
  const route =
    (level: LogLevel) =>
    (first?: unknown, ...rest: unknown[]): void => {
      const text = typeof first === 'string' ? first : format('%O', first);
      const fields: Record<string, unknown> = {};
      const details: unknown[] = [];
      for (const value of rest) {
        if (value instanceof Error && !('error' in fields)) fields['error'] = value;
        else details.push(value);
      }
      if (details.length > 0) fields['detail'] = details.length === 1 ? details[0] : details;
      lines.write(level, text.startsWith(PREFIX) ? text.slice(PREFIX.length) : text, fields);
    };
  console.error = route('error');
  console.warn = route('warn');
  return () => {
    console.error = error;
    console.warn = warn;
  };
}
