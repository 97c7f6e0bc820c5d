import { useStore } from '../hooks/store.js';
import { live } from '../live/connection.js';

/** Whether what the page shows is live: the socket's state, and Prometheus' health as the server sees it. */
export function ConnectionBadge() {
  const state = useStore(live.state);
  const upstream = useStore(live.upstream);
  if (state !== 'connected') {
    return (
      <span class="connection connection-down" role="status">
        {state === 'reconnecting' ? 'reconnecting…' : 'connecting…'}
      </span>
    );
  }
  if (upstream !== 'ok') {
    return (
      <span class="connection connection-degraded" role="status">
        Prometheus {upstream}
      </span>
    );
  }
  return (
    <span class="connection connection-live" role="status">
      live
    </span>
  );
}
