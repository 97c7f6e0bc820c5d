// The escape corpus: every attempt to leave the sandbox is denied or killed with a clear error,
// and the service (this process, its gateway) goes on answering.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_PERMISSIONS, type ScriptPermissions } from '../../src/domain/runbooks/script-permissions.js';
import { Datasources } from '../../src/prometheus/datasources.js';
import { startFakePrometheus, type FakePrometheus } from '../support/fake-prometheus.js';
import { createScriptSandbox, NO_ALERT, SOME_INCIDENT, type ScriptSandbox } from '../support/script-runner.js';

let prometheus: FakePrometheus;
let sandbox: ScriptSandbox;
let api: Server;
let apiRequests = 0;
let apiPort = 0;

beforeAll(async () => {
  prometheus = await startFakePrometheus();
  sandbox = await createScriptSandbox(new Datasources([{ name: 'default', url: prometheus.url }]), {
    limits: { rssMb: 256 },
  });
  await sandbox.gateway.start();
  // Stands for Alertbook's own API on the same host.
  api = createServer((_req, res) => {
    apiRequests++;
    res.end('{}');
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiPort = (api.address() as AddressInfo).port;
});

afterAll(async () => {
  await sandbox.close();
  await prometheus.close();
  await new Promise((resolve) => api.close(resolve));
});

function run(code: string, options: { timeoutSeconds?: number; permissions?: ScriptPermissions } = {}) {
  return sandbox.runner.run({
    code,
    timeoutSeconds: options.timeoutSeconds ?? 10,
    permissions: options.permissions ?? NO_PERMISSIONS,
    alert: NO_ALERT,
    incident: SOME_INCIDENT,
    datasource: 'default',
  });
}

interface Attempt {
  name: string;
  code: () => string;
  timeoutSeconds?: number;
  /** The run's `error` (Deno's own message, or why it was killed). */
  error: RegExp | (() => RegExp);
  reason?: 'exited' | 'timeout' | 'output-limit' | 'memory-limit';
}

const CORPUS: Attempt[] = [
  {
    name: 'read /etc/passwd',
    code: () => `Deno.readTextFileSync('/etc/passwd');`,
    error: /NotCapable: Requires read access to "\/etc\/passwd"/,
  },
  {
    name: 'read the data dir',
    code: () => `console.log(Deno.readTextFileSync(${JSON.stringify(join(sandbox.dataDir, 'secret.txt'))}));`,
    error: /Requires read access to ".*secret\.txt"/,
  },
  {
    name: 'read DATABASE_URL',
    code: () => `console.log(Deno.env.get('DATABASE_URL'));`,
    error: /Requires env access to "DATABASE_URL"/,
  },
  {
    name: 'read every variable (tokens)',
    code: () => `console.log(Deno.env.toObject());`,
    error: /Requires env access/,
  },
  {
    name: 'spawn a process',
    code: () => `new Deno.Command('/bin/sh', { args: ['-c', 'id'] }).outputSync();`,
    error: /Requires run access to "\/bin\/sh"/,
  },
  {
    name: 'write a file',
    code: () => `Deno.writeTextFileSync('pwned.txt', 'x');`,
    error: /Requires write access to "pwned\.txt"/,
  },
  {
    name: 'fetch an undeclared host',
    code: () => `await fetch('http://example.com/');`,
    error: /Requires net access to "example\.com:80"/,
  },
  {
    name: "fetch Alertbook's API",
    code: () => `await fetch('http://127.0.0.1:${apiPort}/api/v1/incidents');`,
    error: () => new RegExp(`Requires net access to "127\\.0\\.0\\.1:${apiPort}"`),
  },
  {
    name: 'import from a URL',
    code: () => `await import('https://deno.land/std/fs/mod.ts');`,
    error: /A remote specifier was requested.*--no-remote/,
  },
  { name: 'import an npm: specifier', code: () => `await import('npm:left-pad');`, error: /--no-npm/ },
  {
    name: 'Deno.dlopen',
    code: () => `Deno.dlopen('/lib/x86_64-linux-gnu/libc.so.6', {});`,
    error: /Requires ffi access/,
  },
  {
    name: 'a Worker asking for more permissions',
    code: () =>
      `new Worker('data:text/javascript,Deno.readTextFileSync("/etc/passwd")', { type: 'module', deno: { permissions: { read: true, run: true } } });`,
    error: /--unstable-worker-options/,
  },
  {
    name: 'an infinite loop',
    code: () => `while (true) {}`,
    timeoutSeconds: 1,
    error: /timeout of 1s/,
    reason: 'timeout',
  },
  {
    name: 'a heap bomb',
    code: () => `const hoard = []; while (true) hoard.push(new Array(1e6).fill(Math.random()));`,
    error: /out of memory|more than 256 MB/,
  },
  {
    name: 'an array-buffer bomb (outside the V8 heap)',
    code: () => `const hoard = []; while (true) hoard.push(new Uint8Array(32 * 1024 * 1024).fill(1));`,
    error: /more than 256 MB of memory/,
    reason: 'memory-limit',
  },
  {
    name: 'a 100 MB console.log',
    code: () => `const mb = 'x'.repeat(1024 * 1024); for (let i = 0; i < 100; i++) console.log(mb);`,
    error: /more than 1048576 bytes of output/,
    reason: 'output-limit',
  },
  {
    name: 'a fork of many promises',
    code: () =>
      `const fork = () => Promise.resolve().then(() => { fork(); fork(); }); fork(); await new Promise(() => {});`,
    timeoutSeconds: 2,
    error: /timeout of 2s|out of memory|more than 256 MB/,
  },
  {
    name: 'a cell that never exits',
    code: () => `setInterval(() => {}, 1000);`,
    timeoutSeconds: 1,
    error: /timeout of 1s/,
    reason: 'timeout',
  },
];

describe('the escape corpus', () => {
  it.each(CORPUS)('$name: denied or killed', async (attempt) => {
    const result = await run(attempt.code(), { timeoutSeconds: attempt.timeoutSeconds });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(typeof attempt.error === 'function' ? attempt.error() : attempt.error);
    if (attempt.reason) expect(result.exit.reason).toBe(attempt.reason);
    expect(JSON.stringify(result.outputs)).not.toMatch(/hunter2|alice-token|data-dir-secret|root:x:0/);
  });

  it("never reached Alertbook's API", () => {
    expect(apiRequests).toBe(0);
  });

  it('the gateway answers its token on /query only', async () => {
    const result = await run(
      `for (const path of ['/api/v1/incidents', '/metrics']) console.log(path, (await fetch('${sandbox.gateway.url}' + path, { method: 'POST' })).status);
       console.log('no token', (await fetch('${sandbox.gateway.url}/query', { method: 'POST', body: '{"query":"up"}' })).status);`,
    );
    expect(result.error).toBeNull();
    expect(result.outputs).toEqual([{ kind: 'text', text: '/api/v1/incidents 404\n/metrics 404\nno token 401\n' }]);
  });

  it('a token is dead after its run', async () => {
    const grant = sandbox.gateway.grant();
    const ask = () =>
      fetch(`${sandbox.gateway.url}/query`, {
        method: 'POST',
        headers: { authorization: `Bearer ${grant.token}` },
        body: '{"query":"up"}',
      });
    expect((await ask()).status).toBe(200);
    grant.revoke();
    expect((await ask()).status).toBe(401);
    expect(sandbox.gateway.activeGrants).toBe(0);
  });

  it('leaves the service answering: a well-behaved cell still queries and shows', async () => {
    const before = prometheus.requestCount('query');
    const result = await run(`const up = await query('up'); show.table(up.series.map((s) => s.metric));`);
    expect(result.error).toBeNull();
    expect(result.outputs[0]?.kind).toBe('table');
    expect(prometheus.requestCount('query')).toBe(before + 1);
  });
});
