import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { parseDatasources } from './prometheus/datasources.js';
import { parseTrustedProxies } from './trusted-proxies.js';
import { isKnownTimeZone } from './domain/reports/zoned-time.js';
import { parsePrometheusDuration } from './prometheus/duration.js';
import { assertCronPattern } from './reports/report-schedule.js';

export { ConfigError };

const MiB = 1024 * 1024;

// Beyond loopback a token must resist guessing; 16 characters is already 96 bits of base64.
const MIN_TOKEN_LENGTH = 16;
// A token with whitespace can never be presented as `Bearer <token>`; a blank one matches Basic `x: `.
const NO_WHITESPACE = /^\S+$/;

// A list in an environment variable: comma- or space-separated.
const envList = z.string().transform((text) => text.split(/[\s,]+/).filter(Boolean));

/** A Prometheus duration (`5m`, `90d`) as milliseconds, at least a second. */
const durationMs = z.string().transform((text, ctx) => {
  const seconds = parsePrometheusDuration(text.trim());
  if (seconds === null || seconds < 1) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration of at least 1s like 5m, 1h or 90d` });
    return z.NEVER;
  }
  return seconds * 1000;
});

const apiTokens = z.string().transform((raw, ctx) => {
  const tokens: { name: string; token: string }[] = [];
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const name = entry.slice(0, colon).trim();
    const token = entry.slice(colon + 1).trim();
    if (colon <= 0 || !token) {
      ctx.addIssue({ code: 'custom', message: 'expected name:token[,name:token…]' });
      return z.NEVER;
    }
    if (!NO_WHITESPACE.test(token))
      ctx.addIssue({ code: 'custom', message: `the token of "${name}" contains whitespace: it can never match` });
    const twin = tokens.find((t) => t.token === token);
    // The actor recorded would silently be one of the two names.
    if (twin)
      ctx.addIssue({
        code: 'custom',
        message: `"${twin.name}" and "${name}" have the same token: give each name its own`,
      });
    tokens.push({ name, token });
  }
  return tokens;
});

const envSchema = z
  .object({
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    ALERTBOOK_DATA_DIR: z.string().min(1).default('.alertbook'),
    ALERTBOOK_WEBHOOK_TOKEN: z.string().regex(NO_WHITESPACE, 'must not be blank or contain whitespace').optional(),
    ALERTBOOK_API_TOKENS: apiTokens.optional(),
    ALERTBOOK_BODY_LIMIT: z.coerce
      .number()
      .int()
      .positive()
      .default(16 * MiB),
    ALERTBOOK_INTAKE_BUDGET: z.coerce
      .number()
      .int()
      .positive()
      .default(8 * MiB),
    // Seconds; under Alertmanager's shortest notification timeout (10 s), so it hears a 503 and retries.
    ALERTBOOK_INTAKE_DEADLINE: z.coerce.number().positive().default(8),
    ALERTBOOK_BODY_MIN_RATE: z.coerce
      .number()
      .int()
      .positive()
      .default(32 * 1024),
    RUNBOOKS_DIR: z.string().min(1).default('./runbooks'),
    ALERTBOOK_RULES: z.string().optional(),
    PROMETHEUS_URL: z.url().default('http://127.0.0.1:9090'),
    ALERTBOOK_DATASOURCES: z.string().optional(),
    ALERTBOOK_MAX_SERIES: z.coerce.number().int().positive().max(10_000).default(100),
    ALERTBOOK_SNAPSHOT_ON_RESOLVE: z.stringbool().default(true),
    ALERTBOOK_AUTH: z.enum(['token', 'proxy'], { message: 'expected "token" or "proxy"' }).default('token'),
    ALERTBOOK_TRUSTED_PROXIES: z
      .string()
      .transform((text, ctx) => {
        try {
          return parseTrustedProxies(text);
        } catch (error) {
          ctx.addIssue({ code: 'custom', message: (error as Error).message });
          return z.NEVER;
        }
      })
      .optional(),
    ALERTBOOK_ALLOWED_ORIGINS: z
      .string()
      .transform((text, ctx) => {
        const origins = text.split(/[\s,]+/).filter(Boolean);
        for (const origin of origins) {
          if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
            ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://notebook.example.com` });
          }
        }
        return origins;
      })
      .optional(),
    ALERTBOOK_SCRIPT_ALLOW_NET: envList.optional(),
    ALERTBOOK_SCRIPT_ALLOW_ENV: envList.optional(),
    ALERTBOOK_SCRIPT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    ALERTBOOK_REPORT_TZ: z.string().refine(isKnownTimeZone, 'not an IANA time zone like Europe/Berlin').default('UTC'),
    ALERTBOOK_REPORT_SCHEDULE: z
      .string()
      .refine((pattern) => {
        try {
          assertCronPattern(pattern);
          return true;
        } catch {
          return false;
        }
      }, 'not a cron expression like "0 9 * * MON"')
      .optional(),
    ALERTBOOK_REPORT_WEBHOOK: z.url({ protocol: /^https?$/ }).optional(),
    ALERTBOOK_REPORT_DIR: z.string().min(1).optional(),
    ALERTBOOK_PUBLIC_URL: z
      .url({
        protocol: /^https?$/,
        message: 'expected the http(s) URL people open the service at, like https://alertbook.example.com',
      })
      .optional(),
    ALERTBOOK_ALERTMANAGERS: z
      .string()
      .transform((text, ctx) => {
        const urls = text.split(/[\s,]+/).filter(Boolean);
        for (const url of urls) {
          if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
            ctx.addIssue({ code: 'custom', message: `"${url}" is not an http(s) URL like http://alertmanager:9093` });
          }
        }
        return urls;
      })
      .optional(),
    ALERTBOOK_ALERTMANAGER_TOKEN: z.string().regex(NO_WHITESPACE, 'must not be blank or contain whitespace').optional(),
    ALERTBOOK_RECONCILE_INTERVAL: durationMs.default(5 * 60_000),
    ALERTBOOK_RETENTION: durationMs.optional(),
  })
  .superRefine((e, ctx) => {
    const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
    if (e.ALERTBOOK_AUTH === 'proxy' && !e.ALERTBOOK_TRUSTED_PROXIES)
      issue('ALERTBOOK_TRUSTED_PROXIES', 'required when ALERTBOOK_AUTH=proxy');
    if (isLoopback(e.HOST)) return;
    // Beyond loopback every door needs a lock: the webhook its token, people
    // their API tokens or the authenticating proxy; and a lock that holds.
    const beyond = `when HOST (${e.HOST}) is not a loopback address`;
    if (!e.ALERTBOOK_WEBHOOK_TOKEN) issue('ALERTBOOK_WEBHOOK_TOKEN', `required ${beyond}`);
    else if (e.ALERTBOOK_WEBHOOK_TOKEN.length < MIN_TOKEN_LENGTH)
      issue('ALERTBOOK_WEBHOOK_TOKEN', `must be at least ${MIN_TOKEN_LENGTH} characters ${beyond}`);
    const apiTokenList = e.ALERTBOOK_API_TOKENS ?? [];
    if (e.ALERTBOOK_AUTH === 'token' && apiTokenList.length === 0) issue('ALERTBOOK_API_TOKENS', `required ${beyond}`);
    for (const { name, token } of apiTokenList) {
      if (token.length < MIN_TOKEN_LENGTH)
        issue(
          'ALERTBOOK_API_TOKENS',
          `the token of "${name}" must be at least ${MIN_TOKEN_LENGTH} characters ${beyond}`,
        );
    }
  })
  .transform((e) => {
    const apiTokens = e.ALERTBOOK_API_TOKENS ?? [];
    return {
      host: e.HOST,
      port: e.PORT,
      databaseUrl: e.DATABASE_URL,
      dataDir: e.ALERTBOOK_DATA_DIR,
      webhookToken: e.ALERTBOOK_WEBHOOK_TOKEN,
      apiTokens,
      bodyLimit: e.ALERTBOOK_BODY_LIMIT,
      /** Bytes of webhook bodies processed at once; the rest wait their turn (a larger body goes alone). */
      intakeBudget: e.ALERTBOOK_INTAKE_BUDGET,
      /** Every webhook request is answered within this: 408 if its body is still arriving, else 503 + Retry-After. */
      intakeDeadlineMs: e.ALERTBOOK_INTAKE_DEADLINE * 1000,
      /** Bytes a second a webhook body must average from its first second on (408 if slower). */
      bodyMinBytesPerSecond: e.ALERTBOOK_BODY_MIN_RATE,
      runbooksDir: e.RUNBOOKS_DIR,
      /** Globs of the alerting rule files (ALERTBOOK_RULES, comma-separated; default `<RUNBOOKS_DIR>/rules/**\/*.{yml,yaml}`). */
      rules: e.ALERTBOOK_RULES?.split(',')
        .map((glob) => glob.trim())
        .filter(Boolean) ?? [`${e.RUNBOOKS_DIR.replace(/\/$/, '')}/rules/**/*.{yml,yaml}`],
      prometheusUrl: e.PROMETHEUS_URL,
      /** `default` from PROMETHEUS_URL plus ALERTBOOK_DATASOURCES (throws a ConfigError of its own). */
      datasources: parseDatasources(e.PROMETHEUS_URL, e.ALERTBOOK_DATASOURCES),
      /** Series kept per query result; the rest are dropped and the result says so. */
      maxSeries: e.ALERTBOOK_MAX_SERIES,
      /** Snapshot every runbook cell of an incident when it resolves. */
      snapshotOnResolve: e.ALERTBOOK_SNAPSHOT_ON_RESOLVE,
      /** `token`: API tokens (or open on loopback). `proxy`: people are named by an authenticating proxy. */
      auth:
        e.ALERTBOOK_AUTH === 'proxy' && e.ALERTBOOK_TRUSTED_PROXIES
          ? { mode: 'proxy' as const, trustedProxies: e.ALERTBOOK_TRUSTED_PROXIES }
          : { mode: 'token' as const },
      /** Origins besides the service's own whose pages may call the API and open the websocket. */
      allowedOrigins: e.ALERTBOOK_ALLOWED_ORIGINS ?? [],
      /** What any runbook's script cells may be granted (net hosts, env names); default nothing. */
      scriptCeiling: { net: e.ALERTBOOK_SCRIPT_ALLOW_NET ?? [], env: e.ALERTBOOK_SCRIPT_ALLOW_ENV ?? [] },
      /** Script cell runs at once (a short queue waits behind them). */
      scriptConcurrency: e.ALERTBOOK_SCRIPT_CONCURRENCY,
      /** True when bound to loopback with no tokens: the service runs open. */
      open: !e.ALERTBOOK_WEBHOOK_TOKEN && apiTokens.length === 0 && e.ALERTBOOK_AUTH === 'token',
      /** Where people open the service (null: unknown): links in reports read outside the app are absolute under it. */
      publicUrl: e.ALERTBOOK_PUBLIC_URL?.replace(/\/+$/, '') ?? null,
      /** Weekly reports: the default zone, and the schedule (null: off) delivering to a webhook and/or a folder. */
      reports: {
        tz: e.ALERTBOOK_REPORT_TZ,
        schedule: e.ALERTBOOK_REPORT_SCHEDULE ?? null,
        webhook: e.ALERTBOOK_REPORT_WEBHOOK ?? null,
        dir: e.ALERTBOOK_REPORT_DIR ?? null,
      },
      /** How long the delivery log (notifications rows) is kept; null: for ever. */
      retentionMs: e.ALERTBOOK_RETENTION ?? null,
      /** The Alertmanagers to reconcile with and create silences in (none: neither), and how often to reconcile. */
      alertmanagers: {
        urls: e.ALERTBOOK_ALERTMANAGERS ?? [],
        token: e.ALERTBOOK_ALERTMANAGER_TOKEN ?? null,
        reconcileIntervalMs: e.ALERTBOOK_RECONCILE_INTERVAL,
      },
    };
  });

export type Config = z.output<typeof envSchema>;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Parses the environment once; the only caller is main.ts (and the migrate CLI). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "unset", as in most shells' `FOO= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? '?'), message: i.message })));
  }
  return parsed.data;
}
