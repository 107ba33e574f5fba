/**
 * Requests that never reach a route: Node's HTTP parser rejects them (bad
 * chunked framing, a bad Content-Length, oversized headers, a method it does
 * not know) or they carry an `Expect` we do not meet. They get the same coded
 * error body as every other error, then the connection closes (after a framing
 * error the stream cannot be trusted); a socket that is already gone is
 * simply destroyed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { AnswerdeskError } from '@answerdesk/core';
import { body } from './errors.js';

/** llhttp's error codes, in words a client developer can act on. */
const PARSER_REASONS: Record<string, string> = {
  HPE_INVALID_CHUNK_SIZE: 'a chunk size of the chunked body is not valid hexadecimal',
  HPE_INVALID_CONTENT_LENGTH: 'Content-Length is not a valid number',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Content-Length and Transfer-Encoding: chunked were both sent',
  HPE_INVALID_TRANSFER_ENCODING: 'Transfer-Encoding is not valid',
  HPE_INVALID_HEADER_TOKEN: 'a header name or value has characters HTTP does not allow',
  HPE_INVALID_VERSION: 'the HTTP version is not valid',
  HPE_INVALID_URL: 'the request target is not a valid URL',
  HPE_INVALID_CONSTANT: 'the request line is not valid HTTP',
  HPE_LF_EXPECTED: 'a line does not end with CRLF',
  HPE_CR_EXPECTED: 'a line does not end with CRLF',
  HPE_INVALID_EOF_STATE: 'the connection ended in the middle of the request',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'the chunk extensions are too long',
};

function errorFor(error: Error & { code?: string; bytesParsed?: number; rawPacket?: Buffer }): AnswerdeskError {
  const code = error.code ?? '';
  if (code === 'HPE_HEADER_OVERFLOW') return new AnswerdeskError('ADK_HEADERS_TOO_LARGE', { limit: 16 * 1024 });
  if (code === 'HPE_INVALID_METHOD') {
    // A word before the path is a method we do not know; anything else (TLS to a plain port, binary noise) is not HTTP.
    const method = error.rawPacket?.toString('latin1').match(/^([A-Za-z][A-Za-z-]{0,31}) /)?.[1];
    if (method) return new AnswerdeskError('ADK_METHOD_NOT_IMPLEMENTED', { method });
    return new AnswerdeskError('ADK_CLIENT_ERROR', { reason: 'the request line is not HTTP (is the client speaking TLS to a plain-HTTP port?)' });
  }
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT' || code === 'ERR_HTTP_HEADERS_TIMEOUT') return new AnswerdeskError('ADK_CLIENT_TIMEOUT', { reason: code === 'ERR_HTTP_HEADERS_TIMEOUT' ? 'headers' : 'the whole request' });
  return new AnswerdeskError('ADK_CLIENT_ERROR', { reason: PARSER_REASONS[code] ?? `the HTTP framing is not valid (${code || error.message})` });
}

function respond(socket: Socket, coded: AnswerdeskError, extraHeaders: Record<string, string> = {}): void {
  const payload = JSON.stringify(body(coded));
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(payload)),
    'x-content-type-options': 'nosniff',
    connection: 'close',
    ...extraHeaders,
  };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${coded.status} ${STATUS_TEXT[coded.status] ?? 'Error'}\r\n${head}\r\n${payload}`);
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 417: 'Expectation Failed', 431: 'Request Header Fields Too Large', 501: 'Not Implemented' };

/** fastify's `clientErrorHandler`: a coded body where HTTP allows one, else a closed connection. */
export function handleClientError(error: Error & { code?: string }, socket: Socket): void {
  // The peer is gone, or a response has begun: nothing more may be written.
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE' || !socket.writable || (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  respond(socket, errorFor(error));
}

/** Node's `checkExpectation`: an `Expect` other than 100-continue gets 417 with our body (Node would send an empty one). */
export function handleExpectation(request: IncomingMessage, response: ServerResponse): void {
  const coded = new AnswerdeskError('ADK_EXPECTATION_FAILED', { expect: String(request.headers.expect ?? '') });
  const payload = JSON.stringify(body(coded));
  response.writeHead(coded.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), 'x-content-type-options': 'nosniff', connection: 'close' });
  response.end(payload);
}
