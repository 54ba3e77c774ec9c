import { createPublicClient, type ClientOptions, type LiveDropPublicClient } from '@livedrop/browser';

/**
 * The one place the widget makes its API client: the publishable-key client (hydrate, test-mode
 * offer tokens, reservations, confirm, the session stream), so the bundle pays for nothing more.
 */
export function createCheckoutClient(
  options: Pick<ClientOptions, 'apiKey' | 'baseUrl' | 'fetch' | 'buyerSession'>,
): CheckoutClient {
  return createPublicClient(options);
}

/** The publishable subset of the LiveDrop client the widget uses. */
export type CheckoutClient = LiveDropPublicClient;
