import { SeriesChart } from '../cells/series-chart.js';
import { ServerHtml } from '../components/server-html.js';
import { chartState, type CellRunData, type RecordedOutput } from './cell-runs.js';

/** One run's outputs in the order the cell made them, then its error (with the grant that would fix a denial). */
export function RunOutputs({ data, syncKey }: { data: CellRunData; syncKey: string }) {
  return (
    <div class="script-outputs">
      {data.outputs.map((output, i) => (
        <Output key={i} output={output} syncKey={syncKey} />
      ))}
      {data.error !== null && <RunError data={data} />}
    </div>
  );
}

function Output({ output, syncKey }: { output: RecordedOutput; syncKey: string }) {
  switch (output.kind) {
    case 'text':
      return <pre class="cell-query script-text">{output.text}</pre>;
    case 'table':
      return <OutputTable rows={output.rows} />;
    case 'chart': {
      const state = chartState(output);
      if (state.series.length === 0) return <p class="muted">Chart with no series.</p>;
      const decor = { unit: output.unit ?? null, threshold: output.threshold ?? null, marker: null, syncKey };
      return <SeriesChart state={state} decor={decor} />;
    }
    case 'markdown':
      // The server's sanitized rendering, made when the run was recorded.
      return <ServerHtml class="markdown script-markdown" html={output.html} />;
    case 'json':
      return (
        <details class="script-json" open>
          <summary>JSON</summary>
          <pre class="cell-query">{JSON.stringify(output.value, null, 2)}</pre>
        </details>
      );
  }
}

function OutputTable({ rows }: { rows: Record<string, unknown>[] }) {
  if (rows.length === 0) return <p class="muted">No rows.</p>;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return (
    <div class="table-scroll">
      <table class="script-table">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map((column) => {
                const value = row[column];
                return (
                  <td key={column} class={typeof value === 'number' ? 'num mono' : 'mono'}>
                    {value === undefined || value === null
                      ? ''
                      : typeof value === 'object'
                        ? JSON.stringify(value)
                        : String(value)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RunError({ data }: { data: CellRunData }) {
  const hint = data.permissionHint;
  return (
    <div class="cell-error script-error" role="alert">
      <p class="cell-error-message">{hint ? hint.message : data.error}</p>
      {hint?.frontmatter && (
        <div>
          To grant it, the runbook's frontmatter needs, under <code>permissions:</code>
          <pre class="cell-query script-grant">
            <code>{hint.frontmatter}</code>
          </pre>
        </div>
      )}
      {hint?.note && (
        <p class="small">{hint.frontmatter ? `And ${hint.note}.` : `It cannot be granted: ${hint.note}.`}</p>
      )}
      {data.stderr && (
        <details>
          <summary class="small">Deno's output</summary>
          <pre class="cell-query script-text">{data.stderr}</pre>
        </details>
      )}
    </div>
  );
}
