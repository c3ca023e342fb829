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

/**
 * The node flags on the Dockerfile's CMD (between `node` and the script): V8 flags Node refuses
 * in NODE_OPTIONS. Every server in the benchmark runs with them, like the NODE_OPTIONS above.
 */
export function productionNodeArgs(): string[] {
  const cmds = [...readFileSync(join(ROOT, 'Dockerfile'), 'utf8').matchAll(/^CMD\s+(\[.*\])\s*$/gm)];
  const cmd = cmds.length ? (JSON.parse(cmds.at(-1)![1]!) as string[]) : [];
  if (cmd[0] !== 'node' || !cmd.at(-1)?.endsWith('main.js'))
    throw new Error(
      'the Dockerfile\'s CMD is not ["node", …flags, "dist/src/main.js"]; set BENCH_PRODUCT_NODE_ARGS and BENCH_BASELINE_NODE_ARGS',
    );
  return cmd.slice(1, -1);
}

/** Flags from an environment variable (space-separated) or else production's. */
export function nodeArgsFrom(variable: string | undefined): string[] {
  return variable === undefined ? productionNodeArgs() : variable.split(' ').filter(Boolean);
}
