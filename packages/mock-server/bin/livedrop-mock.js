#!/usr/bin/env node
// Committed launcher for the built CLI: the bin exists before `pnpm build`, so installing the
// workspace can link it without a warning. It runs dist/cli.js, which the build produces.
import '../dist/cli.js';
