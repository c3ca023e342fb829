import { runAdmin } from './admin/run.js';

/**
 * Operator commands: `npm run admin -- <command>` in a checkout, `node dist/src/admin.js
 * <command>` in the image (e.g. `fly ssh console -C "node dist/src/admin.js accounts list"`).
 * Reads the same configuration as the server and opens the same store.
 */
process.exitCode = await runAdmin(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
