/** A running Alertbook's API as the CLI asks it: `--server <url>`, the token from ALERTBOOK_TOKEN. */
export interface AlertbookApi {
  /** The answer's body; a non-2xx answer throws with the API's error message. */
  text(path: string, init?: { method?: string; query?: Record<string, string>; json?: unknown }): Promise<string>;
  json<T>(path: string, init?: { method?: string; query?: Record<string, string>; json?: unknown }): Promise<T>;
}

export function alertbookApi(server: string, token: string | undefined): AlertbookApi {
  const text: AlertbookApi['text'] = async (path, init = {}) => {
    const url = new URL(`/api/v1${path}`, server);
    for (const [name, value] of Object.entries(init.query ?? {})) url.searchParams.set(name, value);
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
    const body = await res.text();
    if (!res.ok) {
      let message = body;
      try {
        message = (JSON.parse(body) as { error: { message: string } }).error.message;
      } catch {
        // Not the API's envelope: show what came back.
      }
      throw new Error(`${server} answered ${res.status}: ${message}`);
    }
    return body;
  };
  return { text, json: async (path, init) => JSON.parse(await text(path, init)) };
}
