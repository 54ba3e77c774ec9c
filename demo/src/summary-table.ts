import { count, hoursMinutes, millis as ms, money, percent } from './format';
import type { Summary } from './summary';

function table(rows: readonly (readonly string[])[], align: readonly ('l' | 'r')[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column]! - [...cell].length);
        return align[column] === 'r' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

/**
 * The summary as a compact plain-text page for the terminal: the headline numbers, one row per
 * offer, latencies, payouts and the integrity checks.
 */
export function formatSummary(summary: Summary, reportPath: string | null, color = false): string {
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const bold = (text: string) => paint('1', text);
  const dim = (text: string) => paint('2', text);
  const { drop, funnel, money: cash, settlement, latency, integrity, run } = summary;
  const lines: string[] = [];
  lines.push('');
  lines.push(
    `${bold(`LiveDrop · ${drop.title}`)} with @${drop.creator.handle} ${dim(`· seed ${run.seed} · ${count(run.buyers)} buyers · ${drop.showMinutes}-minute show in ${(run.durationMs / 1000).toFixed(1)} s`)}`,
  );
  lines.push('');
  const kpis: [string, string][] = [
    ['orders', `${count(funnel.orders)} of ${count(funnel.buyers)} buyers (${percent(cash.conversion)} conversion)`],
    [
      'GMV',
      `${money(cash.gmv)} gross · ${money(cash.refunded)} refunded · ${money(cash.netGmv)} net · ${money(cash.averageOrder)} per order`,
    ],
    [
      'reservations',
      `${count(summary.reservations.captured)} captured · ${count(summary.reservations.expired)} expired · ${count(summary.reservations.released)} released · ${count(summary.reservations.declines)} cards declined`,
    ],
    [
      'settlement',
      `${count(settlement.settled)}/${count(settlement.orders)} orders settled in ${settlement.payoutRuns} payout runs · median ${hoursMinutes(settlement.medianMs)} after capture`,
    ],
    ...summary.sellerTrust.map((seller): [string, string] => [
      'seller trust',
      `${seller.name}: ${count(seller.completedOrders)} ${seller.completedOrders === 1 ? 'order' : 'orders'} · ${percent(seller.disputeRateBps / 10_000)} disputed (${seller.window}, from the ledger)`,
    ]),
    [
      'oversell',
      integrity.oversold === 0
        ? paint('32', '0 ✓ (checked against the ledger and the event log)')
        : paint('31', `${integrity.oversold} ✗`),
    ],
    [
      'audit chain',
      integrity.audit.valid
        ? paint('32', `valid ✓ ${count(integrity.audit.eventsChecked)} events`)
        : paint('31', 'BROKEN ✗'),
    ],
  ];
  for (const line of table(kpis, ['l', 'l'])) lines.push(`  ${line}`);
  lines.push('');

  const offerRows = [
    [
      '#',
      'offer',
      'price',
      'stock',
      'buyers',
      'got a hold',
      'queued',
      'turned away',
      'paid',
      'lapsed',
      'sell-through',
      'GMV',
    ].map((cell) => dim(cell)),
    ...summary.offers.map((offer) => {
      if (offer.refusal)
        return [
          String(offer.slot),
          `${offer.title} ${paint('33', `refused: ${offer.refusal.status} ${offer.refusal.code}`)}`,
          money(offer.price),
          '—',
          '—',
          '—',
          '—',
          '—',
          '—',
          '—',
          '—',
          '—',
        ];
      const holds = offer.rush.held + offer.promoted + offer.lastCall.held;
      return [
        String(offer.slot),
        offer.title + (offer.moderation ? ' (reviewed)' : ''),
        money(offer.price),
        count(offer.stock),
        count(offer.demand),
        count(holds),
        count(offer.rush.backordered),
        count(offer.demand - holds),
        count(offer.orders),
        count(offer.reservations.expired),
        percent(offer.sellThrough),
        money(offer.gmv),
      ];
    }),
  ];
  // Width is measured on the plain text, so the dim header is padded by its visible length.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: it matches the ANSI colour codes (ESC [ … m) it strips.
  const plainRows = offerRows.map((row) => row.map((cell) => cell.replace(/\u001b\[[0-9;]*m/g, '')));
  const widths = plainRows[0]!.map((_, column) => Math.max(...plainRows.map((row) => [...row[column]!].length)));
  const alignRight = [true, false, true, true, true, true, true, true, true, true, true, true];
  for (const [index, row] of offerRows.entries()) {
    const cells = row.map((cell, column) => {
      const pad = ' '.repeat(widths[column]! - [...plainRows[index]![column]!].length);
      return alignRight[column] ? pad + cell : cell + pad;
    });
    lines.push(`  ${cells.join('  ').trimEnd()}`);
  }
  lines.push('');

  const latencyRows = [
    ['latency', 'p50', 'p95', 'p99', 'samples'].map((cell) => cell),
    ...(
      [
        ['token issue', latency.tokenIssue],
        ['token verify (edge)', latency.tokenVerify],
        ['reserve', latency.reserve],
        ['checkout confirm', latency.confirm],
        ['publish → viewer', latency.publishToReceived],
      ] as const
    ).map(([name, { stats }]) => [name, ms(stats.p50), ms(stats.p95), ms(stats.p99), count(stats.count)]),
  ];
  for (const [index, line] of table(latencyRows, ['l', 'r', 'r', 'r', 'r']).entries())
    lines.push(`  ${index === 0 ? dim(line) : line}`);
  lines.push('');

  const payoutRows = [
    ['payout', 'transfers', 'gross', 'reversed', 'net paid', 'transfer ids'],
    ...cash.payouts.map((payout) => [
      `${payout.label} (${payout.party})`,
      count(payout.transfers),
      money(payout.gross),
      money(payout.reversed),
      money(payout.net),
      payout.firstTransferId === payout.lastTransferId
        ? (payout.firstTransferId ?? '')
        : `${payout.firstTransferId} … ${payout.lastTransferId}`,
    ]),
  ];
  for (const [index, line] of table(payoutRows, ['l', 'r', 'r', 'r', 'r', 'l']).entries())
    lines.push(`  ${index === 0 ? dim(line) : line}`);
  lines.push(
    `  ${dim(`refund ${cash.refund.id}: ${money(cash.refund.amount)} of ${money(cash.refund.orderGross)} on ${cash.refund.orderId}, reversed ${cash.refund.reversals.map((r) => `${r.party} ${money(r.amount)}`).join(', ')}`)}`,
  );
  lines.push('');

  for (const check of integrity.checks)
    lines.push(`  ${check.ok ? paint('32', '✓') : paint('31', '✗')} ${check.name} ${dim(`— ${check.detail}`)}`);
  lines.push('');
  if (reportPath) lines.push(`  Report: ${bold(reportPath)}`);
  return lines.join('\n');
}
