import { bearer } from '../auth';
import type { BufferedAnswer } from '../http/server-answer';
import { randomToken } from '../ids';
import { ApiProblem } from '../problem';
import { readinessOf } from './readiness';
import type { ServerMetrics } from './server-metrics';

/** The paths the node transport answers itself, before the API's pipeline: probes and metrics. */
export const OPERABILITY_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** What the operability routes read of the running server. */
export interface OperabilityContext {
  /** The storage whose readiness `/readyz` reports (see {@link readinessOf}). */
  readonly storage: object;
  /** True once `close()` began: `/readyz` answers 503 so balancers stop sending traffic. */
  readonly draining: () => boolean;
  /** Whether `given` is the server's control key (the only credential that may read `/metrics`). */
  readonly isControlKey: (given: string | undefined) => boolean;
  readonly metrics: ServerMetrics;
}

const NO_STORE = { 'cache-control': 'no-store' };

function json(status: number, body: unknown, contentType = 'application/json'): BufferedAnswer {
  return { status, headers: { 'content-type': contentType, ...NO_STORE }, body: JSON.stringify(body) };
}

function problem(
  code: 'service_unavailable' | 'unauthenticated',
  detail: string,
  path: string,
  extra = {},
): BufferedAnswer {
  const requestId = `req_${randomToken(16)}`;
  const answer = json(
    code === 'unauthenticated' ? 401 : 503,
    { ...new ApiProblem(code, detail).toProblem(requestId, path), ...extra },
    'application/problem+json',
  );
  answer.headers['request-id'] = requestId;
  if (code === 'unauthenticated') answer.headers['www-authenticate'] = 'Bearer';
  return answer;
}

/**
 * Answers `GET /healthz` (the process is up: always 200), `GET /readyz` (200 when the storage is
 * ready and the server is not draining, else a 503 problem with each check) and `GET /metrics`
 * (Prometheus text, to the control key only: it reveals traffic). Kept out of the API's pipeline and
 * its OpenAPI document: they are the transport's, not the API's, and never rate limited or faulted.
 */
export async function answerOperability(
  pathname: string,
  authorization: string | undefined,
  context: OperabilityContext,
): Promise<BufferedAnswer> {
  if (pathname === '/healthz') return json(200, { status: 'ok' });
  if (pathname === '/readyz') {
    const readiness = await readinessOf(context.storage);
    if (context.draining())
      return problem(
        'service_unavailable',
        'The server is draining before it stops; send requests to another instance.',
        pathname,
        {
          checks: { ...readiness.checks, shutdown: 'draining' },
        },
      );
    if (!readiness.ready)
      return problem('service_unavailable', 'The storage is not ready; retry shortly.', pathname, {
        checks: readiness.checks,
      });
    return json(200, { status: 'ready', checks: readiness.checks });
  }
  if (!context.isControlKey(bearer(authorization ?? null)))
    return problem(
      'unauthenticated',
      'Metrics reveal traffic: send `Authorization: Bearer <control key>` (printed by livedrop-mock at start).',
      pathname,
    );
  const { contentType, text } = await context.metrics.render();
  return { status: 200, headers: { 'content-type': contentType, ...NO_STORE }, body: text };
}
