#!/usr/bin/env node
// Runs PGlite's initdb (several seconds of WebAssembly) once at install time and keeps the result
// as dist/pglite-template.tar.gz, so the first `npm start` on a new DATA_DIR copies it instead.
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const out = fileURLToPath(new URL('../dist/pglite-template.tar.gz', import.meta.url));
mkdirSync(fileURLToPath(new URL('../dist/', import.meta.url)), { recursive: true });
const db = await PGlite.create('memory://');
const dump = await db.dumpDataDir('gzip');
writeFileSync(out, Buffer.from(await dump.arrayBuffer()));
await db.close();
