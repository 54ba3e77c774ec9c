import type { OperationId, RouteDefinition } from '@livedrop/core';
import type { Principal } from './auth';
import { bearer, idempotencyScopeOf } from './auth';
import { withAssertedBuyer } from './buyer-session-auth';
import { Engine, type EngineOptions, type TenantKeys } from './engine';
import { MAX_BODY_BYTES, PUBLISHABLE_MAX_BODY_BYTES, readJsonBody } from './http/body';
import type { Handler, HandlerContext, HandlerResult, Handlers } from './http/handler';
import { createLightResponse } from './http/light-response';
import { isLightRequest, serverRequestOf } from './http/light-request';
import { headerOf, setHeaders, toResponse, type BufferedAnswer, type ServerAnswer } from './http/server-answer';
import type { RequestHead, ServerRequest } from './http/server-request';
import { Router, type RouteMatch } from './http/router';
import { readQuery } from './http/query';
import { parseOrThrow } from './http/validate';
import type { RequestQuotas } from './rate-limit/rate-limiter';
import type { StoredResponse } from './storage/idempotency-store';
import { randomToken } from './ids';
import { ApiProblem } from './problem';
import { domainHandlers } from './domain';
import { PRIVATE_NO_STORE } from './domain/public-cache';
import { BrokenConnection, brokenConnection, injected, waitOut } from './http/injected-faults';
import { NO_FAULT } from './faults';
import { createControl, type ReferenceServerControl } from './control-api';
import { DEFAULT_MAX_WORKSPACES, Workspaces } from './workspaces';
import { CLIENT_SECRET_HEADER, sameSecret } from './domain/client-secret';
import { isStoredRefusal } from './http/stored-refusals';
import { newJournalRecord, redactSearch } from './journal/journal-record';
import type { JournalRecord } from './storage/journal-store';

/** Options of {@link createReferenceServer}. */
export interface ReferenceServerOptions extends EngineOptions {
  /** Extra handlers by operation id (tests can override a route). */
  handlers?: Handlers;
  /**
   * How many workspaces (`POST /__control/workspaces`, {@link ReferenceServer.workspaces}) the
   * server keeps at most; 0 makes none. @default 100
   */
  maxWorkspaces?: number;
}

/** A stateful LiveDrop reference server: one fetch-style handler over an in-memory engine. */
export interface ReferenceServer {
  /**
   * Answers one request, as a production server would: the one entry point of every transport.
   * A WHATWG `Request` gets a WHATWG `Response`. The node transport passes a light request
   * (`instanceof Request`, made without building one) and gets a light response back, a `Response`
   * whose buffered answer it writes without building one either.
   */
  handle(request: Request): Promise<Response>;
  /** The engine behind the handler: clock, store, logs. */
  readonly engine: Engine;
  /** The keys of the seeded default tenant (kept across a reset). */
  readonly keys: TenantKeys;
  /** The control key that guards `/__control/*`. */
  readonly controlKey: string;
  /** The control API as methods: seed, reset, clock, faults, state, requests, verify (see {@link ReferenceServerControl}). */
  readonly control: ReferenceServerControl;
  /**
   * Isolated workspaces behind this server's entry point, one per parallel suite: each has its own
   * tenant, keys, clock offset, faults, journal and reset (see {@link Workspaces}).
   */
  readonly workspaces: Workspaces;
}

const JSON_TYPE = 'application/json';
const PROBLEM_TYPE = 'application/problem+json';

function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string>,
  contentType = JSON_TYPE,
): BufferedAnswer {
  return {
    status,
    headers: { 'content-type': contentType, ...headers },
    body: body === undefined ? null : JSON.stringify(body),
  };
}

function problemResponse(problem: ApiProblem, requestId: string, pathname: string): BufferedAnswer {
  return jsonResponse(
    problem.status,
    problem.toProblem(requestId, pathname),
    { 'request-id': requestId, ...problem.headers },
    PROBLEM_TYPE,
  );
}

const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers':
    'request-id, etag, date, idempotent-replayed, retry-after, ratelimit-policy, ratelimit',
};
const PREFLIGHT_HEADERS: Record<string, string> = {
  'access-control-allow-methods': 'GET, POST, PATCH, DELETE',
  'access-control-allow-headers':
    'authorization, content-type, idempotency-key, if-none-match, if-match, last-event-id, livedrop-buyer-session, livedrop-client-secret',
  'access-control-max-age': '600',
};

