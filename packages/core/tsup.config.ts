import { defineConfig } from 'tsup';
import { pureTopLevelCalls } from './build/pure-top-level-calls';

/** The contract's modules: declarations only, whose load-time calls the build marks pure. */
export const CONTRACT_MODULES = /[\\/]src[\\/](schemas|contract)[\\/][^\\/]+\.ts$/;

export default defineConfig({
  entry: { index: 'src/index.ts', 'openapi/index': 'src/openapi/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  // The contract's modules are declarations: mark their load-time calls pure so that an app's
  // bundler drops the schemas and routes it does not use (docs/decisions/0004).
  esbuildPlugins: [pureTopLevelCalls(CONTRACT_MODULES)],
});
