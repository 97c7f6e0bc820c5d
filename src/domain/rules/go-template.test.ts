import { describe, expect, it } from 'vitest';
import { analyzeGoTemplate } from './go-template.js';

// Each rejected case is one `promtool check rules` (Prometheus 2.42) rejects, with its message.
describe('analyzeGoTemplate', () => {
  it.each([
    ['{{ $value | humanizePercentage }}'],
    ['{{ $labels.job }} is down'],
    ['{{ .Labels.job }} {{ .Value }} {{ $.ExternalLabels.cluster }}'],
    ['{{ if gt $value 1.0 }}big{{ else if lt $value 0.5 }}small{{ else }}ok{{ end }}'],
    ['{{ range $i, $e := query "up" }}{{ $e.Labels.job }}{{ break }}{{ end }}'],
    ['{{ $x := 1 }}{{ $x }}'],
    ['{{/* a comment */}}{{- $value -}}'],
    ['{{ printf "%.2f" $value }} {{ `raw` }} {{ 0x1F }} {{ 1e3 }} {{ -1 }}'],
    ['{{ with $labels }}{{ .job }}{{ end }}'],
    ['{{ $labels.job | toUpper | reReplaceAll "A" "b" }} {{ humanize1024 1024.0 | title }}'],
    ['{{ $externalURL }} {{ externalURL }} {{ pathPrefix }} {{ stripPort "a:1" }} {{ parseDuration "1m" }}'],
    ['{{ define "x" }}a{{ end }}{{ template "x" }}'],
    ['no template at all, {single braces}'],
  ])('accepts %s', (text) => {
    expect(analyzeGoTemplate(text).problem).toBeNull();
  });

  it.each([
    ['{{ $value | humanizePercent }}', 12, 'function "humanizePercent" not defined'],
    ['{{ $labels.job', 0, 'unclosed action'],
    ['{{ if gt $value 1.0 }}big', 3, 'unexpected EOF: {{if}} has no {{end}}'],
    ['x {{ end }}', 5, 'unexpected {{end}}'],
    ['{{ else }}', 3, 'unexpected {{else}}'],
    ['{{ $foo }}', 3, 'undefined variable "$foo"'],
    ['{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}', 38, 'undefined variable "$x"'],
    ['{{ /* not a comment */ }}', 3, 'unrecognized character in action: "/"'],
    ['{{ "unterminated }}', 3, 'unterminated quoted string'],
    ['{{ 3x }}', 3, 'bad number syntax: "3x"'],
    ['{{ ( $value }}', 12, 'unclosed left paren'],
    ['{{ $value ) }}', 10, 'unexpected right paren'],
    ['{{ }}', 3, 'missing value for command'],
    ['{{ $value | 3 }}', 12, 'non executable command in pipeline stage 2'],
    ['{{ break }}', 3, '{{break}} outside {{range}}'],
    ['{{/* open', 0, 'unclosed comment'],
  ])('rejects %s at offset %i: %s', (text, offset, message) => {
    expect(analyzeGoTemplate(text).problem).toEqual({ offset, message });
  });

  it('lists the labels a template reads, by $labels, .Labels and $.Labels', () => {
    const { labelReads } = analyzeGoTemplate('{{ $labels.job }} {{ .Labels.pod }} {{ $.Labels.ns }} {{ $value }}');
    expect(labelReads).toEqual([
      { name: 'job', offset: 10 },
      { name: 'pod', offset: 28 },
      { name: 'ns', offset: 47 },
    ]);
  });

  it('finds fields the alert data lacks, but not inside range/with where the dot is something else', () => {
    const { problem, unknownFields } = analyzeGoTemplate('{{ .labels.job }} {{ with $labels }}{{ .job }}{{ end }}');
    expect(problem).toBeNull();
    expect(unknownFields).toEqual([
      {
        offset: 3,
        message:
          "can't evaluate field labels: an alert's template data has only .Labels, .ExternalLabels, .ExternalURL, .Value",
      },
    ]);
  });
});
