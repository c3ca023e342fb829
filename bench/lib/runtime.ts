import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/**
 * NODE_OPTIONS from fly.toml's [env]: the runtime flags production runs with (on a 256 MB VM, a
 * capped V8 heap). Every server in the benchmark gets them unless overridden, because a 256 MB VM
 * would cap any of them (V8 sizes its heap from the machine's memory).
 */
export function productionNodeOptions(): string {
  const m = /^\s*NODE_OPTIONS\s*=\s*"([^"]*)"/m.exec(readFileSync(join(ROOT, 'fly.toml'), 'utf8'));
  if (!m) throw new Error('fly.toml has no NODE_OPTIONS in [env]; set BENCH_PRODUCT_NODE_OPTIONS and BENCH_BASELINE_NODE_OPTIONS');
  return m[1]!;
}
