import { createHash, hash } from 'node:crypto';
import { z } from 'zod';
import { validate } from '../validate.js';
import { LARGEST_STORED_COUNT, StorableValues } from './storable-values.js';

/**
 * The Alertmanager v4 webhook payload, and the Grafana-alerting superset
 * (`version: "1"`). Tolerant of older senders: `version`, `groupKey`,
 * `truncatedAlerts` and `fingerprint` may be missing; unknown keys are kept.
 * See shared/design/PROTOCOL-FACTS.md §1.
 */

// Go's zero time: Alertmanager's way of saying "not ended".
const GO_ZERO_TIME_MS = Date.parse('0001-01-01T00:00:00Z');

const rfc3339 = z.iso.datetime({ offset: true, message: 'expected an RFC 3339 timestamp' }).transform((text, ctx) => {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) ctx.addIssue({ code: 'custom', message: 'not a date that exists' });
  return date;
});
// A label set is checked in place: z.record would copy every set, most of the
// time validating a 10,000-alert storm takes. An offending value is named by its path.
const labelSet = z.custom<Record<string, string>>().superRefine((value, ctx) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: 'expected an object of string values' });
    return;
  }
  for (const [name, labelValue] of Object.entries(value)) {
    if (typeof labelValue !== 'string')
      ctx.addIssue({ code: 'custom', path: [name], message: 'expected a string value' });
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
  // A uint64 in Alertmanager: any integer, however large (JSON numbers past 2^53 arrive rounded, still integers).
  truncatedAlerts: z.number().min(0).refine(Number.isInteger, 'expected a non-negative integer').optional(),
  status,
  receiver: z.string(),
  groupLabels: labelSet.default({}),
  commonLabels: labelSet.default({}),
  commonAnnotations: labelSet.default({}),
  externalURL: z.string().optional(),
  alerts: z.array(alertSchema),
});

export interface IncomingAlert {
  /** This occurrence within its group, as sent: sha256 (hex) of the group, the fingerprint and startsAt. */
  occurrenceKey: string;
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

/**
 * A notification as intake stores it: every string storable (see
 * storable-values.ts). Keys are hashes of the values as sent, so two values
 * that differ only in what was replaced stay apart, and a key of any length is
 * stored in fixed size.
 */
export interface Notification {
  /** sha256 (hex) of the group as sent: receiver + groupKey, or the sorted group labels. */
  groupIdentity: string;
  /** The field paths whose value is stored changed, to be storable at all. */
  adjusted: string[];
  sender: 'alertmanager' | 'grafana';
  receiver: string;
  groupKey: string | null;
  status: 'firing' | 'resolved';
  /** As sent, at most LARGEST_STORED_COUNT. */
  truncatedAlerts: number;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalUrl: string | null;
  alerts: IncomingAlert[];
  /** Not a webhook delivery: read from Alertmanager's API by reconciliation (src/domain/reconcile/). */
  source?: 'reconcile';
}

/** Validates an already JSON-decoded body; throws ValidationError naming the first bad field. */
export function parseNotification(body: unknown): Notification {
  const n = validate(notificationSchema, body);
  const groupIdentity = sha256(groupIdentityText(n));
  // The occurrence key's group part, as it was before keys were hashed (kept so that stored keys still match).
  const groupPrefix = groupIdentity.slice(0, 16);
  const store = new StorableValues();
  const alerts = n.alerts.map((a, i): IncomingAlert => {
    const fingerprint = a.fingerprint || labelsFingerprint(a.labels);
    return {
      occurrenceKey: sha256(`${groupPrefix}:${fingerprint}:${a.startsAt.getTime()}`),
      status: a.status,
      labels: store.labels(a.labels, 'alerts', i, 'labels'),
      annotations: store.labels(a.annotations, 'alerts', i, 'annotations'),
      startsAt: store.instant(a.startsAt, 'alerts', i, 'startsAt'),
      endsAt: a.endsAt && a.endsAt.getTime() > GO_ZERO_TIME_MS ? store.instant(a.endsAt, 'alerts', i, 'endsAt') : null,
      generatorUrl: a.generatorURL ? store.text(a.generatorURL, 'alerts', i, 'generatorURL') : null,
      fingerprint: store.text(fingerprint, 'alerts', i, 'fingerprint'),
    };
  });
  return {
    groupIdentity,
    sender: n.version === '1' || 'orgId' in n ? 'grafana' : 'alertmanager',
    receiver: store.text(n.receiver, 'receiver'),
    groupKey: n.groupKey ? store.text(n.groupKey, 'groupKey') : null,
    status: n.status,
    truncatedAlerts: Math.min(n.truncatedAlerts ?? 0, LARGEST_STORED_COUNT),
    groupLabels: store.labels(n.groupLabels, 'groupLabels'),
    commonLabels: store.labels(n.commonLabels, 'commonLabels'),
    commonAnnotations: store.labels(n.commonAnnotations, 'commonAnnotations'),
    externalUrl: n.externalURL ? store.text(n.externalURL, 'externalURL') : null,
    alerts,
    adjusted: store.adjusted,
  };
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
function groupIdentityText(n: {
  receiver: string;
  groupKey?: string | undefined;
  groupLabels: Record<string, string>;
}): string {
  const key =
    n.groupKey ||
    `labels:${JSON.stringify(
      Object.keys(n.groupLabels)
        .sort()
        .map((k) => [k, n.groupLabels[k]]),
    )}`;
  return `${n.receiver}\n${key}`;
}

function sha256(text: string): string {
  // One-shot (Node 20.12+): a fifth of createHash's cost, which a 10,000-alert storm pays per alert.
  return hash('sha256', text);
}
