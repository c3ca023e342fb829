#!/usr/bin/env node
// `npm start`: compile only when a source file is newer than the last build (npm ci already built
// in `prepare`), then run the server in this process's Node (22, from node_modules). Keeps the
// first start after install fast while never serving stale code after an edit.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.tsbuildinfo');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const stale =
  !existsSync(stamp) || Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'tsconfig.json')).mtimeMs) > statSync(stamp).mtimeMs;
if (stale) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  // Compiler output goes to stderr: under `npm run stdio`, stdout is the MCP protocol channel.
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: ['inherit', 2, 2], cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// `npm run admin -- <command>` reuses this: `--entry=admin` runs dist/src/admin.js with the rest of the arguments.
const entry = process.argv[2]?.startsWith('--entry=') ? process.argv.splice(2, 1)[0].slice(8) : 'main';
if (!/^[a-z-]+$/.test(entry)) throw new Error(`bad entry ${entry}`);
await import(join(root, 'dist', 'src', `${entry}.js`));
