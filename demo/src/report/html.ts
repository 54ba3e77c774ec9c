import { bps, count, hoursMinutes, millis, millisTick, money, percent } from '../format';
import type { OfferSummary, Summary } from '../summary';
import {
  COLORS,
  fateBars,
  fateLegend,
  funnel,
  histogram,
  payoutBar,
  payoutColor,
  stockChart,
  stockLegend,
} from './charts';
import { escapeXml } from './svg';

const STYLE = `
:root { --ink: ${COLORS.ink}; --muted: ${COLORS.muted}; --grid: ${COLORS.grid}; --ok: ${COLORS.ok}; --fail: ${COLORS.fail}; --accent: ${COLORS.sold}; --paper: #ffffff; --page: #f6f7f9; }
* { box-sizing: border-box; }
html { background: var(--page); }
body { margin: 0; color: var(--ink); font: 14px/1.5 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; font-variant-numeric: tabular-nums; -webkit-font-smoothing: antialiased; }
main { max-width: 1120px; margin: 0 auto; padding: 40px 32px 64px; }
header > div:first-child { flex: 1 1 420px; min-width: 0; }
header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: flex-end; gap: 16px 24px; border-bottom: 1px solid var(--grid); padding-bottom: 20px; margin-bottom: 28px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 11px; font-weight: 600; color: var(--accent); margin: 0 0 6px; }
h1 { font-size: 30px; line-height: 1.15; margin: 0; letter-spacing: -.01em; }
h1 .by { font-weight: 400; color: var(--muted); }
.meta { color: var(--muted); font-size: 13px; margin: 8px 0 0; }
.verdict { flex: 0 0 auto; text-align: right; font-size: 13px; color: var(--muted); white-space: nowrap; }
.verdict strong { display: block; font-size: 15px; color: var(--ok); }
.verdict strong.bad { color: var(--fail); }
h2 { font-size: 18px; margin: 40px 0 4px; letter-spacing: -.005em; }
h2 + .lede { margin-top: 0; }
.lede { color: var(--muted); margin: 0 0 16px; max-width: 820px; }
.cards { display: grid; grid-template-columns: repeat(6, 1fr); gap: 12px; }
.card { background: var(--paper); border: 1px solid var(--grid); border-radius: 10px; padding: 14px 16px; }
.card .label { font-size: 12px; color: var(--muted); margin: 0; }
.card .value { font-size: 24px; font-weight: 650; margin: 2px 0 0; letter-spacing: -.01em; white-space: nowrap; }
.card .sub { font-size: 12px; color: var(--muted); margin: 2px 0 0; }
.card.good .value { color: var(--ok); }
.card.bad .value { color: var(--fail); }
.panel { background: var(--paper); border: 1px solid var(--grid); border-radius: 10px; padding: 18px 20px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.grid3 { display: grid; grid-template-columns: repeat(3, 1fr); gap: 16px; }
.grid-funnel { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; align-items: start; }
.panel h3 { font-size: 14px; margin: 0 0 2px; }
.panel .note { font-size: 12px; color: var(--muted); margin: 0 0 10px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th { text-align: left; font-weight: 600; font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); border-bottom: 1px solid var(--grid); padding: 6px 10px 6px 0; }
td { border-bottom: 1px solid var(--grid); padding: 8px 10px 8px 0; vertical-align: top; }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; }
td:first-child { white-space: nowrap; }
.id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11.5px; color: var(--muted); }
.strike { text-decoration: line-through; color: var(--muted); font-size: 12px; margin-left: 4px; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; border-radius: 999px; padding: 1px 8px; margin: 2px 4px 0 0; background: #eef0f5; color: var(--ink); white-space: nowrap; }
.badge.review { background: #fff3e0; color: #9a4d00; }
.badge.refused { background: #ffe3e3; color: #a61e1e; }
.badge.queue { background: #fbe7f3; color: #8f2469; }
.badge.live { background: #e6ecff; color: #2d3fa6; }
.small { font-size: 12px; color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 12px; color: var(--muted); margin: 4px 0 12px; }
.key { display: inline-flex; align-items: center; gap: 6px; }
.checks { list-style: none; margin: 0; padding: 0; }
.checks li { display: grid; grid-template-columns: 26px 280px 1fr; gap: 8px; padding: 9px 0; border-bottom: 1px solid var(--grid); align-items: baseline; }
.checks li:last-child { border-bottom: 0; }
.checks .mark { font-weight: 700; color: var(--ok); font-size: 15px; }
.checks .mark.bad { color: var(--fail); }
.checks .name { font-weight: 600; }
.checks .detail { color: var(--muted); font-size: 13px; }
.refund { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.kv { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; font-size: 13px; margin: 0; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 8px; vertical-align: 0; }
.howto ul { margin: 6px 0 0; padding-left: 18px; color: var(--ink); font-size: 13px; }
.howto li { margin: 0 0 8px; }
footer { margin-top: 48px; padding-top: 16px; border-top: 1px solid var(--grid); color: var(--muted); font-size: 12px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; background: #eef0f5; border-radius: 4px; padding: 1px 5px; }
svg text { font-family: inherit; }
.cards > *, .grid2 > *, .grid3 > *, .grid-funnel > *, .refund > * { min-width: 0; }
.scroll { overflow-x: auto; }
.scroll:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.scroll > table { min-width: 640px; }
.scroll > svg.chart { min-width: 720px; }
svg.chart { display: block; background: var(--paper); }
@media (max-width: 900px) { .cards { grid-template-columns: repeat(2, 1fr); } .grid2, .grid3, .grid-funnel, .refund { grid-template-columns: 1fr; } .checks li { grid-template-columns: 26px 1fr; } .checks .detail { grid-column: 2; } }
@media (max-width: 600px) { main { padding: 24px 16px 48px; } h1 { font-size: 24px; } .verdict { text-align: left; white-space: normal; } .card { padding: 12px; } .card .value { font-size: 20px; } .panel { padding: 14px; } }
@media print { html { background: #fff; } .panel, .card { break-inside: avoid; } }
`;

