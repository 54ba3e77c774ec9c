import * as z from 'zod/mini';
import { named } from './named';
import { Count, idOf } from './common';
import { Money } from './money';

/** A creator's numbers, for all sessions or one (`?sessionId=`). Money is per currency. */
export const CreatorDashboard = named(
  z.strictObject({
    object: z.literal('creator_dashboard'),
    creatorId: idOf('creator'),
    sessionId: z.nullable(idOf('session')),
    tokensIssued: Count,
    reservations: Count,
    captures: Count,
    /** Captures per token issued, 0..1. */
    conversion: z.number().check(z.minimum(0), z.maximum(1)),
    gmv: z.array(Money),
    earnings: z.strictObject({ pending: z.array(Money), paid: z.array(Money) }),
    medianTimeToSettlementMs: z.nullable(Count),
  }),
  'CreatorDashboard',
);
/** A creator dashboard; see {@link CreatorDashboard}. */
export type CreatorDashboard = z.infer<typeof CreatorDashboard>;
