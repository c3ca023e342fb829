import { ConfigError } from './config/load.js';
import { StartupError } from './errors.js';
import { scrubText } from './logger.js';

/**
 * What the process prints when it cannot start, and its exit status: every message names the
 * setting to change and how. 78 (EX_CONFIG) for configuration that does not parse; 1 otherwise.
 */
export function describeStartupFailure(err: unknown, env: NodeJS.ProcessEnv): { message: string; exitCode: number } {
  if (err instanceof ConfigError) return { message: err.message, exitCode: 78 };
  if (err instanceof StartupError) return { message: `Cannot start: ${err.message}`, exitCode: 1 };
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e?.syscall === 'listen' && (e.code === 'EADDRINUSE' || e.code === 'EACCES')) {
    const port = e.port ?? Number(env.PORT ?? 8080);
    const next = port > 0 && port < 65535 ? port + 1 : 8081;
    const why =
      e.code === 'EADDRINUSE'
        ? `port ${port} is already in use by another program (perhaps another copy of this server).`
        : `this user may not listen on port ${port} (ports below 1024 need extra privileges).`;
    return {
      message: `Cannot start: ${why} Stop the other program, or choose another port with PORT, for example PORT=${next} npm start (and BASE_URL=http://localhost:${next} if you set BASE_URL).`,
      exitCode: 1,
    };
  }
  return { message: `Start-up failed: ${scrubText(String(e?.message ?? err))}`, exitCode: 1 };
}
