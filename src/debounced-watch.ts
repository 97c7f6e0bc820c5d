import { resolve } from 'node:path';
import { watch } from 'chokidar';

/** Editors write in bursts: one call 300 ms after the last change. */
export const WATCH_DEBOUNCE_MS = 300;

/**
 * Watches folders and calls `onChange` once after a burst of changes in them.
 * Resolves once the watcher sees the folders, so no later change is missed.
 */
export async function watchDebounced(
  paths: string[],
  onChange: () => void,
  delayMs = WATCH_DEBOUNCE_MS,
): Promise<{ close(): Promise<void> }> {
  // Absolute: chokidar shares one fs watcher per path between its instances, and a folder watched under a relative
  // and an absolute spelling (RUNBOOKS_DIR and the rules inside it) made the second close() throw after a rename.
  const watcher = watch(
    paths.map((path) => resolve(path)),
    { ignoreInitial: true, ignored: (path) => path.includes('node_modules') },
  );
  let debounce: NodeJS.Timeout | null = null;
  watcher.on('all', () => {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(onChange, delayMs);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    async close() {
      if (debounce) clearTimeout(debounce);
      await watcher.close();
    },
  };
}
