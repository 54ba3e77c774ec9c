/**
 * Runs the deal platform against a local reference server:
 * `pnpm --filter deal-platform-node start`, then `curl -X POST <url>/buy -d '{"buyerId":"buyer_1"}'`.
 */
import { startReferenceServer } from '@livedrop/mock-server/node';
import { startDealPlatform } from './server';

// The platform's webhook receiver is on this machine: loopback delivery needs the explicit allowance.
const ld = await startReferenceServer({ webhooks: { allowPrivateNetworks: true } });
const platform = await startDealPlatform({
  livedropUrl: ld.url,
  secretKey: ld.server.keys.secretKey,
  port: Number(process.env.PORT ?? 3000),
});

console.log(`LiveDrop reference server: ${ld.url}`);
console.log(`Deal platform:             ${platform.url}  (selling "${platform.offer.title}", ${platform.offer.id})`);
console.log(`Buy one:   curl -s -X POST ${platform.url}/buy -d '{"buyerId":"buyer_1"}'`);
console.log('Ctrl-C stops both.');

let webhooksSeen = 0;
const report = setInterval(() => {
  const events = platform.webhookEvents();
  for (const event of events.slice(webhooksSeen)) console.log(`webhook verified: ${event.type} ${event.subject}`);
  webhooksSeen = events.length;
}, 250);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    clearInterval(report);
    // Idle keep-alive sockets would hold the process a few seconds more; both servers are closed by now.
    void platform
      .close()
      .then(() => ld.close())
      .then(() => process.exit(0));
  });
}
