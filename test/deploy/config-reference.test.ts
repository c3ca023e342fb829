import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { configSchema, crossFieldProblems, SECRET_KEYS } from '../../src/config/schema.js';
import { ROOT } from '../support/process.js';

/** Rows of the generated table in docs/CONFIGURATION.md: variable → its cells. */
function referenceRows(): Map<string, string[]> {
  const doc = readFileSync(`${ROOT}docs/CONFIGURATION.md`, 'utf8');
  const rows = new Map<string, string[]>();
  for (const line of doc.split('\n')) {
    const m = /^\| `([A-Z][A-Z0-9_]*)` \|(.*)\|$/.exec(line);
    if (m)
      rows.set(
        m[1]!,
        m[2]!.split(' | ').map((c) => c.trim()),
      );
  }
  return rows;
}

describe('docs/CONFIGURATION.md', () => {
  const rows = referenceRows();
  const schemaKeys = Object.keys(configSchema.shape);

  it('lists every variable of the config schema (run `npm run docs:config` after adding one)', () => {
    expect(schemaKeys.filter((k) => !rows.has(k))).toEqual([]);
  });

  it('lists no variable that the schema does not have', () => {
    expect([...rows.keys()].filter((k) => !schemaKeys.includes(k))).toEqual([]);
  });

  it('marks exactly the variables production requires, and flags every secret', () => {
    const required = new Set(crossFieldProblems({ NODE_ENV: 'production' }).map((p) => p.key));
    for (const [key, [, requiredCell]] of rows) {
      expect({ key, required: requiredCell!.startsWith('**yes**') }).toEqual({ key, required: required.has(key) });
      expect({ key, secret: requiredCell!.includes('(secret)') }).toEqual({ key, secret: SECRET_KEYS.has(key) });
    }
  });

  it('describes every variable', () => {
    expect([...rows].filter(([, cells]) => (cells[2] ?? '').length < 10).map(([k]) => k)).toEqual([]);
  });
});
