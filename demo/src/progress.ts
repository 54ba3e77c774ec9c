/**
 * Progress on stderr while the drop runs: one bar redrawn in place on a terminal (phase, count of
 * total, rate), one line per finished phase when stderr is a file or a pipe. No dependencies.
 */
export interface Progress {
  /** Starts a phase; `total` is null for a phase without a count. */
  phase(name: string, total?: number | null): void;
  /** Moves the current phase forward by `n`. */
  tick(n?: number): void;
  /** Sets the current phase's count (for phases that learn it by polling). */
  set(done: number, total?: number | null): void;
  /** Ends the current phase, with an optional note (e.g. "612 held, 1,388 sold out"). */
  done(note?: string): void;
  /** Prints a line above the bar. */
  log(line: string): void;
  /** Ends the last phase and clears the bar. */
  close(): void;
}

/** Progress that shows nothing (tests, `--quiet`). */
export const silentProgress: Progress = {
  phase() {},
  tick() {},
  set() {},
  done() {},
  log() {},
  close() {},
};

const BAR_WIDTH = 28;
const REDRAW_MS = 80;
const number = new Intl.NumberFormat('en-US');

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** Progress on `stream` (stderr by default): a live bar on a TTY, plain lines otherwise. */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true && process.env.TERM !== 'dumb';
  let name = '';
  let total: number | null = null;
  let count = 0;
  let started = 0;
  let active = false;
  let lastDraw = 0;
  const color = (code: string, text: string) => (tty ? `\u001b[${code}m${text}\u001b[0m` : text);

  /** `text` cut or padded to `width` columns. */
  function fit(text: string, width: number): string {
    return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
  }

  function line(columns: number): string {
    const elapsed = performance.now() - started;
    if (total === null)
      return `${color('36', '◌')} ${fit(name, Math.max(10, columns - 14))}${color('2', seconds(elapsed))}`;
    const rate = elapsed > 250 && count > 0 ? `  ${number.format(Math.round((count * 1000) / elapsed))}/s` : '';
    const counted = `${number.format(count).padStart(number.format(total).length)}/${number.format(total)}`;
    const nameWidth = Math.max(10, Math.min(46, columns - BAR_WIDTH - counted.length - rate.length - 4));
    const share = total === 0 ? 1 : Math.min(1, count / total);
    const filled = Math.round(share * BAR_WIDTH);
    const bar = color('36', '█'.repeat(filled)) + color('2', '░'.repeat(BAR_WIDTH - filled));
    return `${fit(name, nameWidth)} ${bar} ${counted}${color('2', rate)}`;
  }

  function draw(force = false): void {
    if (!tty || !active) return;
    const now = performance.now();
    if (!force && now - lastDraw < REDRAW_MS) return;
    lastDraw = now;
    stream.write(`\r\u001b[2K${line((stream.columns ?? 100) - 1)}`);
  }

  function finish(note?: string): void {
    if (!active) return;
    active = false;
    const elapsed = performance.now() - started;
    const counted = total === null ? '' : ` ${number.format(count)}/${number.format(total)}`;
    const text = `${color('32', '✓')} ${name}${counted}${note ? ` · ${note}` : ''} ${color('2', `(${seconds(elapsed)})`)}`;
    stream.write(tty ? `\r\u001b[2K${text}\n` : `${text}\n`);
  }

  return {
    phase(next, size = null) {
      finish();
      name = next;
      total = size;
      count = 0;
      started = performance.now();
      active = true;
      draw(true);
    },
    tick(n = 1) {
      count += n;
      draw();
    },
    set(done, size) {
      count = done;
      if (size !== undefined) total = size;
      draw();
    },
    done(note) {
      finish(note);
    },
    log(text) {
      if (tty && active) stream.write('\r\u001b[2K');
      stream.write(`${text}\n`);
      draw(true);
    },
    close() {
      finish();
      if (tty) stream.write('\r\u001b[2K');
    },
  };
}
