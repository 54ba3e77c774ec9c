import { SCENARIO_LABELS } from './report-table';
import type { ScenarioName } from './run-scenario';

/** Where progress is shown. */
export interface ProgressSink {
  update(scenario: ScenarioName, done: number, total: number): void;
  close(): void;
}

/**
 * Progress on `stream`: one line redrawn in place on a terminal; on a file or pipe, one line per
 * scenario as it starts (no redraws in logs).
 */
export function createProgressLine(stream: NodeJS.WriteStream): ProgressSink {
  const tty = stream.isTTY === true && process.env.TERM !== 'dumb';
  let current: ScenarioName | null = null;
  let lastDraw = 0;
  return {
    update(scenario, done, total) {
      if (scenario !== current) {
        current = scenario;
        if (!tty) stream.write(`simulating: ${SCENARIO_LABELS[scenario]}\n`);
      }
      if (!tty) return;
      const now = performance.now();
      if (done !== total && done !== 0 && now - lastDraw < 100) return;
      lastDraw = now;
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      stream.write(
        `\r\u001b[2K${SCENARIO_LABELS[scenario].padEnd(22)} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total} s`,
      );
    },
    close() {
      if (tty) stream.write('\r\u001b[2K');
    },
  };
}
