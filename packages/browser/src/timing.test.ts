import { afterEach, describe, expect, it } from 'vitest';
import { OFFER_RENDERED_MEASURE, markOfferEvent, markOfferRendered } from './timing';

afterEach(() => {
  performance.clearMarks();
  performance.clearMeasures();
});

describe('offer render timings', () => {
  it('measures from the offer event to the render, named livedrop:offer-rendered, with the offer id', async () => {
    markOfferEvent('off_1');
    await new Promise((resolve) => setTimeout(resolve, 15));
    const measure = markOfferRendered('off_1');
    expect(measure?.name).toBe(OFFER_RENDERED_MEASURE);
    expect(measure?.name).toBe('livedrop:offer-rendered');
    expect(measure?.duration).toBeGreaterThanOrEqual(10);
    expect(measure?.detail).toEqual({ offerId: 'off_1' });
    expect(performance.getEntriesByName('livedrop:offer-rendered', 'measure')).toHaveLength(1);
  });

  it('keeps offers apart and measures each event once', () => {
    markOfferEvent('off_a');
    markOfferEvent('off_b');
    expect(markOfferRendered('off_b')?.detail).toEqual({ offerId: 'off_b' });
    expect(markOfferRendered('off_b')).toBeUndefined();
    expect(markOfferRendered('off_a')?.detail).toEqual({ offerId: 'off_a' });
  });

  it('answers undefined for an offer with no event marked', () => {
    expect(markOfferRendered('off_never')).toBeUndefined();
    expect(performance.getEntriesByType('measure')).toHaveLength(0);
  });

  it('measures from the latest event when one arrives before the previous render', () => {
    markOfferEvent('off_1');
    const first = performance.getEntriesByName('livedrop:offer-event:off_1', 'mark')[0]!.startTime;
    markOfferEvent('off_1');
    const measure = markOfferRendered('off_1')!;
    expect(measure.startTime).toBeGreaterThanOrEqual(first);
    expect(performance.getEntriesByName('livedrop:offer-event:off_1', 'mark')).toHaveLength(0);
  });
});
