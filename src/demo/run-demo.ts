// `npm run demo`: a real Prometheus and Alertmanager, a demo service that trips the shipped rules in a
// loop, and Alertbook wired to both, all on loopback, all stopped by Ctrl-C. See src/demo/README.md.
import { randomBytes } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processGone } from '../db/process-gone.js';
import { PROJECT_DIR } from '../project-dir.js';
import { type ChildGroup, spawnChildGroup, waitUntilReady } from './child-group.js';
import { alertmanagerConfig, DEMO_ALERTS, demoRules, prometheusConfig } from './demo-config.js';
import { type DemoService, startDemoService } from './demo-service.js';
import { freeLoopbackPort } from './free-port.js';

const INSTALL_HINT = 'sudo apt-get install -y prometheus prometheus-alertmanager';
const PHASE_MS = 2 * 60_000;
const REQUESTS_PER_SECOND = 10;
// Bundling, the notebook's first build and a first initdb, on a busy machine.
const ALERTBOOK_READY_MS = 180_000;
const PEER_READY_MS = 30_000;
// Alertbook drains requests and stops its embedded Postgres before it exits.
const ALERTBOOK_STOP_GRACE_MS = 30_000;
const PEER_STOP_GRACE_MS = 10_000;

type Ending = { kind: 'signal'; signal: NodeJS.Signals } | { kind: 'failure'; message: string };

const say = (line: string) => process.stdout.write(`demo: ${line}\n`);

/** `bin` when it is a path, else its first executable match on PATH; undefined when there is none. */
function findExecutable(bin: string, path: string): string | undefined {
  const candidates = bin.includes('/') ? [bin] : path.split(delimiter).map((d) => join(d, bin));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The environment Alertbook gets: the caller's, minus any Alertbook, database or listener setting of theirs. */
function inheritedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const foreign = /^(ALERTBOOK_|PG)|^(DATABASE_URL|HOST|PORT|PROMETHEUS_URL|RUNBOOKS_DIR)$/;
  return Object.fromEntries(Object.entries(env).filter(([name]) => !foreign.test(name)));
}

class Demo {
  private readonly children: ChildGroup[] = [];
  private service: DemoService | undefined;
  private dir: string | undefined;
  private stopping = false;
  private settle!: (ending: Ending) => void;
  /** How the demo ends: a signal, or a peer dying or failing to start. */
  readonly ended = new Promise<Ending>((resolve) => (this.settle = resolve));

