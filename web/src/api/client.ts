import { authMode, credentialHeaders, forgetCredential } from './identity.js';

/** The API's error envelope as a throwable: `field` names the offending input. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The answer when it is a success; otherwise the API's error envelope, thrown as an ApiError. */
async function send(method: Method, path: string, body?: unknown, accept = 'application/json') {
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers: {
      Accept: accept,
      // Proves to the CSRF check that this page, not another site, sent the request.
      'X-Alertbook-Request': '1',
      ...credentialHeaders(),
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (response.ok) return response;
  const payload: unknown = await response.json().catch(() => null);
  if (response.status === 401 && authMode === 'token') forgetCredential();
  const error = (payload as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
  throw new ApiError(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? `${method} ${path}: HTTP ${response.status}`,
    error?.field,
  );
}

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  return (await response.json().catch(() => null)) as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** A text answer (a rule-file patch, an incident export). */
  getText: async (path: string) => (await send('GET', path, undefined, 'text/plain, */*')).text(),
};
