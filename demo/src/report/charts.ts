import { count, money, percent } from '../format';
import type { HistogramBin, LatencyDistribution } from '../metrics';
import type { BuyerFates, OfferSummary, PayoutSummary, TimelinePoint } from '../summary';
import { attrs, escapeXml, inkOn, linear, px, svg, ticks } from './svg';

/** The report's palette: one hue per meaning, used the same way in every chart. */
export const COLORS = {
  ink: '#1d2330',
  muted: '#596174',
  grid: '#e6e8ee',
  sold: '#3b4fc4',
  held: '#f0a02c',
  available: '#cfd8f6',
  waitlist: '#b5338a',
  declined: '#c2410c',
  lapsed: '#f7c873',
  released: '#a5adbd',
  turnedAway: '#eceef3',
  ok: '#22743b',
  fail: '#c92a2a',
  platform: '#5b6477',
  creator: '#b5338a',
  seller: ['#3b4fc4', '#7c8fe8', '#2b7a8c', '#8cc2cf'],
} as const;

const FONT = `font-family="inherit"`;
/** What every chart is drawn on (the panels are white). */
const PAPER = '#ffffff';

/**
 * A label. `on` is the color it is drawn over; SVG paints no CSS background, but stating it as
 * one lets a contrast checker (axe) compute the label's real contrast instead of giving up at
 * the `<svg>`. Its whole box takes the pointer (not only the glyphs), so a point between two
 * digits finds the label, not the bar under it.
 */
function text(
  x: number,
  y: number,
  content: string,
  options: { anchor?: 'start' | 'middle' | 'end'; size?: number; fill?: string; weight?: number; on?: string } = {},
): string {
  return `<text ${attrs({ x, y, 'text-anchor': options.anchor ?? 'start', 'font-size': options.size ?? 11, fill: options.fill ?? COLORS.muted, 'font-weight': options.weight, style: `background-color:${options.on ?? PAPER}`, 'pointer-events': 'bounding-box' })} ${FONT}>${escapeXml(content)}</text>`;
}

function line(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  stroke: string,
  extra: Record<string, string | number> = {},
): string {
  return `<line ${attrs({ x1, y1, x2, y2, stroke, ...extra })}/>`;
}

/** A step-after band between `lower(p)` and `upper(p)` (the level holds until the next point). */
function band(
  points: readonly TimelinePoint[],
  x: (p: TimelinePoint) => number,
  lower: (p: TimelinePoint) => number,
  upper: (p: TimelinePoint) => number,
  endX: number,
): string {
  if (points.length === 0) return '';
  const top: string[] = [];
  const bottom: string[] = [];
  points.forEach((point, index) => {
    const x0 = x(point);
    const x1 = index + 1 < points.length ? x(points[index + 1]!) : endX;
    top.push(`${px(x0)},${px(upper(point))}`, `${px(x1)},${px(upper(point))}`);
    bottom.push(`${px(x0)},${px(lower(point))}`, `${px(x1)},${px(lower(point))}`);
  });
  return `M${top.join('L')}L${bottom.reverse().join('L')}Z`;
}

/** A step-after line through `value(p)`. */
function stepLine(
  points: readonly TimelinePoint[],
  x: (p: TimelinePoint) => number,
  y: (p: TimelinePoint) => number,
  endX: number,
): string {
  return points
    .map((point, index) => {
      const x1 = index + 1 < points.length ? x(points[index + 1]!) : endX;
      return `${index === 0 ? 'M' : 'L'}${px(x(point))},${px(y(point))}L${px(x1)},${px(y(point))}`;
    })
    .join('');
}

/** Minutes into the show, to a tenth. */
function minute(atMin: number): string {
  return (Math.round(atMin * 10) / 10).toFixed(1);
}

/**
 * Stock over one offer's time on stage, stacked: sold at the bottom, held in the middle, available
 * on top (the three always add up to the stock); the waitlist as a line; moments of the window
 * (published, holds lapse, last call, ended) as dashed rules.
 */
