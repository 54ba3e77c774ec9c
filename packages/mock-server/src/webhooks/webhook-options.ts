/** How the reference server sends webhooks. Every option has a default that behaves like production. */
export interface WebhookOptions {
  /**
   * Sends one attempt. Tests may pass a fake; the default is read at send time, so msw's
   * interception of `globalThis.fetch` applies.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /** Real time one attempt may take before it counts as failed (a network timeout, not business time). @default 5000 */
  attemptTimeoutMs?: number;
  /** Delay before each retry, on the injected clock, before jitter. @default {@link DEFAULT_RETRY_SCHEDULE_MS} */
  retryScheduleMs?: readonly number[];
  /** Failed attempts in a row (across deliveries) that disable an endpoint. @default 10 */
  maxConsecutiveFailures?: number;
  /** The dice of the jitter, in [0, 1). @default Math.random */
  random?: () => number;
  /**
   * Lets endpoints point at private, loopback, link-local and metadata addresses (and http on
   * loopback): for tests and local development only, never on a server others can reach
   * (`livedrop-mock --allow-private-webhooks`). See `docs/security.md`, "SSRF".
   * @default false
   */
  allowPrivateNetworks?: boolean;
  /**
   * Resolves a host name to every address it has, checked before each attempt so a public name
   * that resolves to a private address is refused too. The Node transport (`startReferenceServer`,
   * the CLI) passes `node:dns`'s `lookup` with `all: true`; without one, only hosts as written are
   * checked.
   * @default undefined
   */
  lookup?: (hostname: string) => Promise<readonly string[]>;
}
