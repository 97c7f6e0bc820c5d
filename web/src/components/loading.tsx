import { ApiError } from '../api/client.js';

/** What a page shows before its data arrives, or when it cannot. */
export function Loading({ label }: { label: string }) {
  return (
    <p class="placeholder" aria-busy="true">
      Loading {label}…
    </p>
  );
}

export function LoadError({ error, retry }: { error: Error; retry?: () => void }) {
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <div class="load-error" role="alert">
      <p>{notFound ? error.message : `Could not load: ${error.message}`}</p>
      {retry && !notFound && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}
