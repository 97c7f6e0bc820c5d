// Prometheus' model.ParseDuration: units largest first, each at most once, e.g. `1h30m`, `90s`, `500ms`.
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
/** Seconds per unit, in the order of the capture groups above. */
const GROUP_SECONDS = [365 * 86_400, 7 * 86_400, 86_400, 3_600, 60, 1, 0.001];

/** Seconds in a Prometheus duration (`30s`, `5m`, `1h30m`), or null when it is not one. `0` is zero. */
export function parsePrometheusDuration(text: string): number | null {
  if (text === '0') return 0;
  const match = text === '' ? null : DURATION.exec(text);
  if (!match) return null;
  return GROUP_SECONDS.reduce((total, unitSeconds, i) => total + Number(match[i + 1] ?? 0) * unitSeconds, 0);
}
