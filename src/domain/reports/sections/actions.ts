import type { ReportAction, NoiseSection, ResponseSection, RunbooksSection } from '../model.js';
import type { TuningRecommendation } from './tuning.js';

export const ACTION_DEFINITIONS = {
  actions:
    'Next steps: at most five, ranked by how many incidents or firings they would remove or make actionable: tune ' +
    'self-resolving alerts, damp flapping ones, write missing runbooks, look at incidents nobody acknowledged.',
};

const SHOWN = 5;

interface Candidate {
  weight: number;
  text: string;
  link: string;
}

export function rankActions(input: {
  noise: NoiseSection;
  runbooks: RunbooksSection;
  response: ResponseSection;
  recommendations: TuningRecommendation[];
}): ReportAction[] {
  const candidates: Candidate[] = [];
  const tuneLink = new Map(input.recommendations.map((r) => [r.alertname, r.link]));
  for (const s of input.noise.selfResolving.byAlertname) {
    candidates.push({
      weight: s.incidents.value!,
      text: `${s.alertname} opened ${s.of.value} incidents, ${s.incidents.value} resolved within 5 min without acknowledgement: tune →`,
      link: tuneLink.get(s.alertname) ?? s.incidents.query,
    });
  }
  for (const f of input.noise.flapping) {
    candidates.push({
      weight: f.firings.value!,
      text: `${f.alertname} (${f.fingerprint}) flapped: ${f.firings.value} firings, up to ${f.maxFiringsIn24h.value} within 24 h: add a for: or hysteresis →`,
      link: tuneLink.get(f.alertname) ?? f.firings.query,
    });
  }
  for (const a of input.runbooks.alertnamesWithoutRunbook) {
    candidates.push({
      weight: a.incidents.value!,
      text: `${a.alertname} opened ${a.incidents.value} incidents with no runbook: write one →`,
      link: a.incidents.query,
    });
  }
  const never = input.response.overall.neverAcknowledged;
  if (never.value! > 0) {
    candidates.push({
      weight: never.value!,
      text: `${never.value} incidents were never acknowledged: check who gets paged →`,
      link: never.query,
    });
  }
  return candidates
    .sort((a, b) => b.weight - a.weight || a.text.localeCompare(b.text))
    .slice(0, SHOWN)
    .map((c, i) => ({ rank: i + 1, text: c.text, link: c.link }));
}
