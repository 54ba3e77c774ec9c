import type { SimulationReport } from './run-simulation';
import { SCENARIO_LABELS } from './report-table';

const WIDTH = 960;
const HEIGHT = 420;
const MARGIN = { top: 40, right: 24, bottom: 56, left: 80 };
const COLORS = ['#d1495b', '#edae49', '#00798c', '#30638e', '#003d5b'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round step for about `ticks` axis divisions of `max`. */
function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
}

/**
 * A self-contained SVG line chart: origin requests per second over the evening's clock, one series
 * per scenario (the highest second of each `bucketSeconds` window, so short spikes stay visible),
 * with axes, gridlines and a legend.
 */
export function renderChart(report: SimulationReport, bucketSeconds = 10): string {
  const startsAtMs = Date.parse(report.schedule.startsAt);
  const seconds = report.scenarios.flatMap((s) => [...s.totals.originPerSecond.keys()]);
  const first = Math.min(...seconds, ...report.audiences.map((a) => a.startSecond));
  const last = Math.max(...seconds, ...report.audiences.map((a) => a.endSecond));
  const span = Math.max(1, last - first);
  const series = report.scenarios.map((s) => {
    const buckets = new Map<number, number>();
    for (const [second, value] of s.totals.originPerSecond) {
      const bucket = Math.floor((second - first) / bucketSeconds);
      buckets.set(bucket, Math.max(buckets.get(bucket) ?? 0, value));
    }
    const points: [number, number][] = [];
    for (let b = 0; b <= Math.floor(span / bucketSeconds); b++)
      points.push([first + b * bucketSeconds, buckets.get(b) ?? 0]);
    return { label: SCENARIO_LABELS[s.scenario], points };
  });
  const maxValue = Math.max(1, ...series.flatMap((s) => s.points.map(([, v]) => v)));
  const step = niceStep(maxValue, 5);
  const top = Math.ceil(maxValue / step) * step;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (second: number) => MARGIN.left + ((second - first) / span) * plotW;
  const y = (value: number) => MARGIN.top + plotH - (value / top) * plotH;
  const clock = (second: number) => new Date(startsAtMs + second * 1000).toISOString().slice(11, 16);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
  );
  parts.push(`<title>Origin requests per second by scenario</title>`);
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  parts.push(
    `<text x="${MARGIN.left}" y="24" font-size="15" font-weight="600">Origin load during the drop (peak req/s per ${bucketSeconds} s, scale ${report.scale})</text>`,
  );
  for (let value = 0; value <= top; value += step) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#e5e5e5"/>`,
    );
    parts.push(
      `<text x="${MARGIN.left - 8}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${value.toLocaleString('en-US')}</text>`,
    );
  }
  const timeStep = niceStep(span / 60, 8) * 60;
  for (let t = Math.ceil(first / timeStep) * timeStep; t <= last; t += timeStep) {
    parts.push(
      `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH + 5}" stroke="#333"/>`,
    );
    parts.push(`<text x="${x(t).toFixed(1)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${clock(t)}</text>`);
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotH}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
  );
  parts.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#333"/>`,
  );
  parts.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">simulated time (UTC)</text>`,
  );
  parts.push(
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">origin requests / s</text>`,
  );
  series.forEach((s, index) => {
    const color = COLORS[index % COLORS.length]!;
    const d = s.points
      .map(([second, value], i) => `${i === 0 ? 'M' : 'L'}${x(second).toFixed(1)} ${y(value).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<path class="series" data-scenario="${escapeXml(s.label)}" d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`,
    );
    const ly = MARGIN.top + 8 + index * 18;
    parts.push(
      `<g class="legend"><line x1="${WIDTH - MARGIN.right - 190}" x2="${WIDTH - MARGIN.right - 170}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="3"/><text x="${WIDTH - MARGIN.right - 164}" y="${ly + 4}">${escapeXml(s.label)}</text></g>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