export function stockChart(offer: OfferSummary): string {
  const width = 520;
  const height = 210;
  const margin = { top: 26, right: 14, bottom: 30, left: 40 };
  const points = offer.timeline;
  const start = offer.publishedAtMin ?? 0;
  const end = offer.endedAtMin ?? start + 1;
  const x = linear([start - 0.25, end + 0.1], [margin.left, width - margin.right]);
  const peakQueue = Math.max(0, ...points.map((point) => point.backordered));
  const y = linear([0, Math.max(offer.stock, peakQueue) * 1.04], [height - margin.bottom, margin.top]);
  const endX = x(end);
  const at = (point: TimelinePoint) => x(Math.max(point.atMin, start - 0.25));
  const parts: string[] = [];

  for (const tick of ticks(0, Math.max(offer.stock, peakQueue), 4)) {
    parts.push(line(margin.left, y(tick), width - margin.right, y(tick), COLORS.grid));
    parts.push(text(margin.left - 6, y(tick) + 4, count(tick), { anchor: 'end', size: 10 }));
  }
  for (const tick of ticks(start, end, 6)) {
    parts.push(line(x(tick), height - margin.bottom, x(tick), height - margin.bottom + 4, COLORS.muted));
    parts.push(
      text(x(tick), height - margin.bottom + 16, `${Math.round(tick * 10) / 10}′`, { anchor: 'middle', size: 10 }),
    );
  }
  parts.push(
    `<path d="${band(
      points,
      at,
      () => y(0),
      (p) => y(p.sold),
      endX,
    )}" fill="${COLORS.sold}"/>`,
  );
  parts.push(
    `<path d="${band(
      points,
      at,
      (p) => y(p.sold),
      (p) => y(p.sold + p.reserved),
      endX,
    )}" fill="${COLORS.held}"/>`,
  );
  parts.push(
    `<path d="${band(
      points,
      at,
      (p) => y(p.sold + p.reserved),
      (p) => y(p.sold + p.reserved + p.available),
      endX,
    )}" fill="${COLORS.available}"/>`,
  );
  if (peakQueue > 0)
    parts.push(
      `<path d="${stepLine(points, at, (p) => y(p.backordered), endX)}" fill="none" stroke="${COLORS.waitlist}" stroke-width="2" stroke-dasharray="5 3"/>`,
    );
  parts.push(line(margin.left, y(0), width - margin.right, y(0), COLORS.ink));

  let lastLabelRight = -Infinity;
  for (const mark of offer.marks) {
    const mx = x(mark.atMin);
    parts.push(
      line(mx, margin.top - 4, mx, height - margin.bottom, COLORS.ink, {
        'stroke-dasharray': '2 3',
        'stroke-opacity': 0.55,
      }),
    );
    // Labels that would overlap the previous one drop a line.
    const row = mx - 2 < lastLabelRight ? 1 : 0;
    const atEnd = mx + 3 + mark.label.length * 5.4 > width;
    parts.push(
      text(atEnd ? mx - 3 : mx + 3, margin.top - 12 + row * 11, mark.label, {
        size: 10,
        fill: COLORS.ink,
        anchor: atEnd ? 'end' : 'start',
      }),
    );
    if (row === 0) lastLabelRight = atEnd ? mx : mx + 3 + mark.label.length * 5.4;
  }
  const last = points[points.length - 1];
  const peakHeld = Math.max(0, ...points.map((point) => point.reserved));
  const summary = [
    `${count(offer.stock)} units, on stage from minute ${minute(start)} to ${minute(end)}.`,
    last
      ? `At the end ${count(last.sold)} sold, ${count(last.reserved)} held, ${count(last.available)} available.`
      : 'No stock levels were recorded.',
    `Holds peaked at ${count(peakHeld)} units${peakQueue > 0 ? `, the backorder queue at ${count(peakQueue)} buyers` : ''}.`,
    offer.marks.length > 0
      ? `${offer.marks.map((mark) => `${mark.label} at minute ${minute(mark.atMin)}`).join(', ')}.`
      : '',
  ];
  return svg(
    width,
    height,
    { id: `stock-${offer.slot}`, title: `Stock of ${offer.title} over the show`, summary: summary.join(' ').trim() },
    parts.join(''),
  );
}

/** The legend of the stock charts. */
export function stockLegend(): string {
  const item = (color: string, label: string, dashed = false) =>
    `<span class="key"><svg viewBox="0 0 14 10" width="14" height="10" aria-hidden="true">${dashed ? `<line x1="0" y1="5" x2="14" y2="5" stroke="${color}" stroke-width="2" stroke-dasharray="4 2"/>` : `<rect width="14" height="10" rx="2" fill="${color}"/>`}</svg>${escapeXml(label)}</span>`;
  return `<div class="legend">${item(COLORS.sold, 'sold')}${item(COLORS.held, 'held (in a checkout)')}${item(COLORS.available, 'available')}${item(COLORS.waitlist, 'waiting in the backorder queue', true)}</div>`;
}

