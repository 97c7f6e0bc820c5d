import { api } from '../api/client.js';
import type { EarlierIncidents as Answer } from '../api/types.js';
import { LoadError } from '../components/loading.js';
import { TimeAgo } from '../components/time-ago.js';
import { formatDuration } from '../format/time.js';
import { useResource } from '../hooks/use-resource.js';

type Earlier = Answer['incidents'][number];

/** How a note reads in the list: its first lines, as plain text (the incident's own page renders it). */
const NOTE_CHARS = 240;

function outcome(i: Earlier): string {
  if (i.status === 'firing') return 'still open';
  const took = formatDuration(new Date(i.resolvedAt!).getTime() - new Date(i.startedAt).getTime());
  return i.resolvedBy ? `resolved by ${i.resolvedBy} after ${took}` : `resolved on its own after ${took}`;
}

/**
 * "Has this fired before, and what did we do?": the latest incidents of the
 * same alertname, each with its last note (`GET /incidents/:id/earlier`).
 */
export function EarlierIncidents({ id }: { id: number }) {
  const earlier = useResource(`incident-earlier:${id}`, () => api.get<Answer>(`/incidents/${id}/earlier`));
  if (earlier.error) {
    return (
      <section class="panel" aria-labelledby="earlier-heading">
        <h2 id="earlier-heading">Earlier incidents</h2>
        <LoadError error={earlier.error} retry={earlier.reload} />
      </section>
    );
  }
  if (!earlier.data?.alertname) return null;
  const { alertname, total, incidents } = earlier.data;
  return (
    <section class="panel earlier-incidents" aria-labelledby="earlier-heading">
      <h2 id="earlier-heading">
        Earlier incidents <span class="muted small">{total}</span>
      </h2>
      {total === 0 ? (
        <p class="muted small">The first {alertname} incident Alertbook has recorded.</p>
      ) : (
        <ol class="earlier-list">
          {incidents.map((i) => (
            <li key={i.id}>
              <a href={`/incidents/${i.id}`}>
                #{i.id} {i.title}
              </a>
              <div class="muted small">
                <TimeAgo at={i.startedAt} show="age" /> · {outcome(i)}
              </div>
              {i.lastNote && (
                <blockquote class="earlier-note small">
                  {i.lastNote.text.length > NOTE_CHARS ? `${i.lastNote.text.slice(0, NOTE_CHARS)}…` : i.lastNote.text}
                  <span class="muted"> — {i.lastNote.actor}</span>
                </blockquote>
              )}
            </li>
          ))}
        </ol>
      )}
      {total > incidents.length && (
        <a class="small" href={`/?alertname=${encodeURIComponent(alertname)}`}>
          Every {alertname} incident
        </a>
      )}
    </section>
  );
}
