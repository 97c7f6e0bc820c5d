import { expect } from 'vitest';
import type { TestApp } from './app.js';

export interface IncidentRow {
  id: number;
  status: 'firing' | 'resolved';
  title: string;
  severity: string | null;
  alertname: string | null;
  alertCount: number;
  firingCount: number;
  previousIncidentId: number | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  [key: string]: unknown;
}

export interface IncidentDetail {
  incident: IncidentRow;
  alerts: {
    fingerprint: string;
    status: string;
    labels: Record<string, string>;
    startsAt: string;
    endsAt: string | null;
  }[];
  timeline: { id: number; type: string; at: string; actor: string; data: Record<string, unknown> }[];
}

/** GET /incidents (oldest first for readable assertions). */
export async function listIncidents(t: TestApp, query = ''): Promise<IncidentRow[]> {
  const res = await t.api(`/incidents${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { incidents: IncidentRow[] }).incidents.reverse();
}

export async function getIncident(t: TestApp, id: number): Promise<IncidentDetail> {
  const res = await t.api(`/incidents/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as IncidentDetail;
}

/** POSTs a webhook body and expects it to be accepted. */
export async function deliver(t: TestApp, body: unknown): Promise<Record<string, unknown>> {
  const res = await t.hook(body);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}
