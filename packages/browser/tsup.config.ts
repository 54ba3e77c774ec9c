import { defineConfig, type Options } from 'tsup';

/**
 * `./jitless` must run before `@livedrop/core` makes its schemas. Bundled into index.js its code
 * would run after every import of index.js (imports are hoisted), core's included; kept its own
 * file and imported first, it runs first. So the entry's import of it stays an import of the built
 * file of the same format.
 */
const keepJitlessSeparate: NonNullable<Options['esbuildPlugins']>[number] = {
  name: 'keep-jitless-separate',
  setup(build) {
    build.onResolve({ filter: /^\.\/jitless$/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      return { path: build.initialOptions.format === 'cjs' ? './jitless.cjs' : './jitless.js', external: true };
    });
  },
};

export default defineConfig({
  entry: { index: 'src/index.ts', jitless: 'src/jitless.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'browser',
  esbuildPlugins: [keepJitlessSeparate],
});
