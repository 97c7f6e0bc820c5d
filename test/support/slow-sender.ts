import { request } from 'node:http';

/** A webhook request's answer over a real socket. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { error?: { code: string; message: string }; changed?: number };
}

/** POSTs `body` to `url` with `headers`, written whole; with its Content-Length, as Alertmanager sends. */
export function postWhole(url: string, body: Buffer, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request(
      `${url}/hooks/alertmanager`,
      { method: 'POST', headers: { ...headers, 'content-length': body.length } },
      (response) => collect(response, resolve),
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

export interface Trickle {
  /** The answer, once there is one; rejects if the connection ends without one. */
  answer: Promise<Answer>;
  /** True once an answer (or the connection's end) came. */
  readonly settled: boolean;
  /** Stops sending and drops the connection. */
  stop(): void;
}

/**
 * POSTs a body one byte every `everyMs`, for at most `maxBytes` bytes (then it
 * goes quiet, never ending the body): a slow or hostile sender. Chunked unless
 * `contentLength` is given. The bytes are a JSON string's opening, so what
 * arrives is never a whole notification.
 */
export function trickle(
  url: string,
  headers: Record<string, string>,
  options: { contentLength?: number; everyMs: number; maxBytes: number },
): Trickle {
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const outgoing = {
    ...headers,
    ...(options.contentLength === undefined ? {} : { 'content-length': String(options.contentLength) }),
  };
  const sent = request(`${url}/hooks/alertmanager`, { method: 'POST', headers: outgoing });
  const answer = new Promise<Answer>((resolve, reject) => {
    sent.on('response', (response) => collect(response, resolve));
    sent.on('error', reject);
    sent.on('close', () => reject(new Error('the connection closed without an answer')));
  }).finally(() => {
    settled = true;
    clearInterval(timer);
  });
  // Rejections are the caller's to look at, if it awaits the answer at all.
  answer.catch(() => {});
  const text = `{"receiver":"${'x'.repeat(options.maxBytes)}`;
  let written = 0;
  sent.flushHeaders();
  timer = setInterval(() => {
    if (written >= options.maxBytes) return void clearInterval(timer);
    sent.write(text[written++]!);
  }, options.everyMs);
  return {
    answer,
    get settled() {
      return settled;
    },
    stop() {
      clearInterval(timer);
      sent.destroy();
    },
  };
}

function collect(response: import('node:http').IncomingMessage, resolve: (answer: Answer) => void) {
  let text = '';
  response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  response.on('end', () =>
    resolve({
      status: response.statusCode!,
      headers: response.headers,
      body: JSON.parse(text || '{}') as Answer['body'],
    }),
  );
}
