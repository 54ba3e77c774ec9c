/**
 * The widget's stylesheet. Adopted as a constructable stylesheet (never a `<style>` element or a
 * `style` attribute), so it needs no `'unsafe-inline'` in `style-src`. Every color, the font, the
 * radius and the focus ring read a `--livedrop-*` custom property the host page may set. Each rule
 * is a line of the source; the line continuations keep the shipped string free of newlines.
 */
const CSS = `\
:host{display:block;contain:content;font:var(--livedrop-font,15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif);color:var(--livedrop-color-text,#16181d)}\
:host([hidden]){display:none}\
*{box-sizing:border-box}\
.root{background:var(--livedrop-color-surface,#fff);border:1px solid var(--livedrop-color-border,#e3e5ea);border-radius:var(--livedrop-radius,14px);padding:16px;max-width:var(--livedrop-max-width,560px)}\
.header{display:flex;flex-wrap:wrap;align-items:center;gap:6px 10px;margin:0 0 12px}\
.session-title{font-size:1.15em;font-weight:700;margin:0;flex-basis:100%}\
.creator{color:var(--livedrop-color-muted,#5b6170);display:inline-flex;align-items:center;gap:6px}\
.live{font-size:.75em;font-weight:700;letter-spacing:.06em;text-transform:uppercase;border-radius:999px;padding:2px 8px;background:var(--livedrop-color-muted-bg,#eef0f3);color:var(--livedrop-color-muted,#5b6170)}\
.live[data-state=live]{background:var(--livedrop-color-live,#d62d4b);color:#fff}\
.badge{display:inline-flex;align-items:center;gap:3px;font-size:max(12px,.8em);font-weight:600;color:var(--livedrop-color-verified,#1d64d8)}\
.badge::before{content:"✓";display:inline-grid;place-items:center;width:1.3em;height:1.3em;border-radius:50%;background:var(--livedrop-color-verified,#1d64d8);color:#fff;font-size:.8em}\
.offers{list-style:none;margin:0;padding:0;display:grid;gap:12px}\
.empty{color:var(--livedrop-color-muted,#5b6170);margin:8px 0}\
.offer{border:1px solid var(--livedrop-color-border,#e3e5ea);border-radius:calc(var(--livedrop-radius,14px) - 4px);padding:12px 14px;display:grid;gap:6px;animation:arrive .35s ease-out}\
.offer[data-state=sold-out],.offer[data-state=ended]{background:var(--livedrop-color-muted-bg,#f6f7f9)}\
.offer-title{font-size:1.05em;font-weight:650;margin:0}\
.seller{font-size:.85em;color:var(--livedrop-color-muted,#5b6170);display:flex;flex-wrap:wrap;gap:4px 8px;align-items:center}\
.prices{display:flex;align-items:baseline;gap:8px}\
.price{font-size:1.2em;font-weight:700}\
.compare-at{color:var(--livedrop-color-muted,#5b6170);text-decoration:line-through}\
.meta{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.9em}\
.stock{font-weight:600}\
.stock[data-low]{color:var(--livedrop-color-danger,#b42318)}\
.ends{color:var(--livedrop-color-muted,#5b6170)}\
.ends:empty{display:none}\
.actions{display:grid;gap:8px;margin-top:4px}\
.row{display:grid;gap:8px}\
.button{font:inherit;font-weight:650;border-radius:10px;border:1px solid transparent;padding:9px 16px;cursor:pointer;min-height:44px}\
.button-primary{background:var(--livedrop-color-accent,#111827);color:var(--livedrop-color-accent-text,#fff)}\
.button-secondary{background:transparent;color:var(--livedrop-color-text,#16181d);border-color:var(--livedrop-color-border,#c9ccd3)}\
.button[aria-disabled=true]{opacity:.55;cursor:not-allowed}\
.button:focus-visible,.consent input:focus-visible,[tabindex="-1"]:focus-visible{outline:3px solid var(--livedrop-focus-ring,#2f6fed);outline-offset:2px}\
.hold{display:flex;align-items:center;gap:8px;font-weight:600}\
.timer{font-variant-numeric:tabular-nums;font-weight:700;padding:2px 8px;border-radius:6px;background:var(--livedrop-color-hold-bg,#fff4d6);color:var(--livedrop-color-hold-text,#6b4700)}\
.consent{display:flex;gap:8px;align-items:flex-start;font-size:.9em}\
.consent input{margin-top:.2em;width:1.1em;height:1.1em}\
.message{margin:0;padding:8px 10px;border-radius:8px;background:var(--livedrop-color-danger-bg,#fdecea);color:var(--livedrop-color-danger,#b42318);font-size:.92em}\
.success{margin:0;padding:8px 10px;border-radius:8px;background:var(--livedrop-color-success-bg,#e7f6ec);color:var(--livedrop-color-success,#146c2e);font-weight:600}\
.queue{margin:0;padding:8px 10px;border-radius:8px;background:var(--livedrop-color-muted-bg,#eef0f3)}\
.order-id{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92em}\
.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}\
@keyframes arrive{from{opacity:0;transform:translateY(6px)}to{opacity:1;transform:none}}\
@media (prefers-reduced-motion:reduce){.offer{animation:none}*{transition:none!important;scroll-behavior:auto!important}}`;

let sheet: CSSStyleSheet | undefined;

/** The shared stylesheet, made on first use (one per page, however many widgets it holds). */
export function checkoutStyleSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}
