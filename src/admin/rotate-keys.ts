import { AdminError, EXIT, type AdminContext } from './context.js';

/** `rotate-keys`: wired to the authorization server's rotation once it exists. */
export async function rotateKeysCommand(ctx: AdminContext): Promise<number> {
  await ctx.requireMigrated();
  throw new AdminError('rotate-keys is not available in this build: the authorization server is not installed.', EXIT.unavailable);
}
