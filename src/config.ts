import { z } from 'zod';
import type { BlockList } from 'node:net';
import { parseTrustedProxies } from './http/middleware/proxy-auth.js';
import { parseDatasources } from './prometheus/datasources.js';
import type { DatasourceConfig } from './prometheus/types.js';
import { ConfigError } from './config-error.js';

export { ConfigError };

const MiB = 1024 * 1024;

const apiTokens = z
  .string()
  .transform((raw, ctx) => {
    const tokens: { name: string; token: string }[] = [];
    for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
      const colon = entry.indexOf(':');
      const name = entry.slice(0, colon).trim();
      const token = entry.slice(colon + 1).trim();
      if (colon <= 0 || !token) {
        ctx.addIssue({ code: 'custom', message: 'expected name:token[,name:token…]' });
        return z.NEVER;
      }
      tokens.push({ name, token });
    }
    return tokens;
  });

// A list in an environment variable: comma- or space-separated.
const envList = z.string().transform((text) => text.split(/[\s,]+/).filter(Boolean));

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  ALERTBOOK_DATA_DIR: z.string().min(1).default('.alertbook'),
  ALERTBOOK_WEBHOOK_TOKEN: z.string().min(1).optional(),
  ALERTBOOK_API_TOKENS: apiTokens.optional(),
  ALERTBOOK_BODY_LIMIT: z.coerce.number().int().positive().default(16 * MiB),
  ALERTBOOK_INTAKE_BUDGET: z.coerce.number().int().positive().default(8 * MiB),
  RUNBOOKS_DIR: z.string().min(1).default('./runbooks'),
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
  ALERTBOOK_SCRIPT_ALLOW_NET: envList.optional(),
  ALERTBOOK_SCRIPT_ALLOW_ENV: envList.optional(),
  ALERTBOOK_SCRIPT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
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
});

export type Config = {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  webhookToken: string | undefined;
  apiTokens: { name: string; token: string }[];
  bodyLimit: number;
  /** Bytes of webhook bodies processed at once; the rest wait their turn (a larger body goes alone). */
  intakeBudget: number;
  runbooksDir: string;
  prometheusUrl: string;
  /** `default` from PROMETHEUS_URL plus ALERTBOOK_DATASOURCES. */
  datasources: DatasourceConfig[];
  /** Series kept per query result; the rest are dropped and the result says so. */
  maxSeries: number;
  /** Snapshot every runbook cell of an incident when it resolves. */
  snapshotOnResolve: boolean;
  /** `token`: API tokens (or open on loopback). `proxy`: people are named by an authenticating proxy. */
  auth: { mode: 'token' } | { mode: 'proxy'; trustedProxies: BlockList };
  /** Origins besides the service's own whose pages may call the API and open the websocket. */
  allowedOrigins: string[];
  /** What any runbook's script cells may be granted (net hosts, env names); default nothing. */
  scriptCeiling: { net: string[]; env: string[] };
  /** Script cell runs at once (a short queue waits behind them). */
  scriptConcurrency: number;
  /** True when bound to loopback with no tokens: the service runs open. */
  open: boolean;
};

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Parses the environment once; the only caller is main.ts (and the migrate CLI). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable means "unset", as in most shells' `FOO= cmd`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ field: String(i.path[0] ?? '?'), message: i.message })),
    );
  }
  const e = parsed.data;
  const apiTokenList = e.ALERTBOOK_API_TOKENS ?? [];
  if (e.ALERTBOOK_AUTH === 'proxy' && !e.ALERTBOOK_TRUSTED_PROXIES) {
    throw new ConfigError([{ field: 'ALERTBOOK_TRUSTED_PROXIES', message: 'required when ALERTBOOK_AUTH=proxy' }]);
  }
  if (!isLoopback(e.HOST)) {
    // Beyond loopback every door needs a lock: the webhook its token, people
    // their API tokens or the authenticating proxy.
    const missing = [
      !e.ALERTBOOK_WEBHOOK_TOKEN && 'ALERTBOOK_WEBHOOK_TOKEN',
      e.ALERTBOOK_AUTH === 'token' && apiTokenList.length === 0 && 'ALERTBOOK_API_TOKENS',
    ].filter((f): f is string => Boolean(f));
    if (missing.length > 0) {
      throw new ConfigError(missing.map((field) => ({ field, message: `required when HOST (${e.HOST}) is not a loopback address` })));
    }
  }
  return {
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.ALERTBOOK_DATA_DIR,
    webhookToken: e.ALERTBOOK_WEBHOOK_TOKEN,
    apiTokens: apiTokenList,
    bodyLimit: e.ALERTBOOK_BODY_LIMIT,
    intakeBudget: e.ALERTBOOK_INTAKE_BUDGET,
    runbooksDir: e.RUNBOOKS_DIR,
    prometheusUrl: e.PROMETHEUS_URL,
    datasources: parseDatasources(e.PROMETHEUS_URL, e.ALERTBOOK_DATASOURCES),
    maxSeries: e.ALERTBOOK_MAX_SERIES,
    snapshotOnResolve: e.ALERTBOOK_SNAPSHOT_ON_RESOLVE,
    auth: e.ALERTBOOK_AUTH === 'proxy' ? { mode: 'proxy', trustedProxies: e.ALERTBOOK_TRUSTED_PROXIES! } : { mode: 'token' },
    allowedOrigins: e.ALERTBOOK_ALLOWED_ORIGINS ?? [],
    scriptCeiling: { net: e.ALERTBOOK_SCRIPT_ALLOW_NET ?? [], env: e.ALERTBOOK_SCRIPT_ALLOW_ENV ?? [] },
    scriptConcurrency: e.ALERTBOOK_SCRIPT_CONCURRENCY,
    open: !e.ALERTBOOK_WEBHOOK_TOKEN && apiTokenList.length === 0 && e.ALERTBOOK_AUTH === 'token',
  };
}
