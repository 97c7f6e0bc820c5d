import { useState } from 'preact/hooks';
import { api } from '../api/client.js';

const FORMATS = [
  { format: 'markdown', label: 'Markdown (wiki, GitHub issue)', extension: 'md', type: 'text/markdown' },
  { format: 'html', label: 'HTML (one self-contained file)', extension: 'html', type: 'text/html' },
] as const;

/**
 * The incident as a postmortem draft, downloaded. Fetched through the API client
 * rather than linked, so that the request carries this browser's credential.
 */
export function ExportMenu({ incidentId }: { incidentId: number }) {
  const [error, setError] = useState<string | null>(null);
  const download = async (choice: (typeof FORMATS)[number]) => {
    setError(null);
    try {
      const text = await api.getText(`/incidents/${incidentId}/export?format=${choice.format}`);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([text], { type: choice.type }));
      link.download = `incident-${incidentId}.${choice.extension}`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <details class="export-menu">
      <summary class="button">Export</summary>
      <div class="export-choices">
        {FORMATS.map((choice) => (
          <button key={choice.format} type="button" class="link-button" onClick={() => void download(choice)}>
            {choice.label}
          </button>
        ))}
        {error && (
          <span class="inline-error" role="alert">
            {error}
          </span>
        )}
      </div>
    </details>
  );
}
