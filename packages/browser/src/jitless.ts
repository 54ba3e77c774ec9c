/**
 * Turns off zod's compiled parsers before any schema exists. zod builds a fast parser for each
 * object schema with `new Function`, and probes whether it may while the schemas are being made,
 * at import; under a Content-Security-Policy without `'unsafe-eval'` the probe is blocked and
 * reported as a `securitypolicyviolation`, even though zod then falls back. Setting `jitless`
 * first skips the probe and the compiler: parsing stays correct, a little slower.
 *
 * This module imports zod and nothing of LiveDrop's, and the entry imports it first and keeps it a
 * separate file in `dist`, so it runs before `@livedrop/core` makes its schemas.
 *
 * @module
 */
import * as z from 'zod/mini';

z.config({ jitless: true });
