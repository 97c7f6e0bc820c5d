import type { Db } from '../../../db/client.js';
import type { Clock } from '../../clock.js';
import { getIncident } from '../get-incident.js';
import { getIncidentRunbook } from '../incident-runbook.js';
import { incidentStory } from './incident-story.js';
import { renderStoryHtml, renderStoryMarkdown } from './render-story.js';

export type ExportFormat = 'markdown' | 'html';

/** The incident as a postmortem draft to paste into a wiki or an issue. */
export async function exportIncident({
  ctx,
  input,
}: {
  ctx: { db: Db; clock: Clock };
  input: { id: number; format: ExportFormat };
}): Promise<string> {
  const incident = await getIncident({ ctx, input });
  const pinned = await getIncidentRunbook({ ctx, input });
  const blocks = incidentStory(incident, pinned, ctx.clock());
  if (input.format === 'markdown') return renderStoryMarkdown(blocks);
  return renderStoryHtml(blocks, `Incident ${incident.incident.id}: ${incident.incident.title}`);
}
