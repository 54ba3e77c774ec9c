import { defineConfig } from 'vitest/config';
import base from './vitest.config';
export default defineConfig({ resolve: base.resolve, test: { include: ['demo/test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 } });
