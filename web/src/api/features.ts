import { useResource } from '../hooks/use-resource.js';
import { api } from './client.js';

/** What the server's configuration lets the notebook offer (`GET /me` → `features`, src/http/routes/me.ts). */
export interface Features {
  silences: boolean;
  webhookToken: boolean;
}

/** The server's features; null until it answered. One request, shared by every component that asks. */
export function useFeatures(): Features | null {
  const me = useResource('me-features', () => api.get<{ features: Features }>('/me'));
  return me.data?.features ?? null;
}
