import { readFileSync } from 'node:fs';

/** A fresh deep copy of a captured payload from ./samples (see samples/README.md for provenance). */
export function sample<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./samples/${name}.json`, import.meta.url), 'utf8')) as T;
}
