import { useResource } from '../hooks/use-resource.js';
import { api } from './client.js';
import { credential } from './identity.js';
import { useStore } from '../hooks/store.js';

/** The name the server records as this browser's actor (null until known). */
export function useMe(): string | null {
  // Re-asked when the credential changes: another token is another person.
  const key = useStore(credential) ?? '';
  return useResource(`me:${key}`, () => api.get<{ actor: string }>('/me')).data?.actor ?? null;
}
