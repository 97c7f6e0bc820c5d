import { createDatabase } from '../../src/db/client.js';
import type { TestDatabase } from './database.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

/**
 * The test's database as the app would reach it through a TCP proxy the test
 * can cut (tcp-proxy.ts): the returned database connects through the proxy,
 * while `direct` stays the test's own view of the same rows. Its `reset` is
 * the direct one's; its `destroy` only closes its connections (the test
 * destroys `direct`).
 */
export async function databaseThroughProxy(
  direct: TestDatabase,
  options: { maxConnections: number; applicationName?: string },
): Promise<{ proxy: TcpProxy; database: TestDatabase }> {
  const server = new URL(direct.url!);
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  const throughProxy = new URL(direct.url!);
  throughProxy.hostname = proxy.host;
  throughProxy.port = String(proxy.port);
  if (options.applicationName) throughProxy.searchParams.set('application_name', options.applicationName);
  const target = throughProxy.toString();
  const database = await createDatabase({ target, maxConnections: options.maxConnections });
  return { proxy, database: { ...database, target, reset: direct.reset, destroy: database.close } };
}
