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

/** Why the sign-in prompt is shown again, when the server turned the stored token away. */
export const refusal = createStore<string | null>(null);

/** Called on a 401 in token mode: the stored token no longer works, ask again and say why. */
export function forgetCredential(): void {
  if (credential.get()) refusal.set('The server refused the stored token (revoked or mistyped). Sign in again.');
  localStorage.removeItem(STORAGE_KEY);
  credential.set(null);
}

/** Sign-out: forget what this browser presents and start over from a clean page. */
export function signOut(): void {
  localStorage.removeItem(STORAGE_KEY);
  window.location.reload();
}

/** Runs `start` once the browser can present itself: at once, or after sign-in in token mode. */
export function whenSignedIn(start: () => void): void {
  if (authMode !== 'token' || credential.get()) {
    start();
    return;
  }
  const stop = credential.subscribe((value) => {
    if (!value) return;
    stop();
    start();
  });
}

export function credentialHeaders(): Record<string, string> {
  const value = credential.get();
  if (!value) return {};
  if (authMode === 'open') return { 'X-Alertbook-User': value };
  if (authMode === 'token') return { Authorization: `Bearer ${value}` };
  return {};
}