  constructor(
    private readonly bins: { prometheus: string; alertmanager: string },
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  end(ending: Ending) {
    this.settle(ending);
  }

  async start(): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'alertbook-demo-'));
    this.dir = dir;
    // mkdtemp's 0700 would lock out the embedded Postgres' own account when we run as root.
    await chmod(dir, 0o755);
    say(`temp dir ${dir}`);
    const [alertbookPort, prometheusPort, alertmanagerPort] = [
      await freeLoopbackPort(),
      await freeLoopbackPort(),
      await freeLoopbackPort(),
    ];
    const alertbookUrl = `http://127.0.0.1:${alertbookPort}`;
    const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    const alertmanagerUrl = `http://127.0.0.1:${alertmanagerPort}`;
    const webhookToken = randomBytes(24).toString('base64url');

    const ruleFile = join(dir, 'rules', 'web-api.demo.yaml');
    await mkdir(join(dir, 'rules'));
    await writeFile(
      ruleFile,
      demoRules(await readFile(join(PROJECT_DIR, 'runbooks', 'rules', 'web-api.yaml'), 'utf8')),
    );

    say('building Alertbook (npm run build)');
    const build = this.spawn('build', 'npm', ['run', 'build', '--silent'], { cwd: PROJECT_DIR });
    const built = await build.exited;
    if (built !== 'code 0') throw new Error(`npm run build failed (${built})\n${build.logTail()}`);

    say('starting Alertbook (embedded Postgres, shipped runbooks; the first start builds the notebook)');
    const alertbook = this.spawn(
      'Alertbook',
      process.execPath,
      ['--max-old-space-size=512', '--enable-source-maps', '.build/main.js'],
      {
        cwd: PROJECT_DIR,
        env: {
          ...inheritedEnv(this.env),
          HOST: '127.0.0.1',
          PORT: String(alertbookPort),
          ALERTBOOK_DATA_DIR: join(dir, 'alertbook'),
          ALERTBOOK_WEBHOOK_TOKEN: webhookToken,
          RUNBOOKS_DIR: join(PROJECT_DIR, 'runbooks'),
          ALERTBOOK_RULES: ruleFile,
          PROMETHEUS_URL: prometheusUrl,
          ALERTBOOK_ALERTMANAGERS: alertmanagerUrl,
        },
      },
    );
    await waitUntilReady(alertbook, `${alertbookUrl}/readyz`, ALERTBOOK_READY_MS);
    say(`Alertbook ready at ${alertbookUrl} (pid ${alertbook.pid})`);

    this.service = await startDemoService({ phaseMs: PHASE_MS, requestsPerSecond: REQUESTS_PER_SECOND });
    say(`demo service at ${this.service.url}: ${REQUESTS_PER_SECOND} requests/s, starting bad`);

    await writeFile(
      join(dir, 'prometheus.yml'),
      prometheusConfig({ serviceUrl: this.service.url, alertmanagerUrl, ruleFile }),
    );
    const prometheus = this.spawn('Prometheus', this.bins.prometheus, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'prometheus')}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      // The alerts' generatorURL (the notebook's "Prometheus graph") names it as printed, not by the machine's hostname.
      `--web.external-url=${prometheusUrl}`,
    ]);
    await waitUntilReady(prometheus, `${prometheusUrl}/-/ready`, PEER_READY_MS);
    say(`Prometheus ready at ${prometheusUrl} (pid ${prometheus.pid}), scraping every 5 s`);

    await writeFile(
      join(dir, 'alertmanager.yml'),
      alertmanagerConfig({ webhookUrl: `${alertbookUrl}/hooks/alertmanager`, webhookToken }),
    );
    const alertmanager = this.spawn('Alertmanager', this.bins.alertmanager, [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'alertmanager')}`,
      `--web.listen-address=127.0.0.1:${alertmanagerPort}`,
      `--web.external-url=${alertmanagerUrl}`, // the incidents' externalUrl, as printed (as for Prometheus)
      '--cluster.listen-address=', // no gossip port: a single member
    ]);
    await waitUntilReady(alertmanager, `${alertmanagerUrl}/-/ready`, PEER_READY_MS);
    say(`Alertmanager ready at ${alertmanagerUrl} (pid ${alertmanager.pid}), posting to Alertbook`);

    process.stdout.write(
      [
        '',
        `Notebook: ${alertbookUrl}/`,
        '  open on loopback: no sign-in needed.',
        `  ${DEMO_ALERTS.join(' and ')} fire within about a minute and resolve in the good phase;`,
        `  the service alternates ${PHASE_MS / 60_000} min bad / ${PHASE_MS / 60_000} min good. Ctrl-C stops everything.`,
        '',
      ].join('\n'),
    );
  }

  private spawn(name: string, bin: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}) {
    if (this.stopping) throw new Error('stopping');
    const child = spawnChildGroup(name, bin, args, options);
    this.children.push(child);
    void child.exited.then((how) => {
      if (name === 'build' && how === 'code 0') {
        this.children.splice(this.children.indexOf(child), 1); // Done: nothing to stop.
        return;
      }
      if (this.stopping) return;
      this.end({
        kind: 'failure',
        message: `${name} exited unexpectedly (${how}); its last lines:\n${child.logTail()}`,
      });
    });
    return child;
  }

  /** Stops everything started, last started first, and removes the temp dir. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.service?.close();
    for (const child of [...this.children].reverse()) {
      say(`stopping ${child.name}`);
      await child.stop(child.name === 'Alertbook' ? ALERTBOOK_STOP_GRACE_MS : PEER_STOP_GRACE_MS);
    }
    if (this.dir) {
      await stopOrphanedPostgres(join(this.dir, 'alertbook', 'postgres'));
      await rm(this.dir, { recursive: true, force: true });
      say(`removed ${this.dir}`);
    }
  }
}

/**
 * The embedded Postgres runs detached from Alertbook (pg_ctl); Alertbook stops it on a clean
 * shutdown, but one that died leaves it running: fast shutdown, then kill.
 */
async function stopOrphanedPostgres(clusterDir: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return; // Never started, or stopped cleanly (the postmaster removes the file).
  }
  if (!Number.isInteger(pid) || pid <= 0 || processGone(pid)) return;
  say(`stopping the embedded Postgres Alertbook left behind (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + PEER_STOP_GRACE_MS;
  while (!processGone(pid) && Date.now() < deadline) await sleep(100);
  if (!processGone(pid)) process.kill(pid, 'SIGKILL');
}

async function main(): Promise<number> {
  // biome-ignore lint/style/noProcessEnv: the demo's entry point, like src/main.ts for the service, reads the environment once.
  const env = process.env;
  const prometheus = findExecutable(env.PROMETHEUS_BIN ?? 'prometheus', env.PATH ?? '');
  const alertmanager = findExecutable(env.ALERTMANAGER_BIN ?? 'prometheus-alertmanager', env.PATH ?? '');
  if (!prometheus || !alertmanager) {
    process.stderr.write(
      `demo: needs ${[!prometheus && 'prometheus', !alertmanager && 'prometheus-alertmanager'].filter(Boolean).join(' and ')} on PATH; install them with:\n\n  ${INSTALL_HINT}\n\n`,
    );
    return 2;
  }
  const demo = new Demo({ prometheus, alertmanager }, env);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => demo.end({ kind: 'signal', signal }));

  demo.start().catch((error: unknown) => demo.end({ kind: 'failure', message: (error as Error).message }));
  const ending = await demo.ended;
  if (ending.kind === 'signal') say(`${ending.signal}: stopping everything`);
  else process.stderr.write(`demo: ${ending.message}\ndemo: stopping everything\n`);
  await demo.stop();
  say('stopped');
  return ending.kind === 'signal' ? 0 : 1;
}

// process.exit, not exitCode: fetch's pooled keep-alive sockets would hold the process a few seconds more.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
