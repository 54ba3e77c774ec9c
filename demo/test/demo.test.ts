import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDemoArgs, UsageError } from '../src/args';
import { planCheckouts, RUSH_MIX } from '../src/checkout';
import { runCli } from '../src/cli';
import { planDrop } from '../src/drop-plan';
import { histogramOf, percentile } from '../src/metrics';
import { streamOf } from '../src/random';
import { runDemo, type DemoResult } from '../src/run';
import type { Summary } from '../src/summary';

const BUYERS = 300;
const SEED = 7;

/** A stdout that keeps what was written. */
function capture(): Writable & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

describe('pnpm demo, end to end', () => {
  let folder: string;
  let first: DemoResult;
  let second: Summary;
  let cliCode: number;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'livedrop-demo-'));
    first = await runDemo({ seed: SEED, buyers: BUYERS, viewers: 20, out: join(folder, 'report.html') });
    // The second run goes through the CLI with --json: the same seed must give the same business outcome.
    const stdout = capture();
    cliCode = await runCli(
      ['--seed', String(SEED), '--buyers', String(BUYERS), '--viewers', '20', '--json', '--quiet', '--no-report'],
      {
        stdout,
        stderr: process.stderr,
        cwd: folder,
        stopSignal: () => Promise.resolve(),
      },
    );
    second = JSON.parse(stdout.text()) as Summary;
  }, 150_000);

  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('gives the same business outcome twice with the same seed', () => {
    expect(second.outcome).toEqual(first.summary.outcome);
    expect(second.run.seed).toBe(SEED);
    // Ids and timings differ between runs; the outcome holds none.
    expect(JSON.stringify(first.summary.outcome)).not.toMatch(/\b(ord|tr|res|ses|off)_[A-Za-z0-9]{8,}/);
  });

  it('plays every scripted case', () => {
    const { offers } = first.summary;
    expect(offers).toHaveLength(4);
    const refused = offers.find((offer) => offer.role === 'below_floor')!;
    expect(refused.refusal).toMatchObject({
      errorName: 'UnprocessableEntityError',
      status: 422,
      code: 'price_below_floor',
    });
    const escalated = offers.find((offer) => offer.role === 'escalated')!;
    expect(escalated.moderation?.escalationNote).toBeTruthy();
    expect(escalated.status).toBe('ended');
    const backorder = offers.find((offer) => offer.role === 'backorder')!;
    expect(backorder.rush.backordered).toBeGreaterThan(0);
    expect(backorder.promoted).toBeGreaterThan(0);
    for (const offer of offers.filter((candidate) => !candidate.refusal)) {
      expect(offer.rush.soldOut, offer.title).toBeGreaterThan(0);
      expect(offer.unitsSold, offer.title).toBeLessThanOrEqual(offer.stock);
      // Every buyer is accounted for exactly once.
      expect(
        Object.values(offer.fates).reduce((sum, n) => sum + n, 0),
        offer.title,
      ).toBe(offer.demand);
    }
    const { reservations, money } = first.summary;
    expect(reservations.captured).toBeGreaterThan(0);
    expect(reservations.expired).toBeGreaterThan(0);
    expect(reservations.declines).toBeGreaterThan(0);
    expect(money.refund.amount).toBeGreaterThan(0);
    expect(money.refund.amount).toBeLessThan(money.refund.orderGross);
    expect(first.summary.settlement.settled).toBe(first.summary.settlement.orders);
  });

  it('passes every integrity check, oversell 0 against the ledger', () => {
    expect(first.summary.integrity.checks.filter((check) => !check.ok)).toEqual([]);
    expect(first.summary.integrity.oversold).toBe(0);
    expect(first.summary.integrity.audit.valid).toBe(true);
    expect(cliCode).toBe(0);
  });

  it('computes the money from the orders, and the payouts add up to it', () => {
    const { money, offers } = first.summary;
    expect(money.gmv).toBe(offers.reduce((sum, offer) => sum + offer.gmv, 0));
    expect(money.payouts.reduce((sum, payout) => sum + payout.gross, 0)).toBe(money.gmv);
    expect(money.payouts.reduce((sum, payout) => sum + payout.reversed, 0)).toBe(money.refunded);
    expect(money.payouts.map((payout) => payout.party).sort()).toEqual(['creator', 'platform', 'seller', 'seller']);
  });

  it('writes a self-contained report with its charts and the computed numbers', async () => {
    expect(first.reportPath).toBe(join(folder, 'report.html'));
    const html = await readFile(first.reportPath!, 'utf8');
    // Nothing is fetched: the only URLs are SVG namespaces; no scripts, no stylesheets, no images by reference.
    const urls = html.match(/https?:\/\/[^\s"'<>)]+/g) ?? [];
    expect(urls.filter((url) => url !== 'http://www.w3.org/2000/svg')).toEqual([]);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    // One stock chart per live offer, three latency histograms, settlement, buyer fates, payouts, funnel.
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(3 + 3 + 4);
    expect(html).toContain('Stock of Aurora ANC Earbuds over the show');
    const { summary } = first;
    const format = (cents: number) => `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
    expect(html).toContain(format(summary.money.gmv));
    expect(html).toContain(summary.drop.sessionId);
    expect(html).toContain(summary.money.refund.id);
    for (const payout of summary.money.payouts) expect(html).toContain(payout.firstTransferId!);
    expect(html).toContain(`All ${summary.integrity.checks.length} checks passed`);
    expect(html).toContain('price_below_floor');
  });
});

describe('decisions that keep the outcome deterministic', () => {
  it('decides checkouts by rank in buyer order, not by who won the race', () => {
    const holds = ['buyer_00003', 'buyer_00001', 'buyer_00002'].map((buyerId) => ({
      buyerId,
      reservation: { id: `res_${buyerId}` } as never,
    }));
    const a = planCheckouts(holds, streamOf(1, 'x'), RUSH_MIX, 300);
    const b = planCheckouts([...holds].reverse(), streamOf(1, 'x'), RUSH_MIX, 300);
    expect(a.map((plan) => [plan.buyerId, plan.choice, plan.actAfterSeconds])).toEqual(
      b.map((plan) => [plan.buyerId, plan.choice, plan.actAfterSeconds]),
    );
    expect(a.every((plan) => plan.actAfterSeconds < 300)).toBe(true);
  });

  it('plans the same drop for the same seed and another for another seed', () => {
    expect(planDrop(42, 500, 5)).toEqual(planDrop(42, 500, 5));
    expect(planDrop(43, 500, 5).offers.map((offer) => offer.buyerIds.length)).not.toEqual(
      planDrop(42, 500, 5).offers.map((offer) => offer.buyerIds.length),
    );
    const plan = planDrop(42, 500, 6);
    expect(plan.offers.map((offer) => offer.role)).toEqual([
      'plain',
      'backorder',
      'escalated',
      'plain',
      'plain',
      'below_floor',
    ]);
    expect(plan.offers.flatMap((offer) => offer.buyerIds)).toHaveLength(500);
  });
});

describe('command line and metrics', () => {
  it('parses options and refuses bad ones with the fix', () => {
    expect(parseDemoArgs([], '/tmp')).toMatchObject({
      seed: 42,
      buyers: 2000,
      offers: 4,
      json: false,
      serve: false,
      out: '/tmp/livedrop-report.html',
    });
    expect(
      parseDemoArgs(['--seed', '9', '--buyers', '50', '--offers', '6', '--json', '--out', 'r.html'], '/work'),
    ).toMatchObject({ seed: 9, buyers: 50, offers: 6, json: true, out: '/work/r.html' });
    expect(parseDemoArgs(['--help'], '/')).toBe('help');
    expect(parseDemoArgs(['--', '--seed', '3'], '/')).toMatchObject({ seed: 3 });
    expect(() => parseDemoArgs(['--offers', '3'], '/')).toThrow(UsageError);
    expect(() => parseDemoArgs(['--offers', '3'], '/')).toThrow(/--offers must be a whole number from 4/);
    expect(() => parseDemoArgs(['--buyers', 'many'], '/')).toThrow(/--buyers/);
    expect(() => parseDemoArgs(['--nope'], '/')).toThrow(UsageError);
  });

  it('takes nearest-rank percentiles and bins every sample', () => {
    const samples = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    const bins = histogramOf(samples, 10);
    expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(100);
  });
});
