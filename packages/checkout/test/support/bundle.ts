/**
 * Builds the script-tag bundle from the workspace's sources (what the tests run), the way
 * tsup.config.ts builds `dist/livedrop-checkout.global.js`: one minified IIFE with every dependency.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { isolateZodGlobals } from '../../build/isolate-zod-globals';

const packages = fileURLToPath(new URL('../../../', import.meta.url));

/** Resolves `@livedrop/browser` and `@livedrop/core` to their sources. */
const workspace: Plugin = {
  name: 'workspace',
  setup(b) {
    // browser's package.json marks its dist's index and jitless modules as side-effectful; their sources are too.
    b.onResolve({ filter: /^@livedrop\/browser$/ }, () => ({
      path: join(packages, 'browser/src/index.ts'),
      sideEffects: true,
    }));
    b.onResolve({ filter: /^@livedrop\/core$/ }, () => ({ path: join(packages, 'core/src/index.ts') }));
    b.onResolve({ filter: /^\.\/jitless$/ }, (args) => ({
      path: join(dirname(args.importer), 'jitless.ts'),
      sideEffects: true,
    }));
  },
};

const IIFE: BuildOptions = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  write: false,
  minify: true,
  plugins: [workspace, isolateZodGlobals],
  nodePaths: [join(packages, 'browser/node_modules'), join(packages, 'core/node_modules')],
  logLevel: 'error',
};

/** The script-tag bundle: `src/global.ts` with everything it imports. */
export async function bundleWidget(): Promise<string> {
  const result = await build({ ...IIFE, entryPoints: [join(packages, 'checkout/src/global.ts')] });
  return result.outputFiles![0]!.text;
}

/**
 * A page script built the same way from `source`, a module that may import the widget's sources,
 * e.g. to hand `mountCheckout` to a test page (the script-tag build defines no global but the element).
 */
export async function bundleScript(source: string): Promise<string> {
  const result = await build({
    ...IIFE,
    stdin: { contents: source, resolveDir: join(packages, 'checkout'), loader: 'ts', sourcefile: 'page-script.ts' },
  });
  return result.outputFiles![0]!.text;
}
