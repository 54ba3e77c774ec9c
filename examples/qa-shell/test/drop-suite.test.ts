/** Runs the shell suite (curl + jq) against the CLI, as a pipeline in another language would. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const suite = fileURLToPath(new URL('../drop-suite.sh', import.meta.url));

describe('a QA suite in shell with curl', () => {
  it('passes every check against livedrop-mock', () => {
    const run = spawnSync('bash', [suite], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, LIVEDROP_MOCK: `${process.execPath} --import tsx packages/mock-server/src/cli.ts` },
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('ok 1 - the fixture left one unit');
    expect(run.stdout).toMatch(/^1\.\.6$/m);
  });
});
