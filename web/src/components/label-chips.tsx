import type { Labels } from '../api/types.js';

export function LabelChips({ labels, omit = [] }: { labels: Labels; omit?: string[] }) {
  const names = Object.keys(labels)
    .filter((name) => !omit.includes(name))
    .sort();
  if (names.length === 0) return null;
  return (
    <ul class="chips">
      {names.map((name) => (
        <li class="chip" key={name}>
          <span class="chip-name">{name}</span>
          <span class="chip-value">{labels[name]}</span>
        </li>
      ))}
    </ul>
  );
}
