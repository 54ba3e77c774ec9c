/**
 * `@livedrop/mock-server`: a stateful, in-memory LiveDrop reference server that behaves like
 * production — auth by key role, strict validation, idempotency, the never-oversell ledger, signed
 * offer tokens and a hash-chained event log — plus a control API to reset it, move its clock,
 * inject faults and load fixtures.
 *
 * One fetch-style handler, `server.handle(request)`, served three ways: over node:http
 * (`@livedrop/mock-server/node`, and the `livedrop-mock` CLI), as msw handlers
 * ({@link createHandlers}), or called in-process. This entry is browser-safe.
 *
 * @example
 * ```ts
 * import { createReferenceServer, createManualClock } from '@livedrop/mock-server';
 *
 * const server = createReferenceServer({ clock: createManualClock(Date.parse('2026-11-25T18:00:00Z')) });
 * const res = await server.handle(new Request('https://api.livedrop.test/v1/events', {
 *   headers: { authorization: `Bearer ${server.keys.secretKey}` },
 * }));
 * ```
 *
 * @module
 */
export { createReferenceServer } from './server';
export type { ReferenceServer, ReferenceServerOptions } from './server';
export { loadFixture } from './control-api';
export type { ReferenceServerControl, RequestJournalFilter } from './control-api';
export { DEFAULT_JOURNAL_SIZE } from './journal/journal-options';
export type { JournalOptions } from './journal/journal-options';
export type { JournalRecord, JournalSnapshot, JournalStore } from './storage/journal-store';
export { createMemoryJournalStore } from './storage/memory/memory-journal-store';
export { DEFAULT_MAX_WORKSPACES, Workspaces } from './workspaces';
export type { WorkspaceEntry } from './workspaces';
export { createHandlers, DEFAULT_MSW_BASE_URL } from './msw';
export type { CreateHandlersOptions } from './msw';
export type { Engine, EngineOptions, JobsRun, TenantKeys } from './engine';
export type { EngineConfig, EngineSettings } from './engine-config';
export type { EventRetention, EventRetentionOptions } from './event-retention';
export type { EventLog, EventData, HashFn, LogCheckpoint } from './event-log';
export { MemoryStorage } from './storage/memory/memory-storage';
export type { MemoryEventLogs } from './storage/memory/memory-event-logs';
export type { MemoryScheduler } from './storage/memory/memory-scheduler';
export type { MemoryTransaction, PendingEvent, Write } from './storage/memory/memory-transaction';
export type { DashboardProjection } from './domain/dashboard-projection';
export type { CachedView, ViewCache, ViewRevision } from './domain/public-cache';
export type { StreamHub, StreamTarget } from './realtime/stream-hub';
export type { WebhookDispatcher } from './webhooks/dispatcher';
export type { MemoryStorageOptions } from './storage/memory/memory-storage';
export type { SharedKeys, Storage } from './storage/storage';
export type { SigningKeysRecord, StoredSigningKey } from './signing-keys';
export type { Transaction, TransactionStore } from './storage/transaction';
export type { EventLogStore, EventLogPage, StoredEvent } from './storage/event-log-store';
export type { ClaimedJob, Job, JobKind, Scheduler } from './storage/scheduler';
export type {
  CollectionName,
  Collections,
  OfferRecord,
  Owned,
  ReservationRecord,
  SessionRecord,
  Store,
  Tenant,
  WebhookDeliveryRecord,
  WebhookEndpointRecord,
} from './store';
export type {
  BuyerSessionRecord,
  CreatorRecord,
  CreatorTrustDay,
  SellerRecord,
  SellerTrustDay,
} from './store';
export type { SigningKey, SigningKeyring, TenantSigningKeys } from './signing-keys';
export type { PolicyName, QuotaReading } from './rate-limit/headers';
export { webCryptoVerifyEd25519 } from './signature-verifier';
export type { SignatureVerifier } from './signature-verifier';
export type { Handler, HandlerContext, HandlerResult, Handlers, ParamsOf, QueryOf, BodyOf } from './http/handler';
export type { HeaderReader, RequestHead } from './http/server-request';
export type { BufferedAnswer, ServerAnswer } from './http/server-answer';
export type { Principal } from './auth';
export { IDEMPOTENCY_LEASE_MS, IDEMPOTENCY_RETENTION_MS } from './storage/idempotency-store';
export type { IdempotencyDecision, IdempotencyStore, StoredResponse } from './storage/idempotency-store';
export type {
  BucketPolicy,
  RateLimitStore,
  RateLimitStorePolicy,
  RateLimitTake,
  WindowPolicy,
} from './storage/rate-limit-store';
export { INITIAL_CONTROL_STATE } from './storage/control-state';
export type { ControlState, ControlStateStore } from './storage/control-state';
export { createMemoryIdempotencyStore } from './storage/memory/memory-idempotency-store';
export type { MemoryIdempotencyStoreOptions } from './storage/memory/memory-idempotency-store';
export { createMemoryRateLimitStore } from './storage/memory/memory-rate-limit-store';
export type { MemoryRateLimitStoreOptions } from './storage/memory/memory-rate-limit-store';
export { createMemoryControlState } from './storage/memory/memory-control-state';
export { createManualClock, createOffsetClock, systemClock } from './clock';
export type { Clock, ManualClock } from './clock';
export { defaultModeration } from './moderation';
export type { ModerateOffer, ModerationVerdict } from './moderation';
export { ApiProblem } from './problem';
export { DEFAULT_RATE_LIMITS } from './rate-limit/config';
export type {
  RateLimitOptions,
  RateLimitPolicy,
  ResolvedRateLimits,
  RouteRateLimits,
  DeclinePolicy,
  VelocityPolicy,
} from './rate-limit/config';
export type { RateLimiter, RequestQuotas } from './rate-limit/rate-limiter';
export { configureWebhooks } from './webhooks/dispatcher';
export type { WebhookOptions } from './webhooks/webhook-options';
export { DEFAULT_RETRY_SCHEDULE_MS } from './webhooks/backoff';
export { configureStreams, streamStats } from './realtime/stream-hub';
export type { StreamStats } from './realtime/stream-hub';
export type { StreamOptions } from './realtime/stream-options';
export { DEFAULT_EDGE_OPTIONS, configureEdge } from './domain/edge-options';
export type { EdgeOptions } from './domain/edge-options';
