/**
 * Builds the script-tag bundle from the workspace's sources (what the tests run), the way
 * tsup.config.ts builds `dist/livedrop-checkout.global.js`: one minified IIFE with every dependency.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { isolateZodGlobals } from '../../build/isolate-zod-globals';

const packages = fileURLToPath(new URL('../../../', import.meta.url));

/** Resolves `@livedrop/browser` and `@livedrop/core` to their sources. */
const workspace: Plugin = {
  name: 'workspace',
  setup(b) {
    b.onResolve({ filter: /^@livedrop\/browser$/ }, () => ({ path: join(packages, 'browser/src/index.ts') }));
    b.onResolve({ filter: /^@livedrop\/core$/ }, () => ({ path: join(packages, 'core/src/index.ts') }));
    // browser's package.json marks only its dist's jitless module as side-effectful; its source is too.
    b.onResolve({ filter: /^\.\/jitless$/ }, (args) => ({ path: join(dirname(args.importer), 'jitless.ts'), sideEffects: true }));
  },
};

/** The IIFE's text, and esbuild's metafile for size breakdowns. */
export async function bundleWidget(): Promise<{ code: string; metafile: import('esbuild').Metafile }> {
  const result = await build({
    entryPoints: [join(packages, 'checkout/src/global.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    minify: true,
    metafile: true,
    plugins: [workspace, isolateZodGlobals],
    nodePaths: [join(packages, 'browser/node_modules'), join(packages, 'core/node_modules')],
    logLevel: 'error',
  });
  return { code: result.outputFiles[0]!.text, metafile: result.metafile };
}
