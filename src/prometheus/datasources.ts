import { z } from 'zod';
import { ConfigError } from '../config-error.js';
import { fieldPath } from '../domain/errors.js';
import { PrometheusClient, type ClientOptions, type QueryClient } from './client.js';
import { PrometheusError } from './errors.js';
import type { DatasourceConfig } from './types.js';

export const DEFAULT_DATASOURCE = 'default';
const VARIABLE = 'ALERTBOOK_DATASOURCES';
// An HTTP token (RFC 9110 §5.1).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The configured datasources by name, one client each, built once. */
export class Datasources {
  private readonly clients = new Map<string, PrometheusClient>();

  constructor(configs: DatasourceConfig[], options: ClientOptions = {}) {
    for (const config of configs) {
      if (this.clients.has(config.name)) throw new Error(`datasource "${config.name}" is configured twice`);
      this.clients.set(config.name, new PrometheusClient(config, options));
    }
  }

  get(name: string = DEFAULT_DATASOURCE): PrometheusClient {
    const client = this.clients.get(name);
    if (!client) {
      throw new PrometheusError(
        'unknown_datasource',
        `unknown datasource "${name}" (configured: ${this.names().join(', ') || 'none'})`,
      );
    }
    return client;
  }

  names(): string[] {
    return [...this.clients.keys()];
  }
}

/** What code that only runs queries needs of Datasources; lets tests pass a stub. */
export interface DatasourceLookup {
  /** The named datasource's client; throws PrometheusError('unknown_datasource') for a name not configured. */
  get(name?: string): QueryClient;
  /** The configured names, when known: their metrics then start at zero. */
  names?(): string[];
}

const datasourceSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a name like "thanos" or "mimir-eu" (letters, digits, . _ -)'),
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    bearerToken: z.string().min(1).optional(),
    basicAuth: z.strictObject({ username: z.string().min(1), password: z.string() }).optional(),
    headers: z
      .record(z.string(), z.string().regex(/^[^\r\n\0]*$/, 'must be a single line'))
      .check((ctx) => {
        // On the key, zod would only say "Invalid key in record".
        for (const name of Object.keys(ctx.value)) {
          if (!HEADER_NAME.test(name))
            ctx.issues.push({ code: 'custom', input: name, path: [name], message: 'is not a valid header name' });
        }
      })
      .optional(),
    timeoutMs: z.number().int().positive().max(600_000).optional(),
  })
  .refine((ds) => !(ds.bearerToken && ds.basicAuth), {
    path: ['basicAuth'],
    message: 'give bearerToken or basicAuth, not both',
  });

const datasourceListSchema = z.array(datasourceSchema).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((ds, i) => {
    if (seen.has(ds.name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${ds.name}" is configured twice` });
    seen.add(ds.name);
  });
});

/**
 * `default` from PROMETHEUS_URL plus the JSON array in ALERTBOOK_DATASOURCES
 * (`[{"name":"thanos","url":"http://thanos:9090","bearerToken":"…","timeoutMs":10000}]`).
 * An entry named `default` replaces PROMETHEUS_URL, e.g. to give it credentials.
 * Throws a ConfigError naming each bad field, e.g. `ALERTBOOK_DATASOURCES[1].url`.
 */
export function parseDatasources(prometheusUrl: string, json: string | undefined): DatasourceConfig[] {
  const fallback: DatasourceConfig = { name: DEFAULT_DATASOURCE, url: prometheusUrl };
  if (json === undefined || json.trim() === '') return [fallback];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigError([{ field: VARIABLE, message: `not valid JSON: ${(error as Error).message}` }]);
  }
  const parsed = datasourceListSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        field: issue.path.length ? `${VARIABLE}${fieldPath(issue.path).replace(/^(?!\[)/, '.')}` : VARIABLE,
        message: issue.message,
      })),
    );
  }
  const configured = parsed.data;
  return configured.some((ds) => ds.name === DEFAULT_DATASOURCE) ? configured : [fallback, ...configured];
}
