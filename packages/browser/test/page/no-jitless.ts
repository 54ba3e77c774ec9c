/**
 * The control page: classic zod without the browser entry, so nothing sets `jitless`. Making an
 * object schema probes `new Function`, which the page's CSP blocks and reports; browser.test.ts
 * expects that violation, which proves its "no violation" checks can fail.
 */
import * as z from 'zod';

const Probe = z.object({ ok: z.boolean() });
document.getElementById('title')!.textContent = `parsed: ${JSON.stringify(Probe.parse({ ok: true }))}`;
document.getElementById('status')!.textContent = 'ready';
