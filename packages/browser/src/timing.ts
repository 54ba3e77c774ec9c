/** The name of the measure {@link markOfferRendered} records: offer event received → rendered. */
export const OFFER_RENDERED_MEASURE = 'livedrop:offer-rendered';

const markName = (offerId: string) => `livedrop:offer-event:${offerId}`;

/**
 * Marks the moment an offer's realtime event arrived (`performance.mark`). Call it first thing in
 * the stream listener; {@link markOfferRendered} closes the measure once the offer is on screen.
 * @example
 * live.on('offer.published', ({ offer }) => {
 *   markOfferEvent(offer.id);
 *   render(offer);
 *   requestAnimationFrame(() => markOfferRendered(offer.id));
 * });
 */
export function markOfferEvent(offerId: string): void {
  performance.mark(markName(offerId), { detail: { offerId } });
}

/**
 * Records a `PerformanceMeasure` named `livedrop:offer-rendered` from the offer's last
 * {@link markOfferEvent} to now, with `detail: { offerId }`, and returns it. It shows up in the
 * Performance panel and in `PerformanceObserver({ entryTypes: ['measure'] })`, so RUM tools can
 * report event-to-render latency. Answers undefined when no event was marked for the offer.
 */
export function markOfferRendered(offerId: string): PerformanceMeasure | undefined {
  const start = markName(offerId);
  if (performance.getEntriesByName(start, 'mark').length === 0) return undefined;
  const measure = performance.measure(OFFER_RENDERED_MEASURE, { start, detail: { offerId } });
  // One mark per pending render: the next event for this offer starts a fresh measure.
  performance.clearMarks(start);
  return measure;
}
