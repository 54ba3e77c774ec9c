import type { ListQuery, Page } from '../../schemas/pagination';
import type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookReplay,
  WebhookSecretRotate,
} from '../../schemas/webhook';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';
import type { PagePromise } from '../pagination';
import { listPages } from './list-pages';

/** URLs LiveDrop delivers signed events to (Standard Webhooks): `/v1/webhook-endpoints`. */
export class WebhookEndpoints {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /** Registers an endpoint; the answer carries its `whsec_` secret (shown only now and on rotation). */
  create(body: WebhookEndpointCreate, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.#transport.call('createWebhookEndpoint', { body }, options);
  }

  /** Lists the endpoints; await for a page or iterate for all. */
  list(query?: ListQuery, options?: RequestOptions): PagePromise<Page<WebhookEndpoint>> {
    return listPages<WebhookEndpoint>(this.#transport, 'listWebhookEndpoints', undefined, query, options);
  }

  /** Reads an endpoint: its status (`disabled` after repeated failures) and consecutive failures. */
  retrieve(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.#transport.call('getWebhookEndpoint', { params: { id } }, options);
  }

  /** Removes an endpoint. */
  delete(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.#transport.call('deleteWebhookEndpoint', { params: { id } }, options);
  }

  /** Lists the endpoint's deliveries with their attempts; await for a page or iterate for all. */
  deliveries(id: string, query?: ListQuery, options?: RequestOptions): PagePromise<Page<WebhookDelivery>> {
    return listPages<WebhookDelivery>(this.#transport, 'listWebhookDeliveries', { id }, query, options);
  }

  /** Redelivers every matching event after a `seq`. */
  replay(id: string, body: WebhookReplay, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.#transport.call('replayWebhookEndpoint', { params: { id }, body }, options);
  }

  /** Rotates the signing secret; both secrets sign during the overlap. */
  rotateSecret(id: string, body: WebhookSecretRotate = {}, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.#transport.call('rotateWebhookSecret', { params: { id }, body }, options);
  }
}
