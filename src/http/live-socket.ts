import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { LiveSocket } from '../live/live-client.js';

/**
 * The hub's view of one websocket: the `ws` socket, and the connection under it
 * (the upgrade request's `net.Socket`, which `ws` writes its frames to).
 */
export function liveSocket(ws: WebSocket, connection: Socket): LiveSocket {
  return {
    send: (text) => ws.send(text),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    close: (code, reason) => ws.close(code, reason),
    // ws throws when pinging a socket that is already closing.
    ping: () => ws.readyState === ws.OPEN && ws.ping(),
    terminate: () => ws.terminate(),
    batch(write) {
      // Corked, the frames sent meanwhile leave in one write (ws's own per-frame cork nests inside this one).
      connection.cork();
      try {
        write();
      } finally {
        connection.uncork();
      }
    },
  };
}
