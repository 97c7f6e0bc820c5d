import { api } from '../api/client.js';
import { useFeatures } from '../api/features.js';
import type { ApiMatcher } from './silences-draft.js';

/** A silence of the incident's alerts as `GET /incidents/:id/silences` lists it. */
export interface IncidentSilence {
  id: string;
  state: 'active' | 'pending' | 'expired';
  matchers: ApiMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface CreatedSilence {
  silenceId: string;
  alertmanager: string;
  matchers: ApiMatcher[];
  until: string;
}

/** Whether the server has Alertmanagers to silence in (`GET /me` says); false until it answered. */
export function useSilencesEnabled(): boolean {
  return useFeatures()?.silences === true;
}

export const silencesApi = {
  list: (incidentId: number) => api.get<{ silences: IncidentSilence[] }>(`/incidents/${incidentId}/silences`),
  create: (incidentId: number, body: { matchers: ApiMatcher[]; duration: string; comment: string }) =>
    api.post<CreatedSilence>(`/incidents/${incidentId}/silences`, body),
  expire: (incidentId: number, silenceId: string) =>
    api.delete(`/incidents/${incidentId}/silences/${encodeURIComponent(silenceId)}`),
};
