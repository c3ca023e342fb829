import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createSecretBox, type SecretBox } from '../crypto/secret-box.js';
import { resolveSecrets } from '../store/app-secrets.js';
import { loadMigrations, migrationsApplied, type Migration } from '../store/migrate.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';

/** Exit codes (sysexits.h where one fits), listed in `--help`. */
export const EXIT = {
  ok: 0,
  failed: 1,
  notFound: 2,
  usage: 64,
  unavailable: 69,
  config: 78,
} as const;

/** A failure the CLI reports as one line and an exit code (never a stack trace). */
export class AdminError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

export interface AdminIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** What every command gets: the same configuration and store the server would use. */
export interface AdminContext extends AdminIo {
  config: Config;
  store: Store;
  migrations: Migration[];
  /** The secret box over the configured (or, outside production, stored) encryption keys. */
  secretBox(): Promise<SecretBox>;
  /** Refuses to touch tables that a pending migration would create or change. */
  requireMigrated(): Promise<void>;
}

export async function openAdminContext(env: NodeJS.ProcessEnv, io: AdminIo): Promise<AdminContext & { close(): Promise<void> }> {
  const config = loadConfig(env);
  // No per-query deadline here: `migrate` (the release command) and `reencrypt` may legitimately
  // run long, nobody's request waits on them, and the operator (or the release timeout) can stop them.
  const store = await openStore(config, { noQueryTimeout: true });
  const migrations = await loadMigrations();
  let box: SecretBox | undefined;
  return {
    ...io,
    config,
    store,
    migrations,
    async secretBox() {
      box ??= createSecretBox(await resolveSecrets(config, store));
      return box;
    },
    async requireMigrated() {
      const ok = await migrationsApplied(
        store,
        migrations.map((m) => m.id),
      ).catch(() => false);
      if (!ok) throw new AdminError('The database schema is not current. Run `admin migrate` first.', EXIT.failed);
    },
    close: () => store.close(),
  };
}
