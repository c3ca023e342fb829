import { ConfigError } from './config/load.js';
import { startService } from './service.js';
import { scrubText } from './logger.js';

/** Process entry: start, then stop gracefully on SIGTERM/SIGINT (exit 0), or fail loudly at start-up. */
async function main(): Promise<void> {
  let service;
  try {
    service = await startService();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    process.stderr.write(`Start-up failed: ${scrubText(String((err as Error)?.message ?? err))}\n`);
    process.exit(1);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    service.logger.info({ signal }, 'shutting down');
    await service.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

void main();
