import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { DatabaseTarget } from '../../../src/db/client.js';
import { PROJECT_DIR } from '../../../src/project-dir.js';
import type { AppAnswers, AppOrder } from './app-orders.js';
import { ChildWorker } from './child-worker.js';

const BUNDLE = join(PROJECT_DIR, '.build', 'bench-app-process.js');
let bundled: Promise<unknown> | undefined;

/** app-process.ts bundled as `npm run build` bundles main.ts, once per benchmark run. */
function bundleAppProcess(): Promise<unknown> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL('./app-process.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    outfile: BUNDLE,
    logLevel: 'warning',
  });
  return bundled;
}

/** The node flags `npm start` runs the service with (package.json), so the app is measured as it runs. */
function startFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  return scripts.start.split(/\s+/).filter((word) => word.startsWith('--'));
}

/** The app in a process of its own (app-process.ts), started by plain node as in production. */
export class AppUnderTest {
  private constructor(
    private readonly worker: ChildWorker<AppOrder, unknown>,
    readonly origin: string,
    /** RSS once listening, before the first notification. */
    readonly idleRssBytes: number,
  ) {}

  /**
   * On the (migrated) database at `target`; with `profileDir`, the process
   * writes a CPU profile there.
   */
  static async start(target: DatabaseTarget, profileDir: string | null): Promise<AppUnderTest> {
    await bundleAppProcess();
    const execArgv = [...startFlags(), ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
    const worker = new ChildWorker<AppOrder, unknown>(pathToFileURL(BUNDLE), { execArgv });
    try {
      const { origin, idleRssBytes } = (await worker.run({ kind: 'start', target })) as AppAnswers['start'];
      return new AppUnderTest(worker, origin, idleRssBytes);
    } catch (error) {
      await worker.stop();
      throw error;
    }
  }

  ask<K extends AppOrder['kind']>(order: Extract<AppOrder, { kind: K }>): Promise<AppAnswers[K]> {
    return this.worker.run(order) as Promise<AppAnswers[K]>;
  }

  stop(): Promise<void> {
    return this.worker.stop();
  }
}
