/** Escapes text for HTML and SVG content and attribute values. */
export function escapeXml(text: string | number): string {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A linear map from a data domain onto a pixel range. */
export interface Scale {
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
}

/** A linear scale; an empty domain maps everything to the start of the range. */
export function linear(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = ((value: number) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0))) as Scale;
  return Object.assign(scale, { domain, range });
}

/** About `count` round tick values (1, 2 or 5 × a power of ten apart) covering [min, max]. */
export function ticks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw) ?? 10 * power;
  const values: number[] = [];
  for (let value = Math.ceil(min / step) * step; value <= max + step * 1e-9; value += step)
    values.push(Math.round(value / step) * step);
  return values;
}

/** A number rounded for an SVG attribute (two decimals keep files small and lines crisp). */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Attributes from an object, escaped; undefined values are left out. */
export function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}="${escapeXml(typeof value === 'number' ? px(value) : value!)}"`)
    .join(' ');
}

/** What a chart says to a reader who cannot see it. */
export interface ChartText {
  /** Unique in the page: the title's and description's ids derive from it. */
  readonly id: string;
  /** The chart's accessible name. */
  readonly title: string;
  /** The figures the chart shows, in a sentence or two: its accessible description. */
  readonly summary: string;
}

/**
 * An `<svg>` element that scales with its container, exposed as one image whose name is its
 * title and whose description states its figures (a screen reader skips the drawing itself).
 * Its text sits on a white backdrop, so the contrast of every label can be computed.
 */
export function svg(width: number, height: number, text: ChartText, body: string): string {
  const titleId = `${text.id}-title`;
  const summaryId = `${text.id}-summary`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${escapeXml(titleId)}" aria-describedby="${escapeXml(summaryId)}"><title id="${escapeXml(titleId)}">${escapeXml(text.title)}</title><desc id="${escapeXml(summaryId)}">${escapeXml(text.summary)}</desc>${body}</svg>`;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two `#rrggbb` colors. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Whichever of `light` and `dark` reads better on `fill` (labels inside bars of any color). */
export function inkOn(fill: string, dark: string, light = '#ffffff'): string {
  return contrast(light, fill) >= contrast(dark, fill) ? light : dark;
}
