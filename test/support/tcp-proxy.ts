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
  /**
   * Forwards nothing either way until `restore()`, dropping nothing: bytes
   * wait, as a network partition holds packets that TCP then retransmits. New
   * connections are accepted (by the kernel, as a client sees it) and reach
   * the target only then.
   */
  blackhole(): void;
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

interface Pair {
  client: Socket;
  upstream?: Socket;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const live = new Set<Pair>();
  let refusing = false;
  let holding = false;
  let bytesUp = 0;
  let tripwire: { at: number; tripped: () => void } | undefined;

  const cut = () => {
    refusing = true;
    for (const { client, upstream } of live) {
      client.destroy();
      upstream?.destroy();
    }
    live.clear();
  };

  const forward = (pair: Pair) => {
    const { client } = pair;
    if (!pair.upstream) {
      const upstream = connect(target.port, target.host);
      pair.upstream = upstream;
      const drop = () => {
        client.destroy();
        upstream.destroy();
        live.delete(pair);
      };
      upstream.on('error', drop).on('close', drop);
      client.on('error', drop).on('close', drop);
    }
    client.pipe(pair.upstream);
    pair.upstream.pipe(client);
  };

  const hold = ({ client, upstream }: Pair) => {
    client.unpipe();
    client.pause();
    upstream?.unpipe();
    upstream?.pause();
  };

  const server = createServer((client) => {
    if (refusing) {
      // A TCP reset: the client fails at once, as it would against a closed port.
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client };
    live.add(pair);
    client.on('data', (chunk: Buffer) => {
      bytesUp += chunk.length;
      if (tripwire && bytesUp >= tripwire.at) {
        const { tripped } = tripwire;
        tripwire = undefined;
        cut();
        tripped();
      }
    });
    if (holding) {
      client.pause();
      // Until forwarded, only the client can go away.
      client.once('close', () => pair.upstream || live.delete(pair));
    } else {
      forward(pair);
    }
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
    blackhole() {
      holding = true;
      for (const pair of live) hold(pair);
    },
    restore() {
      refusing = false;
      if (!holding) return;
      holding = false;
      for (const pair of live) if (!pair.client.destroyed) forward(pair);
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
