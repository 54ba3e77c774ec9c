#!/usr/bin/env node
/**
 * `livedrop`: the LiveDrop command line. Subcommands: `simulate` (peak cost simulation).
 */
import { runSimulateCli } from './cli';

const USAGE = `Usage: livedrop <command> [options]

Commands:
  simulate    peak cost simulation of a drop day (livedrop simulate --help)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv[0] === '--' ? argv.slice(1) : argv;
  if (command === 'simulate')
    return runSimulateCli(rest, {
      stdout: process.stdout,
      stderr: process.stderr,
      cwd: process.env.INIT_CWD ?? process.cwd(),
    });
  if (command === undefined || command === '-h' || command === '--help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  process.stderr.write(`livedrop: unknown command ${JSON.stringify(command)}.\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`livedrop: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
