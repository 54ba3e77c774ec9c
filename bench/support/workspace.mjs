/**
 * Where the benches find the workspace: the BUILT packages (`pnpm build` first) and the tools that
 * live in workspace packages rather than at the root (esbuild comes with tsup).
 */
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, cpus, loadavg, platform } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = new URL('../../', import.meta.url);

/** Imports a built file of a workspace package, e.g. `packages/mock-server/dist/index.js`. */
export async function importBuilt(path) {
  const url = new URL(path, ROOT);
  if (!existsSync(url)) {
    console.error(`${path} is missing: run \`pnpm build\` first.`);
    process.exit(1);
  }
  return import(url.href);
}

/** Imports `specifier` as the package at `fromPackageJson` (a root-relative path) would resolve it. */
export async function importFrom(fromPackageJson, specifier) {
  // pnpm links packages: resolve from the real directory, where their own dependencies sit.
  const resolved = createRequire(realpathSync(fileURLToPath(new URL(fromPackageJson, ROOT)))).resolve(specifier);
  return import(pathToFileURL(resolved).href);
}

/** The machine the numbers were measured on, and how busy it was (other processes skew every figure). */
export function environment() {
  return {
    node: process.version,
    platform: `${platform()}-${arch()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
  };
}
