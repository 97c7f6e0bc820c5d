import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_DIR } from '../src/project-dir.js';

export const WEB_DIR = join(PROJECT_DIR, 'web');
export const DIST_DIR = join(WEB_DIR, 'dist');

/** What the page shell links to, written by build.ts; paths are absolute URL paths. */
export interface WebManifest {
  script: string;
  style: string;
}

export function manifestPath(distDir: string = DIST_DIR): string {
  return join(distDir, 'manifest.json');
}

export async function readManifest(distDir: string = DIST_DIR): Promise<WebManifest> {
  return JSON.parse(await readFile(manifestPath(distDir), 'utf8')) as WebManifest;
}
