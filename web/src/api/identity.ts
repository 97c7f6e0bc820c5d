import type { AuthMode } from '../../shell.js';
import { createStore } from '../hooks/store.js';

/** The server's auth mode, from the page shell's meta tag. */
export const authMode: AuthMode = readAuthMode();

function readAuthMode(): AuthMode {
  const content = document.querySelector('meta[name="alertbook-auth"]')?.getAttribute('content');
  return content === 'proxy' || content === 'token' ? content : 'open';
}

// Open mode: a display name recorded as the actor. Token mode: an API token.
// Proxy mode: nothing, the proxy says who we are.
const STORAGE_KEY = authMode === 'token' ? 'alertbook.apiToken' : 'alertbook.displayName';

/** What this browser presents; null until the person has given it. */
export const credential = createStore<string | null>(authMode === 'proxy' ? null : localStorage.getItem(STORAGE_KEY));

export function saveCredential(value: string): void {
  localStorage.setItem(STORAGE_KEY, value);
  credential.set(value);
}

/** Called on a 401 in token mode: the stored token no longer works, ask again. */
export function forgetCredential(): void {
  localStorage.removeItem(STORAGE_KEY);
  credential.set(null);
}

export function credentialHeaders(): Record<string, string> {
  const value = credential.get();
  if (!value) return {};
  if (authMode === 'open') return { 'X-Alertbook-User': value };
  if (authMode === 'token') return { Authorization: `Bearer ${value}` };
  return {};
}
