import { api } from '../api/client.js';
import type { RunbookDiff } from '../api/types.js';
import { useResource } from '../hooks/use-resource.js';
import { DiffView } from './diff-view.js';
import { LoadError, Loading } from './loading.js';

/** The unified diff between two versions of a runbook. */
export function VersionDiff({ runbookId, from, to }: { runbookId: string; from: string; to: string }) {
  const diff = useResource(`diff:${runbookId}:${from}:${to}`, () =>
    api.get<RunbookDiff>(`/runbooks/${runbookId}/diff?${new URLSearchParams({ from, to }).toString()}`),
  );
  if (diff.error) return <LoadError error={diff.error} retry={diff.reload} />;
  if (!diff.data) return <Loading label="changes" />;
  return <DiffView diff={diff.data.diff} />;
}
