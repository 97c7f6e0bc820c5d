/** IPC between the benchmark and its server process. */
export type ToServer = { type: 'rss' } | { type: 'cpu' } | { type: 'metrics' } | { type: 'stop' };

export type FromServer =
  | { type: 'ready'; port: number }
  /** An upstream answer reached the hub; `at` is epoch ms with sub-ms precision. */
  | { type: 'answer'; query: string; end: number; at: number }
  | { type: 'rss'; bytes: number }
  /** User + system CPU time the server process has used, in seconds. */
  | { type: 'cpu'; seconds: number }
  | { type: 'metrics'; text: string };
