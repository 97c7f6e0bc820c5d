import WebSocket from 'ws';

export interface Cell {
  sub: string;
  query: string;
}

/** What the clients received while recording, for the latency and bandwidth figures. */
export interface Receipts {
  /** Per `sub@to` (one upstream answer): when the last client got it, and how many did. */
  lastReceipt: Map<string, { at: number; clients: number }>;
  deltaFrames: number;
  deltaBytes: number;
  errors: string[];
}

export interface ClientFleet {
  receipts: Receipts;
  /** Starts counting frames (the subscription's first full frames are not part of the steady state). */
  record(): void;
  stop(): Receipts;
  /** Bytes of one full frame per cell, as a client that subscribes now receives. */
  fullFrameBytes(): Promise<number>;
  close(): Promise<void>;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * The start of a data frame as the hub writes it (src/live/server-messages.ts). A thousand
 * clients share this one process, so each reads only what it needs: a full JSON.parse per
 * frame would time the benchmark's own event loop rather than the hub.
 */
const DATA_FRAME_HEAD =
  /^\{"type":"data","sub":"([^"]*)","delta":(true|false),"resultType":"matrix","from":[\d.]+,"to":([\d.]+)/;
const HEAD_BYTES = 160;

/** `count` websocket clients, each subscribed to every cell with a 1 s refresh and a 1 s step. */
export async function connectClients(options: {
  liveUrl: string;
  token: string;
  count: number;
  cells: Cell[];
  range: string;
}): Promise<ClientFleet> {
  const receipts: Receipts = { lastReceipt: new Map(), deltaFrames: 0, deltaBytes: 0, errors: [] };
  let recording = false;
  const subscribe = (socket: WebSocket) => {
    for (const { sub, query } of options.cells) {
      socket.send(
        JSON.stringify({ type: 'subscribe', sub, cell: { query }, range: options.range, step: 1, refresh: 1 }),
      );
    }
  };
  const open = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(options.liveUrl, ['alertbook.v1'], {
        headers: { authorization: `Bearer ${options.token}` },
      });
      socket.once('error', reject);
      socket.once('open', () => resolve(socket));
    });

  const sockets: WebSocket[] = [];
  // A few at a time: opening 1,000 at once measures the accept queue, not the hub.
  for (let i = 0; i < options.count; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, options.count - i) }, open));
    for (const socket of batch) {
      socket.on('message', (data: Buffer) => {
        const at = now();
        const head = DATA_FRAME_HEAD.exec(data.toString('latin1', 0, HEAD_BYTES));
        if (!head) {
          const frame = JSON.parse(data.toString()) as { type: string; sub?: string; message?: string };
          if (frame.type === 'error') receipts.errors.push(`${frame.sub ?? ''} ${frame.message}`);
          return;
        }
        const [, sub, delta, to] = head;
        if (!recording || delta !== 'true') return;
        receipts.deltaFrames += 1;
        receipts.deltaBytes += data.length;
        const key = `${sub}@${Number(to)}`;
        const seen = receipts.lastReceipt.get(key);
        if (seen) {
          seen.at = Math.max(seen.at, at);
          seen.clients += 1;
        } else {
          receipts.lastReceipt.set(key, { at, clients: 1 });
        }
      });
      subscribe(socket);
      sockets.push(socket);
    }
  }

  return {
    receipts,
    record() {
      recording = true;
    },
    stop() {
      recording = false;
      return receipts;
    },
    async fullFrameBytes() {
      const socket = await open();
      const bytes = new Promise<number>((resolve) => {
        let total = 0;
        const pending = new Set(options.cells.map((c) => c.sub));
        socket.on('message', (data: Buffer) => {
          const frame = JSON.parse(data.toString()) as { type: string; sub?: string; delta?: boolean };
          if (frame.type !== 'data' || frame.delta || !pending.delete(frame.sub!)) return;
          total += data.length;
          if (pending.size === 0) resolve(total);
        });
      });
      subscribe(socket);
      const total = await bytes;
      socket.close();
      return total;
    },
    async close() {
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              socket.once('close', () => resolve());
              socket.close();
            }),
        ),
      );
    },
  };
}

/** What several fleets received (one per replica), as one fleet's receipts: an answer's last client over all of them. */
export function mergeReceipts(all: Receipts[]): Receipts {
  const merged: Receipts = { lastReceipt: new Map(), deltaFrames: 0, deltaBytes: 0, errors: [] };
  for (const receipts of all) {
    merged.deltaFrames += receipts.deltaFrames;
    merged.deltaBytes += receipts.deltaBytes;
    merged.errors.push(...receipts.errors);
    for (const [key, { at, clients }] of receipts.lastReceipt) {
      const seen = merged.lastReceipt.get(key);
      merged.lastReceipt.set(
        key,
        seen ? { at: Math.max(seen.at, at), clients: seen.clients + clients } : { at, clients },
      );
    }
  }
  return merged;
}
