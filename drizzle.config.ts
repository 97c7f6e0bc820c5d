import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates SQL from the schema here; the service applies
// migrations itself (src/db/migrate.ts), so no credentials are needed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './migrations',
});
