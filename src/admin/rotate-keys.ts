import { DEFAULT_PUBLISH_LEAD_SECONDS, JWKS_REFETCH_COOLDOWN_SECONDS, minimumPublishLeadSeconds, rotateSigningKeys } from '../auth/keys.js';
import { AdminError, EXIT, type AdminContext } from './context.js';

/**
 * `rotate-keys`: publishes a new signing key now; it signs after the publish lead, so every
 * instance and every resource server has seen it in the JWKS first. The old key stays published
 * until the tokens it signed have expired. A lead shorter than the safe minimum would have fresh
 * tokens refused with 401 for a while, so it takes `--force` (for an emergency).
 */
export async function rotateKeysCommand(ctx: AdminContext, args: string[], force = false): Promise<number> {
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
  const reload = ctx.config.SIGNING_KEYS_RELOAD_SECONDS;
  const minimum = minimumPublishLeadSeconds(reload);
  const why = `SIGNING_KEYS_RELOAD_SECONDS ${reload} s for every instance to publish the new key + ${JWKS_REFETCH_COOLDOWN_SECONDS} s for resource servers to refetch the JWKS`;
  if (lead < minimum) {
    if (!force) {
      throw new AdminError(
        `Refused: a publish lead of ${lead} s is shorter than the safe minimum of ${minimum} s (${why}); ` +
          'with less, access tokens signed by the new key are refused with 401 until every instance and resource server has it. ' +
          `Run \`rotate-keys ${minimum}\` or more (or no lead: the default ${DEFAULT_PUBLISH_LEAD_SECONDS} s). ` +
          `In an emergency, \`rotate-keys ${lead} --force\` rotates anyway.`,
        EXIT.usage,
      );
    }
    ctx.err(
      `Warning (--force): a publish lead of ${lead} s is shorter than the safe minimum of ${minimum} s (${why}). ` +
        `For up to ${minimum - lead} s after the new key starts signing, some requests with freshly issued or refreshed access tokens ` +
        'will be refused with 401 "signed with a key this server does not know"; tokens issued before the rotation stay valid.',
    );
  }
  const { kid, activatesAt } = await rotateSigningKeys(ctx.store, await ctx.secretBox(), { publishLeadSeconds: lead });
  ctx.out(`Published signing key ${kid}; it signs from ${activatesAt.toISOString()} (in ${lead} s).`);
  ctx.out(
    'The previous key stays in the JWKS until the tokens it signed have expired; running instances pick the change up without a restart.',
  );
  return EXIT.ok;
}
