import { http, type HttpHandler } from 'msw';
import type { ReferenceServer } from './server';

/** Options of {@link createHandlers}. */
export interface CreateHandlersOptions {
  /**
   * The origin (and optional path prefix) the handlers answer for; point your client's `baseUrl` at it.
   * Requests to other URLs are left to msw's other handlers or its `onUnhandledRequest` policy.
   * @default 'https://api.livedrop.test'
   */
  baseUrl?: string;
}

/** The base URL {@link createHandlers} answers for when none is given. */
export const DEFAULT_MSW_BASE_URL = 'https://api.livedrop.test';

/**
 * msw request handlers that answer every request under `baseUrl` with the reference server, for
 * `setupServer` (`msw/node`) and `setupWorker` (`msw/browser`). State lives in `server`, so the
 * same server can also be driven in-process (`server.handle`) or through its control API.
 * @example
 * import { setupServer } from 'msw/node';
 * import { createHandlers, createReferenceServer } from '@livedrop/mock-server';
 *
 * const server = createReferenceServer();
 * const mocks = setupServer(...createHandlers(server, { baseUrl: 'https://api.livedrop.test' }));
 * mocks.listen({ onUnhandledRequest: 'error' });
 */
export function createHandlers(server: ReferenceServer, options: CreateHandlersOptions = {}): HttpHandler[] {
  const baseUrl = (options.baseUrl ?? DEFAULT_MSW_BASE_URL).replace(/\/+$/, '');
  return [http.all(`${baseUrl}/*`, ({ request }) => server.handle(request))];
}
