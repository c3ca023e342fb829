import pino from 'pino';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { ConfigError, loadConfig } from './config/load.js';
import { createIntervalsClient } from './intervals/client.js';
import { createLogger } from './logger.js';
import { READ_SCOPE, WRITE_SCOPE, type ToolContext } from './mcp/context.js';
import { createToolRegistry } from './mcp/server.js';
import type { Toolset } from './mcp/tool.js';
import { parseToolsets, UnknownToolsetError } from './mcp/toolsets.js';

/**
 * Single-athlete mode over stdio, the classic Claude Desktop setup: `ATHLETE_ID` + `API_KEY`
 * (the athlete's personal Intervals.icu key), the same tools as the hosted server, no OAuth and no
 * database. stdout carries the MCP protocol only; logs go to stderr.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL, pino.destination(2));
  if (!config.API_KEY) {
    throw new ConfigError([
      'API_KEY is required for stdio mode: your Intervals.icu API key (Intervals.icu → Settings → Developer Settings)',
    ]);
  }
  // 0 = "the owner of this key": lets a person start with the key alone.
  const athleteId = config.ATHLETE_ID ?? '0';
  const intervals = createIntervalsClient({
    baseUrl: config.INTERVALS_API_BASE_URL,
    credentials: { kind: 'api_key', apiKey: config.API_KEY },
    timeoutMs: config.INTERVALS_TIMEOUT_MS,
    relinkHint: 'check API_KEY (Intervals.icu → Settings → Developer Settings) and ATHLETE_ID in your MCP client configuration',
    onUpstream: (e) => logger.debug(e, 'intervals call'),
  });
  const toolsets = new Set(chosenToolsets(process.argv.slice(2), config.TOOLSETS));
  const ctx: ToolContext = {
    person: { accountId: null, scopes: new Set([READ_SCOPE, WRITE_SCOPE]), clientId: 'stdio', toolsets },
    athleteId,
    intervals,
  };
  const registry = createToolRegistry({
    resolveContext: async () => ctx,
    logger,
    turnOnToolsets: 'by adding it to TOOLSETS (or --toolsets) in the MCP client configuration and restarting the server',
  });
  // The SDK picks the era from the opening exchange (initialize, or 2026-07-28's server/discover)
  // and keeps one server instance for the connection.
  const connection = serveStdio(() => registry.createServer({ toolsets }), {
    onerror: (err) => logger.warn({ err: { message: err.message } }, 'stdio message refused'),
  });
  logger.info({ athleteId, api: config.INTERVALS_API_BASE_URL, toolsets: [...toolsets] }, 'intervals-mcp stdio server ready');
  const stop = () => void connection.close().finally(() => process.exit(0));
  process.stdin.on('end', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * The tool sets: `--toolsets planning,analysis` (or `--toolsets=…`) on the command line, else
 * TOOLSETS, else core only. A name we do not have stops the start with the list of real ones.
 */
function chosenToolsets(argv: readonly string[], fromEnv: string | undefined): Toolset[] {
  const at = argv.findIndex((a) => a === '--toolsets' || a.startsWith('--toolsets='));
  const flag = at < 0 ? undefined : argv[at]!.includes('=') ? argv[at]!.slice('--toolsets='.length) : (argv[at + 1] ?? '');
  const source = flag !== undefined ? '--toolsets' : 'TOOLSETS';
  try {
    return parseToolsets(flag ?? fromEnv ?? '');
  } catch (err) {
    if (err instanceof UnknownToolsetError) throw new ConfigError([`${source}: ${err.message}`]);
    throw err;
  }
}

main().catch((err: unknown) => {
  // Config errors name the variable and never echo a value; anything else gets a generic line.
  process.stderr.write(`${err instanceof ConfigError ? err.message : 'intervals-mcp stdio failed to start'}\n`);
  process.exit(1);
});
