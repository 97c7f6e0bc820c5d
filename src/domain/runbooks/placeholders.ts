import type { Placeholder } from './runbook.js';

/** A placeholder found in a query template, by offset into the template. */
export interface TemplatePlaceholder {
  kind: Placeholder['kind'];
  name: string | null;
  start: number;
  end: number;
}

/** Something that opens with `{{` but is not one of the three placeholder forms. */
export interface MalformedPlaceholder {
  start: number;
  end: number;
  message: string;
}

// A `{{` with its closing `}}` on the same line, or a lone `{{` (unterminated).
const CANDIDATE = /\{\{(.*?)\}\}|\{\{/g;
const KNOWN_FORM = /^\s*\$(?:(labels|annotations)\.([A-Za-z_][A-Za-z0-9_]*)|(externalURL))\s*$/;

const PLACEHOLDER_FORMS = '{{ $labels.<name> }}, {{ $annotations.<name> }} or {{ $externalURL }}';

export function findPlaceholders(template: string): {
  placeholders: TemplatePlaceholder[];
  malformed: MalformedPlaceholder[];
} {
  const placeholders: TemplatePlaceholder[] = [];
  const malformed: MalformedPlaceholder[] = [];
  for (const candidate of template.matchAll(CANDIDATE)) {
    const start = candidate.index;
    const end = start + candidate[0].length;
    const inner = candidate[1];
    const form = inner === undefined ? null : KNOWN_FORM.exec(inner);
    if (form?.[3]) placeholders.push({ kind: 'externalURL', name: null, start, end });
    else if (form?.[1] && form[2])
      placeholders.push({ kind: form[1] as 'labels' | 'annotations', name: form[2], start, end });
    else {
      const what = inner === undefined ? '"{{" without a closing "}}"' : `unknown placeholder "${candidate[0]}"`;
      malformed.push({ start, end, message: `${what}: use ${PLACEHOLDER_FORMS}` });
    }
  }
  return { placeholders, malformed };
}
