import * as z from 'zod/mini';
import { Count, Timestamp } from './common';
import { BuiltInFixture, FixtureDefinition, FixtureIds } from './fixture';

/**
 * Body of `POST /__control/reset` (optional). The keys always survive a reset; the clock keeps its
 * time unless `restoreClock` (then it reads the time the server started at again).
 */
export const ResetControl = z.strictObject({
  /** Undo every clock move made through the control API. @default false */
  restoreClock: z.optional(z.boolean()),
});
/** Body of `POST /__control/reset`; see {@link ResetControl}. */
export type ResetControl = z.infer<typeof ResetControl>;

/** Body of `POST /__control/clock`: move the reference server's clock (exactly one field). */
export const ClockControl = z
  .strictObject({
    advanceMs: z.optional(z.int().check(z.minimum(0), z.maximum(31_536_000_000 /* 365 days */))),
    setTo: z.optional(Timestamp),
  })
  .check(
    z.refine((v) => (v.advanceMs === undefined) !== (v.setTo === undefined), 'send exactly one of advanceMs or setTo'),
  );
/** Body of `POST /__control/clock`; see {@link ClockControl}. */
export type ClockControl = z.infer<typeof ClockControl>;

/** Answer of `POST /__control/clock`. */
export const ClockState = z.strictObject({ object: z.literal('clock'), now: Timestamp, expired: Count });
/** The clock after a move; see {@link ClockState}. */
export type ClockState = z.infer<typeof ClockState>;

/**
 * Body of `POST /__control/faults`: injected misbehaviour. `errorPhase: "after"` commits the change,
 * then loses the response (a 503) — the case idempotency keys exist for. An empty body clears faults.
 */
export const FaultsControl = z.strictObject({
  latencyMs: z.optional(z.int().check(z.minimum(0), z.maximum(30_000))),
  errorRate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  errorPhase: z.optional(z.enum(['before', 'after', 'both'])),
  dropStreams: z.optional(z.boolean()),
  /** Path prefixes the faults apply to. @default every /v1 path */
  paths: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(50))),
  /** Seed of the fault RNG, for repeatable runs. */
  seed: z.optional(z.int()),
});
/** Body of `POST /__control/faults`; see {@link FaultsControl}. */
export type FaultsControl = z.infer<typeof FaultsControl>;

/**
 * Body of `POST /__control/seed`: reset, then load a built-in fixture by name (`fixture`) or your
 * own (`definition`, a {@link FixtureDefinition}); exactly one of the two.
 */
export const SeedControl = z
  .strictObject({ fixture: z.optional(BuiltInFixture), definition: z.optional(FixtureDefinition) })
  .check(
    z.refine(
      (v) => (v.fixture === undefined) !== (v.definition === undefined),
      'send exactly one of fixture (a built-in name) or definition (your own fixture)',
    ),
  );
/** Body of `POST /__control/seed`; see {@link SeedControl}. */
export type SeedControl = z.infer<typeof SeedControl>;

/** Answer of `GET /__control/state`: a summary of what the reference server holds. */
export const ControlState = z.strictObject({
  object: z.literal('control_state'),
  now: Timestamp,
  counts: z.record(z.string(), Count),
  events: Count,
  /** True when `available + reserved + sold == total` for every offer. */
  invariantHolds: z.boolean(),
  faults: FaultsControl,
});
/** The reference server's state summary; see {@link ControlState}. */
export type ControlState = z.infer<typeof ControlState>;

/** Answer of `POST /__control/seed`: the state summary and the ids the fixture made, by your names. */
export const SeededState = z.extend(ControlState, { ids: FixtureIds });
/** The state after a seed; see {@link SeededState}. */
export type SeededState = z.infer<typeof SeededState>;
