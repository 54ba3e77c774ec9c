import { ApiProblem } from '../problem';

/** Hosts the reference server delivers to over plain http: this machine's loopback. */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Refuses a webhook URL the reference server will not deliver to. Production would take https
 * only; the reference server also takes http on loopback so tests can run a plain receiver.
 * @throws ApiProblem `validation_failed` naming `url`
 */
export function assertDeliverableUrl(url: string): void {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:' || (protocol === 'http:' && LOOPBACK.test(hostname))) return;
  const message = `"url" must be an https URL, or http on localhost / 127.0.0.1 / [::1] (the reference server's test receivers); ${url} is http on ${hostname}.`;
  throw new ApiProblem('validation_failed', `The request body is invalid: ${message}`, {
    errors: [{ path: 'url', code: 'invalid_url', message }],
  });
}
