import { describe, it, expect, afterAll } from '@jest/globals';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartupError } from '../../src/errors.js';
import { openPgliteStore } from '../../src/store/pglite-store.js';

/** The embedded database serves one opener at a time; the lock goes with close(). */
describe('PGlite data directory lock', () => {
  const root = mkdtempSync(join(tmpdir(), 'intervals-mcp-lock-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a second open of the same directory (also through a symlink) is refused naming DATA_DIR; after close it opens again', async () => {
    const dataDir = join(root, 'data');
    const first = await openPgliteStore({ dataDir });
    try {
      const second = await openPgliteStore({ dataDir }).catch((e: unknown) => e);
      expect(second).toBeInstanceOf(StartupError);
      expect(second).toMatchObject({ setting: 'DATA_DIR' });
      expect((second as Error).message).toMatch(/^Another intervals-mcp process is already running on the data directory /);

      symlinkSync(dataDir, join(root, 'link'));
      const viaLink = await openPgliteStore({ dataDir: join(root, 'link') }).catch((e: unknown) => e);
      expect(viaLink).toBeInstanceOf(StartupError);
      expect(await first.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await first.close();
    }
    const again = await openPgliteStore({ dataDir });
    expect(await again.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await again.close();
  });

  it('another directory is not affected', async () => {
    const a = await openPgliteStore({ dataDir: join(root, 'a') });
    const b = await openPgliteStore({ dataDir: join(root, 'b') });
    expect(await b.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await Promise.all([a.close(), b.close()]);
  });
});
