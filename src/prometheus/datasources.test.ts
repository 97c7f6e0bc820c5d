import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config.js';
import { Datasources, parseDatasources } from './datasources.js';
import { PrometheusError } from './errors.js';

const PROMETHEUS_URL = 'http://127.0.0.1:9090';

function configErrors(json: string): { field: string; message: string }[] {
  try {
    parseDatasources(PROMETHEUS_URL, json);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('parseDatasources', () => {
  it('is just PROMETHEUS_URL as "default" when ALERTBOOK_DATASOURCES is unset or empty', () => {
    expect(parseDatasources(PROMETHEUS_URL, undefined)).toEqual([{ name: 'default', url: PROMETHEUS_URL }]);
    expect(parseDatasources(PROMETHEUS_URL, '  ')).toEqual([{ name: 'default', url: PROMETHEUS_URL }]);
  });

  it('adds the configured datasources after the default one', () => {
    const thanos = { name: 'thanos', url: 'https://thanos.example/', bearerToken: 't0k3n', timeoutMs: 10_000 };
    const mimir = {
      name: 'mimir-eu',
      url: 'http://mimir:8080/prometheus',
      headers: { 'X-Scope-OrgID': 'team-a' },
      basicAuth: { username: 'u', password: 'p' },
    };
    expect(parseDatasources(PROMETHEUS_URL, JSON.stringify([thanos, mimir]))).toEqual([
      { name: 'default', url: PROMETHEUS_URL },
      thanos,
      mimir,
    ]);
  });

  it('lets an entry named "default" replace PROMETHEUS_URL', () => {
    const secured = { name: 'default', url: 'https://prom.example', bearerToken: 'secret' };
    expect(parseDatasources(PROMETHEUS_URL, JSON.stringify([secured]))).toEqual([secured]);
  });

  it('names the variable when the JSON does not parse', () => {
    expect(configErrors('[{"name":')).toEqual([
      { field: 'ALERTBOOK_DATASOURCES', message: expect.stringMatching(/^not valid JSON: /) },
    ]);
    expect(configErrors('{"name":"x"}')).toEqual([
      { field: 'ALERTBOOK_DATASOURCES', message: expect.stringContaining('array') },
    ]);
  });

  it('names every offending field', () => {
    const json = JSON.stringify([
      { name: 'ok', url: 'http://ok:9090' },
      { name: 'bad name', url: 'ftp://x', timeoutMs: -1 },
      { name: 'both', url: 'http://x', bearerToken: 't', basicAuth: { username: 'u', password: 'p' } },
      { name: 'ok', url: 'http://dup', timeout: 5 },
      { name: 'hdr', url: 'http://x', headers: { 'Bad Header': 'v', 'X-Ok': 'a\r\nb' } },
    ]);
    expect(configErrors(json)).toEqual([
      { field: 'ALERTBOOK_DATASOURCES[1].name', message: expect.stringContaining('must be a name like') },
      { field: 'ALERTBOOK_DATASOURCES[1].url', message: 'must be an http:// or https:// URL' },
      { field: 'ALERTBOOK_DATASOURCES[1].timeoutMs', message: expect.stringContaining('>0') },
      { field: 'ALERTBOOK_DATASOURCES[2].basicAuth', message: 'give bearerToken or basicAuth, not both' },
      { field: 'ALERTBOOK_DATASOURCES[3]', message: expect.stringContaining('"timeout"') },
      { field: 'ALERTBOOK_DATASOURCES[4].headers.X-Ok', message: 'must be a single line' },
      { field: 'ALERTBOOK_DATASOURCES[4].headers.Bad Header', message: 'is not a valid header name' },
    ]);
  });

  it('rejects a name given twice', () => {
    const json = JSON.stringify([
      { name: 'a', url: 'http://a' },
      { name: 'a', url: 'http://b' },
    ]);
    expect(configErrors(json)).toEqual([
      { field: 'ALERTBOOK_DATASOURCES[1].name', message: '"a" is configured twice' },
    ]);
  });
});

describe('Datasources', () => {
  const datasources = new Datasources([
    { name: 'default', url: PROMETHEUS_URL },
    { name: 'thanos', url: 'http://thanos:9090' },
  ]);

  it('hands out one client per name, "default" when none is given', () => {
    expect(datasources.names()).toEqual(['default', 'thanos']);
    expect(datasources.get().name).toBe('default');
    expect(datasources.get('thanos').name).toBe('thanos');
    expect(datasources.get('thanos')).toBe(datasources.get('thanos'));
  });

  it('throws unknown_datasource listing the configured ones', () => {
    expect(() => datasources.get('mimir')).toThrow(PrometheusError);
    expect(() => datasources.get('mimir')).toThrow('unknown datasource "mimir" (configured: default, thanos)');
    try {
      datasources.get('mimir');
    } catch (error) {
      expect(error).toMatchObject({ kind: 'unknown_datasource', status: null, retryable: false });
    }
  });

  it('refuses a name configured twice', () => {
    expect(
      () =>
        new Datasources([
          { name: 'a', url: 'http://a' },
          { name: 'a', url: 'http://b' },
        ]),
    ).toThrow('datasource "a" is configured twice');
  });
});
