import * as z from 'zod/mini';

/** The longest injected latency, in milliseconds. */
export const MAX_FAULT_LATENCY_MS = 30_000;

const Ms = z.int().check(z.minimum(0), z.maximum(MAX_FAULT_LATENCY_MS));

/**
 * How long an injected delay lasts: `fixed` (`ms`), `uniform` (between `minMs` and `maxMs`),
 * `normal` (`meanMs`, `stdDevMs`; clamped at 0) or `exponential` (`meanMs`). Drawn from the fault
 * dice, so a seeded run repeats. `FaultsControl.latencyClock` says which clock the delay runs on.
 */
export const LatencyDistribution = z.discriminatedUnion('distribution', [
  z.strictObject({ distribution: z.literal('fixed'), ms: Ms }),
  z.strictObject({ distribution: z.literal('uniform'), minMs: Ms, maxMs: Ms }),
  z.strictObject({ distribution: z.literal('normal'), meanMs: Ms, stdDevMs: Ms }),
  z.strictObject({ distribution: z.literal('exponential'), meanMs: Ms }),
]);
/** A latency distribution; see {@link LatencyDistribution}. */
export type LatencyDistribution = z.infer<typeof LatencyDistribution>;

/** The statuses a fault can answer with, each with the code a real server would send. */
export const FaultStatus = z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]);
/** A fault's status; see {@link FaultStatus}. */
export type FaultStatus = z.infer<typeof FaultStatus>;

/**
 * One fault: which requests it strikes (`method`, `path`), how often (`rate`, `times`), and what it
 * does: a delay (`latency`), an answer (`status`, with `Retry-After` for 429 and 503) or a broken
 * connection (`connection`: `reset` closes the socket, `hang` keeps it open without answering
 * until the client gives up). `phase: "after"` lets the request change state first, then fails it
 * — the lost response idempotency keys exist for.
 */
export const FaultRule = z
  .strictObject({
    /** Only this method. @default any */
    method: z.optional(z.enum(['GET', 'POST', 'PATCH', 'DELETE'])),
    /**
     * The path, where `*` matches one segment and `**` the rest (`/v1/reservations/*\/confirm`,
     * `/v1/**`). @default "/v1/**"
     */
    path: z.optional(z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^\//, 'must start with "/"'))),
    /** The chance that a matching request is struck, 0..1 (rolled on the fault dice). @default 1 */
    rate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
    /** Strike only the next `times` matching requests, then stand down. @default every one */
    times: z.optional(z.int().check(z.minimum(1), z.maximum(1_000_000))),
    latency: z.optional(LatencyDistribution),
    status: z.optional(FaultStatus),
    /** `Retry-After` of a 429 or 503, in seconds. @default 1 */
    retryAfterSeconds: z.optional(z.int().check(z.minimum(0), z.maximum(86_400))),
    connection: z.optional(z.enum(['reset', 'hang'])),
    /** Fail before the request changes anything, or after it committed. @default "before" */
    phase: z.optional(z.enum(['before', 'after'])),
  })
  .check(
    z.refine((rule) => !(rule.status !== undefined && rule.connection !== undefined), {
      message: 'send status or connection, not both',
    }),
    z.refine((rule) => rule.status !== undefined || rule.connection !== undefined || rule.latency !== undefined, {
      message: 'a rule needs latency, status or connection',
    }),
  );
/** A fault rule; see {@link FaultRule}. */
export type FaultRule = z.infer<typeof FaultRule>;
