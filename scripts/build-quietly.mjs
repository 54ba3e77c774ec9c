#!/usr/bin/env node
/**
 * Runs `pnpm build` for `pnpm demo` and `pnpm simulate` with its output held back: one progress
 * line on stderr ("building packages… built in 9.8 s"). When the build fails, it prints everything
 * the build printed and exits with the build's code. stdout stays free for the command that
 * follows (`pnpm demo --json` writes JSON there).
 *
 *   node scripts/build-quietly.mjs
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Under `pnpm run`, npm_execpath is the running pnpm; use the same one.
const pnpm = process.env.npm_execpath;
const [command, args] =
  pnpm?.endsWith('.js') || pnpm?.endsWith('.cjs') ? [process.execPath, [pnpm, 'build']] : [pnpm ?? 'pnpm', ['build']];

const started = performance.now();
process.stderr.write('building packages…');
const output = [];
const child = spawn(command, args, {
  cwd: root,
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, FORCE_COLOR: process.stderr.isTTY ? '1' : '0' },
});
child.stdout.on('data', (chunk) => output.push(chunk));
child.stderr.on('data', (chunk) => output.push(chunk));
child.on('error', (error) => {
  process.stderr.write(` could not start ${command}: ${error.message}\n`);
  process.exit(1);
});
child.on('close', (code, signal) => {
  if (code === 0) {
    process.stderr.write(` built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return;
  }
  process.stderr.write(` the build failed (${signal ?? `exit code ${code}`}); its output:\n\n`);
  process.stderr.write(Buffer.concat(output));
  process.exit(code || 1);
});
