import type { BufferedAnswer, ServerAnswer } from './server-answer';

/** Where a light response keeps its buffered answer. */
const ANSWER = Symbol('livedrop.bufferedAnswer');

/** The `Response` members a light response answers from a materialized one: getters, then methods. */
const MATERIALIZED_GETTERS = ['headers', 'body', 'bodyUsed', 'redirected', 'statusText', 'type', 'url'] as const;
const MATERIALIZED_METHODS = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text', 'clone'] as const;

/**
 * A `Response` over a buffered answer, for requests that came in light (see `createLightRequest`):
 * the transport that made the request writes the answer as is, and a real `Response` is only
 * made if someone reads anything but the status. `instanceof Response` holds.
 */
class LightResponse {
  readonly [ANSWER]: BufferedAnswer;
  #response: Response | undefined;

  constructor(answer: BufferedAnswer) {
    this[ANSWER] = answer;
  }

  get status(): number {
    return this[ANSWER].status;
  }

  get ok(): boolean {
    return this[ANSWER].status >= 200 && this[ANSWER].status < 300;
  }

  /** What a transport writes: the buffered answer, or the real `Response` once one was made (it may have been changed). */
  written(): ServerAnswer {
    return this.#response ?? this[ANSWER];
  }

  /** The real `Response`, made on first use. */
  materialized(): Response {
    const answer = this[ANSWER];
    return (this.#response ??= new Response(answer.body, { status: answer.status, headers: answer.headers }));
  }
}

for (const name of MATERIALIZED_GETTERS) {
  Object.defineProperty(LightResponse.prototype, name, {
    get(this: LightResponse) {
      return this.materialized()[name];
    },
  });
}
for (const name of MATERIALIZED_METHODS) {
  Object.defineProperty(LightResponse.prototype, name, {
    value(this: LightResponse, ...args: unknown[]) {
      const response = this.materialized();
      return (response[name] as (...args: unknown[]) => unknown).apply(response, args);
    },
  });
}
Object.setPrototypeOf(LightResponse.prototype, Response.prototype);

/** A `Response` over `answer` that a transport can write without building a WHATWG one. */
export function createLightResponse(answer: BufferedAnswer): Response {
  return new LightResponse(answer) as unknown as Response;
}

/** What to write for `response`: a light response's buffered answer (unless it was materialized), else the response itself. */
export function answerOf(response: Response): ServerAnswer {
  return response instanceof LightResponse ? response.written() : response;
}
