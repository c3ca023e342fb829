import { Writable } from 'node:stream';
import { startService, type RunningService, type StartOptions } from '../../src/service.js';
import { createTestDatabase, type TestDatabase } from './store.js';

export interface TestService extends RunningService {
  db: TestDatabase;
  /** Everything the service logged, as raw JSON lines. */
  logs: () => string;
  /** Stops the service, closes and drops its database. */
  close(): Promise<void>;
}

/**
 * Starts the real service in this process on a free port with a fresh database (PostgreSQL
 * schema or PGlite directory, per TEST_STORE), capturing its log output.
 */
export async function startTestService(env: Record<string, string> = {}, opts: Pick<StartOptions, 'mcp'> = {}): Promise<TestService> {
  const db = await createTestDatabase();
  let logs = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs += chunk.toString();
      cb();
    },
  });
  const svc = await startService({
    env: { NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', ...db.env, ...env },
    logDestination: sink,
    ...opts,
  });
  return Object.assign(svc, {
    db,
    logs: () => logs,
    async close() {
      await svc.stop();
      await db.drop();
    },
  });
}