/** Buyer fates in display order, with their colors and legend labels. */
export const FATES: readonly { readonly key: keyof BuyerFates; readonly label: string; readonly color: string }[] = [
  { key: 'bought', label: 'bought', color: COLORS.sold },
  { key: 'boughtAfterDecline', label: 'bought after a declined card', color: '#7c8fe8' },
  { key: 'lapsedAfterDecline', label: 'card declined, hold lapsed', color: COLORS.declined },
  { key: 'lapsed', label: 'walked away, hold lapsed', color: COLORS.lapsed },
  { key: 'released', label: 'released the unit', color: COLORS.released },
  { key: 'waitlisted', label: 'queued, never served', color: COLORS.waitlist },
  { key: 'turnedAway', label: 'turned away: sold out', color: COLORS.turnedAway },
];

/** One 100 % bar per offer of where its buyers ended up, counts inside the segments that fit them. */
export function fateBars(offers: readonly OfferSummary[]): string {
  const width = 1000;
  const labelWidth = 250;
  const rowHeight = 40;
  const barHeight = 24;
  const height = offers.length * rowHeight + 6;
  const parts: string[] = [];
  offers.forEach((offer, row) => {
    const top = row * rowHeight + 6;
    const total = FATES.reduce((sum, fate) => sum + offer.fates[fate.key], 0);
    parts.push(
      text(
        0,
        top + barHeight / 2 - 1,
        offer.title.length > 32 ? `${offer.title.slice(0, 31).trimEnd()}…` : offer.title,
        { size: 12, fill: COLORS.ink, weight: 600 },
      ),
    );
    parts.push(text(0, top + barHeight / 2 + 12, `${count(total)} buyers · ${count(offer.stock)} units`, { size: 10 }));
    const x = linear([0, Math.max(1, total)], [labelWidth, width]);
    let at = 0;
    for (const fate of FATES) {
      const value = offer.fates[fate.key];
      if (value === 0) continue;
      const x0 = x(at);
      const x1 = x(at + value);
      parts.push(
        `<rect ${attrs({ x: x0, y: top, width: Math.max(0.5, x1 - x0 - 1), height: barHeight, fill: fate.color })}><title>${escapeXml(`${fate.label}: ${count(value)}`)}</title></rect>`,
      );
      const label = count(value);
      if (x1 - x0 > label.length * 7 + 6) {
        parts.push(
          text((x0 + x1) / 2, top + barHeight / 2 + 4, label, {
            anchor: 'middle',
            size: 11,
            fill: inkOn(fate.color, COLORS.ink),
            weight: 600,
            on: fate.color,
          }),
        );
      }
      at += value;
    }
  });
  const summary = offers.map((offer) => {
    const total = FATES.reduce((sum, fate) => sum + offer.fates[fate.key], 0);
    const fates = FATES.filter((fate) => offer.fates[fate.key] > 0).map(
      (fate) => `${fate.label} ${count(offer.fates[fate.key])}`,
    );
    return `${offer.title}: ${count(total)} buyers for ${count(offer.stock)} units; ${fates.join(', ')}.`;
  });
  return svg(
    width,
    height,
    { id: 'buyer-fates', title: 'Where the buyers of each offer ended up', summary: summary.join(' ') },
    parts.join(''),
  );
}

/** The legend of {@link fateBars}. */
export function fateLegend(): string {
  return `<div class="legend">${FATES.map((fate) => `<span class="key"><svg viewBox="0 0 14 10" width="14" height="10" aria-hidden="true"><rect width="14" height="10" rx="2" fill="${fate.color}"${fate.key === 'turnedAway' ? ' stroke="#c9ccd6"' : ''}/></svg>${escapeXml(fate.label)}</span>`).join('')}</div>`;
}

/** Options of {@link histogram}. */
export interface HistogramOptions {
  /** Unique in the page (the chart's accessible name and description hang off it). */
  readonly id: string;
  readonly title: string;
  readonly color: string;
  /** How an axis value reads, e.g. `12 ms`. */
  readonly format: (value: number) => string;
  /** Percentile markers to draw. @default p50, p95, p99 */
  readonly markers?: readonly ('p50' | 'p95' | 'p99')[];
  /** Width in SVG units (the chart scales to its panel; match the panel to keep text at size). @default 330 */
  readonly width?: number;
  /** Height of the plot area in SVG units. @default 130 */
  readonly plotHeight?: number;
  /** How an axis tick reads. @default `format` */
  readonly tickFormat?: (value: number) => string;
}

