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

  function line(): string {
    const elapsed = performance.now() - started;
    const rate = elapsed > 250 && count > 0 ? `  ${number.format(Math.round((count * 1000) / elapsed))}/s` : '';
    if (total === null) return `${color('36', '◌')} ${name}  ${color('2', seconds(elapsed))}`;
    const share = total === 0 ? 1 : Math.min(1, count / total);
    const filled = Math.round(share * BAR_WIDTH);
    const bar = color('36', '█'.repeat(filled)) + color('2', '░'.repeat(BAR_WIDTH - filled));
    return `${bar} ${number.format(count).padStart(number.format(total).length)}/${number.format(total)}${color('2', rate)}  ${name}`;
  }

  function draw(force = false): void {
    if (!tty || !active) return;
    const now = performance.now();
    if (!force && now - lastDraw < REDRAW_MS) return;
    lastDraw = now;
    const columns = stream.columns ?? 100;
    // Cut by visible length: the escape codes take no columns.
    let text = line();
    const visible = text.replace(/\u001b\[[0-9;]*m/g, '');
    if (visible.length > columns - 1) text = visible.slice(0, columns - 2) + '…';
    stream.write(`\r\u001b[2K${text}`);
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