/**
 * A buffered answer's headers with the ones every response carries: CORS and `Date` over the
 * answer's own, and `Cache-Control: private, no-store` unless the answer says otherwise (only public
 * views say they may be shared; anything else must never sit in a CDN). One new object filled in
 * order, which is much cheaper than growing the answer's own with `Object.assign`.
 */
function withServerHeaders(headers: Readonly<Record<string, string>>, date: string): Record<string, string> {
  const out: Record<string, string> = { 'cache-control': PRIVATE_NO_STORE };
  for (const name in headers) out[name] = headers[name]!;
  for (const name in CORS_HEADERS) out[name] = CORS_HEADERS[name]!;
  out['date'] = date;
  return out;
}

let dateSecond = Number.NaN;
let dateHeader = '';
/** `time` as an HTTP date (whole seconds), formatted once per second. */
function httpDate(time: number): string {
  const second = Math.floor(time / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateHeader = new Date(second * 1000).toUTCString();
  }
  return dateHeader;
}

/**
 * Creates a reference server. Serve `server.handle` with any transport: `serve()` from
 * `@livedrop/mock-server/node`, msw's `createHandlers(server)`, or call it directly.
 * @example
 * const server = createReferenceServer({ clock: createManualClock() });
 * const res = await server.handle(new Request('http://x/v1/sellers', { method: 'POST', headers: { authorization: `Bearer ${server.keys.secretKey}` }, body: JSON.stringify({ name: 'Acme' }) }));
 */
