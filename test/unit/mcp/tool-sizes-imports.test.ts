import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run tool-sizes` runs scripts/tool-sizes.ts with plain Node, outside jest, where importing
 * '@jest/globals' fails. Jest tests of the script cannot notice that, so this walks the script's
 * relative imports and checks none of them pulls jest in.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function jestImporters(entry: string): string[] {
  const seen = new Set<string>();
  const offenders: string[] = [];
  const queue = [resolve(root, entry)];
  while (queue.length > 0 && seen.size < 500) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    if (/from '@jest\/globals'/.test(source)) offenders.push(file.slice(root.length + 1));
    for (const m of source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) queue.push(resolve(dirname(file), `${m[1]}.ts`));
  }
  return offenders;
}

describe('npm run tool-sizes', () => {
  it('imports nothing that needs jest', () => {
    expect(jestImporters('scripts/tool-sizes.ts')).toEqual([]);
  });
});
