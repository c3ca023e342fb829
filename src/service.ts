import type { Server } from 'node:http';
import type { McpBinding } from './resource/resource-server.js';
import type Koa from 'koa';
import type { DestinationStream } from 'pino';
import { buildApp } from './app.js';
import { loadConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { closeServer } from './http/shutdown.js';
import { createLogger, type Logger } from './logger.js';
import { resolveSecrets } from './store/app-secrets.js';
import { loadMigrations, migrate } from './store/migrate.js';
import { openStore } from './store/open.js';
import type { Store } from './store/store.js';

export interface RunningService {
  config: Config;
  store: Store;
  logger: Logger;
  app: Koa;
  server: Server;
  /** The URL the listener is bound to (may differ from BASE_URL behind a proxy). */
  url: string;
  /** Graceful stop; resolves true when in-flight requests drained within the deadline. */
  stop(): Promise<boolean>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  logDestination?: DestinationStream;
  /** Reuse an already-open store (tests); it is then not closed by stop(). */
  store?: Store;
  /** The MCP server behind /mcp (tests; by default the tool registry). */
  mcp?: McpBinding;
}

/** loadConfig() → openStore() → migrate → buildApp() → listen. Used by main.ts and by tests. */
export async function startService(opts: StartOptions = {}): Promise<RunningService> {
  const config = loadConfig(opts.env ?? process.env);
  const logger = createLogger(config.LOG_LEVEL, opts.logDestination);
  const store = opts.store ?? (await openStore(config));
  const migrations = await loadMigrations();
  const applied = await migrate(store, migrations);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  const secrets = await resolveSecrets(config, store);

  const built = await buildApp({ config, secrets, store, logger, expectedMigrations: migrations.map((m) => m.id), mcp: opts.mcp });
  const server = built.koa.listen(config.PORT);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (err) {
    await built.close();
    if (!opts.store) await store.close();
    throw err;
  }
  // Node's default 5 s keep-alive is shorter than Fly's proxy idle timeout; keep sockets a bit longer
  // than the proxy so it never reuses a socket we are closing.
  server.keepAliveTimeout = 65_000;
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const url = `http://127.0.0.1:${port}`;
  logger.info({ url, baseUrl: config.BASE_URL, store: store.driver }, 'listening');

  return {
    config,
    store,
    logger,
    app: built.koa,
    server,
    url,
    async stop() {
      built.markStopping();
      const drained = await closeServer(server, config.SHUTDOWN_TIMEOUT_MS);
      await built.close();
      if (!opts.store) await store.close();
      logger.info({ drained }, 'stopped');
      return drained;
    },
  };
}
