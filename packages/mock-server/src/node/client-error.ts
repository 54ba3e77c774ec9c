import type { Duplex } from 'node:stream';
import { randomToken } from '../ids';
import { ApiProblem } from '../problem';

/** What node:http tells of a message it could not parse. */
type ClientError = Error & { readonly code?: string };

/** The refusal for a message node:http would not parse, or null when the connection is simply gone. */
function problemOf(error: ClientError): ApiProblem | null {
  switch (error.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return null;
    case 'HPE_HEADER_OVERFLOW':
      return new ApiProblem(
        'headers_too_large',
        'The request headers are larger than the server accepts (16 KiB); send fewer or shorter headers.',
      );
    default:
      // Content-Length with Transfer-Encoding, a bad chunk size, an invalid header…: request smuggling territory.
      return new ApiProblem(
        'malformed_request',
        `The request is not a valid HTTP/1.1 message (${error.code ?? 'parse error'}); send one Content-Length or Transfer-Encoding: chunked, not both.`,
      );
  }
}

/**
 * node:http's `clientError`: a message refused before it reaches the pipeline is answered in the
 * API's own shape (problem+json with a `code`) instead of node's plain-text default, and the
 * connection closed. A request timeout keeps node's own 408.
 */
export function answerClientError(error: ClientError, socket: Duplex): void {
  const problem = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? undefined : problemOf(error);
  if (problem === undefined || !socket.writable) {
    if (problem === undefined && socket.writable)
      socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    else socket.destroy();
    return;
  }
  if (problem === null) {
    socket.destroy();
    return;
  }
  const requestId = `req_${randomToken(16)}`;
  const body = JSON.stringify(problem.toProblem(requestId));
  socket.end(
    `HTTP/1.1 ${problem.status} ${problem.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `Request-Id: ${requestId}\r\n` +
      'Cache-Control: private, no-store\r\n' +
      'Access-Control-Allow-Origin: *\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}
