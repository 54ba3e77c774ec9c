import { ROUTES, type OperationId } from '@livedrop/core';
import { Router } from '../http/router';

/** The label of a request that matches no route: one series for every unknown path. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Names a request by its operation id (`getSession`), never by its raw path, for metrics and logs:
 * ids are a fixed set, paths carry ids without end. Matches with the same router as the pipeline.
 */
export class OperationLabels {
  readonly #router = new Router(new Set(Object.keys(ROUTES) as OperationId[]));

  /** The operation id of `method` on `pathname` (the path without its query), or `null`. */
  operationOf(method: string, pathname: string): OperationId | null {
    return this.#router.match(method, pathname).match?.route.operationId ?? null;
  }
}
