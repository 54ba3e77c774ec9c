import type { Reservation } from '@livedrop/browser';
import { describe, expect, it } from 'vitest';
import { HOLD_EXPIRED, HOLD_RELEASED, IDLE, advance, holdDeadline, type CheckoutPhase } from './checkout-machine';
import { widgetFailure } from './failure';

const reservation = (patch: Partial<Reservation> = {}): Reservation => ({
  id: 'res_1',
  object: 'reservation',
  offerId: 'off_1',
  sessionId: 'ses_1',
  buyerId: 'buyer_1',
  quantity: 1,
  status: 'held',
  unitPrice: { amount: 12_900, currency: 'USD' },
  amount: { amount: 12_900, currency: 'USD' },
  // A server clock far from the device's: only the difference counts.
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  expiresAt: '2030-01-01T00:10:00.000Z',
  queuePosition: null,
  clientSecret: 'rcs_secret',
  orderId: null,
  attribution: null,
  ...patch,
});

const walk = (inputs: Parameters<typeof advance>[1][], from: CheckoutPhase = IDLE) => inputs.reduce(advance, from);

describe('the checkout state machine', () => {
  it('walks reserve → held → paying → paid', () => {
    const held = walk([
      { type: 'reserve', backorder: false },
      { type: 'reserved', reservation: reservation(), now: 1_000 },
    ]);
    expect(held).toMatchObject({ step: 'held', deadline: 601_000, failure: null });
    const paid = walk([{ type: 'pay' }, { type: 'paid', orderId: 'ord_1' }], held);
    expect(paid).toMatchObject({ step: 'paid', orderId: 'ord_1' });
  });

  it("times a hold by the server's TTL, whatever the device clock says", () => {
    expect(holdDeadline(reservation(), 50)).toBe(600_050);
    expect(holdDeadline(reservation({ expiresAt: null }), 50)).toBe(50);
  });

  it('expires a hold on the tick that reaches its deadline, with the expired message', () => {
    const held = walk([
      { type: 'reserve', backorder: false },
      { type: 'reserved', reservation: reservation(), now: 0 },
    ]);
    expect(advance(held, { type: 'tick', now: 599_999 })).toBe(held);
    expect(advance(held, { type: 'tick', now: 600_000 })).toEqual({ step: 'failed', failure: HOLD_EXPIRED });
    expect(HOLD_EXPIRED.message).toMatch(/hold expired/);
  });

  it('keeps the hold after a declined payment, with the decline shown', () => {
    const held = walk([
      { type: 'reserve', backorder: false },
      { type: 'reserved', reservation: reservation(), now: 0 },
    ]);
    const declined = walk(
      [
        { type: 'pay' },
        { type: 'failed', failure: { code: 'payment_declined', message: 'declined', status: 402, requestId: 'req_1' } },
      ],
      held,
    );
    expect(declined).toMatchObject({ step: 'held', failure: { code: 'payment_declined' } });
    expect(advance(declined, { type: 'pay' })).toMatchObject({ step: 'paying' });
  });

  it('ends the checkout when the server says the hold expired while paying', () => {
    const held = walk([
      { type: 'reserve', backorder: false },
      { type: 'reserved', reservation: reservation(), now: 0 },
    ]);
    const expired = walk([{ type: 'pay' }, { type: 'failed', failure: widgetFailure('reservation_expired') }], held);
    expect(expired).toMatchObject({ step: 'failed', failure: { code: 'reservation_expired' } });
    expect(advance(expired, { type: 'reset' })).toBe(IDLE);
  });

  it('goes to the queue for a backorder, and to a hold when the queue promotes it', () => {
    const queued = walk([
      { type: 'reserve', backorder: true },
      {
        type: 'reserved',
        reservation: reservation({ status: 'backordered', expiresAt: null, queuePosition: 3 }),
        now: 0,
      },
    ]);
    expect(queued).toMatchObject({ step: 'backordered', reservation: { queuePosition: 3 } });
    expect(advance(queued, { type: 'reserved', reservation: reservation(), now: 10 })).toMatchObject({
      step: 'held',
      deadline: 600_010,
    });
  });

  it('releases once: a second Release while releasing, or after it, changes nothing', () => {
    const held = walk([
      { type: 'reserve', backorder: false },
      { type: 'reserved', reservation: reservation(), now: 0 },
    ]);
    const releasing = advance(held, { type: 'release' });
    expect(releasing).toMatchObject({ step: 'releasing', deadline: 600_000 });
    expect(advance(releasing, { type: 'release' })).toBe(releasing);
    expect(advance(releasing, { type: 'pay' })).toBe(releasing);
    expect(advance(releasing, { type: 'tick', now: 600_000 })).toBe(releasing);
    const released = advance(releasing, { type: 'released' });
    expect(released).toBe(IDLE);
    expect(advance(released, { type: 'release' })).toBe(IDLE);
    expect(advance(released, { type: 'released' })).toBe(IDLE);
  });

  it('keeps the hold when a release could not reach the server, and ends it when the hold is gone', () => {
    const releasing = walk([
      { type: 'reserve', backorder: false },
      { type: 'reserved', reservation: reservation(), now: 0 },
      { type: 'release' },
    ]);
    expect(advance(releasing, { type: 'failed', failure: widgetFailure('connection_failed') })).toMatchObject({
      step: 'held',
      failure: { code: 'connection_failed' },
    });
    expect(advance(releasing, { type: 'failed', failure: widgetFailure('reservation_expired') })).toMatchObject({
      step: 'failed',
      failure: { code: 'reservation_expired' },
    });
  });

  it('ignores inputs that make no sense where it is: double taps, late ticks, stray answers', () => {
    const reserving = advance(IDLE, { type: 'reserve', backorder: false });
    expect(advance(reserving, { type: 'reserve', backorder: false })).toBe(reserving);
    expect(advance(IDLE, { type: 'pay' })).toBe(IDLE);
    expect(advance(IDLE, { type: 'paid', orderId: 'ord_x' })).toBe(IDLE);
    expect(advance(IDLE, { type: 'tick', now: 1e12 })).toBe(IDLE);
    const paid: CheckoutPhase = { step: 'paid', reservation: reservation(), orderId: 'ord_1' };
    expect(advance(paid, { type: 'failed', failure: widgetFailure('unexpected') })).toBe(paid);
  });

  it('resumes a reservation found after a reload: held for the time the server has left, or ended with why', () => {
    const resumed = (patch: Partial<Reservation>, remainingMs = 0) =>
      advance(IDLE, { type: 'resumed', reservation: reservation(patch), now: 1_000, remainingMs });
    // The server's expiresAt minus its now, not the hold's full length.
    expect(resumed({}, 250_000)).toMatchObject({ step: 'held', deadline: 251_000, failure: null });
    expect(resumed({}, -5)).toMatchObject({ step: 'held', deadline: 1_000 });
    expect(resumed({ status: 'captured', orderId: 'ord_9' })).toMatchObject({ step: 'paid', orderId: 'ord_9' });
    expect(resumed({ status: 'backordered', queuePosition: 2 })).toMatchObject({ step: 'backordered' });
    expect(resumed({ status: 'expired' })).toEqual({ step: 'failed', failure: HOLD_EXPIRED });
    expect(resumed({ status: 'released' })).toEqual({ step: 'failed', failure: HOLD_RELEASED });
    // Only an idle card is resumed: a checkout the shopper already started is left as it is.
    const reserving = advance(IDLE, { type: 'reserve', backorder: false });
    expect(advance(reserving, { type: 'resumed', reservation: reservation(), now: 0, remainingMs: 9 })).toBe(reserving);
  });
});
