import { ApiProblem } from '../problem';
import { isPrivateHost } from './network-address';
import type { WebhookOptions } from './webhook-options';

/** Hosts the reference server delivers to over plain http, when private networks are allowed: loopback. */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

function refuse(message: string): never {
  throw new ApiProblem('validation_failed', `The request body is invalid: ${message}`, {
    errors: [{ path: 'url', code: 'invalid_url', message }],
  });
}

/**
 * Refuses a webhook URL the reference server will not deliver to, as written (the addresses a
 * name resolves to are checked again at every attempt, see `send-attempt.ts`): anything but https;
 * credentials in the URL (`user:pass@`, which would be stored and shown back); a private, loopback,
 * link-local or metadata host, unless `allowPrivateNetworks` is set (tests and local development),
 * which also lets http through on loopback for a plain test receiver.
 * @throws ApiProblem `validation_failed` naming `url`
 */
export function assertDeliverableUrl(url: string, options: WebhookOptions): void {
  const parsed = new URL(url);
  const { protocol, hostname } = parsed;
  if (parsed.username !== '' || parsed.password !== '')
    refuse('"url" must not carry credentials (user:pass@); authenticate deliveries with the signing secret.');
  const allowPrivate = options.allowPrivateNetworks === true;
  if (protocol === 'http:' && allowPrivate && LOOPBACK.test(hostname)) return;
  if (protocol !== 'https:')
    refuse(
      allowPrivate
        ? `"url" must be an https URL, or http on localhost / 127.0.0.1 / [::1] (the reference server's test receivers); ${parsed.origin} is ${protocol.slice(0, -1)}.`
        : `"url" must be an https URL; ${parsed.origin} is ${protocol.slice(0, -1)}.`,
    );
  if (!allowPrivate && isPrivateHost(hostname))
    refuse(
      `"url" must name a public host; ${hostname} is a private, loopback, link-local or metadata address (start the server with webhooks.allowPrivateNetworks / --allow-private-webhooks to deliver to one in tests).`,
    );
}