export function createReferenceServer(options: ReferenceServerOptions = {}): ReferenceServer {
  const engine = new Engine(options);
  // A workspace is a server of its own: fresh storage and keys, the same clock, settings and handlers.
  engine.workspaces = new Workspaces(
    () => {
      const { storage: _storage, controlKey: _controlKey, ...shared } = options;
      return createReferenceServer({ ...shared, maxWorkspaces: 0 });
    },
    engine.clock,
    options.maxWorkspaces ?? DEFAULT_MAX_WORKSPACES,
  );
  const handlers: Handlers = { ...domainHandlers, ...options.handlers };
  const router = new Router(new Set(Object.keys(handlers) as OperationId[]));
  const faults = engine.faultDice;

  async function handle(request: Request): Promise<Response> {
    return handleAs(request, true);
  }

  /** `handle`, journaled or not (fixtures are made through the pipeline, but are not the suite's traffic). */
  async function handleAs(request: Request, journaled: boolean): Promise<Response> {
    const view = serverRequestOf(request);
    // A workspace's key reaches the workspace's own server (one map lookup, none without workspaces).
    // Read through the light view: a light request's own `headers` would build a WHATWG Request.
    const workspace = engine.workspaces.serverFor(view.headers.get('authorization'));
    if (workspace) return workspace.handle(request);
    const answer = await respond(view, journaled);
    if (answer instanceof Response) return answer;
    return isLightRequest(request) ? createLightResponse(answer) : toResponse(answer);
  }

  /** The pipeline over the light request shape. */
  async function respond(request: ServerRequest, journaled: boolean): Promise<ServerAnswer> {
    // Browsers on any origin may call the API: keys travel in headers, never in cookies.
    // Preflights are the browser's, not the caller's: they are not journaled.
    if (request.method === 'OPTIONS')
      return { status: 204, headers: { ...CORS_HEADERS, ...PREFLIGHT_HEADERS }, body: null };
    const started = journaled && engine.journal ? performance.now() : 0;
    const record = journaled && engine.journal ? newJournalRecord(request, engine.clock.now()) : null;
    const quotas = engine.rateLimits.startRequest();
    const response = await answer(request, quotas, record);
    // Control calls are how a suite looks at the journal: they are not part of it. A broken
    // connection is journaled too, with status 0 (no response).
    if (record !== null && !record.path.startsWith('/__control/')) {
      record.status = response.status;
      record.durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      // Not awaited: the answer does not wait a round trip for its own journal entry. A shared
      // store sends it ahead of anything this instance asks later (one connection keeps order),
      // so a journal read through this instance always finds it.
      engine.journal!.append(record).catch((error: unknown) => {
        console.error('[livedrop-mock] a request could not be journaled', error);
      });
    }
    // A broken connection (an injected fault) has no headers to add: the transport tears it.
    if (response instanceof Response && response.type === 'error') return response;
    // Most requests meet no limit: no call, no await.
    if (quotas.readings.length > 0) await engine.rateLimits.finish(quotas, response);
    // The server's own clock (the injected one), which clients may read to count down to its times.
    const date = httpDate(engine.clock.now());
    if (!(response instanceof Response))
      return { status: response.status, headers: withServerHeaders(response.headers, date), body: response.body };
    setHeaders(response, CORS_HEADERS);
    setHeaders(response, { date });
    if (headerOf(response, 'cache-control') === null) setHeaders(response, { 'cache-control': PRIVATE_NO_STORE });
    return response;
  }

  async function answer(
    request: ServerRequest,
    quotas: RequestQuotas,
    record: JournalRecord | null,
  ): Promise<ServerAnswer> {
    const requestId = `req_${randomToken(16)}`;
    const url = new URL(request.url);
    if (record !== null) {
      record.requestId = requestId;
      record.path = url.pathname;
      record.search = redactSearch(url.search);
    }
    // The owner of an idempotency lease is this request: only it may complete or abandon it.
    let claimed: { scope: string; key: string; owner: string } | undefined;
    let plan = NO_FAULT;
    try {
      await engine.ready();
      // One read of the shared control state: clock offset, faults and reset epoch of every instance.
      await engine.syncControl();
      // Arrival by the clock as every instance now agrees on it (another may have just moved it).
      if (record !== null) record.time = engine.clock.now();
      await engine.sweep();
      const { match, allowed } = router.match(request.method, url.pathname);
      if (!match) {
        if (allowed.length > 0)
          throw new ApiProblem(
            'method_not_allowed',
            `${request.method} is not allowed on ${url.pathname}; use ${allowed.join(' or ')}.`,
            { headers: { allow: allowed.join(', ') } },
          );
        throw new ApiProblem('not_found', `No route ${request.method} ${url.pathname}.`);
      }
      const definition: RouteDefinition = match.route.definition;
      if (record !== null) record.operation = match.route.operationId;
      const keyPrincipal = authenticate(definition, request, record);
      // Rate limits run before the body is read or an idempotency key is claimed: a 429 changes nothing.
      await engine.rateLimits.admitKey(quotas, match.route.operationId, keyPrincipal);
      const faulty = definition.auth !== 'control';

      const parsed = await buildContext(match, definition, request, url, requestId, keyPrincipal, quotas, record);
      // The buyer a publishable key acts for comes from its buyer session, before anything counts it.
      const principal = withAssertedBuyer(engine, definition, keyPrincipal, request, parsed.body);
      const context = principal === keyPrincipal ? parsed : { ...parsed, principal };
      await engine.rateLimits.admitBody(quotas, match.route.operationId, principal, context.body);
      const idempotencyKey = request.method === 'POST' && principal ? request.headers.get('idempotency-key') : null;
      if (idempotencyKey !== null) {
        if (idempotencyKey.length === 0 || idempotencyKey.length > 255) {
          const message = `The Idempotency-Key header must be 1 to 255 characters, not ${idempotencyKey.length}; use a UUID.`;
          throw new ApiProblem('validation_failed', message, {
            errors: [{ path: 'Idempotency-Key', code: idempotencyKey.length === 0 ? 'too_small' : 'too_big', message }],
          });
        }
        // A hash, never the body itself: a stored record's size is bounded by its response. Everything
        // that decides the answer is in it, the client secret included wherever it travels (query,
        // header or body): a replay without the secret is another request, so it never reveals it.
        const clientSecret = request.headers.get(CLIENT_SECRET_HEADER) ?? '';
        const fingerprint = engine.hash(
          `${request.method} ${match.route.operationId} ${url.pathname} ${url.search} ${JSON.stringify(clientSecret)} ${JSON.stringify(context.body ?? null)}`,
        );
        const scope = idempotencyScopeOf(principal!);
        const decision = await engine.idempotency.begin(
          scope,
          idempotencyKey,
          fingerprint,
          requestId,
          engine.clock.now(),
        );
        if (decision.kind === 'replay') {
          if (record !== null) {
            record.replayed = true;
            record.code = storedCode(decision.response);
          }
          return stored(decision.response, requestId, true);
        }
        if (decision.kind === 'in_use')
          throw new ApiProblem(
            'idempotency_key_in_use',
            'A request with this Idempotency-Key is still running; retry after it finishes.',
            { headers: { 'retry-after': '1' } },
          );
        if (decision.kind === 'reused')
          throw new ApiProblem(
            'idempotency_key_reused',
            'This Idempotency-Key was used with a different request; use a new key for a new request.',
          );
        claimed = { scope, key: idempotencyKey, owner: requestId };
      }

      // Faults sit after the idempotency claim so a slow first request is "in flight" for a retry.
      if (faulty) plan = await faults.plan(engine.faults, request.method, url.pathname);
      if (plan.latencyMs > 0) {
        if (record !== null) record.latencyMs = plan.latencyMs;
        await waitOut(engine, plan.latencyMs, request.signal);
      }
      if (plan.before) {
        if (record !== null) record.faultError = 'before';
        throw injected(plan.before);
      }

      const handler = handlers[match.route.operationId] as Handler<OperationId>;
      let result: HandlerResult;
      try {
        result = await handler(context);
      } catch (error) {
        if (claimed && error instanceof ApiProblem && isStoredRefusal(error.code)) {
          // A refusal met in the state is a result: the same key replays it (Stripe semantics).
          await engine.idempotency.complete(
            claimed.scope,
            claimed.key,
            claimed.owner,
            toStored(problemResponseBody(error, requestId, url.pathname)),
            engine.clock.now(),
          );
          claimed = undefined;
        }
        throw error;
      }
      if (result instanceof Response) {
        setHeaders(result, { 'request-id': requestId });
        return result;
      }
      const body = 'json' in result ? result.json : result.body === undefined ? '' : JSON.stringify(result.body);
      const response: StoredResponse = { status: result.status, headers: result.headers ?? {}, body };
      if (claimed) {
        await engine.idempotency.complete(claimed.scope, claimed.key, claimed.owner, response, engine.clock.now());
        claimed = undefined;
      }
      if (plan.after) {
        if (record !== null) record.faultError = 'after';
        throw injected(plan.after);
      }
      return stored(response, requestId, false);
    } catch (error) {
      if (claimed) await engine.idempotency.abandon(claimed.scope, claimed.key, claimed.owner);
      if (record !== null) {
        if (error instanceof BrokenConnection) record.faultConnection = error.kind;
        else record.code = error instanceof ApiProblem ? error.code : 'internal_error';
      }
      if (error instanceof BrokenConnection) return brokenConnection(error.kind, request.signal);
      if (error instanceof ApiProblem) return problemResponse(error, requestId, url.pathname);
      console.error('[livedrop-mock] unexpected error', error);
      return problemResponse(
        new ApiProblem(
          'internal_error',
          'The reference server failed unexpectedly; this is a bug — please report it with the request id.',
        ),
        requestId,
        url.pathname,
      );
    }
  }

  // The control key's digest, computed once per key (instances on a shared store adopt its key
  // once loaded); a candidate is compared digest to digest.
  let digested = engine.controlKey;
  let controlKeyDigest = engine.hash(digested);
  /**
   * Whether `given` is the control key, in constant time: both sides are SHA-256 digests of equal
   * length, compared without an early exit, so timing tells neither the key's length nor its prefix.
   */
  function isControlKey(given: string | undefined): boolean {
    if (digested !== engine.controlKey) {
      digested = engine.controlKey;
      controlKeyDigest = engine.hash(digested);
    }
    return given !== undefined && sameSecret(engine.hash(given), controlKeyDigest);
  }

  function authenticate(
    definition: RouteDefinition,
    request: ServerRequest,
    record: JournalRecord | null,
  ): Principal | null {
    const authorization = request.headers.get('authorization');
    if (definition.auth === 'public') return null;
    if (definition.auth === 'control') {
      if (!isControlKey(bearer(authorization)))
        throw new ApiProblem(
          'unauthenticated',
          'Control routes need `Authorization: Bearer <control key>` (printed by livedrop-mock at start).',
        );
      return null;
    }
    const principal = engine.principalOf(authorization);
    if (!principal)
      throw new ApiProblem(
        'unauthenticated',
        authorization
          ? 'The API key is not valid; check LIVEDROP_SECRET_KEY (the keys are new each time the server starts; a reset keeps them; a key of a tenant made by createTenant ends with a reset).'
          : 'Send your API key as `Authorization: Bearer <key>`.',
      );
    if (record !== null) record.role = principal.role;
    if (!definition.auth.includes(principal.role)) {
      throw new ApiProblem(
        'forbidden',
        `A ${principal.role} key cannot call ${definition.method} ${definition.path}; use a ${definition.auth.join(' or ')} key.`,
      );
    }
    return principal;
  }

  async function buildContext(
    match: RouteMatch,
    definition: RouteDefinition,
    request: ServerRequest,
    url: URL,
    requestId: string,
    principal: Principal | null,
    quotas: RequestQuotas,
    record: JournalRecord | null,
  ): Promise<HandlerContext<OperationId>> {
    const params: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(definition.params ?? {})) {
      const raw = match.params[name] ?? '';
      if (!schema.safeParse(raw).success)
        throw new ApiProblem('not_found', `No object with id "${raw}" exists for this key.`);
      params[name] = raw;
    }
    const query = definition.query ? parseOrThrow(definition.query, readQuery(url, definition.query), 'query') : {};
    let body: unknown;
    if (definition.method === 'POST' || definition.method === 'PATCH') {
      const raw = await readJsonBody(
        request,
        principal?.role === 'publishable' ? PUBLISHABLE_MAX_BODY_BYTES : MAX_BODY_BYTES,
        record,
        engine.hash,
      );
      // One rule for every route (the OpenAPI document states it per route): no body reads as `{}`
      // where `{}` is a valid body, else it is missing; `null` is a body, and never an object.
      if (definition.body)
        body = parseOrThrow(
          definition.body,
          raw === undefined && definition.body.safeParse({}).success ? {} : raw,
          'body',
        );
      else if (
        raw !== undefined &&
        !(typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.keys(raw).length === 0)
      ) {
        throw new ApiProblem(
          'validation_failed',
          `${definition.method} ${definition.path} takes no body; send none or {}.`,
          { errors: [{ path: '', code: 'unrecognized_keys', message: 'This route takes no body.' }] },
        );
      }
    }
    const head: RequestHead = request;
    return { engine, principal, request: head, requestId, params, query, body, quotas } as HandlerContext<OperationId>;
  }

  engine.dispatch = (request) => handleAs(request, false);
  return {
    handle,
    engine,
    get keys() {
      return engine.defaultTenant;
    },
    get controlKey() {
      return engine.controlKey;
    },
    control: createControl(handle, () => engine.controlKey),
    workspaces: engine.workspaces,
  };
}

