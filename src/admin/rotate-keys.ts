import { DEFAULT_PUBLISH_LEAD_SECONDS, rotateSigningKeys } from '../auth/keys.js';
import { AdminError, EXIT, type AdminContext } from './context.js';

/**
 * `rotate-keys`: publishes a new signing key now; it signs after the publish lead, so every
 * instance and every resource server has seen it in the JWKS first. The old key stays published
 * until the tokens it signed have expired.
 */
export async function rotateKeysCommand(ctx: AdminContext, args: string[]): Promise<number> {
  await ctx.requireMigrated();
  if (ctx.config.SIGNING_KEYS) {
    throw new AdminError(
      'Signing keys come from SIGNING_KEYS here, not the database: rotate by putting a new key first in that JWKS (keep the old one after it until its tokens expire).',
      EXIT.failed,
    );
  }
  const lead = args[0] === undefined ? DEFAULT_PUBLISH_LEAD_SECONDS : Number(args[0]);
  if (!Number.isInteger(lead) || lead < 0 || lead > 86_400) {
    throw new AdminError('The publish lead is a whole number of seconds between 0 and 86400 (default 300).', EXIT.usage);
  }
  const { kid, activatesAt } = await rotateSigningKeys(ctx.store, await ctx.secretBox(), { publishLeadSeconds: lead });
  ctx.out(`Published signing key ${kid}; it signs from ${activatesAt.toISOString()} (in ${lead} s).`);
  ctx.out('The previous key stays in the JWKS until the tokens it signed have expired; running instances pick the change up without a restart.');
  return EXIT.ok;
}