function rates(offers: readonly OfferSummary[]): string {
  const values = offers.map((offer) => offer.rushRate);
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? count(low) : `${count(low)}–${count(high)}`;
}

function minutesOf(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000}-minute` : `${ms / 1000}-second`;
}

/** A wide table or chart that scrolls sideways on its own, so the page never does; keyboard users can scroll it too. */
function scrollable(label: string, content: string): string {
  return `<div class="scroll" role="region" tabindex="0" aria-label="${escapeXml(label)}">${content}</div>`;
}

function card(label: string, value: string, sub: string, tone: '' | 'good' | 'bad' = ''): string {
  return `<div class="card ${tone}"><p class="label">${escapeXml(label)}</p><p class="value">${escapeXml(value)}</p><p class="sub">${escapeXml(sub)}</p></div>`;
}

function offerBadges(offer: OfferSummary): string {
  const badges: string[] = [];
  if (offer.refusal) badges.push(`<span class="badge refused">refused · ${escapeXml(offer.refusal.code)}</span>`);
  if (offer.moderation) badges.push('<span class="badge review">escalated → approved</span>');
  if (offer.role === 'backorder') badges.push('<span class="badge queue">backorders with seller consent</span>');
  if (!offer.refusal) badges.push(`<span class="badge live">${escapeXml(offer.status)}</span>`);
  return badges.join('');
}

function runSheet(summary: Summary): string {
  const rows = summary.offers.map((offer) => {
    const price = `${money(offer.price)}${offer.compareAtPrice ? `<span class="strike">${money(offer.compareAtPrice)}</span>` : ''}`;
    const story = offer.refusal
      ? `<span class="small">${escapeXml(offer.refusal.errorName)} (${offer.refusal.status}) — ${escapeXml(offer.refusal.message)}</span>`
      : `<span class="small">on stage ${offer.publishedAtMin!.toFixed(1)}′–${offer.endedAtMin!.toFixed(1)}′ · ${count(offer.viewersReached)} viewers got it live${offer.moderation ? ` · review: “${escapeXml(offer.moderation.escalationNote ?? '')}” → “${escapeXml(offer.moderation.approvalNote ?? '')}”` : ''}${offer.split ? ` · split ${bps(offer.split.platformFeeBps)} platform, ${bps(offer.split.creatorCommissionBps)} creator` : ''}</span>`;
    return `<tr>
      <td class="num">${offer.slot}</td>
      <td><strong>${escapeXml(offer.title)}</strong> <span class="id">${escapeXml(offer.sku)}</span><br>${offerBadges(offer)}<br>${story}</td>
      <td>${escapeXml(offer.seller)}</td>
      <td class="num">${price}${offer.priceFloor ? `<br><span class="small">floor ${money(offer.priceFloor)}</span>` : ''}</td>
      <td class="num">${offer.refusal ? '—' : count(offer.stock)}</td>
      <td class="num">${offer.refusal ? '—' : count(offer.demand)}</td>
      <td class="num">${offer.refusal ? '—' : `${count(offer.unitsSold)}<br><span class="small">${percent(offer.sellThrough)}</span>`}</td>
      <td class="num">${offer.refusal ? '—' : money(offer.gmv)}</td>
    </tr>`;
  });
  return `<div class="panel">${scrollable(
    'Run sheet',
    `<table>
    <thead><tr><th class="num">#</th><th>offer</th><th>seller</th><th class="num">price</th><th class="num">stock</th><th class="num">buyers</th><th class="num">sold</th><th class="num">GMV</th></tr></thead>
    <tbody>${rows.join('')}</tbody></table>`,
  )}</div>`;
}

function reservationTable(offers: readonly OfferSummary[]): string {
  const total = (pick: (offer: OfferSummary) => number) => offers.reduce((sum, offer) => sum + pick(offer), 0);
  const made = (offer: OfferSummary) =>
    offer.reservations.captured +
    offer.reservations.expired +
    offer.reservations.released +
    offer.reservations.held +
    offer.reservations.backordered;
  const row = (name: string, pick: (offer: OfferSummary) => number, tone = '') =>
    `<tr><td>${tone ? `<span class="swatch" style="background:${tone}"></span>` : ''}${escapeXml(name)}</td>${offers.map((offer) => `<td class="num">${count(pick(offer))}</td>`).join('')}<td class="num"><strong>${count(total(pick))}</strong></td></tr>`;
  const table = `<table><thead><tr><th>reservations</th>${offers
    .map(
      (offer) =>
        `<th class="num" title="${escapeXml(offer.title)}">${escapeXml(
          offer.title
            .split(' ')
            .slice(0, 2)
            .join(' ')
            .replace(/[^\p{L}\p{N} ]/gu, ''),
        )}</th>`,
    )
    .join('')}<th class="num">all</th></tr></thead><tbody>
    ${row('made', made)}
    ${row('captured', (offer) => offer.reservations.captured, COLORS.sold)}
    ${row('expired', (offer) => offer.reservations.expired, COLORS.lapsed)}
    ${row('released', (offer) => offer.reservations.released, COLORS.released)}
    ${row('still open', (offer) => offer.reservations.held + offer.reservations.backordered)}
    ${row('cards declined', (offer) => offer.declines, COLORS.declined)}
    ${row('promoted', (offer) => offer.promoted, COLORS.waitlist)}
  </tbody></table>`;
  return scrollable('Reservations per offer', table);
}

function stockSection(summary: Summary): string {
  const panels = summary.offers
    .filter((offer) => !offer.refusal)
    .map((offer) => {
      const facts = [
        `${count(offer.rush.held)} held in the rush`,
        offer.rush.backordered
          ? `${count(offer.rush.backordered)} queued, ${count(offer.promoted)} promoted`
          : `${count(offer.lastCall.held)} more at the last call`,
        `${count(offer.reservations.expired)} holds lapsed`,
      ];
      return `<div class="panel"><h3>${escapeXml(offer.title)}</h3><p class="note">${count(offer.stock)} units · ${facts.join(' · ')}</p>${stockChart(offer)}</div>`;
    });
  if (panels.length % 2 === 1) {
    panels.push(`<div class="panel howto"><h3>Reading these charts</h3>
      <p class="note">Each band is a count of units at that moment; the three bands always stack up to the offer's stock.</p>
      <ul>
        <li><strong>The cliff</strong> right after <em>published</em> is the stampede: every unit is held within a second or two, and everyone after that is told <code>sold_out</code>.</li>
        <li><strong>Steps up in blue</strong> are buyers paying, slice by slice, within the hold's TTL.</li>
        <li><strong>The light gap</strong> at <em>unpaid holds lapse</em> is stock coming back from buyers who walked away or whose card was declined.</li>
        <li>That stock goes to the <strong>backorder queue</strong> first where the seller allowed it (the dashed line drops as buyers are promoted), or to a <strong>last call</strong> for buyers who missed out.</li>
      </ul></div>`);
  }
  return `${stockLegend()}<div class="grid2">${panels.join('')}</div>`;
}

function latencySection(summary: Summary): string {
  const { latency } = summary;
  const panel = (id: string, title: string, note: string, distribution: typeof latency.reserve, color: string) =>
    `<div class="panel"><h3>${escapeXml(title)}</h3><p class="note">${escapeXml(note)} · ${count(distribution.stats.count)} samples · p50 ${millis(distribution.stats.p50)}, p95 ${millis(distribution.stats.p95)}, p99 ${millis(distribution.stats.p99)}</p>${histogram(distribution, { id, title, color, format: millis, tickFormat: millisTick })}</div>`;
  return `<div class="grid3">
    ${panel('latency-token', 'Token issue', 'offers.issueToken, platform key', latency.tokenIssue, '#7c8fe8')}
    ${panel('latency-reserve', 'Reserve', 'reservations.create, publishable key', latency.reserve, COLORS.sold)}
    ${panel('latency-publish', 'Publish → viewer received', 'offers.publish until offer.published reached each viewer over SSE', latency.publishToReceived, COLORS.waitlist)}
  </div>`;
}

function moneySection(summary: Summary): string {
  const { money: cash, settlement } = summary;
  let sellers = 0;
  const rows = cash.payouts.map((payout) => {
    const color = payoutColor(payout, payout.party === 'seller' ? sellers++ : 0);
    const ids =
      payout.firstTransferId === payout.lastTransferId
        ? (payout.firstTransferId ?? '')
        : `${payout.firstTransferId} … ${payout.lastTransferId}`;
    const destination =
      payout.destination === payout.party ? '' : `<br><span class="id">${escapeXml(payout.destination)}</span>`;
    return `<tr><td><span class="swatch" style="background:${color}"></span><strong>${escapeXml(payout.label)}</strong> <span class="small">${escapeXml(payout.party)}</span>${destination}</td>
      <td class="num">${count(payout.transfers)}</td><td class="num">${money(payout.gross)}</td><td class="num">${payout.reversed ? `−${money(payout.reversed)}` : money(0)}</td><td class="num"><strong>${money(payout.net)}</strong></td>
      <td class="num">${count(payout.paid)} paid${payout.pending ? `, ${count(payout.pending)} pending` : ''}</td><td><span class="id">${escapeXml(ids)}</span></td></tr>`;
  });
  const refund = cash.refund;
  const reversals = refund.legs
    .map(
      (leg) =>
        `<tr><td>${escapeXml(leg.party)}<br><span class="id">${escapeXml(leg.transferId)}</span></td><td class="num">${money(leg.amount)}</td><td class="num">−${money(leg.reversed)}<br><span class="id">${escapeXml(leg.reversalIds.join(', '))}</span></td><td class="num"><strong>${money(leg.amount - leg.reversed)}</strong><br><span class="small">${escapeXml(leg.status)}</span></td></tr>`,
    )
    .join('');
  const tts = settlement.distribution;
  return `
  <div class="panel"><h3>Payout split</h3><p class="note">Net of the refund, by destination. Each order splits its gross exactly (largest remainder, in cents) into platform fee, creator commission and the seller's remainder; one transfer per leg.</p>
    ${scrollable('Payout split, chart', payoutBar(cash.payouts))}
    ${scrollable('Payouts by destination', `<table style="margin-top:8px"><thead><tr><th>destination</th><th class="num">transfers</th><th class="num">gross</th><th class="num">reversed</th><th class="num">net</th><th class="num">status</th><th>transfer ids (first … last)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`)}
  </div>
  <div class="refund" style="margin-top:16px">
    <div class="panel"><h3>Partial refund</h3><p class="note">${escapeXml(refund.reason)}</p>
      <dl class="kv"><dt>refund</dt><dd><span class="id">${escapeXml(refund.id)}</span></dd><dt>order</dt><dd><span class="id">${escapeXml(refund.orderId)}</span> · ${escapeXml(refund.offerTitle)} · ${escapeXml(refund.buyerId)}</dd><dt>amount</dt><dd><strong>${money(refund.amount)}</strong> of ${money(refund.orderGross)} captured</dd></dl>
      ${scrollable('Refund reversals per leg', `<table style="margin-top:10px"><thead><tr><th>leg · transfer</th><th class="num">leg</th><th class="num">reversed · reversal</th><th class="num">net</th></tr></thead><tbody>${reversals}</tbody></table>`)}
      <p class="note" style="margin-top:8px">Reversed in proportion to each leg, to the cent; the legs still add up to what the buyer kept paying.</p>
    </div>
    <div class="panel"><h3>Time to settlement</h3><p class="note">Capture → last transfer paid, per order. Transfers become payable ${escapeXml(hoursMinutes(settlement.delayMs))} after capture; payouts run every ${settlement.payoutEveryMinutes} minutes (${count(settlement.payoutRuns)} runs). ${count(settlement.settled)} of ${count(settlement.orders)} orders settled; median ${hoursMinutes(settlement.medianMs)}, fastest ${hoursMinutes(settlement.minMs)}, slowest ${hoursMinutes(settlement.maxMs)}.</p>
      ${histogram(tts, { id: 'settlement', title: 'Time to settlement', color: COLORS.platform, format: hoursMinutes, markers: ['p50', 'p95'], width: 480, plotHeight: 200 })}
    </div>
  </div>`;
}

function integritySection(summary: Summary): string {
  const items = summary.integrity.checks
    .map(
      (check) =>
        `<li><span class="mark ${check.ok ? '' : 'bad'}">${check.ok ? '✓' : '✗'}</span><span class="name">${escapeXml(check.name)}</span><span class="detail">${escapeXml(check.detail)}</span></li>`,
    )
    .join('');
  const { audit, webhooks, realtime } = summary.integrity;
  return `<div class="panel"><ul class="checks">${items}</ul></div>
  <div class="grid3" style="margin-top:16px">
    <div class="panel"><h3>Audit chain</h3><p class="note">events.verifyAudit() walks the SHA-256 chain of the log.</p><dl class="kv"><dt>events</dt><dd>${count(audit.eventsChecked)}</dd><dt>head seq</dt><dd>${count(audit.headSeq)}</dd><dt>head hash</dt><dd><span class="id">${escapeXml(audit.headHash.slice(0, 24))}…</span></dd></dl></div>
    <div class="panel"><h3>Webhook receiver</h3><p class="note">A node:http server running the SDK's <code>webhookMiddleware</code>: every delivery verified on its raw body (Standard Webhooks signature, timestamp, contract).</p><dl class="kv"><dt>subscribed to</dt><dd>${count(webhooks.eventTypes.length)} event types</dd><dt>deliveries</dt><dd>${count(webhooks.received)} received, ${count(webhooks.verified)} verified, ${count(webhooks.rejected)} rejected</dd><dt>events</dt><dd>${count(webhooks.events)} of ${count(webhooks.expected)} expected</dd></dl></div>
    <div class="panel"><h3>Realtime</h3><p class="note">One platform subscriber on the whole log; ${count(realtime.viewers)} viewers on the session's public stream.</p><dl class="kv"><dt>log events</dt><dd>${count(realtime.received)} received, ${realtime.gaps} gaps, ${realtime.repeats} repeats</dd><dt>stock pushes</dt><dd>${count(realtime.stockMessages)} to viewers</dd><dt>reconnects</dt><dd>${count(realtime.reconnects)}</dd></dl></div>
  </div>`;
}

/**
 * The report: one self-contained HTML page (inline CSS, inline SVG, no script, nothing fetched)
 * drawn from the summary alone.
 */
export function renderReport(summary: Summary): string {
  const { drop, run, money: cash, funnel: flow, integrity } = summary;
  const live = summary.offers.filter((offer) => !offer.refusal);
  const units = live.reduce((sum, offer) => sum + offer.stock, 0);
  const sold = live.reduce((sum, offer) => sum + offer.unitsSold, 0);
  const failed = integrity.checks.filter((check) => !check.ok);
  const fates = live.reduce((sum, offer) => sum + offer.fates.bought + offer.fates.boughtAfterDecline, 0);
  const cards = [
    card('Buyers', count(run.buyers), `${count(run.viewers)} viewers on the live stream`),
    card('Orders', count(flow.orders), `${percent(cash.conversion)} of buyers bought`),
    card('GMV', money(cash.gmv), `${money(cash.netGmv)} after refunds`),
    card('Sell-through', percent(units === 0 ? 0 : sold / units), `${count(sold)} of ${count(units)} units`),
    card(
      'Oversell',
      String(integrity.oversold),
      integrity.oversold === 0 ? '✓ checked against the ledger' : '✗ units sold beyond stock',
      integrity.oversold === 0 ? 'good' : 'bad',
    ),
    card(
      'Audit chain',
      integrity.audit.valid ? 'Intact' : 'Broken',
      `${integrity.audit.valid ? '✓' : '✗'} ${count(integrity.audit.eventsChecked)} events hashed`,
      integrity.audit.valid ? 'good' : 'bad',
    ),
  ];
  const heldBuyers = live.reduce((sum, offer) => sum + offer.rush.held + offer.promoted + offer.lastCall.held, 0);
  const started = new Date(run.startedAt);
  const when = `${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LiveDrop report · ${escapeXml(drop.title)} · seed ${run.seed}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
  <div>
    <p class="eyebrow">LiveDrop · drop report</p>
    <h1>${escapeXml(drop.title)} <span class="by">with @${escapeXml(drop.creator.handle)}</span></h1>
    <p class="meta">Seed ${run.seed} · ${count(run.buyers)} simulated buyers, ${run.concurrency} at a time · ${count(live.length)} offers live, ${count(summary.offers.length - live.length)} refused · a ${drop.showMinutes}-minute show and ${summary.settlement.delayMs === null ? 'its' : `${Math.round(summary.settlement.delayMs / 3_600_000)} hours of`} settlement played in ${(run.durationMs / 1000).toFixed(1)} s · ${escapeXml(when)} · Node ${escapeXml(run.node)}</p>
  </div>
  <div class="verdict"><strong class="${failed.length ? 'bad' : ''}">${failed.length ? `${failed.length} check${failed.length > 1 ? 's' : ''} failed` : `All ${integrity.checks.length} checks passed`}</strong>session <span class="id">${escapeXml(drop.sessionId)}</span></div>
</header>

<section class="cards">${cards.join('')}</section>

<h2>The show</h2>
<p class="lede">The creator added ${summary.offers.length} offers. Moderation held the one claiming a big discount until a moderator approved it; the API refused the one priced below its floor, and the SDK raised it as a typed error. The rest went live one after another, each to its own stampede.</p>
${runSheet(summary)}

<h2>Stock over time</h2>
<p class="lede">Each offer from the moment it went live (minutes into the show, on the server's clock). Sold, held and available always add up to the stock: the cliff is the stampede; holds turn into sales as buyers pay; unpaid holds lapse at their ${escapeXml(minutesOf(drop.holdTtlSeconds * 1000))} TTL and the units go back on sale — to the backorder queue where the seller allowed it, or to a last call for buyers who missed out.</p>
${stockSection(summary)}

<h2>Where the buyers went</h2>
<p class="lede">Every buyer who rushed an offer, by what became of their last reservation (read from the event log). ${count(flow.tokensIssued)} offer tokens were issued in all, last-call retries included; ${count(summary.reservations.declines)} cards were declined.</p>
<div class="panel"><h3>Outcome per offer</h3>${fateLegend()}${scrollable('Outcome per offer, chart', fateBars(live))}</div>
<div class="grid-funnel" style="margin-top:16px">
  <div class="panel"><h3>Reservations</h3><p class="note">Final state of every reservation, from the event log; declines and queue promotions along the way.</p>${reservationTable(live)}</div>
  <div class="panel"><h3>Funnel</h3><p class="note">Distinct buyers.</p>${funnel([
    { label: 'buyers rushed an offer', value: flow.buyers, note: '' },
    {
      label: 'got a hold (rush, waitlist or last call)',
      value: heldBuyers,
      note: `${count(flow.soldOut)} sold-out answers along the way`,
    },
    {
      label: 'paid',
      value: fates,
      note: `${percent(cash.conversion)} conversion · ${money(cash.averageOrder)} average order`,
    },
  ])}</div>
</div>

<h2>Latency</h2>
<p class="lede">Wall-clock time around each SDK call, measured with <code>performance.now()</code> in the buyers' process while ${run.concurrency} buyers pressed at once — queueing included; the stampedes went through ${escapeXml(rates(live))} buyers a second (a token and a reservation each). Each token was also checked offline at the storefront's edge before use (<code>createOfferTokenVerifier</code>, keys from the JWKS): p50 ${millis(summary.latency.tokenVerify.stats.p50)}, p99 ${millis(summary.latency.tokenVerify.stats.p99)}, no network. Server, buyers, viewers and receiver share one Node process on loopback, so read these as relative, not as production numbers.</p>
${latencySection(summary)}

<h2>Money</h2>
<p class="lede">${count(flow.orders)} orders, ${money(cash.gmv)} gross, ${money(cash.refunded)} refunded. Read back through <code>transfers.list</code> and <code>orders.retrieve</code> after settlement.</p>
${moneySection(summary)}

<h2>Integrity</h2>
<p class="lede">Each check compares two independent accounts of the same fact: the ledger as the API reports it, the event log replayed from the start, the buyers' own receipts, the creator's dashboard, and what the realtime subscriber and the webhook receiver saw.</p>
${integritySection(summary)}

<footer>Generated by <code>pnpm demo --seed ${run.seed} --buyers ${run.buyers} --offers ${run.offers}</code> against the in-process LiveDrop reference server, through the public SDK only. Every number on this page is computed from the API's answers and the event log of this run; run it again with the same seed for the same business outcome. This file is self-contained: no scripts, no network.</footer>
</main>
</body>
</html>
`;
}