function problemResponseBody(
  problem: ApiProblem,
  requestId: string,
  pathname: string,
): { status: number; headers: Record<string, string>; body: unknown } {
  return {
    status: problem.status,
    headers: { 'content-type': PROBLEM_TYPE, ...problem.headers },
    body: problem.toProblem(requestId, pathname),
  };
}

function toStored(result: { status: number; headers: Record<string, string>; body: unknown }): StoredResponse {
  return { status: result.status, headers: result.headers, body: JSON.stringify(result.body) };
}

/** The problem `code` of a stored refusal (read only when one is replayed), or null. */
function storedCode(response: StoredResponse): string | null {
  if (response.status < 400) return null;
  return /"code":"([a-z_]+)"/.exec(response.body)?.[1] ?? null;
}

function stored(response: StoredResponse, requestId: string, replayed: boolean): BufferedAnswer {
  // No body, no Content-Type: a 304 carries only the metadata RFC 9110 §15.4.5 lists.
  const empty = response.body === '';
  const headers: Record<string, string> = empty ? {} : { 'content-type': JSON_TYPE };
  for (const name in response.headers) headers[name] = response.headers[name]!;
  headers['request-id'] = requestId;
  if (replayed) headers['idempotent-replayed'] = 'true';
  return { status: response.status, headers, body: empty ? null : response.body };
}
