import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * The layer rule of docs/ARCHITECTURE.md, enforced: the table there is the one place the allowed
 * arrows are written down; this test reads it and checks every import in src/ against it.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');

/** Row number per unit (1 = top); `alone` units may neither import nor be imported. */
type Layers = ReadonlyMap<string, number | 'alone'>;

function readLayers(markdown: string): Layers {
  const block = /<!-- layers:[^>]*-->([\s\S]*?)<!-- \/layers -->/.exec(markdown)?.[1];
  if (!block) throw new Error('docs/ARCHITECTURE.md has no <!-- layers --> … <!-- /layers --> table');
  const layers = new Map<string, number | 'alone'>();
  for (const line of block.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const row = cells[1];
    if (!row || !/^(\d+|alone)$/.test(row)) continue;
    for (const [, unit] of cells[2]!.matchAll(/`([^`]+)`/g)) layers.set(unit!, row === 'alone' ? 'alone' : Number(row));
  }
  return layers;
}

/** `src/auth/keys.ts` → `auth`; `src/admin.ts` → `admin` (a top-level file and its folder are one unit). */
function unitOf(file: string): string {
  const first = relative(SRC, file).split(sep)[0]!;
  return first.replace(/(\.d)?\.ts$/, '');
}

/** Why `from` may not import `to`, or undefined when the arrow points down (or stays in its unit). */
function refusal(layers: Layers, from: string, to: string): string | undefined {
  if (from === to) return undefined;
  const a = layers.get(from);
  const b = layers.get(to);
  if (a === undefined || b === undefined) return `${a === undefined ? from : to} has no row in docs/ARCHITECTURE.md`;
  if (a === 'alone' || b === 'alone')
    return `${a === 'alone' ? from : to} stands alone: it imports nothing from src/ and nothing imports it`;
  if (a === b) return `${from} and ${to} are peers (layer ${a}): peers never import each other`;
  if (a > b) return `${to} (layer ${b}) sits above ${from} (layer ${a})`;
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of a file (static, `import type`, re-exports, dynamic), resolved to a .ts path. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name).replace(/\.js$/, '.ts'));
}

const layers = readLayers(readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8'));
const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => t.startsWith(SRC + sep))]));
const rel = (f: string) => relative(ROOT, f);

describe('the layer rule (docs/ARCHITECTURE.md)', () => {
  it.each([
    ['signin', 'accounts', 'accounts (layer 5) sits above signin (layer 6)'],
    ['auth', 'resource', 'auth and resource are peers (layer 4): peers never import each other'],
    ['mcp', 'views', 'views stands alone: it imports nothing from src/ and nothing imports it'],
    ['newroom', 'store', 'newroom has no row in docs/ARCHITECTURE.md'],
    ['accounts', 'signin', 'allowed'],
    ['app', 'config', 'allowed'],
    ['auth', 'auth', 'allowed'],
  ])('%s → %s: %s', (from, to, expected) => {
    expect(refusal(layers, from, to) ?? 'allowed').toBe(expected);
  });

  it('gives every folder and top-level file under src/ a row', () => {
    const units = [...new Set(files.map(unitOf))].sort();
    expect(units.filter((u) => !layers.has(u))).toEqual([]);
    expect([...layers.keys()].filter((u) => !units.includes(u))).toEqual([]);
  });

  it('finds no import in src/ that points up or sideways', () => {
    const crossings = [...graph].flatMap(([file, targets]) =>
      targets.flatMap((target) => {
        const why = refusal(layers, unitOf(file), unitOf(target));
        return why ? [`${rel(file)} imports ${rel(target)}: ${why}`] : [];
      }),
    );
    expect(crossings).toEqual([]);
  });

  it('finds no import cycle between files in src/ (type-only imports included)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      path.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next].map(rel).join(' → '));
        else if (!state.has(next)) visit(next);
      }
      path.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
