#!/usr/bin/env node
// The package's `alertbook` executable: runs the CLI's bundle (see cli-bundle.js), never TypeScript itself.
import { cliBundle } from './cli-bundle.js';

const { entry, cacheDir } = await cliBundle();
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cacheDir,
});
