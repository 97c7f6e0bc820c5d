import { useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import type { Labels } from '../api/types.js';
import { formatLocalTime } from '../format/time.js';
import { type CreatedSilence, silencesApi } from './silences-api.js';
import {
  DURATION_PRESETS,
  durationMs,
  type FieldTarget,
  fieldTarget,
  type MatcherRow,
  matcherRow,
  OPERATORS,
  type Operator,
  prefilledRows,
  toApiMatcher,
} from './silences-draft.js';

/** The API's refusal, placed next to the field it names. */
interface Refusal {
  target: FieldTarget;
  message: string;
}

/**
 * "Silence": matchers pre-filled from the alerts' shared labels (editable rows),
 * a duration, a comment. Alertmanager's rules are checked by the server; its 400
 * is shown next to the field it names, and nothing is created.
 */
export function SilenceForm({
  incidentId,
  labelSets,
  onCreated,
  onCancel,
}: {
  incidentId: number;
  labelSets: Labels[];
  onCreated(silence: CreatedSilence): void;
  onCancel(): void;
}) {
  const [rows, setRows] = useState<MatcherRow[]>(() => {
    const prefilled = prefilledRows(labelSets);
    return prefilled.length > 0 ? prefilled : [matcherRow()];
  });
  const [preset, setPreset] = useState<string>('1h');
  const [custom, setCustom] = useState('');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  const duration = preset === 'custom' ? custom.trim() : preset;
  const lengthMs = durationMs(duration);
  const update = (key: number, change: Partial<MatcherRow>) =>
    setRows((all) => all.map((row) => (row.key === key ? { ...row, ...change } : row)));

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    try {
      onCreated(await silencesApi.create(incidentId, { matchers: rows.map(toApiMatcher), duration, comment }));
    } catch (error) {
      const field = error instanceof ApiError && error.status === 400 ? error.field : undefined;
      setRefusal({ target: fieldTarget(field), message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  /** The refusal's message when it points at `kind` (and that row and part), with its element id. */
  const problem = (matches: (target: FieldTarget) => boolean, id: string) =>
    refusal && matches(refusal.target) ? { id, message: refusal.message } : null;
  const rowProblem = (index: number, part: 'name' | 'value') =>
    problem((t) => t.kind === 'row' && t.index === index && t.part === part, `silence-m${index}-${part}-error`);
  const matchersProblem = problem((t) => t.kind === 'matchers', 'silence-matchers-error');
  const durationProblem = problem((t) => t.kind === 'duration', 'silence-duration-error');
  const commentProblem = problem((t) => t.kind === 'comment', 'silence-comment-error');
  const formProblem = problem((t) => t.kind === 'form', 'silence-form-error');

  return (
    <form class="silence-form" onSubmit={submit} aria-label="New silence" noValidate>
      <fieldset aria-describedby={matchersProblem?.id}>
        <legend>Matchers</legend>
        <ol class="silence-matchers">
          {rows.map((row, index) => {
            const nameProblem = rowProblem(index, 'name');
            const valueProblem = rowProblem(index, 'value');
            return (
              <li key={row.key} class="silence-matcher">
                <input
                  class="silence-name"
                  aria-label={`Label name ${index + 1}`}
                  placeholder="label"
                  value={row.name}
                  spellcheck={false}
                  autocomplete="off"
                  aria-invalid={nameProblem !== null}
                  aria-describedby={nameProblem?.id}
                  onInput={(e) => update(row.key, { name: e.currentTarget.value })}
                />
                <select
                  class="silence-operator"
                  aria-label={`Operator ${index + 1}`}
                  value={row.operator}
                  onChange={(e) => update(row.key, { operator: e.currentTarget.value as Operator })}
                >
                  {OPERATORS.map((op) => (
                    <option key={op} value={op}>
                      {op}
                    </option>
                  ))}
                </select>
                <input
                  class="silence-value"
                  aria-label={`Value ${index + 1}`}
                  placeholder="value"
                  value={row.value}
                  spellcheck={false}
                  autocomplete="off"
                  aria-invalid={valueProblem !== null}
                  aria-describedby={valueProblem?.id}
                  onInput={(e) => update(row.key, { value: e.currentTarget.value })}
                />
                <button
                  type="button"
                  class="small-button"
                  aria-label={`Remove matcher ${index + 1}`}
                  title="Remove this matcher"
                  onClick={() => setRows((all) => all.filter((r) => r.key !== row.key))}
                >
                  ✕
                </button>
                {[nameProblem, valueProblem].map(
                  (p) =>
                    p && (
                      <p key={p.id} id={p.id} class="inline-error field-error">
                        {p.message}
                      </p>
                    ),
                )}
              </li>
            );
          })}
        </ol>
        <button type="button" class="link-button" onClick={() => setRows((all) => [...all, matcherRow()])}>
          Add matcher
        </button>
        {matchersProblem && (
          <p id={matchersProblem.id} class="inline-error field-error">
            {matchersProblem.message}
          </p>
        )}
      </fieldset>

      <fieldset class="silence-duration" aria-describedby={durationProblem?.id}>
        <legend>Duration</legend>
        <div class="silence-presets">
          {[...DURATION_PRESETS, 'custom'].map((option) => (
            <label key={option} class="silence-preset">
              <input
                type="radio"
                name={`silence-duration-${incidentId}`}
                value={option}
                checked={preset === option}
                onChange={() => setPreset(option)}
              />
              {option === 'custom' ? 'Custom' : option}
            </label>
          ))}
          {preset === 'custom' && (
            <input
              class="silence-custom"
              aria-label="Custom duration"
              placeholder="2h30m"
              value={custom}
              spellcheck={false}
              aria-invalid={durationProblem !== null}
              aria-describedby={durationProblem?.id}
              onInput={(e) => setCustom(e.currentTarget.value)}
            />
          )}
        </div>
        <p class="muted small" aria-live="polite">
          {lengthMs !== null
            ? `Until ${formatLocalTime(new Date(Date.now() + lengthMs), new Date())}`
            : 'A duration like 90m, 2h30m or 1d'}
        </p>
        {durationProblem && (
          <p id={durationProblem.id} class="inline-error field-error">
            {durationProblem.message}
          </p>
        )}
      </fieldset>

      <label for={`silence-comment-${incidentId}`}>Comment (why; Alertmanager requires one)</label>
      <textarea
        id={`silence-comment-${incidentId}`}
        rows={2}
        aria-required="true"
        aria-invalid={commentProblem !== null}
        aria-describedby={commentProblem?.id}
        placeholder="e.g. disk being replaced, ticket OPS-123"
        value={comment}
        onInput={(e) => setComment(e.currentTarget.value)}
      />
      {commentProblem && (
        <p id={commentProblem.id} class="inline-error field-error">
          {commentProblem.message}
        </p>
      )}

      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          Create silence
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
      {formProblem && (
        <p id={formProblem.id} class="inline-error" role="alert">
          {formProblem.message}
        </p>
      )}
    </form>
  );
}
