import { interactionPolicy, type KoaContextWithOIDC, type PolicyInstance } from 'oidc-provider';
import type { Queryable } from '../../store/store.js';
import { hasIntervalsLink } from '../../accounts/links.js';

/** Name of our extra prompt: the person must link Intervals.icu before a code is issued. */
export const LINK_PROMPT = 'intervals_link';

/**
 * oidc-provider's base policy (login, then a requestable consent: Claude sends prompt=consent and
 * fails if it is not requestable), changed in two ways:
 * - consent is remembered per (person, client) instead of asked on every visit of a native client;
 *   oidc-provider's own checks still ask whenever a scope was not granted before;
 * - after consent, a person without an Intervals.icu link is sent to the link step, whatever
 *   route they took to get here (first visit, remembered consent, abandoned link).
 */
export function buildInteractionPolicy(store: Queryable): PolicyInstance {
  const policy = interactionPolicy.base();
  policy.get('consent')!.checks.remove('native_client_prompt');
  policy.add(
    new interactionPolicy.Prompt(
      { name: LINK_PROMPT, requestable: false },
      new interactionPolicy.Check(
        'intervals_link_missing',
        'the person has not linked Intervals.icu yet',
        'interaction_required',
        async (ctx: KoaContextWithOIDC) => {
          const accountId = ctx.oidc.session.accountId;
          return accountId !== undefined && !(await hasIntervalsLink(store, accountId));
        },
      ),
    ),
  );
  return policy;
}
