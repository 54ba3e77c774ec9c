import * as z from 'zod/mini';
import { Count, Timestamp, idOf } from './common';
import { FaultRule } from './fault';
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
 * Body of `POST /__control/faults`: injected misbehaviour; it replaces the faults in force, and an
 * empty body clears them. The flat fields are one rule for every matching path: `latencyMs` on
 * each request, and 503s at `errorRate` (`errorPhase: "after"` commits the change, then loses the
 * response — the case idempotency keys exist for). `rules` add {@link FaultRule}s: chosen
 * statuses, resets and hangs, the next N requests, latency distributions. Every matching rule
 * that strikes applies: the delays add up, and the first failure decides the answer.
 */
export const FaultsControl = z.strictObject({
  /** A delay on every matching request (see `latencyClock`). */
  latencyMs: z.optional(z.int().check(z.minimum(0), z.maximum(30_000))),
  errorRate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  errorPhase: z.optional(z.enum(['before', 'after', 'both'])),
  dropStreams: z.optional(z.boolean()),
  /** Path prefixes the faults apply to. @default every /v1 path */
  paths: z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(200))).check(z.maxLength(50))),
  /** Seed of the fault RNG, for repeatable runs. */
  seed: z.optional(z.int()),
  /** Faults by method and path, in order. */
  rules: z.optional(z.array(FaultRule).check(z.maxLength(50))),
  /**
   * Which clock injected latency runs on: `wall` (real time) or `server` (the server's clock: on a
   * manual clock a delayed request waits until the clock is moved past its delay, so a suite can
   * test timeouts without waiting). @default "wall"
   */
  latencyClock: z.optional(z.enum(['wall', 'server'])),
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

/** Body of `POST /__control/workspaces`. */
export const WorkspaceCreate = z.strictObject({
  /** A label of yours (a CI shard, a test file). @default "workspace" */
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
});
/** Body of `POST /__control/workspaces`; see {@link WorkspaceCreate}. */
export type WorkspaceCreate = z.infer<typeof WorkspaceCreate>;

/**
 * An isolated workspace of the reference server: its own tenant and keys, clock, faults, journal
 * and reset, behind the same URL. Requests with its keys reach it; its `controlKey` drives its
 * control API (`/__control/reset`, `clock`, `faults`, `seed`, `state`) and nothing else's.
 */
export const Workspace = z.strictObject({
  id: idOf('workspace'),
  object: z.literal('workspace'),
  name: z.string(),
  keys: z.strictObject({
    secretKey: z.string(),
    publishableKey: z.string(),
    creatorKey: z.string(),
    moderatorKey: z.string(),
    controlKey: z.string(),
    /** The workspace tenant's own creator (`house` in fixtures). */
    creatorId: idOf('creator'),
  }),
  createdAt: Timestamp,
});
/** A workspace; see {@link Workspace}. */
export type Workspace = z.infer<typeof Workspace>;

/** Answer of `GET /__control/workspaces`. */
export const WorkspaceList = z.strictObject({ object: z.literal('list'), data: z.array(Workspace) });
/** The workspaces; see {@link WorkspaceList}. */
export type WorkspaceList = z.infer<typeof WorkspaceList>;
