import { startService } from './service.js';
import { describeStartupFailure } from './startup-messages.js';

/** Process entry: start, then stop gracefully on SIGTERM/SIGINT (exit 0), or fail loudly at start-up. */
async function main(): Promise<void> {
  let service;
  try {
    service = await startService();
  } catch (err) {
    const { message, exitCode } = describeStartupFailure(err, process.env);
    process.stderr.write(`${message}\n`);
    process.exit(exitCode);
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
