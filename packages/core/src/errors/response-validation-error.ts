import { LiveDropError } from './live-drop-error';

/** One way a response breaks the contract. */
export interface ResponseIssue {
  /** Dotted path of the field, e.g. `offers.0.stock.available`; empty for the body itself. */
  readonly path: string;
  readonly message: string;
}

/**
 * A successful response whose body does not match the contract's schema (or is not JSON).
 * Usually a client older than the server, or a proxy rewriting bodies; `path` names the field.
 */
export class ResponseValidationError extends LiveDropError {
  override readonly name = 'ResponseValidationError';
  /** The operation whose response failed, e.g. `getSession`. */
  readonly operationId: string;
  readonly status: number;
  readonly requestId: string | null;
  /** The first failing field (see {@link ResponseValidationError.issues} for all). */
  readonly path: string;
  readonly issues: readonly ResponseIssue[];

  constructor(init: {
    operationId: string;
    status: number;
    requestId: string | null;
    issues: readonly ResponseIssue[];
  }) {
    const first = init.issues[0] ?? { path: '', message: 'is invalid' };
    const field = first.path === '' ? 'the body' : `"${first.path}"`;
    const more = init.issues.length > 1 ? ` (and ${init.issues.length - 1} more)` : '';
    const request = init.requestId ? ` [request ${init.requestId}]` : '';
    super(
      `The ${init.status} response of ${init.operationId} breaks the contract: ${field} ${first.message}${more}. Upgrade @livedrop/core if the server is newer.${request}`,
    );
    this.operationId = init.operationId;
    this.status = init.status;
    this.requestId = init.requestId;
    this.path = first.path;
    this.issues = init.issues;
  }
}
