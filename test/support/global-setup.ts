import { PGlite } from '@electric-sql/pglite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

/**
 * PGlite runs initdb in WebAssembly (~4 s). Do it once per run and let every test start from the
 * dumped data directory (~0.5 s) instead.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_STORE !== 'pglite') return;
  const dir = join(tmpdir(), 'intervals-mcp-test');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `pglite-template-${process.pid}.tar.gz`);
  const db = await PGlite.create('memory://');
  const dump = await db.dumpDataDir('gzip');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  process.env.PGLITE_TEMPLATE = file;
}
