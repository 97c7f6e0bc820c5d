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

async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  read: 'json' | 'text' = 'json',
): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers: {
      Accept: read === 'json' ? 'application/json' : '*/*',
      // Proves to the CSRF check that this page, not another site, sent the request.
      'X-Alertbook-Request': '1',
      ...credentialHeaders(),
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (response.ok && read === 'text') return (await response.text()) as T;
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return payload as T;
  if (response.status === 401 && authMode === 'token') forgetCredential();
  const error = (payload as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
  throw new ApiError(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? `${method} ${path}: HTTP ${response.status}`,
    error?.field,
  );
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  /** A GET whose answer is not JSON (an export): its text. */
  getText: (path: string) => request<string>('GET', path, undefined, 'text'),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
