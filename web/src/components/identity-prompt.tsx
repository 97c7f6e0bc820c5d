import { useState } from 'preact/hooks';
import { authMode, refusal, saveCredential } from '../api/identity.js';
import { useStore } from '../hooks/store.js';

/** Token mode: asks the server whether it takes the token before keeping it, so a typo is told at once. */
async function tokenRefusal(token: string): Promise<string | null> {
  try {
    const res = await fetch('/api/v1/me', {
      headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    });
    if (res.ok) return null;
    return res.status === 401 ? 'The server refused this token.' : `The server answered HTTP ${res.status}; try again.`;
  } catch {
    return 'The server could not be reached; try again.';
  }
}

/**
 * Asked once per browser. Open (loopback) mode: a display name, recorded on
 * every ack, note and step. Token mode: an API token, which names its owner.
 */
export function IdentityPrompt() {
  const [value, setValue] = useState('');
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const refused = useStore(refusal);
  const asksToken = authMode === 'token';
  const submit = async () => {
    const given = value.trim();
    if (!given || checking) return;
    if (asksToken) {
      setChecking(true);
      const refusedNow = await tokenRefusal(given);
      setChecking(false);
      if (refusedNow) return setError(refusedNow);
    }
    refusal.set(null);
    saveCredential(given);
  };
  const field = {
    id: 'identity-value',
    maxLength: 100,
    value,
    onInput: (e: Event) => setValue((e.currentTarget as HTMLInputElement).value),
    autoFocus: true,
    required: true,
  };
  return (
    <div class="modal-backdrop">
      <div class="modal" role="dialog" aria-modal="true" aria-labelledby="identity-heading">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <h2 id="identity-heading">{asksToken ? 'Sign in with an API token' : 'Who is on call?'}</h2>
          <p class="muted">
            {asksToken
              ? 'This Alertbook requires an API token. It is kept in this browser only.'
              : 'Your name is recorded on what you do here: acknowledgements, notes and steps. Asked once, kept in this browser.'}
          </p>
          <label for="identity-value">{asksToken ? 'API token' : 'Display name'}</label>
          {asksToken ? (
            <input type="password" autoComplete="off" {...field} />
          ) : (
            <input type="text" autoComplete="name" {...field} />
          )}
          {(error ?? refused) && (
            <p class="inline-error" role="alert">
              {error ?? refused}
            </p>
          )}
          <button type="submit" class="primary" disabled={!value.trim() || checking}>
            {checking ? 'Checking…' : 'Continue'}
          </button>
        </form>
      </div>
    </div>
  );
}
