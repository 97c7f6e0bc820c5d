import { createStore, useStore } from './hooks/store.js';
import { matchRoute, type Route } from './routes.js';

const location$ = createStore(currentLocation());

function currentLocation() {
  return `${window.location.pathname}${window.location.search}`;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentLocation()) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  location$.set(currentLocation());
  if (!options.replace) window.scrollTo(0, 0);
}

export function useRoute(): Route {
  useStore(location$);
  return matchRoute(window.location.pathname, window.location.search);
}

/**
 * Same-origin link clicks become in-app navigation — including links inside
 * the server-rendered runbook HTML, which no component owns.
 */
export function interceptLinks(): void {
  window.addEventListener('popstate', () => location$.set(currentLocation()));
  document.addEventListener('click', (event) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
    if (url.pathname === window.location.pathname && url.hash) return;
    event.preventDefault();
    navigate(`${url.pathname}${url.search}`);
  });
}
