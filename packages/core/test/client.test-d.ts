import type { LiveDropEvent, OfferTokenClaims, Page } from '@livedrop/core';
import { describe, expectTypeOf, it } from 'vitest';
import {
  ApiError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  type PagePromise,
  RateLimitError,
  createClient,
  isLiveDropError,
  verifyOfferToken,
  verifyWebhook,
  type LiveDropClient,
  type LiveDropError,
  type Offer,
  type Reservation,
  type Session,
  type SessionView,
} from './support/sdk';

const ld = createClient({ apiKey: 'pk_test_x', baseUrl: 'http://127.0.0.1:4010' });

describe('client types', () => {
  it('creates a LiveDropClient from options', () => {
    expectTypeOf(ld).toEqualTypeOf<LiveDropClient>();
    // @ts-expect-error baseUrl is required
    createClient({ apiKey: 'pk_test_x' });
    // @ts-expect-error unknown options are refused
    createClient({ apiKey: 'pk_test_x', baseUrl: 'http://x', retries: 3 });
  });

  it('types methods from the contract', () => {
    expectTypeOf(ld.sessions.hydrate).returns.resolves.toEqualTypeOf<SessionView>();
    expectTypeOf(ld.reservations.create).returns.resolves.toEqualTypeOf<Reservation>();
    expectTypeOf(ld.reservations.create)
      .parameter(0)
      .toEqualTypeOf<{ offerToken: string; quantity: number; backorderConsent?: boolean | undefined }>();
    expectTypeOf(ld.offers.retrieve).returns.resolves.toEqualTypeOf<Offer>();
    expectTypeOf(ld.offers.issueToken).returns.resolves.toHaveProperty('token').toEqualTypeOf<string>();
  });

  it('needs the version for updates', () => {
    void ld.sessions.update('ses_1', { title: 'x' }, { version: 3 });
    // @ts-expect-error version is required
    void ld.sessions.update('ses_1', { title: 'x' }, {});
    // @ts-expect-error patches are strict
    void ld.offers.update('off_1', { stock: 3 }, { version: 1 });
  });

  it('awaits lists to a page and iterates them to items', async () => {
    const list = ld.sessions.list({ status: 'live' });
    expectTypeOf(list).toEqualTypeOf<PagePromise<Page<Session>>>();
    expectTypeOf(await list).toEqualTypeOf<Page<Session>>();
    for await (const session of list) expectTypeOf(session).toEqualTypeOf<Session>();
    expectTypeOf(list.toArray).returns.resolves.toEqualTypeOf<Session[]>();
    for await (const event of ld.events.list({ after: 0, types: ['livedrop.order.created'] }))
      expectTypeOf(event).toEqualTypeOf<LiveDropEvent>();
    // @ts-expect-error unknown event types are refused
    ld.events.list({ types: ['livedrop.nope.nope'] });
    // @ts-expect-error session statuses are an enum
    ld.sessions.list({ status: 'running' });
  });
});

describe('error types', () => {
  it('narrows by class to the status and its codes', () => {
    const error: unknown = undefined;
    if (error instanceof RateLimitError) {
      expectTypeOf(error.status).toEqualTypeOf<429>();
      expectTypeOf(error.code).toEqualTypeOf<'rate_limited' | 'velocity_exceeded' | 'unknown'>();
      expectTypeOf(error.retryAfterMs).toEqualTypeOf<number | null>();
    }
    if (error instanceof ConflictError) {
      expectTypeOf(error.status).toEqualTypeOf<409>();
      expectTypeOf(error.code).toEqualTypeOf<
        | 'offer_not_live'
        | 'sold_out'
        | 'token_replayed'
        | 'reservation_not_held'
        | 'reservation_expired'
        | 'invalid_state'
        | 'already_exists'
        | 'idempotency_key_in_use'
        | 'unknown'
      >();
    }
    if (error instanceof NotFoundError) expectTypeOf(error.code).toEqualTypeOf<'not_found' | 'unknown'>();
    if (error instanceof InternalServerError)
      expectTypeOf(error.code).toEqualTypeOf<
        'internal_error' | 'bad_gateway' | 'service_unavailable' | 'gateway_timeout' | 'unknown'
      >();
    if (error instanceof ApiError) {
      expectTypeOf(error.requestId).toEqualTypeOf<string | null>();
      expectTypeOf(error.headers).toEqualTypeOf<Headers>();
    }
    if (isLiveDropError(error)) expectTypeOf(error).toEqualTypeOf<LiveDropError>();
  });
});

describe('verification types', () => {
  it('returns contract types', () => {
    expectTypeOf(verifyOfferToken).returns.resolves.toEqualTypeOf<OfferTokenClaims>();
    expectTypeOf(verifyWebhook).returns.resolves.toEqualTypeOf<LiveDropEvent>();
  });
});
