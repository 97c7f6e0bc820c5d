import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function fieldsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => i.field);
  }
  throw new Error('expected a ConfigError');
}

// Long enough for a non-loopback HOST.
const WEBHOOK = 'webhook-token-0123456789';
const API = 'api-token-0123456789';

describe('loadConfig', () => {
  it('defaults to an open, embedded service on loopback', () => {
    expect(loadConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      databaseUrl: undefined,
      dataDir: '.alertbook',
      runbooksDir: './runbooks',
      prometheusUrl: 'http://127.0.0.1:9090',
      bodyLimit: 16 * 1024 * 1024,
      intakeBudget: 8 * 1024 * 1024,
      open: true,
    });
  });

  it("reads the alerting rules from the runbooks' rules/ folder unless ALERTBOOK_RULES names globs", () => {
    expect(loadConfig({ RUNBOOKS_DIR: '/srv/runbooks/' }).rules).toEqual(['/srv/runbooks/rules/**/*.{yml,yaml}']);
    expect(loadConfig({ ALERTBOOK_RULES: 'a/*.yaml, b/**/*.yml' }).rules).toEqual(['a/*.yaml', 'b/**/*.yml']);
  });

  it('parses API tokens as name:token pairs', () => {
    const config = loadConfig({ ALERTBOOK_API_TOKENS: 'ci:abc, ops-bot:d:e:f', ALERTBOOK_WEBHOOK_TOKEN: 'w' });
    expect(config.apiTokens).toEqual([
      { name: 'ci', token: 'abc' },
      { name: 'ops-bot', token: 'd:e:f' },
    ]);
    expect(config.open).toBe(false);
  });

  it('reads the report settings: zone, cron schedule, webhook and folder, naming each bad one', () => {
    expect(loadConfig({}).reports).toEqual({ tz: 'UTC', schedule: null, webhook: null, dir: null });
    const config = loadConfig({
      ALERTBOOK_REPORT_TZ: 'Europe/Berlin',
      ALERTBOOK_REPORT_SCHEDULE: '0 9 * * MON',
      ALERTBOOK_REPORT_WEBHOOK: 'https://hooks.slack.com/services/T/B/X',
      ALERTBOOK_REPORT_DIR: './reports',
    });
    expect(config.reports).toEqual({
      tz: 'Europe/Berlin',
      schedule: '0 9 * * MON',
      webhook: 'https://hooks.slack.com/services/T/B/X',
      dir: './reports',
    });
    expect(
      fieldsOf(() =>
        loadConfig({
          ALERTBOOK_REPORT_TZ: 'Moon/Base',
          ALERTBOOK_REPORT_SCHEDULE: 'every monday',
          ALERTBOOK_REPORT_WEBHOOK: 'ftp://x',
        }),
      ),
    ).toEqual(['ALERTBOOK_REPORT_TZ', 'ALERTBOOK_REPORT_SCHEDULE', 'ALERTBOOK_REPORT_WEBHOOK']);
  });

  it('reads ALERTBOOK_PUBLIC_URL, an http(s) URL without its trailing slash, and refuses anything else naming it', () => {
    expect(loadConfig({}).publicUrl).toBeNull();
    expect(loadConfig({ ALERTBOOK_PUBLIC_URL: 'https://alertbook.example.com/ops/' }).publicUrl).toBe(
      'https://alertbook.example.com/ops',
    );
    for (const bad of ['alertbook.example.com', 'ftp://alertbook.example.com', '/reports']) {
      expect(
        fieldsOf(() => loadConfig({ ALERTBOOK_PUBLIC_URL: bad })),
        bad,
      ).toEqual(['ALERTBOOK_PUBLIC_URL']);
    }
  });

  it('reads the retention, the Alertmanagers, their token and the reconcile interval (default 5m), naming each bad one', () => {
    expect(loadConfig({}).retentionMs).toBeNull();
    expect(loadConfig({ ALERTBOOK_RETENTION: '90d' }).retentionMs).toBe(90 * 86_400_000);
    expect(fieldsOf(() => loadConfig({ ALERTBOOK_RETENTION: 'a while' }))).toEqual(['ALERTBOOK_RETENTION']);
    expect(loadConfig({}).alertmanagers).toEqual({ urls: [], token: null, reconcileIntervalMs: 300_000 });
    expect(
      loadConfig({
        ALERTBOOK_ALERTMANAGERS: 'http://am-0:9093, https://user:pass@am-1:9093',
        ALERTBOOK_ALERTMANAGER_TOKEN: 'secret',
        ALERTBOOK_RECONCILE_INTERVAL: '1m30s',
      }).alertmanagers,
    ).toEqual({
      urls: ['http://am-0:9093', 'https://user:pass@am-1:9093'],
      token: 'secret',
      reconcileIntervalMs: 90_000,
    });
    expect(
      fieldsOf(() => loadConfig({ ALERTBOOK_ALERTMANAGERS: 'am-0:9093', ALERTBOOK_RECONCILE_INTERVAL: '5 minutes' })),
    ).toEqual(['ALERTBOOK_ALERTMANAGERS', 'ALERTBOOK_RECONCILE_INTERVAL']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 8080, databaseUrl: undefined });
  });

  it('names every invalid field', () => {
    expect(
      fieldsOf(() =>
        loadConfig({
          PORT: '99999',
          DATABASE_URL: 'mysql://x',
          PROMETHEUS_URL: 'not a url',
          ALERTBOOK_API_TOKENS: 'justatoken',
        }),
      ),
    ).toEqual(expect.arrayContaining(['PORT', 'DATABASE_URL', 'PROMETHEUS_URL', 'ALERTBOOK_API_TOKENS']));
  });

  it('refuses to listen beyond loopback without both token settings', () => {
    expect(fieldsOf(() => loadConfig({ HOST: '0.0.0.0' }))).toEqual([
      'ALERTBOOK_WEBHOOK_TOKEN',
      'ALERTBOOK_API_TOKENS',
    ]);
    expect(fieldsOf(() => loadConfig({ HOST: '0.0.0.0', ALERTBOOK_WEBHOOK_TOKEN: WEBHOOK }))).toEqual([
      'ALERTBOOK_API_TOKENS',
    ]);
    expect(
      loadConfig({ HOST: '0.0.0.0', ALERTBOOK_WEBHOOK_TOKEN: WEBHOOK, ALERTBOOK_API_TOKENS: `a:${API}` }).open,
    ).toBe(false);
  });

  describe('refuses tokens that cannot protect or cannot match, naming the variable', () => {
    const beyond = { HOST: '0.0.0.0', ALERTBOOK_WEBHOOK_TOKEN: WEBHOOK, ALERTBOOK_API_TOKENS: `ci:${API}` };
    const issuesOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (error) {
        return (error as ConfigError).issues;
      }
      throw new Error('expected a ConfigError');
    };

    it('beyond loopback, tokens shorter than 16 characters', () => {
      expect(issuesOf({ ...beyond, ALERTBOOK_WEBHOOK_TOKEN: 'fifteen-chars-x' })).toEqual([
        { field: 'ALERTBOOK_WEBHOOK_TOKEN', message: expect.stringContaining('at least 16 characters') },
      ]);
      expect(issuesOf({ ...beyond, ALERTBOOK_API_TOKENS: `ci:${API},bot:short` })).toEqual([
        {
          field: 'ALERTBOOK_API_TOKENS',
          message: expect.stringContaining('the token of "bot" must be at least 16 characters'),
        },
      ]);
      // On loopback a short token is a developer's choice.
      expect(loadConfig({ ALERTBOOK_WEBHOOK_TOKEN: 'w', ALERTBOOK_API_TOKENS: 'ci:short' }).apiTokens).toEqual([
        { name: 'ci', token: 'short' },
      ]);
    });

    it('a webhook token of whitespace (Basic `x: ` would match it) or containing whitespace', () => {
      for (const token of [' '.repeat(20), '\t'.repeat(16), `${WEBHOOK} and more`]) {
        expect(fieldsOf(() => loadConfig({ ...beyond, ALERTBOOK_WEBHOOK_TOKEN: token }))).toEqual([
          'ALERTBOOK_WEBHOOK_TOKEN',
        ]);
      }
    });

    it('an API token containing whitespace (never matches a Bearer header)', () => {
      const issues = issuesOf({ ...beyond, ALERTBOOK_API_TOKENS: 'ci:0123456789 abcdefghij' });
      expect(issues).toEqual([
        { field: 'ALERTBOOK_API_TOKENS', message: expect.stringContaining('the token of "ci" contains whitespace') },
      ]);
      expect(issues[0]!.message).not.toContain('0123456789');
    });

    it('the same token under two names (the actor recorded would silently be the last name)', () => {
      const issues = issuesOf({ ...beyond, ALERTBOOK_API_TOKENS: `ci:${API},deploy:${API}` });
      expect(issues).toEqual([
        { field: 'ALERTBOOK_API_TOKENS', message: expect.stringContaining('"ci" and "deploy" have the same token') },
      ]);
      expect(issues[0]!.message).not.toContain(API);
    });
  });

  it.each(['localhost', '127.0.0.1', '127.1.2.3', '::1'])('treats %s as loopback', (host) => {
    expect(loadConfig({ HOST: host }).open).toBe(true);
  });

  it('proxy auth needs trusted proxies, and beyond loopback still the webhook token but no API tokens', () => {
    expect(fieldsOf(() => loadConfig({ ALERTBOOK_AUTH: 'proxy' }))).toEqual(['ALERTBOOK_TRUSTED_PROXIES']);
    expect(fieldsOf(() => loadConfig({ ALERTBOOK_AUTH: 'proxy', ALERTBOOK_TRUSTED_PROXIES: '10.0.0.0/33' }))).toEqual([
      'ALERTBOOK_TRUSTED_PROXIES',
    ]);
    expect(
      fieldsOf(() => loadConfig({ HOST: '0.0.0.0', ALERTBOOK_AUTH: 'proxy', ALERTBOOK_TRUSTED_PROXIES: '10.0.0.1' })),
    ).toEqual(['ALERTBOOK_WEBHOOK_TOKEN']);
    const config = loadConfig({
      HOST: '0.0.0.0',
      ALERTBOOK_AUTH: 'proxy',
      ALERTBOOK_TRUSTED_PROXIES: '10.0.0.0/8, fd00::/8',
      ALERTBOOK_WEBHOOK_TOKEN: WEBHOOK,
    });
    expect(config.auth.mode).toBe('proxy');
    expect(config.auth.mode === 'proxy' && config.auth.trustedProxies.check('10.1.2.3', 'ipv4')).toBe(true);
    expect(config.open).toBe(false);
  });

  it('takes allowed origins as origins only', () => {
    expect(
      loadConfig({ ALERTBOOK_ALLOWED_ORIGINS: 'https://a.example, http://b.example:8080' }).allowedOrigins,
    ).toEqual(['https://a.example', 'http://b.example:8080']);
    expect(fieldsOf(() => loadConfig({ ALERTBOOK_ALLOWED_ORIGINS: 'https://a.example/path' }))).toEqual([
      'ALERTBOOK_ALLOWED_ORIGINS',
    ]);
  });

  it('bounds intake by a deadline in seconds (8 by default) and a body pace in bytes a second', () => {
    expect(loadConfig({})).toMatchObject({ intakeDeadlineMs: 8000, bodyMinBytesPerSecond: 32 * 1024 });
    expect(loadConfig({ ALERTBOOK_INTAKE_DEADLINE: '2.5', ALERTBOOK_BODY_MIN_RATE: '1000' })).toMatchObject({
      intakeDeadlineMs: 2500,
      bodyMinBytesPerSecond: 1000,
    });
    expect(fieldsOf(() => loadConfig({ ALERTBOOK_INTAKE_DEADLINE: '0', ALERTBOOK_BODY_MIN_RATE: 'fast' }))).toEqual([
      'ALERTBOOK_INTAKE_DEADLINE',
      'ALERTBOOK_BODY_MIN_RATE',
    ]);
  });
});
