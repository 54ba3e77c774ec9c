#!/usr/bin/env node
/**
 * Proves that what we would publish works for the people who install it.
 *
 * For every public package under packages/*:
 *   1. `pnpm pack` it (this is what rewrites `workspace:^` to a real range),
 *   2. lint the tarball with publint (strict: warnings fail too),
 *   3. check its types with @arethetypeswrong/cli (`attw`, default "strict" profile),
 * then install ALL the tarballs together into one scratch npm project — so the
 * packages resolve each other from the tarballs, and third-party deps from the
 * registry — and load every runtime export both ways: `import()` from an .mjs file
 * and `require()` from a .cjs file, which must succeed and expose the same names,
 * and run every `bin` the package declares with `--help`.
 *
 * Run after `pnpm build` (the root `test` script does). Exits non-zero on any failure.
 * `KEEP_TMP=1` keeps the scratch directory for inspection.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const attwBin = join(root, 'node_modules', '.bin', 'attw');
const started = Date.now();

/** @type {{ name: string, step: string, detail: string }[]} */
const failures = [];
/** @type {string[]} */
const notes = [];

const fail = (name, step, detail) => failures.push({ name, step, detail });
const indent = (text) => String(text).trim().replace(/^/gm, '    ');
const seconds = (from) => `${((Date.now() - from) / 1000).toFixed(1)}s`;

/** Runs a command; never throws, so one broken package does not hide the others. */
async function exec(file, args, options = {}) {
  try {
    const { stdout, stderr } = await run(file, args, { maxBuffer: 64 * 1024 * 1024, ...options });
    return { ok: true, code: 0, stdout, stderr };
  } catch (error) {
    const timedOut = error.killed && error.signal === 'SIGTERM';
    return {
      ok: false,
      code: error.code,
      stdout: error.stdout ?? '',
      stderr: (timedOut ? `timed out after ${options.timeout} ms\n` : '') + (error.stderr ?? String(error)),
    };
  }
}

/** Export subpaths a Node runtime can load: everything but `./package.json`, patterns and runtime-gated nulls. */
function runtimeSubpaths(exports) {
  if (exports == null) return [];
  if (typeof exports === 'string' || Array.isArray(exports)) return [['.', exports]];
  const keys = Object.keys(exports);
  if (!keys.every((key) => key.startsWith('.'))) return [['.', exports]]; // conditions-only sugar
  return keys
    .filter((key) => key !== './package.json' && !key.includes('*') && exports[key] !== null)
    .map((key) => [key, exports[key]]);
}

/** Whether the target has a branch for the given condition (`import`/`require`), or an unconditional one. */
function hasCondition(target, condition) {
  if (typeof target === 'string' || Array.isArray(target)) return true;
  if (target == null || typeof target !== 'object') return false;
  return Object.entries(target).some(
    ([key, value]) => (key === condition || key === 'node' || key === 'default') && hasCondition(value, condition),
  );
}

// ---------------------------------------------------------------------------------------------
// Discover packages.

