/** Types of cli-bundle.js (plain JavaScript: it runs before any TypeScript can). */
export function cliBundle(): Promise<{ entry: string; cacheDir: string }>;
