import { describe, expectTypeOf, it } from 'vitest';
import { createClient } from '../client/client';
import type { LiveDropError } from '../errors/live-drop-error';
import type { EventOf, LiveDropEvent } from '../schemas/event';
import type { PublicOfferMessage, PublicSessionMessage, PublicStockMessage } from '../schemas/stream';
import type { StreamConnectedInfo, StreamReconnectingInfo, StreamState } from './emitter';

const ld = createClient({ apiKey: 'pk_test', baseUrl: 'http://127.0.0.1:4010' });

describe('realtime types', () => {
  it('types each public stream message by name', () => {
    const live = ld.realtime.session('ses_1');
    live.on('offer.published', (data) => expectTypeOf(data).toEqualTypeOf<PublicOfferMessage>());
    live.on('stock', (data) => {
      expectTypeOf(data).toEqualTypeOf<PublicStockMessage>();
      expectTypeOf(data.available).toBeNumber();
    });
    live.on('session.ended', (data) => expectTypeOf(data).toEqualTypeOf<PublicSessionMessage>());
    // @ts-expect-error not a public stream message
    live.on('livedrop.offer.published', () => undefined);
    // @ts-expect-error a stock message has no offer
    live.on('stock', (data) => data.offer);
  });

  it('types the lifecycle events and state', () => {
    const live = ld.realtime.session('ses_1');
    live.on('connected', (info) => expectTypeOf(info).toEqualTypeOf<StreamConnectedInfo>());
    live.on('reconnecting', (info) => expectTypeOf(info).toEqualTypeOf<StreamReconnectingInfo>());
    live.on('error', (error) => expectTypeOf(error).toEqualTypeOf<LiveDropError>());
    expectTypeOf(live.state).toEqualTypeOf<StreamState>();
    expectTypeOf(live.lastEventId).toEqualTypeOf<string | undefined>();
    expectTypeOf(live.close).returns.toBeVoid();
  });

  it('types each platform event by its type, and all of them under "event"', () => {
    const feed = ld.realtime.events({ lastEventId: 42, stallTimeoutMs: 30_000 });
    feed.on('livedrop.order.created', (event) => {
      expectTypeOf(event).toEqualTypeOf<EventOf<'livedrop.order.created'>>();
      expectTypeOf(event.data.order.id).toBeString();
    });
    feed.on('event', (event) => expectTypeOf(event).toEqualTypeOf<LiveDropEvent>());
    // @ts-expect-error not an event type
    feed.on('livedrop.nothing', () => undefined);
    // @ts-expect-error lastEventId is a seq
    ld.realtime.events({ lastEventId: true });
  });
});
