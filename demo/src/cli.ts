import { createClient } from '@livedrop/node';
import { parseDemoArgs, USAGE, UsageError } from './args';
import { createProgress, silentProgress } from './progress';
import { runDemo } from './run';
import { formatSummary } from './summary-table';
import { serveWidgetPage } from './widget-page';

/** Where the CLI reads and writes; the process's own streams in `main.ts`, buffers in tests. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WriteStream;
  /** Where a relative `--out` resolves. */
  readonly cwd: string;
  /** Resolves when the user asks a `--serve` run to stop (Ctrl-C). */
  readonly stopSignal: () => Promise<void>;
}

/**
 * The `pnpm demo` command: parses the arguments, runs the drop, prints the summary (a table, or
 * JSON with `--json`) and, with `--serve`, keeps the server up until `stopSignal` resolves.
 * @returns the exit code: 0 when every integrity check passed, 1 when one failed, 2 for bad usage
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: ReturnType<typeof parseDemoArgs>;
  try {
    options = parseDemoArgs(argv, io.cwd);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  const progress = options.progress ? createProgress(io.stderr) : silentProgress;
  const { summary, reportPath, server, encore } = await runDemo(options, { progress });
  if (options.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else io.stdout.write(`${formatSummary(summary, reportPath, io.stdout.isTTY === true)}\n`);
  if (server) {
    const { keys, controlKey } = server.server;
    const platform = createClient({ apiKey: keys.secretKey, baseUrl: server.url });
    const page = encore
      ? await serveWidgetPage({
          sessionId: encore.session.id,
          publishableKey: keys.publishableKey,
          apiUrl: server.url,
          // The demo plays the platform's backend: its signed-in viewer gets a buyer session per page load.
          buyerSession: async () => (await platform.buyerSessions.create({ buyerId: 'viewer_demo' })).credential,
        })
      : null;
    io.stderr.write(
      [
        '',
        'The reference server keeps running (Ctrl-C stops it): the drop is in its log, and a live encore session',
        'with one offer on sale waits for a page to join (LIVEDROP_SESSION_ID, LIVEDROP_OFFER_ID).',
        `LIVEDROP_URL=${server.url}`,
        `LIVEDROP_SECRET_KEY=${keys.secretKey}`,
        `LIVEDROP_PUBLISHABLE_KEY=${keys.publishableKey}`,
        `LIVEDROP_CREATOR_KEY=${keys.creatorKey}`,
        `LIVEDROP_MODERATOR_KEY=${keys.moderatorKey}`,
        `LIVEDROP_CONTROL_KEY=${controlKey}`,
        `LIVEDROP_DROP_SESSION_ID=${summary.drop.sessionId}`,
        ...(encore ? [`LIVEDROP_SESSION_ID=${encore.session.id}`, `LIVEDROP_OFFER_ID=${encore.offer.id}`] : []),
        ...(page ? ['', `Checkout widget on the encore (open in a browser): ${page.url}`] : []),
        '',
      ].join('\n'),
    );
    await io.stopSignal();
    await page?.close();
    await server.close();
  }
  return summary.integrity.checks.every((check) => check.ok) ? 0 : 1;
}
