/**
 * bench/results.json: one section per bench, each written by its bench and merged into what is
 * already there (a bench run alone keeps the others' numbers).
 *
 * A section holds `rows`, the lines of the results table, each:
 *   { id, name, unit, better: 'higher' | 'lower',
 *     ours: { name, median, min, max }, baseline: { name, median, min, max } | null,
 *     ratio: { median, min, max } | null        // ours ÷ baseline, per round, then median/min/max
 *     targets: [{ on: 'ratio' | 'ours', op: '>=' | '<=' | '<', value }], target: text,
 *     met: true | false | null }                // null: informational, no target
 * and whatever else the bench wants to keep (curves, method, raw samples).
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { environment } from './workspace.mjs';

export const RESULTS_FILE = fileURLToPath(new URL('../results.json', import.meta.url));

export async function readResults() {
  try {
    return JSON.parse(await readFile(RESULTS_FILE, 'utf8'));
  } catch {
    return {};
  }
}

/** Replaces the section `name`, keeping every other section. */
export async function writeSection(name, section) {
  const results = await readResults();
  results[name] = { measuredAt: new Date().toISOString(), environment: environment(), ...section };
  // Write then rename, so a reader never sees half a file.
  const temporary = `${RESULTS_FILE}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(results, null, 2)}\n`);
  await rename(temporary, RESULTS_FILE);
}

const OPS = { '>=': (a, b) => a >= b, '<=': (a, b) => a <= b, '<': (a, b) => a < b, '>': (a, b) => a > b };

/** Whether every target of `row` holds for its medians; null when it has none. */
export function targetsMet(row) {
  if (!row.targets?.length) return null;
  return row.targets.every(({ on, op, value }) => {
    const measured = on === 'ratio' ? row.ratio?.median : row.ours?.median;
    return measured !== undefined && OPS[op](measured, value);
  });
}

/** A table row with `met` filled in. */
export function tableRow(row) {
  return { ...row, met: targetsMet(row) };
}
