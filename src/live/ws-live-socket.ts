import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { LiveSocket } from './live-client.js';

/** The hub's view of a `ws` socket (node-ws hands it over as `ws.raw`). */
export function wsLiveSocket(raw: WebSocket): LiveSocket {
  return {
    send: (text) => raw.send(text),
    get bufferedAmount() {
      return raw.bufferedAmount;
    },
    close: (code, reason) => raw.close(code, reason),
    // ws throws when pinging a socket that is already closing.
    ping: () => raw.readyState === raw.OPEN && raw.ping(),
    terminate: () => raw.terminate(),
    batch(write) {
      // ws has no public handle on its net.Socket; corking it turns the frames sent meanwhile
      // into one write (ws's own per-frame cork nests inside this one).
      const socket = (raw as unknown as { _socket?: Socket })._socket;
      socket?.cork();
      try {
        write();
      } finally {
        socket?.uncork();
      }
    },
  };
}
