import type { Features } from '../../../src/http/routes/me.js';
import { useResource } from '../hooks/use-resource.js';
import { api } from './client.js';

/** The server's features (`GET /me` → `features`); null until it answered. One request, shared by every component that asks. */
export function useFeatures(): Features | null {
  const me = useResource('me-features', () => api.get<{ features: Features }>('/me'));
  return me.data?.features ?? null;
}
