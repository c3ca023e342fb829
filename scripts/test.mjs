#!/usr/bin/env node
// Runs the whole jest suite once per store driver: PostgreSQL and embedded PGlite.
// `npm test -- <jest args>` passes arguments through; `npm run test:pg` / `npm run test:pglite`
// pick one driver. Needs nothing but Node and npm: when no PostgreSQL answers at TEST_DATABASE_URL
// (default 127.0.0.1:5432, db `test`), a throwaway one is started for the run (scripts/test-postgres.mjs);
// when no system Chromium is found, the browser tests use one an npm package ships (scripts/test-chromium.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findChromium } from './test-chromium.mjs';
import { ensurePostgres } from './test-postgres.mjs';

const [first, ...rest] = process.argv.slice(2);
const drivers = first === 'postgres' || first === 'pglite' ? [first] : ['postgres', 'pglite'];
const jestArgs = first === 'postgres' || first === 'pglite' ? rest : process.argv.slice(2);
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `Node ${process.versions.node} found; this project needs Node 22+. Run through npm (npm test), which uses the Node 22 from node_modules.`,
  );
  process.exit(1);
}
// Process-level tests spawn the compiled server (dist/); rebuild it first (incremental, ~1 s when fresh).
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
// The MCP Apps views the server reads from dist/views/ (scripts/build-views.mjs, ~0.3 s).
const views = spawnSync(process.execPath, [fileURLToPath(new URL('./build-views.mjs', import.meta.url))], { stdio: 'inherit' });
if (views.status !== 0) process.exit(views.status ?? 1);

// Only the browser tests need it: without one, they fail on their own and the rest still runs.
const chromium = await findChromium().catch((err) => ({ path: undefined, source: `none found: ${err.message}` }));
console.log(`Chromium for the browser tests: ${chromium.path ?? '-'} (${chromium.source})`);
const postgres = drivers.includes('postgres')
  ? await ensurePostgres().catch((err) => {
      console.error(err.message);
      process.exit(1);
    })
  : undefined;
if (postgres) console.log(`PostgreSQL for the postgres run: ${postgres.source}`);

/** Runs jest asynchronously, so a throwaway PostgreSQL started here keeps its log pipe drained meanwhile. */
function runJest(driver) {
  const jest = fileURLToPath(new URL('../node_modules/jest/bin/jest.js', import.meta.url));
  const env = { ...process.env, TEST_STORE: driver };
  if (chromium.path) env.CHROMIUM_PATH = chromium.path;
  if (postgres) env.TEST_DATABASE_URL = postgres.url;
  const child = spawn(process.execPath, ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', jest, ...jestArgs], {
    stdio: 'inherit',
    env,
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

let status = 0;
try {
  for (const driver of drivers) {
    console.log(`\n=== test suite on ${driver} ===\n`);
    status = await runJest(driver);
    if (status !== 0) break;
  }
} finally {
  await postgres?.stop();
}
process.exit(status);
