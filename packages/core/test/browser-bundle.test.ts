import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { markTopLevelCallsPure, pureTopLevelCalls } from '../build/pure-top-level-calls';
import { CONTRACT_MODULES } from '../tsup.config';

const CORE = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

/** Core built the way `tsup.config.ts` builds `dist/index.js`: one ESM chunk, dependencies external. */
const built = build({
  entryPoints: [CORE],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  packages: 'external',
  write: false,
  logLevel: 'silent',
  plugins: [pureTopLevelCalls(CONTRACT_MODULES)],
}).then((result) => result.outputFiles[0]!.text);

/** The built core, served to the app's bundler as `@livedrop/core`. */
const builtCore: Plugin = {
  name: 'built-core',
  setup(app) {
    app.onResolve({ filter: /^@livedrop\/core$/ }, () => ({ path: 'dist/index.js', namespace: 'built-core' }));
    app.onLoad({ filter: /.*/, namespace: 'built-core' }, async () => ({
      contents: await built,
      resolveDir: PACKAGE,
      loader: 'js',
    }));
  },
};

/** What a browser app's bundler makes of `import { … } from '@livedrop/core'`, minified. */
async function bundle(names: string): Promise<string> {
  const result = await build({
    stdin: { contents: `export { ${names} } from '@livedrop/core';`, resolveDir: PACKAGE, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    plugins: [builtCore],
  });
  return result.outputFiles[0]!.text;
}

/** Which of `texts` the bundle lacks. */
const carries = (code: string, texts: string[]) => texts.filter((text) => !code.includes(text));
/** Which of `texts` the bundle holds. */
const found = (code: string, texts: string[]) => texts.filter((text) => code.includes(text));

describe('what a browser carries', () => {
  it("createPublicClient carries the publishable routes and their response schemas, not the platform's", async () => {
    const code = await bundle('createPublicClient');
    expect(
      carries(code, [
        '/v1/sessions/{id}',
        '/v1/offers/{id}/tokens',
        '/v1/reservations/{id}/confirm',
        '/v1/sessions/{id}/stream',
        '"PublicSessionView"',
        '"Order"',
      ]),
    ).toEqual([]);
    // Not the platform's routes and schemas (nor the full session view), the event log's event types, nor request-side validation (ids, bodies):
    expect(
      found(code, [
        '/v1/webhook-endpoints',
        '/v1/sellers',
        '/__control/',
        'livedrop.order.created',
        '"WebhookEndpoint"',
        '"EventPage"',
        '"ListingEvent"',
        '"SessionView"',
        'must be a session id',
      ]),
    ).toEqual([]);
  });

  it('a schema import carries that schema and what it references, not the routes', async () => {
    const code = await bundle('Reservation');
    expect(carries(code, ['"Reservation"'])).toEqual([]);
    expect(found(code, ['/v1/', '"SessionView"', '"LiveDropEvent"', '"ListingEvent"'])).toEqual([]);
  });

  it('createClient carries every route', async () => {
    const code = await bundle('createClient');
    expect(
      carries(code, [
        '/v1/webhook-endpoints',
        '/v1/sellers',
        '/v1/events/stream',
        '/v1/reservations/{id}/capture',
        '"LiveDropEvent"',
      ]),
    ).toEqual([]);
  });
});

describe('markTopLevelCallsPure', () => {
  it('marks the calls that build top-level constants, and nothing that runs later or for its effect', () => {
    const source =
      'const A = f(g(1)).check(h());\nfunction later() { return f(); }\nconst B = () => f();\nregister(A);\n';
    expect(markTopLevelCallsPure(source, 'module.ts')).toBe(
      'const A = /* @__PURE__ */ f(/* @__PURE__ */ g(1)).check(/* @__PURE__ */ h());\nfunction later() { return f(); }\nconst B = () => f();\nregister(A);\n',
    );
  });
});
