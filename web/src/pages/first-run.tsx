import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import { useFeatures } from '../api/features.js';
import { navigate } from '../router.js';

/**
 * What an Alertbook that has never received an alert shows: the three steps
 * that wire it up, with this server's own address, and a way to see an
 * incident right now.
 */
export function FirstRun() {
  const origin = window.location.origin;
  // Running open (no webhook token), the credentials line would name a token that does not exist.
  const open = useFeatures()?.webhookToken === false;
  const credentials = open
    ? ''
    : '\n        http_config: { authorization: { credentials: <ALERTBOOK_WEBHOOK_TOKEN> } }';
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sendTestAlert = async () => {
    setSending(true);
    setError(null);
    try {
      const answer = await api.post<{ incidents: number[] }>('/test-alert');
      navigate(`/incidents/${answer.incidents[0]}`);
    } catch (e) {
      setError((e as Error).message);
      setSending(false);
    }
  };
  return (
    <div class="first-run">
      <p class="empty">No incidents. All quiet.</p>
      <h2>Wire it up</h2>
      <ol>
        <li>
          <p>
            <strong>Alertmanager</strong> posts its notifications here: add a receiver and route alerts to it.
          </p>
          <pre>
            <code>{`receivers:
  - name: alertbook
    webhook_configs:
      - url: ${origin}/hooks/alertmanager
        send_resolved: true${credentials}`}</code>
          </pre>
          {open && (
            <p class="muted small">
              This Alertbook runs open (no <code>ALERTBOOK_WEBHOOK_TOKEN</code>), which is fine on loopback. Before
              exposing it, set the token and add{' '}
              <code>{'http_config: { authorization: { credentials: <token> } }'}</code> to the webhook.
            </p>
          )}
        </li>
        <li>
          <p>
            <strong>Prometheus</strong> evaluates the rules and scrapes Alertbook's own metrics.
          </p>
          <pre>
            <code>{`rule_files:
  - /etc/prometheus/rules/*.yaml      # the runbooks' rules/ folder
scrape_configs:
  - job_name: alertbook
    static_configs: [{ targets: ['${window.location.host}'] }]`}</code>
          </pre>
        </li>
        <li>
          <p>
            <strong>See an incident</strong>: a test notification through the same webhook path.
          </p>
          <button type="button" class="primary" disabled={sending} onClick={() => void sendTestAlert()}>
            {sending ? 'Sending…' : 'Send a test alert'}
          </button>
          {error && (
            <span class="inline-error" role="alert">
              {error}
            </span>
          )}
        </li>
      </ol>
    </div>
  );
}