const packagesDir = join(root, 'packages');
const discovered = [];
for (const dir of readdirSync(packagesDir, { withFileTypes: true })) {
  if (!dir.isDirectory()) continue;
  const pkgDir = join(packagesDir, dir.name);
  const manifestPath = join(pkgDir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  if (manifest.private) continue;
  discovered.push({ dir: dir.name, pkgDir, manifest, name: manifest.name });
}
discovered.sort((a, b) => a.name.localeCompare(b.name));

// A package whose source does not exist yet is skipped, and so is anything that depends on it
// (its tarball could not be installed without the missing one).
const byName = new Map(discovered.map((pkg) => [pkg.name, pkg]));
const skipped = new Map();
for (const pkg of discovered) {
  if (!existsSync(join(pkg.pkgDir, 'src', 'index.ts'))) skipped.set(pkg.name, 'src/index.ts does not exist yet');
}
for (let changed = true; changed; ) {
  changed = false;
  for (const pkg of discovered) {
    if (skipped.has(pkg.name)) continue;
    const deps = { ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies };
    const missing = Object.keys(deps).find((dep) => byName.has(dep) && skipped.has(dep));
    if (missing) {
      skipped.set(pkg.name, `depends on ${missing}, which is skipped`);
      changed = true;
    }
  }
}
const packages = discovered.filter((pkg) => !skipped.has(pkg.name));

console.log(`check-packages: ${discovered.length} public packages, ${packages.length} to check`);
for (const [name, why] of skipped) {
  console.log(`  - ${name.padEnd(24)} SKIPPED: ${why}`);
  notes.push(`${name} skipped: ${why}`);
}
if (packages.length === 0) {
  console.log('check-packages: nothing to check');
  process.exit(0);
}

const scratch = await mkdtemp(join(tmpdir(), 'livedrop-check-packages-'));
const tarballDir = join(scratch, 'tarballs');

try {
  // -------------------------------------------------------------------------------------------
  // Pack, publint, attw — per package.

  for (const pkg of packages) {
    const t0 = Date.now();
    const results = [];

    const distDir = join(pkg.pkgDir, 'dist');
    if (!existsSync(distDir)) {
      fail(pkg.name, 'build', `${distDir} does not exist — run \`pnpm build\` first`);
      console.log(`  ✗ ${pkg.name.padEnd(24)} not built (no dist/)`);
      continue;
    }

    const before = new Set(existsSync(tarballDir) ? readdirSync(tarballDir) : []);
    const packed = await exec('pnpm', ['pack', '--pack-destination', tarballDir], {
      cwd: pkg.pkgDir,
      timeout: 120_000,
    });
    const tarballName = existsSync(tarballDir)
      ? readdirSync(tarballDir).find((f) => f.endsWith('.tgz') && !before.has(f))
      : undefined;
    if (!packed.ok || !tarballName) {
      fail(pkg.name, 'pnpm pack', packed.stderr || packed.stdout || 'no tarball produced');
      console.log(`  ✗ ${pkg.name.padEnd(24)} pnpm pack failed`);
      continue;
    }
    pkg.tarball = join(tarballDir, tarballName);
    const tarballBytes = await readFile(pkg.tarball);

    // publint on the tarball itself: it sees exactly the published file list.
    try {
      const buffer = tarballBytes.buffer.slice(
        tarballBytes.byteOffset,
        tarballBytes.byteOffset + tarballBytes.byteLength,
      );
      const { messages, pkg: packedManifest } = await publint({ pack: { tarball: buffer }, strict: true });
      const blocking = messages.filter((m) => m.type === 'error' || m.type === 'warning');
      for (const m of messages.filter((m) => m.type === 'suggestion')) {
        notes.push(`${pkg.name} publint suggestion: ${formatMessage(m, packedManifest, { color: false })}`);
      }
      if (blocking.length > 0) {
        const text = blocking.map((m) => `${m.type}: ${formatMessage(m, packedManifest, { color: false })}`).join('\n');
        fail(pkg.name, 'publint', text);
        results.push(`publint ✗ ${blocking.length}`);
      } else {
        results.push(
          messages.length
            ? `publint ok (${messages.length} suggestion${messages.length > 1 ? 's' : ''})`
            : 'publint ok',
        );
      }
    } catch (error) {
      fail(pkg.name, 'publint', error?.stack ?? String(error));
      results.push('publint ✗ crashed');
    }

    // attw, default ("strict") profile: node10, node16 (CJS and ESM) and bundler resolution.
    const attw = await exec(attwBin, [pkg.tarball, '--format', 'json'], { cwd: scratch, timeout: 120_000 });
    let attwReport;
    try {
      attwReport = JSON.parse(attw.stdout);
    } catch {
      attwReport = undefined;
    }
    const problems = attwReport?.analysis?.problems ?? [];
    const entrypoints = Object.keys(attwReport?.analysis?.entrypoints ?? {});
    if (!attw.ok || !attwReport || problems.length > 0) {
      const table = await exec(attwBin, [pkg.tarball, '--format', 'ascii', '--no-color', '--no-emoji'], {
        cwd: scratch,
        timeout: 120_000,
      });
      fail(pkg.name, 'attw', table.stdout || table.stderr || attw.stderr || 'attw failed without output');
      results.push(`attw ✗ ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    } else {
      results.push(`attw ok (${entrypoints.join(' ')})`);
    }

    const sizeKb = (tarballBytes.byteLength / 1024).toFixed(1);
    const ok = results.every((r) => !r.includes('✗'));
    console.log(
      `  ${ok ? '✓' : '✗'} ${pkg.name.padEnd(24)} ${tarballName} ${sizeKb} kB · ${results.join(' · ')} · ${seconds(t0)}`,
    );
  }

  // -------------------------------------------------------------------------------------------
  // One scratch project with every tarball, then load each runtime entry point both ways.

  // A tarball whose sibling dependency did not pack cannot be installed: npm would look for the
  // sibling on the registry instead.
  const installable = packages.filter((pkg) => pkg.tarball);
  for (let changed = true; changed; ) {
    changed = false;
    for (const pkg of [...installable]) {
      const deps = { ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies };
      const missing = Object.keys(deps).find(
        (dep) => byName.has(dep) && !installable.some((other) => other.name === dep),
      );
      if (missing) {
        installable.splice(installable.indexOf(pkg), 1);
        fail(pkg.name, 'install', `not installed: its dependency ${missing} did not pack`);
        console.log(`  ✗ ${pkg.name.padEnd(24)} not installed: ${missing} did not pack`);
        changed = true;
      }
    }
  }
  if (installable.length > 0) {
    const t0 = Date.now();
    const project = join(scratch, 'consumer');
    await exec('mkdir', ['-p', project]);
    const dependencies = Object.fromEntries(installable.map((pkg) => [pkg.name, `file:${pkg.tarball}`]));
    // Pin workspace siblings to the tarballs everywhere in the tree, never the registry.
    const overrides = Object.fromEntries(installable.map((pkg) => [pkg.name, `$${pkg.name}`]));
    await writeFile(
      join(project, 'package.json'),
      `${JSON.stringify({ name: 'livedrop-consumer-check', version: '0.0.0', private: true, dependencies, overrides }, null, 2)}\n`,
    );
    await writeFile(
      join(project, 'load.mjs'),
      'const ns = await import(process.argv[2]);\nprocess.stdout.write(JSON.stringify(Object.keys(ns).sort()));\n',
    );
    await writeFile(
      join(project, 'load.cjs'),
      'const ns = require(process.argv[2]);\nprocess.stdout.write(JSON.stringify(Object.keys(ns).sort()));\n',
    );
    const install = await exec(
      'npm',
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', '--loglevel=error'],
      { cwd: project, timeout: 300_000 },
    );
    if (!install.ok) {
      fail('(consumer)', 'npm install', install.stderr || install.stdout);
      console.log(`  ✗ npm install of ${installable.length} tarballs failed`);
    } else {
      console.log(`  ✓ npm install of ${installable.length} tarballs into a scratch project · ${seconds(t0)}`);
      for (const pkg of installable) {
        const t1 = Date.now();
        const checked = [];
        for (const [subpath, target] of runtimeSubpaths(pkg.manifest.exports)) {
          const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
          const loads = {};
          for (const [kind, file] of [
            ['import', 'load.mjs'],
            ['require', 'load.cjs'],
          ]) {
            if (!hasCondition(target, kind)) continue;
            const result = await exec(process.execPath, [file, specifier], { cwd: project, timeout: 30_000 });
            if (!result.ok) {
              fail(pkg.name, `${kind}('${specifier}')`, result.stderr || result.stdout);
              loads[kind] = null;
              continue;
            }
            loads[kind] = JSON.parse(result.stdout);
          }
          const { import: esm, require: cjs } = loads;
          if (esm && cjs) {
            const onlyEsm = esm.filter((k) => !cjs.includes(k));
            const onlyCjs = cjs.filter((k) => !esm.includes(k));
            if (onlyEsm.length || onlyCjs.length) {
              fail(
                pkg.name,
                `exports of '${specifier}'`,
                `import() and require() disagree.\nonly in ESM: ${onlyEsm.join(', ') || '—'}\nonly in CJS: ${onlyCjs.join(', ') || '—'}`,
              );
              checked.push(`${specifier} ✗ ESM≠CJS`);
            } else {
              checked.push(`${subpath} ${esm.length} names`);
            }
          } else {
            const failed = Object.keys(loads).filter((kind) => loads[kind] === null);
            const loaded = Object.keys(loads).filter((kind) => loads[kind] !== null);
            if (failed.length) checked.push(`${subpath} ✗ ${failed.join(' and ')} failed`);
            else if (loaded.length) checked.push(`${subpath} ${loads[loaded[0]].length} names (${loaded[0]} only)`);
          }
        }
        // Every bin, as npm linked it into node_modules/.bin, answers --help with exit code 0.
        for (const name of Object.keys(pkg.manifest.bin ?? {})) {
          const result = await exec(join(project, 'node_modules', '.bin', name), ['--help'], {
            cwd: project,
            timeout: 30_000,
          });
          if (result.ok) checked.push(`bin ${name}`);
          else {
            fail(pkg.name, `bin ${name} --help`, result.stderr || result.stdout);
            checked.push(`bin ${name} ✗`);
          }
        }
        const ok = checked.every((c) => !c.includes('✗'));
        const summary = checked.length ? checked.join(' · ') : 'no runtime entry points';
        console.log(`  ${ok ? '✓' : '✗'} ${pkg.name.padEnd(24)} import + require: ${summary} · ${seconds(t1)}`);
      }
    }
  }
} finally {
  if (process.env.KEEP_TMP) console.log(`scratch kept at ${scratch}`);
  else await rm(scratch, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Summary.

for (const note of notes) console.log(`note: ${note}`);
if (failures.length > 0) {
  console.log(`\ncheck-packages: ${failures.length} failure${failures.length > 1 ? 's' : ''}`);
  for (const { name, step, detail } of failures) console.log(`\n✗ ${name} — ${step}\n${indent(detail)}`);
  console.log(`\ncheck-packages: FAILED (${packages.length} checked, ${skipped.size} skipped) in ${seconds(started)}`);
  process.exit(1);
}
console.log(`check-packages: ok (${packages.length} checked, ${skipped.size} skipped) in ${seconds(started)}`);
