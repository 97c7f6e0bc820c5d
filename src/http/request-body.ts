import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { DomainError, ValidationError } from '../domain/errors.js';

// Decodes whole bodies only (no streaming state), so one serves every request. Fatal: bytes that are not UTF-8
// are the sender's mistake, refused rather than silently replaced.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** How fast a body must arrive. */
export interface BodyPace {
  /** When it fires, a body still arriving is refused with a 408. */
  signal?: AbortSignal;
  /** Bytes a second a body must average from its first second on, or a 408: a trickle is cut early. */
  minBytesPerSecond?: number;
}

// How often, and from when, a body's pace is checked against `minBytesPerSecond`.
const PACE_CHECK_MS = 1_000;

/**
 * A request's body as text, refused with a 413 past `limit` bytes: by its
 * declared Content-Length before anything is read, and by what arrives while
 * reading (a chunked body declares nothing). Must be the body's first reader.
 *
 * Served by @hono/node-server, the bytes come straight from node's
 * IncomingMessage (`c.env.incoming`): building the web Request around it, with
 * its ReadableStream and AbortController, was a tenth of intake's CPU for a
 * small notification. That is also where a sender can be slow, so only there
 * are the deadline and the pace kept. Elsewhere (`app.request()` in tests) the
 * bytes come from the Request's body stream, under the same limit.
 */
export async function readBodyText(c: Context, limit: number, pace: BodyPace = {}): Promise<string> {
  declaredBodyLength(c, limit);
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const bytes = incoming ? await readIncoming(incoming, limit, pace) : await readStream(c.req.raw.body, limit);
  // As fetch's text(): UTF-8, a leading byte order mark dropped.
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ValidationError('(body)', 'not valid UTF-8');
  }
}

/** The body's Content-Length, or null when it declares none; a 413 when it declares more than `limit`. */
export function declaredBodyLength(c: Context, limit: number): number | null {
  const header = c.req.header('content-length');
  const declared = header === undefined ? NaN : Number(header);
  if (declared > limit) throw tooLarge(limit);
  return Number.isInteger(declared) && declared >= 0 ? declared : null;
}

function readIncoming(
  incoming: IncomingMessage,
  limit: number,
  { signal, minBytesPerSecond }: BodyPace,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const started = Date.now();
    const fail = (error: Error) => {
      stop();
      // Stop reading; @hono/node-server drains (or drops) the rest once the answer is sent.
      incoming.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) return void chunks.push(chunk);
      fail(tooLarge(limit));
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, received));
    };
    const onClose = () => {
      stop();
      reject(new Error('the client closed the connection before the body ended'));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    const onDeadline = () =>
      fail(new DomainError('request_timeout', 'the body did not arrive within the intake deadline'));
    const paceCheck =
      minBytesPerSecond === undefined
        ? undefined
        : setInterval(() => {
            const seconds = (Date.now() - started) / 1000;
            if (received < minBytesPerSecond * seconds) {
              fail(
                new DomainError('request_timeout', `the body arrives slower than ${minBytesPerSecond} bytes a second`),
              );
            }
          }, PACE_CHECK_MS);
    const stop = () => {
      clearInterval(paceCheck);
      signal?.removeEventListener('abort', onDeadline);
      incoming.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onError);
    };
    if (signal?.aborted) return onDeadline();
    signal?.addEventListener('abort', onDeadline, { once: true });
    incoming.on('data', onData).on('end', onEnd).on('close', onClose).on('error', onError);
  });
}

async function readStream(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = body?.getReader();
  for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
    received += read.value.byteLength;
    if (received > limit) {
      await reader!.cancel();
      throw tooLarge(limit);
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks, received);
}

function tooLarge(limit: number): DomainError {
  return new DomainError('payload_too_large', `body exceeds ${limit} bytes`);
}
