// Several replicas syncing their runbooks folder into one database at the same moment (all starting together, or a
// rolling deploy where some already have the new files): every sync succeeds and the tables stay consistent.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/client.js';
import { parseRunbook } from '../../src/domain/runbooks/parse-runbook.js';
import { syncRunbooks, type RunbookFile, type SyncSummary } from '../../src/domain/runbooks/sync-runbooks.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const REPLICAS = 4;
const ROUNDS = 3;

let database: TestDatabase;
// One connection pool per replica, as separate processes would have.
let replicas: Database[];

beforeAll(async () => {
  database = await createTestDatabase();
  replicas = await Promise.all(
    Array.from({ length: REPLICAS }, () => createDatabase({ target: database.target, maxConnections: 2 })),
  );
});

afterAll(async () => {
  await Promise.all((replicas ?? []).map((r) => r.close()));
  await database?.destroy();
});

function runbook(id: string, revision: number): RunbookFile {
  const content = `---
id: ${id}
title: ${id} (revision ${revision})
alerts: [${id.replace(/-/g, '')}]
---
# ${id}

\`\`\`promql title="Rate" range=1h
rate(errors_total{job="${id}"}[5m])
\`\`\`
`;
  return { parsed: parseRunbook({ path: `${id}.md`, content }), gitCommit: null };
}

const ids = Array.from({ length: 12 }, (_, i) => `runbook-${String(i).padStart(2, '0')}`);

/** The files of one release: round r edits a third of the runbooks, drops one and adds one. */
function release(round: number): RunbookFile[] {
  return [...ids.filter((id) => id !== `runbook-${String(round).padStart(2, '0')}`), `added-in-${round}`].map((id, i) =>
    runbook(id, i % 3 === 0 ? round : 0),
  );
}

describe('runbook sync from several replicas at once', () => {
  it('never fails and stores each version once while replicas with old and new files sync together', async () => {
    const seen = new Set<string>();
    let storedNew = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      // Half the replicas still run the previous release, half the new one (a rolling deploy), all syncing at once.
      const results = await Promise.allSettled(
        replicas.map((replica, i) =>
          syncRunbooks({ ctx: { db: replica.db }, input: { files: release(i % 2 === 0 ? round : round - 1) } }),
        ),
      );
      const failures = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason?.cause ?? r.reason));
      expect(failures).toEqual([]);
      storedNew += results.reduce((n, r) => n + (r as PromiseFulfilledResult<SyncSummary>).value.newVersions, 0);
      for (const files of [release(round), release(round - 1)]) {
        for (const f of files) seen.add(`${f.parsed.id}@${f.parsed.sha}`);
      }

      // Each distinct content is one version row, counted as new by exactly one replica.
      const versions = (await database.db.execute(
        sql`select runbook_id || '@' || sha as key from runbook_versions`,
      )) as unknown as Array<{ key: string }>;
      expect(new Set(versions.map((v) => v.key))).toEqual(seen);
      expect(versions).toHaveLength(seen.size);
      expect(storedNew).toBe(seen.size);
      // Every runbook points at a version that exists, and is one of the two releases'.
      const dangling = await database.db.execute(sql`
        select r.id from runbooks r
         where not exists (select 1 from runbook_versions v where v.runbook_id = r.id and v.sha = r.current_sha)`);
      expect(dangling).toHaveLength(0);
    }

    // The last sync wins: all replicas on the newest release agree on it.
    await Promise.all(replicas.map((r) => syncRunbooks({ ctx: { db: r.db }, input: { files: release(ROUNDS) } })));
    const current = (await database.db.execute(
      sql`select id, current_sha as sha from runbooks where not removed`,
    )) as unknown as Array<{ id: string; sha: string }>;
    expect([...current].sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      release(ROUNDS)
        .map((f) => ({ id: f.parsed.id, sha: f.parsed.sha }))
        .sort((x, y) => x.id.localeCompare(y.id)),
    );
  });
});
