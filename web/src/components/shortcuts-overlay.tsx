import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useKeyboard } from '../hooks/use-keyboard.js';

const SHORTCUTS: [keys: string[], what: string][] = [
  [['?'], 'show or hide these shortcuts'],
  [['/'], 'search (incidents, runbooks)'],
  [['j', 'k'], 'next / previous: incident in the list; cell or step in an incident'],
  [['o', 'Enter'], 'open the selected incident'],
  [['a'], 'acknowledge (the selected incident, or this one)'],
  [['n'], 'write a note (in an incident)'],
  [['Esc'], 'close this overlay'],
];

/** The page's search field, if it has one (list pages do). */
function focusSearch(): void {
  document.querySelector<HTMLInputElement>('main input[type="search"]')?.focus();
}

/** `?` lists the keyboard shortcuts, `/` jumps to the search field; on every page. */
export function ShortcutsOverlay() {
  const [open, setOpen] = useState(false);
  const close = useRef<HTMLButtonElement>(null);
  useKeyboard({
    '?': () => setOpen((was) => !was),
    '/': focusSearch,
    ...(open && { Escape: () => setOpen(false) }),
  });
  useEffect(() => {
    if (open) close.current?.focus();
  }, [open]);
  if (!open) return null;
  return (
    <div class="modal-backdrop">
      <div class="modal shortcuts-overlay" role="dialog" aria-modal="true" aria-labelledby="shortcuts-heading">
        <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
        <dl class="shortcuts-list">
          {SHORTCUTS.map(([keys, what]) => (
            <div key={what}>
              <dt>
                {keys.map((key, i) => (
                  <Fragment key={key}>
                    {i > 0 && ' '}
                    <kbd>{key}</kbd>
                  </Fragment>
                ))}
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <p class="small muted">Not while typing in a field.</p>
        <button type="button" ref={close} onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
