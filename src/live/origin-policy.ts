/**
 * Which browser pages may open the live socket. Browsers send `Origin` on every
 * websocket handshake and, unlike fetch, apply no CORS to it: without this check
 * any page the user visits could read live data with the user's credentials.
 */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  /** `allowedOrigins`: besides the server's own, e.g. `https://notebook.example.com`; throws naming a malformed one. */
  constructor(allowedOrigins: readonly string[]) {
    this.allowed = new Set(
      allowedOrigins.map((origin) => {
        const parsed = URL.canParse(origin) ? new URL(origin) : null;
        if (!parsed || parsed.origin === 'null' || parsed.origin !== origin.replace(/\/$/, '')) {
          throw new RangeError(`allowed origin "${origin}" is not an origin like https://notebook.example.com`);
        }
        return parsed.origin;
      }),
    );
  }

  /** Same host as the request (whatever the scheme: TLS may end at a proxy), or allow-listed. */
  allows(origin: string, host: string | undefined): boolean {
    const parsed = URL.canParse(origin) ? new URL(origin) : null;
    if (!parsed || parsed.origin === 'null') return false;
    if (host !== undefined && URL.canParse(`http://${host}`) && parsed.host === new URL(`http://${host}`).host)
      return true;
    return this.allowed.has(parsed.origin);
  }
}
