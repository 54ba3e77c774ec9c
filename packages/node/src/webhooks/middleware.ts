import { WebhookVerificationError, verifyWebhook, type LiveDropEvent } from '@livedrop/core';
import { readRawBody } from '../internal/read-raw-body';
import { WebhookBodyError } from './webhook-body-error';

declare global {
  // Express users get `req.livedropEvent` typed on their `Request` (a no-op without @types/express).
  namespace Express {
    interface Request {
      /** The verified LiveDrop event, set by `webhookMiddleware`. */
      livedropEvent?: LiveDropEvent;
    }
  }
}

/** The request as the middleware sees it: node's `IncomingMessage`, an Express `Request` or a Fastify request. */
export interface WebhookRequest {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** What a body parser left: bytes or text are used as the raw body; a parsed object is refused. */
  body?: unknown;
  /** The raw body, as a parser's `verify` hook may keep it (`req.rawBody = buf`). */
  rawBody?: unknown;
  /** The verified event, set before `onEvent` and `next` run. */
  livedropEvent?: LiveDropEvent;
}

/** node:http's `ServerResponse` (and so Express's `Response`). */
export interface NodeResponseLike {
  readonly headersSent: boolean;
  writeHead(statusCode: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}

/** Fastify's `reply`. */
export interface FastifyReplyLike {
  readonly sent: boolean;
  code(statusCode: number): unknown;
  header(name: string, value: string): unknown;
  send(payload: string): unknown;
}

/** Where the middleware writes its answer: a node:http / Express response or a Fastify reply. */
export type WebhookResponse = NodeResponseLike | FastifyReplyLike;

/** `next` of Express and `done` of a Fastify hook (declared as a method so either one's parameter type fits). */
export type WebhookNext = { next(error?: unknown): void }['next'];

/** Options of {@link webhookMiddleware}. */
export interface WebhookMiddlewareOptions<
  TRequest extends WebhookRequest = WebhookRequest,
  TResponse extends WebhookResponse = WebhookResponse,
> {
  /** The endpoint's signing secret (`whsec_…`), or several while a rotation overlaps. */
  secret: string | readonly string[];
  /** How far `webhook-timestamp` may be from now, either way, in seconds. @default 300 */
  toleranceSeconds?: number | undefined;
  /** The time to check timestamps against: a clock function (epoch ms) or a fixed time. @default Date.now */
  now?: (() => number) | Date | number | undefined;
  /** Bodies larger than this are answered 413 without being verified. @default 1048576 (1 MiB) */
  maxBodyBytes?: number | undefined;
  /**
   * Called with each verified event, before `next`. With no `next` (plain node:http) the middleware
   * answers `200 {"received":true}` after it resolves, unless it answered itself; if it throws, the
   * answer is 500 so LiveDrop retries the delivery.
   */
  onEvent?: ((event: LiveDropEvent, req: TRequest, res: TResponse) => unknown) | undefined;
  /**
   * Receives what went wrong when there is no `next` to hand it to: a throwing `onEvent`, or a
   * setup mistake such as a body parser mounted first (answered 500).
   * @default console.error
   */
  onError?: ((error: unknown, req: TRequest) => void) | undefined;
}

/** A `(req, res, next?)` function for node:http, Express (a route middleware) and Fastify (a `preHandler`). */
export type WebhookMiddleware<
  TRequest extends WebhookRequest = WebhookRequest,
  TResponse extends WebhookResponse = WebhookResponse,
> = (req: TRequest, res: TResponse, next?: WebhookNext) => void;

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const PROBLEM_TYPE = 'application/problem+json';

function isNodeResponse(res: WebhookResponse): res is NodeResponseLike {
  return typeof (res as NodeResponseLike).writeHead === 'function';
}

const alreadyAnswered = (res: WebhookResponse) => (isNodeResponse(res) ? res.headersSent : res.sent);

function answer(res: WebhookResponse, status: number, contentType: string, body: unknown): void {
  const text = JSON.stringify(body);
  if (isNodeResponse(res)) {
    res.writeHead(status, {
      'content-type': contentType,
      'content-length': String(Buffer.byteLength(text)),
      ...(status === 413 ? { connection: 'close' } : {}),
    });
    res.end(text);
    return;
  }
  res.code(status);
  res.header('content-type', contentType);
  res.send(text);
}

function problem(res: WebhookResponse, status: number, code: string, title: string, detail: string): void {
  answer(res, status, PROBLEM_TYPE, { type: `https://docs.livedrop.dev/errors#${code}`, title, status, detail, code });
}

function clockOf(now: WebhookMiddlewareOptions['now']): () => number | Date {
  if (typeof now === 'function') return now;
  return now === undefined ? Date.now : () => now;
}

/**
 * Verifies LiveDrop webhook deliveries (Standard Webhooks signatures over the **raw** body) in
 * front of your handler. It reads the raw body itself, so it must see the request before any JSON
 * parser; a body that was already parsed is refused with instructions (the signature covers the
 * exact bytes, which re-serialized JSON does not reproduce). A bad signature, timestamp or payload
 * is answered `400 application/problem+json` and never reaches your code.
 *
 * On success the event is set as `req.livedropEvent`, then `onEvent(event, req, res)` runs, then
 * `next()` (Express, Fastify); with neither `next` nor an answer from `onEvent` it answers 200.
 *
 * @example node:http
 * http.createServer(webhookMiddleware({ secret, onEvent: (event) => queue.push(event) })).listen(8080);
 * @example Express — before `express.json()`, or on a route of its own
 * app.post('/hooks', webhookMiddleware({ secret }), (req, res) => { handle(req.livedropEvent!); res.sendStatus(204); });
 * app.use(express.json()); // after
 * @example Fastify — a preHandler, with the JSON body kept as a Buffer in the route's scope
 * fastify.register(async (scope) => {
 *   scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
 *   scope.post('/hooks', { preHandler: webhookMiddleware({ secret }) }, async (request) => {
 *     handle(request.livedropEvent!);
 *     return { received: true };
 *   });
 * });
 * @see verifyWebhook for frameworks that hand you the raw body (Request-based runtimes: `await request.text()`)
 */
export function webhookMiddleware<
  TRequest extends WebhookRequest = WebhookRequest,
  TResponse extends WebhookResponse = WebhookResponse,
>(options: WebhookMiddlewareOptions<TRequest, TResponse>): WebhookMiddleware<TRequest, TResponse> {
  const { secret, onEvent } = options;
  if (typeof secret !== 'string' && !Array.isArray(secret))
    throw new TypeError(
      'webhookMiddleware needs the endpoint secret ("whsec_…"), as returned when the endpoint was created.',
    );
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const now = clockOf(options.now);
  const report = options.onError ?? ((error: unknown) => console.error('[livedrop] webhook middleware:', error));

  async function run(req: TRequest, res: TResponse, next: WebhookNext | undefined): Promise<void> {
    let event: LiveDropEvent;
    try {
      const body = await readRawBody(req, limit);
      event = await verifyWebhook(body, req.headers, secret, {
        toleranceSeconds: options.toleranceSeconds,
        now: now(),
      });
    } catch (error) {
      if (error instanceof WebhookVerificationError)
        return problem(res, 400, error.code, 'Webhook verification failed', error.message);
      if (error instanceof WebhookBodyError && error.code === 'webhook_body_too_large')
        return problem(res, 413, error.code, 'Webhook body too large', error.message);
      if (next) return next(error);
      report(error, req);
      if (error instanceof WebhookBodyError)
        return problem(res, 500, error.code, 'Webhook middleware misconfigured', error.message);
      return problem(
        res,
        400,
        'webhook_body_unreadable',
        'Webhook body unreadable',
        'The request body could not be read.',
      );
    }
    req.livedropEvent = event;
    try {
      if (onEvent) await onEvent(event, req, res);
    } catch (error) {
      if (next) return next(error);
      report(error, req);
      if (!alreadyAnswered(res))
        problem(
          res,
          500,
          'webhook_handler_failed',
          'Webhook handler failed',
          'The receiver failed to process the event; LiveDrop will retry the delivery.',
        );
      return;
    }
    if (next) return next();
    if (!alreadyAnswered(res)) answer(res, 200, 'application/json', { received: true });
  }

  return (req, res, next) => {
    // Not returned: Fastify would call `done` a second time when a returned promise settles.
    run(req, res, next).catch((error: unknown) => report(error, req));
  };
}
