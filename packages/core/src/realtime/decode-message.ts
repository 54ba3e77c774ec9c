import { ResponseValidationError } from '../errors/response-validation-error';
import { EVENT_DATA, LiveDropEvent } from '../schemas/event';
import { PUBLIC_STREAM_EVENTS, type PublicStreamEventName } from '../schemas/stream';
import type { SseMessage } from './sse-parser';
import type { DecodedMessage } from './stream';

interface Checkable {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: unknown }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

function decodeJson(
  operationId: string,
  message: SseMessage,
  schema: Checkable | undefined,
): { data: unknown } | ResponseValidationError {
  const fail = (path: string, text: string) =>
    new ResponseValidationError({
      operationId,
      status: 200,
      requestId: null,
      issues: [
        { path, message: `${text} (the "${message.event}" message with id ${JSON.stringify(message.lastEventId)})` },
      ],
    });
  let json: unknown;
  try {
    json = JSON.parse(message.data);
  } catch (error) {
    return fail('', `is not JSON: ${(error as Error).message}`);
  }
  if (!schema) return { data: json };
  const parsed = schema.safeParse(json);
  if (parsed.success) return { data: parsed.data };
  const issue = parsed.error.issues[0];
  return fail(issue?.path.map(String).join('.') ?? '', issue?.message.replace(/^Invalid input: /, '') ?? 'is invalid');
}

function seqField(data: unknown): number | undefined {
  const seq = (data as { seq?: unknown } | null)?.seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) ? seq : undefined;
}

function result(
  operationId: string,
  decoded: { data: unknown } | ResponseValidationError,
  names: (data: unknown) => readonly string[],
): DecodedMessage {
  if (decoded instanceof ResponseValidationError) return { kind: 'invalid', error: decoded };
  const seq = seqField(decoded.data);
  if (seq === undefined)
    return {
      kind: 'invalid',
      error: new ResponseValidationError({
        operationId,
        status: 200,
        requestId: null,
        issues: [{ path: 'seq', message: 'is missing' }],
      }),
    };
  return { kind: 'deliver', seq, names: names(decoded.data), payload: decoded.data };
}

/**
 * Reads a message of `GET /v1/events/stream`: a CloudEvent checked against {@link LiveDropEvent},
 * delivered under its type and under `'event'`. Types this client does not know are skipped.
 */
export function decodePlatformMessage(message: SseMessage, validate: boolean): DecodedMessage {
  if (!Object.hasOwn(EVENT_DATA, message.event)) return { kind: 'skip' };
  const decoded = decodeJson('streamEvents', message, validate ? LiveDropEvent : undefined);
  return result('streamEvents', decoded, (event) => [(event as LiveDropEvent).type, 'event']);
}

/**
 * Reads a message of `GET /v1/sessions/{id}/stream`: its `data` checked against the schema its
 * name selects in {@link PUBLIC_STREAM_EVENTS}. Names this client does not know are skipped.
 */
export function decodeSessionMessage(message: SseMessage, validate: boolean): DecodedMessage {
  if (!Object.hasOwn(PUBLIC_STREAM_EVENTS, message.event)) return { kind: 'skip' };
  const name = message.event as PublicStreamEventName;
  const decoded = decodeJson('streamSession', message, validate ? PUBLIC_STREAM_EVENTS[name] : undefined);
  return result('streamSession', decoded, () => [name]);
}
