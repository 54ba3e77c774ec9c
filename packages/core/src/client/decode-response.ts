import type { RouteEndpoint } from '../contract/route';
import { ResponseValidationError } from '../errors/response-validation-error';
import { compiledSchema } from './compiled-schema';

/** Where a response body came from, for the error that names it. */
export interface DecodeContext {
  readonly operationId: string;
  readonly route: RouteEndpoint;
  readonly status: number;
  readonly requestId: string | null;
  /** Check the body against the route's response schema. */
  readonly validate: boolean;
}

function schemaFor(route: RouteEndpoint, status: number) {
  // An unexpected 2xx (say 200 where the contract says 201) is still checked against the route's body.
  return route.responses[status]?.schema ?? Object.values(route.responses).find((response) => response.schema)?.schema;
}

/**
 * Parses a successful response's JSON and checks it against the contract.
 * @throws ResponseValidationError naming the first field that does not match, or the body when it is not JSON
 */
export function decodeResponse(text: string, context: DecodeContext): unknown {
  const fail = (issues: { path: string; message: string }[]) =>
    new ResponseValidationError({
      operationId: context.operationId,
      status: context.status,
      requestId: context.requestId,
      issues,
    });
  if (text === '') {
    if (!context.validate || !schemaFor(context.route, context.status)) return undefined;
    throw fail([{ path: '', message: 'is empty' }]);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw fail([{ path: '', message: `is not JSON (${(error as Error).message})` }]);
  }
  const schema = context.validate ? schemaFor(context.route, context.status) : undefined;
  if (!schema) return body;
  const result = compiledSchema(schema).safeParse(body);
  if (result.success) return result.data;
  throw fail(
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message.replace(/^Invalid input: /, ''),
    })),
  );
}
