import { ROUTES, type OperationId, type RouteDefinition } from '@livedrop/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Router } from './router';

const ALL = new Set(Object.keys(ROUTES) as OperationId[]);
const DEFINITIONS = Object.entries(ROUTES) as [OperationId, RouteDefinition][];
const METHODS = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'];

/** The plain reading of the table: every route in order, static before parametric. */
function linearMatch(method: string, pathname: string): { operationId: string | undefined; allowed: string[] } {
  const sorted = [...DEFINITIONS].sort(
    ([, a], [, b]) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0),
  );
  const allowed: string[] = [];
  for (const [id, definition] of sorted) {
    const pattern = new RegExp(
      `^${definition.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '([^/]+)')}$`,
    );
    if (!pattern.test(pathname)) continue;
    if (definition.method !== method) allowed.push(definition.method);
    else return { operationId: id, allowed };
  }
  return { operationId: undefined, allowed };
}

describe('Router', () => {
  const router = new Router(ALL);
  const fill = (path: string, value: string) => path.replace(/\{\w+\}/g, value);

  it('matches every route of the contract to its operation, with its parameters', () => {
    for (const [, definition] of DEFINITIONS) {
      const { match } = router.match(definition.method, fill(definition.path, 'abc_123'));
      expect(match?.route.operationId, `${definition.method} ${definition.path}`).toBe(
        linearMatch(definition.method, fill(definition.path, 'abc_123')).operationId,
      );
      expect(match && Object.values(match.params).every((value) => value === 'abc_123')).toBe(true);
    }
  });

  it('answers as a linear scan of the whole table would, for any method and path built from its segments', () => {
    const segments = [
      ...new Set(DEFINITIONS.flatMap(([, d]) => d.path.split('/')).filter((s) => s && !s.startsWith('{'))),
    ];
    const path = fc
      .array(fc.oneof(fc.constantFrom(...segments), fc.constantFrom('x', 'off_1', '')), { maxLength: 6 })
      .map((parts) => `/${parts.join('/')}`);
    fc.assert(
      fc.property(fc.constantFrom(...METHODS), path, (method, pathname) => {
        const { match, allowed } = router.match(method, pathname);
        const expected = linearMatch(method, pathname);
        expect(match?.route.operationId).toBe(expected.operationId);
        if (!match) expect(allowed).toEqual(expected.allowed);
      }),
      { numRuns: 5_000 },
    );
  });

  it('leaves a malformed percent-escape as sent, for the parameter validation to refuse', () => {
    const { match } = router.match('GET', '/v1/sessions/%E0%A4%A');
    expect(match?.route.operationId).toBe('getSession');
    expect(match?.params).toEqual({ id: '%E0%A4%A' });
  });
});
