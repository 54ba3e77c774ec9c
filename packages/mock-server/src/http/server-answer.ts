/**
 * A complete answer whose body is already text: what every JSON route and every problem produces.
 * Transports write it as is (node:http: `writeHead` + `end`), without a WHATWG `Response`.
 */
export interface BufferedAnswer {
  readonly status: number;
  /** Lower-case header names; the pipeline adds its own (CORS, `request-id`) to this object. */
  readonly headers: Record<string, string>;
  /** `null` for no body (204, 304). */
  readonly body: string | null;
}

/** What the pipeline answers: a buffered answer, or a `Response` whose body streams (SSE, NDJSON). */
export type ServerAnswer = BufferedAnswer | Response;

/** A WHATWG `Response` for `answer`, for fetch-style callers (msw, in-process). */
export function toResponse(answer: ServerAnswer): Response {
  if (answer instanceof Response) return answer;
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/** Sets `headers` on `answer`, overriding same-named ones. */
export function setHeaders(answer: ServerAnswer, headers: Readonly<Record<string, string>>): void {
  if (answer instanceof Response) for (const name in headers) answer.headers.set(name, headers[name]!);
  else Object.assign(answer.headers, headers);
}

/** The value of header `name` (lower-case) on `answer`, or `null`. */
export function headerOf(answer: ServerAnswer, name: string): string | null {
  return answer instanceof Response ? answer.headers.get(name) : (answer.headers[name] ?? null);
}
