import type { Labels } from '../api/types.js';
import { formatMatchers } from '../format/labels.js';

/**
 * Alertmanager's "new silence" form, pre-filled with matchers for exactly the
 * given labels. Null without an Alertmanager URL (the notification had none).
 */
export function silenceUrl(externalUrl: string | null, labels: Labels): string | null {
  if (!externalUrl || !/^https?:\/\//i.test(externalUrl) || Object.keys(labels).length === 0) return null;
  return `${externalUrl.replace(/\/+$/, '')}/#/silences/new?filter=${encodeURIComponent(formatMatchers(labels))}`;
}
