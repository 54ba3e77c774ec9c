import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/**
 * zod keeps its config and global registry on `globalThis` (`__zod_globalConfig`,
 * `__zod_globalRegistry`) so that copies of zod in one page share them. The script-tag build
 * carries its own zod and must define no global but the element, so in that build the two modules
 * that do it keep the objects in a module-local scope instead. Nothing else changes: every other
 * module imports them from these two.
 */
export const isolateZodGlobals: Plugin = {
  name: 'isolate-zod-globals',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/](core|registries)\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return {
        contents: `const __livedropZodScope = {};\n${source.replaceAll('globalThis', '__livedropZodScope')}`,
        loader: 'js',
      };
    });
  },
};
