/**
 * Runs the creator page: the reference server, a live session with one offer, and the static site
 * that embeds the widget. Prints the page's URL; Ctrl-C stops it.
 */
import { createClient } from '@livedrop/node';
import { startReferenceServer } from '@livedrop/mock-server/node';
import { openLiveSession } from './live-session';
import { serveCreatorSite } from './serve';

const api = await startReferenceServer({ port: 0 });
const { keys } = api.server;
const { sessionId } = await openLiveSession(api.url, keys.secretKey, keys.creatorId);
const site = await serveCreatorSite(api.url);
const page = new URL(site.url);
page.search = new URLSearchParams({
  session: sessionId,
  key: keys.publishableKey,
  api: api.url,
  // What the platform's backend does for its signed-in viewer: a buyer session, minted with the secret key.
  buyerSession: (
    await createClient({ apiKey: keys.secretKey, baseUrl: api.url }).buyerSessions.create({
      buyerId: 'viewer_1',
      ttlSeconds: 86_400,
    })
  ).credential,
}).toString();
console.log(`Creator page (open in a browser): ${page}`);
const stop = async () => {
  await site.close();
  await api.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
