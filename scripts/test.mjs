#!/usr/bin/env node
// Runs the whole jest suite once per store driver: PostgreSQL (127.0.0.1:5432, db `test`) and
// embedded PGlite. `npm test -- <jest args>` passes arguments through; `npm run test:pg` /
// `npm run test:pglite` pick one driver.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [first, ...rest] = process.argv.slice(2);
const drivers = first === 'postgres' || first === 'pglite' ? [first] : ['postgres', 'pglite'];
const jestArgs = first === 'postgres' || first === 'pglite' ? rest : process.argv.slice(2);
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`Node ${process.versions.node} found; this project needs Node 22+. Run through npm (npm test), which uses the Node 22 from node_modules.`);
  process.exit(1);
}
// Process-level tests spawn the compiled server (dist/); rebuild it first (incremental, ~1 s when fresh).
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const jest = fileURLToPath(new URL('../node_modules/jest/bin/jest.js', import.meta.url));
for (const driver of drivers) {
  console.log(`\n=== test suite on ${driver} ===\n`);
  const r = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', jest, ...jestArgs], {
    stdio: 'inherit',
    env: { ...process.env, TEST_STORE: driver },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
