import { defineConfig } from 'tsup';
import { isolateZodGlobals } from './build/isolate-zod-globals';

export default defineConfig([
  // For bundlers and Node (the page helper): ESM + CJS with types; dependencies stay imports.
  {
    entry: { index: 'src/index.ts', page: 'src/page.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'browser',
  },
  // For a <script> tag: one minified file with every dependency, registering the element on load.
  // Minified by terser, which shrinks it ~3 % more than esbuild's minifier (the budget is 25 kB).
  {
    entry: { 'livedrop-checkout': 'src/global.ts' },
    format: ['iife'],
    minify: 'terser',
    terserOptions: { ecma: 2020, compress: { passes: 3 } },
    sourcemap: false,
    target: 'es2022',
    platform: 'browser',
    noExternal: [/.*/],
    esbuildPlugins: [isolateZodGlobals],
  },
]);
