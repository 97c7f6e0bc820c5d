// `npm run db:migrate`: apply migrations to DATABASE_URL, or to the embedded PGlite.
import { loadConfig } from '../config.js';
import { createDatabase } from './client.js';
import { runMigrations } from './migrate.js';

const config = loadConfig(process.env);
const database = await createDatabase(
  config.databaseUrl ? { url: config.databaseUrl, maxConnections: 1 } : { dataDir: config.dataDir },
);
await runMigrations(database, config.databaseUrl);
await database.close();
console.log(`migrations applied (${database.kind})`);
