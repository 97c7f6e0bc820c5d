import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
  data: T | null;
  error: Error | null;
  /** True until the first answer; later reloads keep showing the previous data. */
  loading: boolean;
  reload(): void;
}

/**
 * Loads `fetch()` when `key` changes and on reload(). Answers that arrive out
 * of order are ignored, so a slow early request never overwrites a newer one.
 */
export function useResource<T>(key: string, fetch: () => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ key: string; data: T | null; error: Error | null }>({
    key,
    data: null,
    error: null,
  });
  const latest = useRef(0);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;

  const load = useCallback(() => {
    const ticket = ++latest.current;
    fetchRef.current().then(
      (data) => ticket === latest.current && setState({ key, data, error: null }),
      (error: Error) => ticket === latest.current && setState((s) => ({ ...s, key, error })),
    );
  }, [key]);

  useEffect(() => {
    load();
  }, [load]);

  const current = state.key === key;
  return {
    data: current ? state.data : null,
    error: current ? state.error : null,
    loading: !current || (state.data === null && state.error === null),
    reload: load,
  };
}
