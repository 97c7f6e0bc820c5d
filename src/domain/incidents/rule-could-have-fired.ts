/**
 * Whether an alert can come from this rule: its alertname, and the alert carrying every static label the rule sets
 * (severity) with the rule's value. Of a warning/critical pair, a critical alert names the critical rule.
 */
export function ruleCouldHaveFired(
  rule: { alertname: string; labels: Record<string, string> },
  alertLabels: Record<string, string>,
): boolean {
  return (
    rule.alertname === alertLabels.alertname &&
    Object.entries(rule.labels).every(([name, value]) => alertLabels[name] === undefined || alertLabels[name] === value)
  );
}
