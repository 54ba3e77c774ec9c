import { fromFetchRequest, type ServerRequest } from './server-request';

/** Where a light request keeps the pipeline's view of itself. */
const VIEW = Symbol('livedrop.serverRequest');

/** The `Request` members a light request answers from a materialized one: getters, then methods. */
const MATERIALIZED_GETTERS = [
  'headers',
  'body',
  'bodyUsed',
  'cache',
  'credentials',
  'destination',
  'integrity',
  'keepalive',
  'mode',
  'redirect',
  'referrer',
  'referrerPolicy',
  'duplex',
] as const;
const MATERIALIZED_METHODS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text', 'clone'] as const;

/**
 * A `Request` that a transport makes from its own request object without building a WHATWG one
 * (as `@hono/node-server` does): method, URL and signal come from the pipeline's view, and a real
 * `Request` is only made if someone asks for anything else (its headers, its body as a stream…).
 * `instanceof Request` holds, so it goes through `server.handle` like any other request.
 */
class LightRequest {
  readonly [VIEW]: ServerRequest;
  readonly #materialize: () => Request;
  #request: Request | undefined;

  constructor(view: ServerRequest, materialize: () => Request) {
    this[VIEW] = view;
    this.#materialize = materialize;
  }

  get method(): string {
    return this[VIEW].method;
  }

  get url(): string {
    return this[VIEW].url;
  }

  get signal(): AbortSignal {
    return this[VIEW].signal;
  }

  /** The real `Request`, made on first use. */
  materialized(): Request {
    return (this.#request ??= this.#materialize());
  }
}

for (const name of MATERIALIZED_GETTERS) {
  Object.defineProperty(LightRequest.prototype, name, {
    get(this: LightRequest) {
      return this.materialized()[name as keyof Request];
    },
  });
}
for (const name of MATERIALIZED_METHODS) {
  Object.defineProperty(LightRequest.prototype, name, {
    value(this: LightRequest, ...args: unknown[]) {
      const request = this.materialized();
      return (request[name] as (...args: unknown[]) => unknown).apply(request, args);
    },
  });
}
Object.setPrototypeOf(LightRequest.prototype, Request.prototype);

/**
 * A `Request` over `view` (the transport's light request), for `server.handle`. The pipeline reads
 * `view` directly; `materialize` builds a real `Request` for anyone else who asks.
 */
export function createLightRequest(view: ServerRequest, materialize: () => Request): Request {
  return new LightRequest(view, materialize) as unknown as Request;
}

/** Whether `request` was made by {@link createLightRequest}. */
export function isLightRequest(request: Request): boolean {
  return request instanceof LightRequest;
}

/** The pipeline's view of `request`: a light request's own, or one over a WHATWG `Request`. */
export function serverRequestOf(request: Request): ServerRequest {
  return request instanceof LightRequest ? request[VIEW] : fromFetchRequest(request);
}
