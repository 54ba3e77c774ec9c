/** Renders results rows (see results-file.mjs) as one plain-text table. */

const DIGITS = { 'req/s': 0, 'req/CPU-s': 0, 'ops/s': 0, 'ops/CPU-s': 0, ms: 2, µs: 1, kB: 2, '×': 2 };

export function formatValue(value, unit) {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  const digits = DIGITS[unit] ?? 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const withSpread = (stat, unit) => {
  if (!stat) return '—';
  const middle = `${formatValue(stat.median, unit)} ${unit}`;
  return stat.min === stat.max ? middle : `${middle} (${formatValue(stat.min, unit)}–${formatValue(stat.max, unit)})`;
};

// Three decimals on the median, so a ratio just under its target (0.899) never reads as meeting it (0.90).
const ratioText = (ratio) =>
  ratio ? `${ratio.median.toFixed(3)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})` : '—';
const verdict = (met) => (met === null || met === undefined ? '·' : met ? '✓' : '✗');

/** The columns of the table, as arrays of cell text (header first). */
export function tableCells(rows) {
  const cells = [['bench', 'ours: median (min–max over rounds)', 'baseline: median', 'ours ÷ baseline', 'target', '']];
  for (const row of rows) {
    cells.push([
      row.name,
      withSpread(row.ours, row.unit),
      row.baseline ? `${formatValue(row.baseline.median, row.unit)} ${row.unit}` : '—',
      ratioText(row.ratio),
      row.target ?? '—',
      verdict(row.met),
    ]);
  }
  return cells;
}

/** The table as aligned plain text. */
export function renderTable(rows) {
  const cells = tableCells(rows);
  const widths = cells[0].map((_, column) => Math.max(...cells.map((line) => [...line[column]].length)));
  const line = (cellsOfLine) =>
    cellsOfLine
      .map((cell, column) => cell + ' '.repeat(widths[column] - [...cell].length))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((width) => '─'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** The table as GitHub markdown (for docs/benchmarks.md). */
export function renderMarkdown(rows) {
  const cells = tableCells(rows);
  const escapeCell = (cell) => cell.replaceAll('|', '\\|');
  return [cells[0], cells[0].map(() => '---'), ...cells.slice(1)]
    .map((line) => `| ${line.map(escapeCell).join(' | ')} |`)
    .join('\n');
}
