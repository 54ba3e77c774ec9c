import { ResponseValidationError } from '../../errors/response-validation-error';
import { readLines } from '../../internal/read-lines';
import {
  LiveDropEvent,
  type AuditVerification,
  type EventListQuery,
  type EventPage,
  type EventType,
} from '../../schemas/event';
import type { HttpTransport } from '../http';
import type { RequestOptions } from '../options';
import { PagePromise } from '../pagination';

/** Query of {@link Events.list}. */
export interface EventListParams extends Omit<EventListQuery, 'types'> {
  /** Event types to keep, as a list or comma-separated. @default every type */
  types?: string | readonly EventType[] | undefined;
}

/** The append-only, hash-chained event log: `/v1/events`. */
export class Events {
  readonly #transport: HttpTransport;

  /** @internal Made by {@link LiveDropClient}. */
  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  /**
   * Replays the log after a cursor (`after` is a `seq`). Await for one page; iterate to read the
   * log to its current end, page by page (`nextAfter`).
   * @example
   * for await (const event of ld.events.list({ after: lastSeenSeq, types: ['livedrop.order.created'] })) save(event);
   */
  list(query: EventListParams = {}, options?: RequestOptions): PagePromise<EventPage, LiveDropEvent> {
    const { types, ...rest } = query;
    const base = types === undefined ? rest : { ...rest, types: typeof types === 'string' ? types : types.join(',') };
    return new PagePromise<EventPage, LiveDropEvent>((previous) =>
      this.#transport.call('listEvents', { query: previous ? { ...base, after: previous.nextAfter } : base }, options),
    );
  }

  /** Walks the log's SHA-256 hash chain. */
  verifyAudit(options?: RequestOptions): Promise<AuditVerification> {
    return this.#transport.call('verifyAudit', {}, options);
  }

  /**
   * Streams the log as NDJSON CloudEvents (for an analytics lake), each line checked against the contract.
   * @example
   * for await (const event of ld.events.export({ after: 0 })) lake.write(event);
   */
  async *export(
    query: { after?: number } = {},
    options?: RequestOptions,
  ): AsyncGenerator<LiveDropEvent, void, undefined> {
    const response = await this.#transport.raw('exportEvents', { query }, options);
    if (!response.body) return;
    const requestId = response.headers.get('request-id');
    for await (const line of readLines(response.body)) {
      if (line.trim() === '') continue;
      const fail = (path: string, message: string) =>
        new ResponseValidationError({
          operationId: 'exportEvents',
          status: response.status,
          requestId,
          issues: [{ path, message }],
        });
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (error) {
        throw fail('', `has a line that is not JSON (${(error as Error).message})`);
      }
      if (!this.#transport.validates) {
        yield json as LiveDropEvent;
        continue;
      }
      const parsed = LiveDropEvent.safeParse(json);
      if (!parsed.success)
        throw fail(parsed.error.issues[0]?.path.join('.') ?? '', parsed.error.issues[0]?.message ?? 'is invalid');
      yield parsed.data;
    }
  }
}
