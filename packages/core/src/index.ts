/**
 * The runtime-agnostic core of the LiveDrop SDK: the HTTP contract as zod schemas, the route
 * table, and exact money math.
 *
 * @module
 */
export { Attribution, Bps, BuyerId, Count, ID_PREFIXES, Metadata, Timestamp, idOf } from './schemas/common';
export type { IdKind } from './schemas/common';
export {
  ClockControl,
  ClockState,
  ControlState,
  FaultsControl,
  ResetControl,
  SeedControl,
  SeededState,
  Workspace,
  WorkspaceCreate,
  WorkspaceList,
} from './schemas/control';
export { FaultRule, FaultStatus, LatencyDistribution, MAX_FAULT_LATENCY_MS } from './schemas/fault';
export {
  REDACTED,
  RequestCount,
  RequestJournalEntry,
  RequestJournalPage,
  RequestJournalQuery,
  RequestMatch,
  RequestMismatch,
  RequestVerification,
  RequestVerify,
} from './schemas/request-journal';
export {
  BuiltInFixture,
  FixtureDefinition,
  FixtureEntitlement,
  FixtureIds,
  FixtureName,
  FixtureOffer,
  FixtureReservation,
  FixtureSession,
  MAX_FIXTURE_ENTRIES,
} from './schemas/fixture';
export { CreatorDashboard } from './schemas/dashboard';
export { ERROR_CODES, ERROR_STATUS, FieldError, Problem } from './schemas/error';
export type { ErrorCode } from './schemas/error';
export {
  AuditVerification,
  CommerceAttribution,
  EVENT_DATA,
  EVENT_TYPES,
  EventListQuery,
  EventPage,
  GENESIS_HASH,
  LiveDropEvent,
  SessionCooldownData,
  SessionWarmupData,
} from './schemas/event';
export type { EventOf, EventType } from './schemas/event';
export { Currency, MAX_PRICE_AMOUNT, Money, Price } from './schemas/money';
export {
  BackorderPolicy,
  Moderation,
  Offer,
  OfferCreate,
  OfferPatch,
  OfferReview,
  OfferStatus,
  PublicOffer,
  SplitRule,
  Stock,
} from './schemas/offer';
export {
  Order,
  Refund,
  RefundCreate,
  RefundReason,
  SplitLeg,
  SplitPartyName,
  Transfer,
  TransferReversal,
} from './schemas/order';
export { ListQuery, pageOf } from './schemas/pagination';
export type { Page } from './schemas/pagination';
export {
  ContentRight,
  Creator,
  CreatorCreate,
  CreatorTrust,
  CreatorTrustBasis,
  CreatorTrustDerived,
  Entitlement,
  EntitlementCreate,
  Seller,
  SellerCreate,
  SellerTrustBaseline,
  SellerTrustBasis,
  SellerTrustCreate,
  SellerTrustDerived,
  TRUST_WINDOW,
  TRUST_WINDOW_DAYS,
  TrustSignals,
} from './schemas/party';
export {
  Reservation,
  ReservationCapture,
  ReservationConfirm,
  ReservationCreate,
  ReservationStatus,
  TestPaymentMethod,
} from './schemas/reservation';
export {
  PublicSession,
  PublicSessionView,
  Session,
  SessionCreate,
  SessionPatch,
  SessionStatus,
  SessionView,
} from './schemas/session';
export {
  LISTING_AVAILABILITY,
  ListingEvent,
  ListingEventItem,
  ListingFeed,
  ListingFeedQuery,
  ListingInteractionCounter,
  ListingOffer,
  SCHEMA_ORG_CONTEXT,
} from './schemas/listing';
export type { ListingAvailability } from './schemas/listing';
export {
  IssuedToken,
  Jwks,
  OFFER_TOKEN_ALG,
  OFFER_TOKEN_AUDIENCE,
  OFFER_TOKEN_TYPE,
  OfferTokenClaims,
  OfferTokenHeader,
  PublicJwk,
  SigningKeyRotation,
  TokenIssue,
} from './schemas/token';
export {
  BUYER_SESSION_DEFAULT_TTL_SECONDS,
  BUYER_SESSION_HEADER,
  BUYER_SESSION_MAX_TTL_SECONDS,
  BUYER_SESSION_MIN_TTL_SECONDS,
  BuyerSession,
  BuyerSessionCreate,
} from './schemas/buyer-session';
export {
  EventTypeFilter,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookReplay,
  WebhookSecretRotate,
} from './schemas/webhook';
export { API_KEY_ROLES, API_ROUTES, COMMON_ERRORS, CONTROL_ROUTES, PUBLIC_ENDPOINTS, ROUTES } from './contract';
export type {
  ApiKeyRole,
  HttpMethod,
  OperationId,
  PublicOperationId,
  RouteAuth,
  RouteDefinition,
  RouteEndpoint,
  RouteHeader,
  RouteHeaderName,
  RouteResponse,
} from './contract';
export {
  CURRENCY_CODES,
  CURRENCY_EXPONENTS,
  MoneyError,
  SPLIT_PARTIES,
  currencyExponent,
  formatMoney,
  isCurrencyCode,
  reverseSplit,
  splitAmount,
  toDecimalAmount,
} from './money';
export type { CurrencyCode, MoneyErrorCode, SplitAllocation, SplitLedger, SplitParty, SplitRules } from './money';
export { WebhookVerificationError, signWebhook, verifyWebhook } from './webhooks';
export type {
  SignWebhookOptions,
  VerifyWebhookOptions,
  WebhookHeaders,
  WebhookHeadersInput,
  WebhookVerificationCode,
} from './webhooks';
export {
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  LiveDropClient,
  LiveDropPublicClient,
  PagePromise,
  createClient,
  createPublicClient,
  useSchemaCompiler,
} from './client';
export type {
  AttemptInfo,
  BodyOf,
  BuyerSessions,
  ClientOperationId,
  ClientOptions,
  ClientSecretRequestOptions,
  CreatorDashboardQuery,
  Creators,
  Entitlements,
  EventListParams,
  Events,
  HydrateOptions,
  ListingListQuery,
  ListingPage,
  Listings,
  Logger,
  Offers,
  Orders,
  PageFetcher,
  PageLike,
  ParamsOf,
  PublicOffers,
  PublicReservations,
  PublicSessions,
  QueryOf,
  RequestOptions,
  SchemaCompiler,
  ReservationListQuery,
  Reservations,
  ResponseMeta,
  ResponseOf,
  Sellers,
  SessionListQuery,
  Sessions,
  SigningKeys,
  ToArrayOptions,
  TransferListQuery,
  Transfers,
  VersionedRequestOptions,
  WebhookEndpoints,
} from './client';
export {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  LiveDropError,
  NotFoundError,
  PayloadTooLargeError,
  PaymentRequiredError,
  PermissionDeniedError,
  PreconditionFailedError,
  RateLimitError,
  ResponseValidationError,
  TimeoutError,
  UnprocessableEntityError,
  errorFromResponse,
  isLiveDropError,
} from './errors';
export type { ApiErrorCode, ApiErrorInit, ErrorCodeOf, ResponseIssue } from './errors';
export {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  MAX_OFFER_TOKEN_LENGTH,
  OfferTokenHeaders,
  TokenVerificationError,
  base64urlDecode,
  base64urlEncode,
  checkClaimsToSign,
  checkOfferTokenClaims,
  encodeOfferTokenHeader,
  isCanonicalBase64url,
  readOfferTokenClaims,
  refuseOfferToken,
  signatureMismatchRefusal,
  splitOfferToken,
  unknownKeyRefusal,
  verifyOfferToken,
} from './tokens';
export type {
  ClaimIssue,
  CompactOfferToken,
  OfferTokenClaimsOptions,
  OfferTokenClaimsRead,
  OfferTokenRefusal,
  OfferTokenRefusalReason,
  TokenVerificationCode,
  VerifyOfferTokenOptions,
} from './tokens';
export {
  PUBLIC_STREAM_EVENTS,
  PUBLIC_STREAM_EVENT_NAMES,
  PublicOfferMessage,
  PublicSessionMessage,
  PublicStockMessage,
} from './schemas/stream';
export type { PublicStreamData, PublicStreamEvent, PublicStreamEventName } from './schemas/stream';
export {
  DEFAULT_STALL_TIMEOUT_MS,
  PublicRealtime,
  Realtime,
  RealtimeEmitter,
  RealtimeStream,
  ReconnectManager,
  SseParser,
  createFetchStreamTransport,
  reconnectManager,
} from './realtime';
export type {
  Listener,
  ListenerArgs,
  PlatformEventStream,
  PlatformStreamEvents,
  RealtimeClientOptions,
  RealtimeOptions,
  RealtimeStreamOptions,
  ReconnectEventSetup,
  SessionStream,
  SessionStreamEvents,
  SseMessage,
  SseParserHandlers,
  StreamConnectedInfo,
  StreamLifecycleEvents,
  StreamOpenOptions,
  StreamReconnectingInfo,
  StreamState,
  StreamTransport,
} from './realtime';
