import { describe, expectTypeOf, it } from 'vitest';
import {
  type createClient,
  createPublicClient,
  type LiveDropClient,
  type LiveDropPublicClient,
  type PublicSessionView,
  type SessionView,
} from './support/sdk';

describe('public client types', () => {
  it('is made from the same options as the full client', () => {
    expectTypeOf<Parameters<typeof createPublicClient>>().toEqualTypeOf<Parameters<typeof createClient>>();
    expectTypeOf(
      createPublicClient({ apiKey: 'pk_test_x', baseUrl: 'http://127.0.0.1:4010' }),
    ).toEqualTypeOf<LiveDropPublicClient>();
    // @ts-expect-error unknown options are refused
    createPublicClient({ apiKey: 'pk_test_x', baseUrl: 'http://x', retries: 3 });
  });

  it("types each method as the full client's", () => {
    type Full = LiveDropClient;
    type Public = LiveDropPublicClient;
    // Except what a publishable key reads: the public projection of a session.
    expectTypeOf<ReturnType<Public['sessions']['hydrate']>>().toEqualTypeOf<Promise<PublicSessionView>>();
    expectTypeOf<ReturnType<Full['sessions']['hydrate']>>().toEqualTypeOf<Promise<SessionView>>();
    expectTypeOf<Parameters<Public['sessions']['hydrate']>>().toEqualTypeOf<Parameters<Full['sessions']['hydrate']>>();
    expectTypeOf<Public['offers']['issueToken']>().toEqualTypeOf<Full['offers']['issueToken']>();
    expectTypeOf<Public['reservations']['create']>().toEqualTypeOf<Full['reservations']['create']>();
    expectTypeOf<Public['reservations']['retrieve']>().toEqualTypeOf<Full['reservations']['retrieve']>();
    expectTypeOf<Public['reservations']['release']>().toEqualTypeOf<Full['reservations']['release']>();
    expectTypeOf<Public['reservations']['confirm']>().toEqualTypeOf<Full['reservations']['confirm']>();
    expectTypeOf<Public['realtime']['session']>().toEqualTypeOf<Full['realtime']['session']>();
  });

  it('has no platform methods', () => {
    expectTypeOf<LiveDropPublicClient['sessions']>().not.toHaveProperty('create');
    expectTypeOf<LiveDropPublicClient['reservations']>().not.toHaveProperty('capture');
    expectTypeOf<LiveDropPublicClient['realtime']>().not.toHaveProperty('events');
  });
});
