import { describe, expectTypeOf, it } from 'vitest';
import type { EventOf, LiveDropEvent, Money, Offer, Page, Reservation } from '../index';

describe('contract types', () => {
  it('money is integer minor units in a known currency', () => {
    expectTypeOf<Money['amount']>().toEqualTypeOf<number>();
    expectTypeOf<'XYZ'>().not.toExtend<Money['currency']>();
    expectTypeOf<'JPY'>().toExtend<Money['currency']>();
  });

  it('narrows an event by its type', () => {
    expectTypeOf<EventOf<'livedrop.offer.published'>['data']>().toEqualTypeOf<{ offer: Offer }>();
    expectTypeOf<LiveDropEvent['type']>().toExtend<string>();
  });

  it('types a page of reservations', () => {
    expectTypeOf<Page<Reservation>['data']>().toEqualTypeOf<Reservation[]>();
    expectTypeOf<Page<Reservation>['nextCursor']>().toEqualTypeOf<string | null>();
  });

  it('reservation status is a closed set', () => {
    expectTypeOf<Reservation['status']>().toEqualTypeOf<'held' | 'backordered' | 'captured' | 'released' | 'expired'>();
  });
});
