import { readFileSync, readdirSync } from 'node:fs';

const FIXTURES = new URL('../fixtures/', import.meta.url);

/** A fixture's parsed JSON, e.g. `fixture('alertmanager/am025-lab_firing_single.json')`. */
export function fixture<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8')) as T;
}

export function fixtureText(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8');
}

export function fixtureNames(dir: string, suffix = '.json'): string[] {
  return readdirSync(new URL(`${dir}/`, FIXTURES))
    .filter((f) => f.endsWith(suffix))
    .sort();
}
