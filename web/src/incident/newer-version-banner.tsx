import { useState } from 'preact/hooks';
import { VersionDiff } from '../components/version-diff.js';

/** The incident keeps the runbook version it was opened with; this says when the runbook has moved on, and how. */
export function NewerVersionBanner({
  runbookId,
  pinnedSha,
  newerSha,
}: {
  runbookId: string;
  pinnedSha: string;
  newerSha: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <div class="banner" role="status">
      <p>
        This incident shows runbook version <code>{pinnedSha.slice(0, 7)}</code>, pinned when it opened. A newer version{' '}
        <code>{newerSha.slice(0, 7)}</code> exists.{' '}
        <button type="button" class="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide changes' : 'Show changes'}
        </button>{' '}
        · <a href={`/runbooks/${runbookId}`}>Open the newer version</a>
      </p>
      {open && <VersionDiff runbookId={runbookId} from={pinnedSha} to={newerSha} />}
    </div>
  );
}
