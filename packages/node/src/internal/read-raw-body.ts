import { WebhookBodyError } from '../webhooks/webhook-body-error';

/** The parts of a request the raw-body reader looks at; node's IncomingMessage, Express's and Fastify's requests all fit. */
export interface RawBodySource {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  body?: unknown;
  rawBody?: unknown;
}

interface ReadableLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  readonly readableEnded?: boolean;
  /** Set by body-parser (Express) once it has consumed the stream. */
  readonly _body?: unknown;
}

const PARSED = [
  'The request body was already parsed into an object before the LiveDrop webhook middleware ran, so the raw bytes the signature covers are gone.',
  'Express: mount the middleware before express.json() — app.post("/hooks", webhookMiddleware({ secret }), handler) ahead of app.use(express.json()) — or give this route express.raw({ type: "application/json" }).',
  'Fastify: add a raw parser for the route\'s scope — addContentTypeParser("application/json", { parseAs: "buffer" }, (req, body, done) => done(null, body)).',
  "Or keep the raw body as req.rawBody (a Buffer) in your parser's verify hook.",
].join(' ');

const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

function isReadable(value: unknown): value is ReadableLike {
  return typeof (value as ReadableLike).on === 'function' && typeof (value as ReadableLike).off === 'function';
}

function readStream(stream: ReadableLike, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const fail = (error: unknown) => {
      cleanup();
      reject(error);
    };
    function onData(chunk: Buffer | string) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > limit)
        fail(
          new WebhookBodyError(
            'webhook_body_too_large',
            `The webhook body is over ${limit} bytes (maxBodyBytes); LiveDrop events are far smaller.`,
          ),
        );
      else chunks.push(bytes);
    }
    function onEnd() {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    }
    function onError(error: Error) {
      fail(error);
    }
    function onClose() {
      fail(new Error('The connection closed before the webhook body was complete.'));
    }
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

function declaredLength(headers: RawBodySource['headers']): number | undefined {
  const value = headers['content-length'];
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * The request's body exactly as sent. Taken, in order, from `req.rawBody` (a parser's verify hook),
 * from `req.body` when it is bytes or text (`express.raw()`, `express.text()`, a Fastify buffer
 * parser), or read from the request stream itself. A body some parser already turned into an
 * object is refused with the fix, since re-serialized JSON never matches the signature.
 */
export async function readRawBody(req: RawBodySource, limit: number): Promise<Uint8Array | string> {
  const { rawBody, body } = req;
  if (isBytes(rawBody) || typeof rawBody === 'string') return rawBody;
  if (isBytes(body) || typeof body === 'string') return body;
  // Express 4's body-parser sets `req.body = {}` even on routes it skipped, so an unread stream wins over an object body.
  if (isReadable(req) && req.readableEnded !== true && req._body !== true) {
    const length = declaredLength(req.headers);
    if (length !== undefined && length > limit) {
      throw new WebhookBodyError(
        'webhook_body_too_large',
        `The webhook body is ${length} bytes, over the ${limit}-byte limit (maxBodyBytes).`,
      );
    }
    return readStream(req, limit);
  }
  if (body !== undefined && body !== null) throw new WebhookBodyError('webhook_body_parsed', PARSED);
  throw new WebhookBodyError(
    'webhook_body_unavailable',
    'The LiveDrop webhook middleware found no body: the request stream was already read and neither req.rawBody nor req.body holds the bytes. Mount it before any body parser, or pass the raw body as req.rawBody.',
  );
}
