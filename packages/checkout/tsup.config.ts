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
  {
    entry: { 'livedrop-checkout': 'src/global.ts' },
    format: ['iife'],
    minify: true,
    sourcemap: false,
    target: 'es2022',
    platform: 'browser',
    noExternal: [/.*/],
    esbuildPlugins: [isolateZodGlobals],
  },
]);