/** Round values for a log axis: 1, 2, 5 × powers of ten inside [min, max], thinned to about `count`. */
function logTicks(min: number, max: number, count: number): number[] {
  const values: number[] = [];
  for (let power = Math.floor(Math.log10(min)); power <= Math.ceil(Math.log10(max)); power++) {
    for (const m of [1, 2, 5]) {
      const value = m * 10 ** power;
      if (value >= min && value <= max) values.push(value);
    }
  }
  const decades = values.filter((value) => Math.abs(Math.log10(value) - Math.round(Math.log10(value))) < 1e-9);
  return values.length <= count ? values : decades.length >= 2 ? decades : values.filter((_, index) => index % 2 === 0);
}

/**
 * A histogram with its percentiles marked (each on its own label row, so close values never
 * overlap). Log-spaced distributions get a log axis, so a long tail and a tight body both show.
 */
export function histogram(distribution: LatencyDistribution, options: HistogramOptions): string {
  const width = options.width ?? 330;
  const markers = options.markers ?? ['p50', 'p95', 'p99'];
  const height = (options.plotHeight ?? 130) + 40 + markers.length * 12;
  const margin = { top: 10 + markers.length * 12, right: 14, bottom: 30, left: 38 };
  const { bins, stats } = distribution;
  if (bins.length === 0)
    return svg(
      width,
      height,
      { id: options.id, title: options.title, summary: 'No samples.' },
      text(width / 2, height / 2, 'no samples', { anchor: 'middle' }),
    );
  const log = distribution.scale === 'log';
  const from = bins[0]!.from;
  const to = bins[bins.length - 1]!.to;
  const toAxis = log
    ? linear([Math.log10(from), Math.log10(to)], [margin.left, width - margin.right])
    : linear([from, to], [margin.left, width - margin.right]);
  const x = (value: number) => toAxis(log ? Math.log10(Math.max(value, from)) : value);
  const peak = Math.max(...bins.map((bin: HistogramBin) => bin.count));
  const y = linear([0, peak * 1.08], [height - margin.bottom, margin.top]);
  const parts: string[] = [];
  for (const tick of ticks(0, peak, 3)) {
    parts.push(line(margin.left, y(tick), width - margin.right, y(tick), COLORS.grid));
    parts.push(text(margin.left - 5, y(tick) + 4, count(tick), { anchor: 'end', size: 10 }));
  }
  for (const bin of bins) {
    const x0 = x(bin.from);
    const x1 = x(bin.to);
    parts.push(
      `<rect ${attrs({ x: x0 + 0.5, y: y(bin.count), width: Math.max(0.5, x1 - x0 - 1), height: y(0) - y(bin.count), fill: options.color, rx: 1 })}><title>${escapeXml(`${options.format(bin.from)}–${options.format(bin.to)}: ${count(bin.count)}`)}</title></rect>`,
    );
  }
  parts.push(line(margin.left, y(0), width - margin.right, y(0), COLORS.ink));
  const tickFormat = options.tickFormat ?? options.format;
  for (const tick of log ? logTicks(from, to, 5) : ticks(from, to, 4)) {
    const tx = x(tick);
    const label = tickFormat(tick);
    // Keep edge labels inside the chart.
    const anchor = tx + label.length * 3 > width ? 'end' : tx - label.length * 3 < 0 ? 'start' : 'middle';
    parts.push(line(tx, y(0), tx, y(0) + 4, COLORS.muted));
    parts.push(text(tx, height - margin.bottom + 16, label, { anchor, size: 10 }));
  }
  if (log) parts.push(text(width - margin.right, height - 2, 'log scale', { anchor: 'end', size: 9 }));
  const last = bins[bins.length - 1]!;
  if (
    !log &&
    last.to > last.from * 1.0001 &&
    bins.length > 1 &&
    last.to - last.from > (bins[0]!.to - bins[0]!.from) * 1.5
  ) {
    parts.push(
      text(width - margin.right, height - 2, `last bar: up to ${options.format(last.to)}`, { anchor: 'end', size: 9 }),
    );
  }

  markers.forEach((name, row) => {
    const value = stats[name];
    const mx = Math.min(x(value), width - margin.right);
    const labelY = 10 + row * 12;
    parts.push(
      line(mx, labelY + 2, mx, height - margin.bottom, COLORS.ink, {
        'stroke-width': row === 0 ? 1.5 : 1,
        'stroke-dasharray': row === 0 ? '' : '3 2',
        'stroke-opacity': 0.8,
      }),
    );
    const label = `${name} ${options.format(value)}`;
    // Past the middle, labels sit left of their line, so none runs off the edge.
    const right = mx > margin.left + (width - margin.left - margin.right) * 0.55;
    parts.push(
      text(right ? mx - 4 : mx + 4, labelY, label, {
        size: 10,
        fill: COLORS.ink,
        weight: row === 0 ? 600 : 400,
        anchor: right ? 'end' : 'start',
      }),
    );
  });
  const busiest = bins.reduce((best, bin) => (bin.count > best.count ? bin : best));
  const summary = [
    `${count(stats.count)} samples from ${options.format(from)} to ${options.format(to)}${log ? ' on a log scale' : ''}.`,
    `${markers.map((name) => `${name} ${options.format(stats[name])}`).join(', ')}.`,
    `The tallest bar, ${options.format(busiest.from)} to ${options.format(busiest.to)}, holds ${count(busiest.count)}.`,
  ];
  return svg(width, height, { id: options.id, title: options.title, summary: summary.join(' ') }, parts.join(''));
}

