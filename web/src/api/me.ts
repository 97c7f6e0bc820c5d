import { useResource } from '../hooks/use-resource.js';
import { api } from './client.js';
import { authMode, credential } from './identity.js';
import { useStore } from '../hooks/store.js';

/** The name the server records as this browser's actor (null until known). */
export function useMe(): string | null {
  // Re-asked when the credential changes: another token is another person.
  const given = useStore(credential);
  // Token mode without a token: nothing to ask (a 401 would count as a refused token).
  const ask = authMode !== 'token' || given !== null;
  const me = useResource(`me:${given ?? ''}`, () => (ask ? api.get<{ actor: string }>('/me') : Promise.resolve(null)));
  return me.data?.actor ?? null;
}
