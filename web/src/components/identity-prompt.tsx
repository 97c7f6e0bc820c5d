import { useState } from 'preact/hooks';
import { authMode, saveCredential } from '../api/identity.js';

/**
 * Asked once per browser. Open (loopback) mode: a display name, recorded on
 * every ack, note and step. Token mode: an API token, which names its owner.
 */
export function IdentityPrompt() {
  const [value, setValue] = useState('');
  const asksToken = authMode === 'token';
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
            if (value.trim()) saveCredential(value.trim());
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
          <button type="submit" class="primary" disabled={!value.trim()}>
            Continue
          </button>
        </form>
      </div>
    </div>
  );
}
