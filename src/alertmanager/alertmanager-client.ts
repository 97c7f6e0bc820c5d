/**
 * The few calls of Alertmanager's API v2 that Alertbook makes: the alert
 * groups (reconciliation), its start time, and silences. Credentials come
 * from the URL (`http://user:pass@am:9093`, sent as Basic) or a bearer token.
 */

/** An alert as `GET /api/v2/alerts/groups` lists it (`gettableAlert`). */
export interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint: string;
  generatorURL?: string;
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
}

export interface ApiAlertGroup {
  labels: Record<string, string>;
  receiver: { name: string };
  alerts: ApiAlert[];
}

export interface ApiMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

export interface ApiSilence {
  id: string;
  matchers: ApiMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

export class AlertmanagerError extends Error {
  constructor(
    message: string,
    /** The HTTP status Alertmanager answered, or null when it could not be reached. */
    readonly status: number | null,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 10_000;

export class AlertmanagerClient {
  /** The base URL without credentials: what logs and timeline evidence name. */
  readonly name: string;
  private readonly base: string;
  private readonly authorization: string | null;

  constructor(url: string, options: { token?: string | null; timeoutMs?: number } = {}) {
    const parsed = new URL(url);
    const basic =
      parsed.username || parsed.password
        ? `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`
        : null;
    parsed.username = '';
    parsed.password = '';
    this.base = parsed.toString().replace(/\/$/, '');
    this.name = this.base;
    this.authorization = basic ?? (options.token ? `Bearer ${options.token}` : null);
    this.timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  }

  private readonly timeoutMs: number;

  /** The groups holding alerts routed to a receiver matching `receiverRegex` (anchored by Alertmanager). */
  alertGroups(receiverRegex: string): Promise<ApiAlertGroup[]> {
    return this.call('GET', `/api/v2/alerts/groups?${new URLSearchParams({ receiver: receiverRegex })}`);
  }

  /** When this Alertmanager started: it knows of a firing alert only once Prometheus re-sent it since. */
  async startedAt(): Promise<Date> {
    const status = await this.call<{ uptime: string }>('GET', '/api/v2/status');
    return new Date(status.uptime);
  }

  silences(): Promise<ApiSilence[]> {
    return this.call('GET', '/api/v2/silences');
  }

  async createSilence(silence: Omit<ApiSilence, 'id' | 'status'>): Promise<string> {
    const created = await this.call<{ silenceID: string }>('POST', '/api/v2/silences', silence);
    return created.silenceID;
  }

  async expireSilence(id: string): Promise<void> {
    await this.call('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.authorization ? { authorization: this.authorization } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new AlertmanagerError(`${this.name} is unreachable: ${(error as Error).message}`, null);
    }
    const text = await res.text();
    if (!res.ok) {
      throw new AlertmanagerError(
        `${this.name} answered ${method} ${path.split('?')[0]} with ${res.status}: ${text.trim().slice(0, 300)}`,
        res.status,
      );
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
