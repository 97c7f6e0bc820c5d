import { render } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

/** The containers Preact renders into inside the server's markup: cell placeholders and step attributions. */
const ISLANDS = '.ab-cell, .step-by';

/**
 * The server's sanitized HTML (a runbook, a note) as DOM: the only HTML the
 * notebook injects. It is parsed in an inert <template>, where nothing loads
 * or runs, and images become links first: the CSP lets no foreign image load
 * and Alertbook serves none, so an <img> could only fail, or make the
 * reader's browser request a URL of the author's choosing.
 */
export function inertFragment(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  for (const image of template.content.querySelectorAll('img')) {
    const src = image.getAttribute('src') ?? '';
    const label = `[image: ${image.alt || src}]`;
    const replacement = document.createElement(/^https?:\/\//i.test(src) ? 'a' : 'span');
    if (replacement instanceof HTMLAnchorElement) {
      replacement.href = src;
      replacement.target = '_blank';
      replacement.rel = 'noopener noreferrer';
    }
    replacement.textContent = label;
    image.replaceWith(replacement);
  }
  // A task list's checkbox is named by its item, for screen readers (the notebook names steps anew when it mounts them).
  for (const box of template.content.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) {
    const item = box.closest('li')?.textContent?.trim();
    if (item) box.setAttribute('aria-label', item);
  }
  return template.content;
}

/**
 * Server HTML in a div. `mountIslands` brings parts of it to life (live
 * cells, steps) by rendering small Preact trees into the server's markup; it
 * runs after every render, so the islands follow their props.
 */
export function ServerHtml({
  html,
  class: className,
  mountIslands,
}: {
  html: string;
  class: string;
  mountIslands?: (root: HTMLElement) => void;
}) {
  const body = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    const root = body.current!;
    root.replaceChildren(inertFragment(html));
    return () => {
      for (const island of root.querySelectorAll<HTMLElement>(ISLANDS)) render(null, island);
      root.replaceChildren();
    };
  }, [html]);

  useLayoutEffect(() => mountIslands?.(body.current!));

  return <div class={className} ref={body} />;
}
