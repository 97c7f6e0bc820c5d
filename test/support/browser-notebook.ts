import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startNotebookServer, type NotebookServer, type NotebookServerOptions } from './notebook-server.js';

/** What the browser suites' tests work with, once started. */
export interface RunningNotebook {
  database: TestDatabase;
  server: NotebookServer;
  browser: Browser;
}

interface Peer {
  close(): Promise<void>;
}

export interface BrowserNotebook {
  /** A new temp dir of `prefix`, removed by `close()`. */
  tempDir(prefix: string): string;
  /** Hands over a peer the server talks to (a Prometheus, an Alertmanager): `close()` closes it after the server. */
  closeAfterServer<T extends Peer>(peer: T): T;
  /** A database of its own, the notebook server over it, and Chromium. */
  start(options: Omit<NotebookServerOptions, 'database'>): Promise<RunningNotebook>;
  /**
   * Closes the browser, the server (which drops the database), the peers, then
   * removes the temp dirs. Only what was started: a `beforeAll` that failed
   * halfway leaves nothing behind. Every step runs even when one before it fails.
   */
  close(): Promise<void>;
}

/**
 * What a browser suite (test/e2e/web.*) runs against and must clean up: made
 * when the suite file loads, so that whatever its `beforeAll` gets to (temp
 * dirs, peers, the notebook) is known to the `afterAll` that calls `close()`.
 */
export function browserNotebook(): BrowserNotebook {
  const tempDirs: string[] = [];
  const peers: Peer[] = [];
  let database: TestDatabase | undefined;
  let server: NotebookServer | undefined;
  let browser: Browser | undefined;

  return {
    tempDir(prefix) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      tempDirs.push(dir);
      return dir;
    },
    closeAfterServer(peer) {
      peers.push(peer);
      return peer;
    },
    async start(options) {
      database = await createTestDatabase();
      server = await startNotebookServer({ ...options, database });
      browser = await launchChromium();
      return { database, server, browser };
    },
    async close() {
      const failures: unknown[] = [];
      const steps = [
        () => browser?.close(),
        // The server's close drops the database; a server that never started leaves that to us.
        () => (server ? server.close() : database?.destroy()),
        ...[...peers].reverse().map((peer) => () => peer.close()),
        ...tempDirs.map((dir) => () => rmSync(dir, { recursive: true, force: true })),
      ];
      for (const step of steps) {
        try {
          await step();
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length === 1) throw failures[0];
      if (failures.length > 1) throw new AggregateError(failures, 'closing the browser notebook failed');
    },
  };
}
