// An app that owns an embedded server and can be killed: starts the server on
// the data dir given as argument, prints {"pid":…} (the postmaster's) and waits.
import { startEmbeddedServer } from '../../src/db/embedded-server.js';

const server = await startEmbeddedServer({ dataDir: process.argv[2]!, durable: false });
process.stdout.write(`${JSON.stringify({ pid: server.pid })}\n`);
setInterval(() => {}, 60_000);
