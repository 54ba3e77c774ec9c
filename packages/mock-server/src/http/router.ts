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
 * A path segment with its percent-escapes decoded; a malformed escape (`%E0%A4%A`) is left as sent,
 * so the parameter's own validation refuses it (404) instead of the decoder throwing.
 */
function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** How many `/`-separated segments a path has; a route's pattern only matches paths with as many as its own. */
function segmentCount(path: string): number {
  let count = 0;
  for (let index = path.indexOf('/'); index !== -1; index = path.indexOf('/', index + 1)) count++;
  return count;
}

/**
 * Matches requests against the contract's route table (only the routes the server implements).
 * Static segments win over parameters by trying routes with fewer parameters first. Routes are
 * grouped by their number of segments (a parameter never spans a `/`), so a request tries only
 * the few routes of its own length.
 */
export class Router {
  readonly #bySegments = new Map<number, CompiledRoute[]>();

  constructor(implemented: ReadonlySet<OperationId>) {
    const routes = (Object.entries(ROUTES) as [OperationId, RouteDefinition][])
      .filter(([id]) => implemented.has(id))
      .map(([id, def]) => compile(id, def))
      .sort((a, b) => a.paramNames.length - b.paramNames.length);
    for (const route of routes) {
      const count = segmentCount(route.definition.path);
      const group = this.#bySegments.get(count);
      if (group) group.push(route);
      else this.#bySegments.set(count, [route]);
    }
  }

  /** Finds the route for `method` and `pathname`; `allowed` lists the methods the path supports otherwise. */
  match(method: string, pathname: string): { match: RouteMatch | undefined; allowed: string[] } {
    const allowed: string[] = [];
    for (const route of this.#bySegments.get(segmentCount(pathname)) ?? []) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      if (route.definition.method !== method) {
        allowed.push(route.definition.method);
        continue;
      }
      const params: Record<string, string> = {};
      for (let index = 0; index < route.paramNames.length; index++)
        params[route.paramNames[index]!] = decodeSegment(found[index + 1] ?? '');
      return { match: { route, params }, allowed };
    }
    return { match: undefined, allowed };
  }
}
