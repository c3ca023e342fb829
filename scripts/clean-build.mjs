#!/usr/bin/env node
// `npm pack` / `npm publish` (prepack): compile from scratch into an emptied dist/src, so the
// package never carries output of a source file that has since been deleted or renamed.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist/src', import.meta.url), { recursive: true, force: true });
rmSync(new URL('../dist/.tsbuildinfo', import.meta.url), { force: true });
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
