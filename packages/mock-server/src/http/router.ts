import { ROUTES, type OperationId, type RouteDefinition } from '@livedrop/core';

/** A route of the contract compiled to a matcher. */
export interface CompiledRoute {
  readonly operationId: OperationId;
  readonly definition: RouteDefinition;
  readonly pattern: RegExp;
  readonly paramNames: readonly string[];
}

/** A request matched to a route, with its raw path parameters. */
export interface RouteMatch {
  readonly route: CompiledRoute;
  readonly params: Record<string, string>;
}

function compile(operationId: OperationId, definition: RouteDefinition): CompiledRoute {
  const paramNames: string[] = [];
  const source = definition.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { operationId, definition, pattern: new RegExp(`^${source}$`), paramNames };
}

/**
 * Matches requests against the contract's route table (only the routes the server implements).
 * Static segments win over parameters by trying routes with fewer parameters first.
 */
export class Router {
  readonly #routes: CompiledRoute[];

  constructor(implemented: ReadonlySet<OperationId>) {
    this.#routes = (Object.entries(ROUTES) as [OperationId, RouteDefinition][])
      .filter(([id]) => implemented.has(id))
      .map(([id, def]) => compile(id, def))
      .sort((a, b) => a.paramNames.length - b.paramNames.length);
  }

  /** Finds the route for `method` and `pathname`; `allowed` lists the methods the path supports otherwise. */
  match(method: string, pathname: string): { match: RouteMatch | undefined; allowed: string[] } {
    const allowed: string[] = [];
    for (const route of this.#routes) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      if (route.definition.method !== method) {
        allowed.push(route.definition.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.paramNames.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { match: { route, params }, allowed };
    }
    return { match: undefined, allowed };
  }
}
