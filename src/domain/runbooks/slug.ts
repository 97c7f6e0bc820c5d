/** Longest slug we produce: ids end up in URLs, DOM attributes and database keys. */
const MAX_SLUG_LENGTH = 64;

/**
 * `"5xx ratio by route"` → `"5xx-ratio-by-route"`. Letters of any script are kept
 * (an id made only of Chinese text must not collapse to nothing); everything else
 * becomes a single hyphen. May return `""` when the text has no letters or digits.
 */
export function slugify(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
}

/** Hands out ids unique within one document: the second `x` becomes `x-2`, the third `x-3`. */
export class UniqueIds {
  private readonly taken = new Set<string>();

  claim(wanted: string): string {
    let id = wanted;
    for (let n = 2; this.taken.has(id); n++) id = `${wanted}-${n}`;
    this.taken.add(id);
    return id;
  }
}
