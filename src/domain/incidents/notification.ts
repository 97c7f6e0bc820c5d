import { createHash } from 'node:crypto';
import { z } from 'zod';
import { validate } from '../validate.js';

/**
 * The Alertmanager v4 webhook payload, and the Grafana-alerting superset
 * (`version: "1"`). Tolerant of older senders: `version`, `groupKey`,
 * `truncatedAlerts` and `fingerprint` may be missing; unknown keys are kept.
 * See shared/design/PROTOCOL-FACTS.md §1.
 */

// Go's zero time: Alertmanager's way of saying "not ended".
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

const rfc3339 = z.iso.datetime({ offset: true, message: 'expected an RFC 3339 timestamp' });
// A label set is checked in place: z.record would copy every set, most of the
// time validating a 10,000-alert storm takes. An offending value is named by its path.
const labelSet = z.custom<Record<string, string>>().superRefine((value, ctx) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'expected an object of string values' });
    return;
  }
  for (const [name, labelValue] of Object.entries(value)) {
    if (typeof labelValue !== 'string') ctx.addIssue({ code: 'custom', path: [name], message: 'expected a string value' });
  }
});
const status = z.enum(['firing', 'resolved'], { message: 'expected "firing" or "resolved"' });

const alertSchema = z.looseObject({
  status,
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: rfc3339,
  endsAt: rfc3339.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

const notificationSchema = z.looseObject({
  version: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().int().min(0).optional(),
  status,
  receiver: z.string(),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().optional(),
  alerts: z.array(alertSchema),
});

export interface IncomingAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: Date;
  /** null when the sender said "not ended" (Go zero time) or sent nothing. */
  endsAt: Date | null;
  generatorUrl: string | null;
  /** The sender's fingerprint, or a hash of the sorted labels when it sent none. */
  fingerprint: string;
}

export interface Notification {
  sender: 'alertmanager' | 'grafana';
  receiver: string;
  groupKey: string | null;
  status: 'firing' | 'resolved';
  truncatedAlerts: number;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalUrl: string | null;
  alerts: IncomingAlert[];
}

/** Validates an already JSON-decoded body; throws ValidationError naming the first bad field. */
export function parseNotification(body: unknown): Notification {
  const n = validate(notificationSchema, body);
  return {
    sender: n.version === '1' || 'orgId' in n ? 'grafana' : 'alertmanager',
    receiver: n.receiver,
    groupKey: n.groupKey || null,
    status: n.status,
    truncatedAlerts: n.truncatedAlerts ?? 0,
    groupLabels: n.groupLabels,
    commonLabels: n.commonLabels,
    commonAnnotations: n.commonAnnotations,
    externalUrl: n.externalURL || null,
    alerts: n.alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: new Date(a.startsAt),
      endsAt: parseEndsAt(a.endsAt),
      generatorUrl: a.generatorURL || null,
      fingerprint: a.fingerprint || labelsFingerprint(a.labels),
    })),
  };
}

function parseEndsAt(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return date.getTime() <= GO_ZERO_TIME_MS ? null : date;
}

/** Stable 16-hex hash of a label set, for senders that send no fingerprint. */
export function labelsFingerprint(labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/**
 * The group an incident belongs to: receiver + groupKey, or the sorted group
 * labels for senders without a groupKey.
 */
export function groupIdentity(n: Pick<Notification, 'receiver' | 'groupKey' | 'groupLabels'>): string {
  const key =
    n.groupKey ??
    `labels:${JSON.stringify(
      Object.keys(n.groupLabels)
        .sort()
        .map((k) => [k, n.groupLabels[k]]),
    )}`;
  return `${n.receiver}\n${key}`;
}
