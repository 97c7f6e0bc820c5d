import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

/**
 * A loopback TCP proxy that tests can break on purpose, to play a database
 * (or any peer) going away underneath the app.
 */
export interface TcpProxy {
  host: string;
  port: number;
  /** Destroys every live connection and refuses new ones until `restore()`. */
  cut(): void;
  /** Accepts and forwards connections again. */
  restore(): void;
  /**
   * Cuts (as `cut()`) once `bytes` more bytes have gone from clients to the
   * target; resolves when that happened. Lets a test break a connection in
   * the middle of a large transaction rather than between statements.
   */
  cutAfter(bytes: number): Promise<void>;
  /** Bytes forwarded from clients to the target so far. */
  readonly bytesUp: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const live = new Set<Socket>();
  let refusing = false;
  let bytesUp = 0;
  let tripwire: { at: number; tripped: () => void } | undefined;

  const cut = () => {
    refusing = true;
    for (const socket of live) socket.destroy();
    live.clear();
  };

  const server = createServer((client) => {
    if (refusing) {
      // A TCP reset: the client fails at once, as it would against a closed port.
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    live.add(client);
    live.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      live.delete(client);
      live.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (chunk: Buffer) => {
      bytesUp += chunk.length;
      if (tripwire && bytesUp >= tripwire.at) {
        const { tripped } = tripwire;
        tripwire = undefined;
        cut();
        tripped();
      }
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    host: address,
    port,
    cut,
    restore() {
      refusing = false;
    },
    cutAfter(bytes) {
      return new Promise((resolve) => {
        tripwire = { at: bytesUp + bytes, tripped: resolve };
      });
    },
    get bytesUp() {
      return bytesUp;
    },
    close() {
      cut();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