/** The color of a payout destination: platform grey, creator magenta, sellers in blues. */
export function payoutColor(payout: PayoutSummary, sellerIndex: number): string {
  if (payout.party === 'platform') return COLORS.platform;
  if (payout.party === 'creator') return COLORS.creator;
  return COLORS.seller[sellerIndex % COLORS.seller.length]!;
}

/** The net payouts as one bar split by destination, each part labelled with its share. */
export function payoutBar(payouts: readonly PayoutSummary[]): string {
  const width = 1000;
  const height = 64;
  const total = payouts.reduce((sum, payout) => sum + payout.net, 0);
  const x = linear([0, Math.max(1, total)], [0, width]);
  const parts: string[] = [];
  let at = 0;
  let sellers = 0;
  for (const payout of payouts) {
    const color = payoutColor(payout, payout.party === 'seller' ? sellers++ : 0);
    const x0 = x(at);
    const x1 = x(at + payout.net);
    parts.push(
      `<rect ${attrs({ x: x0, y: 0, width: Math.max(0.5, x1 - x0 - 2), height: 34, fill: color, rx: 3 })}><title>${escapeXml(`${payout.label}: ${money(payout.net)}`)}</title></rect>`,
    );
    const share = percent(total === 0 ? 0 : payout.net / total);
    if (x1 - x0 > 60) {
      parts.push(text(x0 + 8, 22, share, { size: 12, fill: inkOn(color, COLORS.ink), weight: 600, on: color }));
      parts.push(text(x0 + 2, 54, payout.label, { size: 11, fill: COLORS.ink }));
    }
    at += payout.net;
  }
  const summary = payouts.map(
    (payout) => `${payout.label} ${money(payout.net)} (${percent(total === 0 ? 0 : payout.net / total)})`,
  );
  return svg(
    width,
    height,
    { id: 'payouts', title: 'Net payouts by destination', summary: `${money(total)} in all: ${summary.join(', ')}.` },
    parts.join(''),
  );
}

/** A three-step funnel: buyers who rushed, buyers who got a hold, buyers who paid. */
export function funnel(
  steps: readonly { readonly label: string; readonly value: number; readonly note: string }[],
): string {
  const width = 460;
  const rowHeight = 62;
  const height = steps.length * rowHeight;
  const top = Math.max(1, steps[0]?.value ?? 1);
  const x = linear([0, top], [0, width - 150]);
  const parts: string[] = [];
  steps.forEach((step, index) => {
    const y = index * rowHeight;
    const w = Math.max(2, x(step.value));
    parts.push(
      `<rect ${attrs({ x: 0, y: y + 4, width: w, height: 30, rx: 3, fill: index === steps.length - 1 ? COLORS.sold : index === 0 ? '#c5cdf2' : '#8a9ae6' })}/>`,
    );
    parts.push(text(w + 8, y + 18, count(step.value), { size: 15, fill: COLORS.ink, weight: 650 }));
    parts.push(text(w + 8, y + 33, step.label, { size: 11 }));
    if (step.note) parts.push(text(0, y + 50, step.note, { size: 11 }));
  });
  const summary = steps.map((step) => `${count(step.value)} ${step.label}${step.note ? ` (${step.note})` : ''}`);
  return svg(width, height, { id: 'funnel', title: 'Buyer funnel', summary: `${summary.join('; ')}.` }, parts.join(''));
}
