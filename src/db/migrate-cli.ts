// `npm run db:migrate`: apply migrations to DATABASE_URL, or to the embedded Postgres in ALERTBOOK_DATA_DIR.
import { loadConfig } from '../config.js';
import { startEmbeddedServer } from './embedded-server.js';
import { runMigrations } from './migrate.js';

const config = loadConfig(process.env);
if (config.databaseUrl) {
  await runMigrations(config.databaseUrl);
  console.log('migrations applied (DATABASE_URL)');
} else {
  const embedded = await startEmbeddedServer({ dataDir: config.dataDir });
  try {
    await runMigrations(embedded.target);
  } finally {
    await embedded.stop();
  }
  console.log(`migrations applied (embedded, ${config.dataDir})`);
}
