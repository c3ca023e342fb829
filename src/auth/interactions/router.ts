import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import type { InteractionDetails, Provider } from 'oidc-provider';
import type { Config } from '../../config/schema.js';
import type { Logger } from '../../logger.js';
import type { Store } from '../../store/store.js';
import { findAccount, upsertAccount } from '../../accounts/account-store.js';
import { findConnectionToolsets, saveConnectionToolsets } from '../../accounts/connection-toolsets.js';
import { emitAccountChange } from '../../accounts/events.js';
import { hasIntervalsLink } from '../../accounts/links.js';
import { parseToolsetChoice } from '../../accounts/page-toolsets.js';
import { DEFAULT_TOOLSETS } from '../../mcp/toolsets.js';
import { startAccountSession, sweepExpiredSessions } from '../../accounts/sessions.js';
import { AppError, describeError, isTemporarilyUnavailable } from '../../errors.js';
import { checkCsrf } from '../../http/csrf.js';
import { sendErrorPage } from '../../http/html.js';
import { buildSignInRouter, type VerifiedPerson } from '../../signin/router.js';
import { findGrantId } from '../adapter.js';
import { LINK_PROMPT } from './policy.js';
import { describeClient, interactionCookiePath, sendConsentPage, sendContinuePage } from './pages.js';

export interface InteractionDeps {
  config: Config;
  store: Store;
  logger: Logger;
  /** The current provider (it is rebuilt when signing keys change). */
  provider: () => Provider;
}

const expired = () =>
  new AppError(
    'interaction_expired',
    'This sign-in request has expired or was opened in another browser. Go back to the app you were connecting and start again.',
    400,
  );

/** The interaction in the cookie, and only if it is the one named in the URL. */
async function loadInteraction(ctx: Context, provider: Provider): Promise<InteractionDetails> {
  let details: InteractionDetails;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (err) {
    // The database being away is not an expired sign-in: starting again would fail the same way.
    if (isTemporarilyUnavailable(err)) throw err;
    throw expired();
  }
  if (details.uid !== ctx.params.uid) throw expired();
  return details;
}

/** People see pages, not JSON: every error under /interaction becomes a plain error page. */
const htmlErrors: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const d = describeError(err);
    if (d.status >= 500) ctx.state.log?.error({ err }, 'interaction failed');
    const title =
      d.code === 'interaction_expired'
        ? 'This sign-in has expired'
        : d.status === 403
          ? 'Please try again'
          : d.status === 503
            ? 'Temporarily unavailable'
            : 'Something went wrong';
    sendErrorPage(ctx, d.status, title, d.status === 503 ? `${d.message} Reload this page in a minute; nothing is lost.` : d.message);
  }
};

/**
 * `/interaction/:uid`: where oidc-provider sends the browser when it needs the person. Sign-in is
 * the sign-in router's job (Supabase, or the local development sign-in); consent is ours; linking
 * Intervals.icu is the accounts part's `/interaction/:uid/link`.
 */
export function buildInteractionRouter(deps: InteractionDeps): Router {
  const router = new Router();
  router.use('/interaction', htmlErrors);

  router.get('/interaction/:uid', async (ctx) => {
    const provider = deps.provider();
    const details = await loadInteraction(ctx, provider);
    const uid = details.uid;
    switch (details.prompt.name) {
      case 'login':
        ctx.status = 303;
        return ctx.redirect(`/interaction/${uid}/signin`);
      case LINK_PROMPT:
        ctx.status = 303;
        return ctx.redirect(`/interaction/${uid}/link`);
      case 'consent': {
        const client = await provider.Client.find(details.params.client_id);
        if (!client) throw expired();
        const accountId = details.session?.accountId;
        const account = accountId ? await findAccount(deps.store, accountId) : undefined;
        const choice = accountId ? await findConnectionToolsets(deps.store, accountId, client.clientId) : undefined;
        return sendConsentPage(
          ctx,
          details,
          describeClient(client, details.params.redirect_uri),
          account?.email ?? null,
          choice?.toolsets ?? DEFAULT_TOOLSETS,
        );
      }
      default:
        throw new AppError('interaction_unknown', 'This step of the sign-in is not supported.', 400);
    }
  });

  router.post('/interaction/:uid/consent', bodyParser({ enableTypes: ['form'], formLimit: '8kb' }), async (ctx) => {
    const provider = deps.provider();
    const details = await loadInteraction(ctx, provider);
    checkCsrf(ctx, ctx.request.body as Record<string, unknown>);
    if (details.prompt.name !== 'consent' || !details.session) throw expired();
    const form = ctx.request.body as Record<string, unknown>;
    if (form.decision !== 'allow') return decline(ctx, provider, 'The person declined to connect this app.');
    const accountId = details.session.accountId;
    // Read before anything is saved: a tampered set name gets an error page and changes nothing.
    const toolsets = parseToolsetChoice(form.toolsets);
    const grantId = await saveConsent(provider, deps.store, details, accountId);
    // Tokens carry the choice from here on (src/auth/provider.ts extraTokenClaims); a changed one
    // also retires the app's tokens issued before (src/resource/access-status.ts).
    if (await saveConnectionToolsets(deps.store, accountId, details.params.client_id as string, toolsets))
      emitAccountChange(accountId, 'toolsets_changed');
    const to = await provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    if (!(await hasIntervalsLink(deps.store, accountId))) {
      ctx.status = 303;
      return ctx.redirect(`/interaction/${details.uid}/link`);
    }
    return sendContinuePage(ctx, to);
  });

  // The way out of any step (the link step's "Not now"): the app is told the person declined
  // (access_denied, RFC 6749 §4.1.2.1), so it stops waiting and can offer to try again.
  router.post('/interaction/:uid/cancel', bodyParser({ enableTypes: ['form'], formLimit: '8kb' }), async (ctx) => {
    const provider = deps.provider();
    await loadInteraction(ctx, provider);
    checkCsrf(ctx, ctx.request.body as Record<string, unknown>);
    return decline(ctx, provider, 'The person stopped before linking Intervals.icu.');
  });

  const signIn = buildSignInRouter(
    { config: deps.config, store: deps.store, logger: deps.logger, upsertAccount: (person) => upsertAccount(deps.store, person) },
    {
      prefix: '/interaction/:uid/signin',
      cookiePath: (ctx) => interactionCookiePath(String(ctx.params.uid)),
      guard: async (ctx) => {
        await loadInteraction(ctx, deps.provider());
      },
      describe: async (ctx) => {
        const provider = deps.provider();
        const details = await loadInteraction(ctx, provider);
        const client = await provider.Client.find(details.params.client_id);
        const name = client ? describeClient(client, details.params.redirect_uri).name : 'an app';
        return { heading: 'Sign in', detail: `to connect ${name} to your Intervals.icu account.` };
      },
      onSignedIn: async (ctx: Context, person: VerifiedPerson) => {
        const provider = deps.provider();
        await loadInteraction(ctx, provider);
        const account = await findAccount(deps.store, person.id);
        if (!account || account.disabled_at !== null)
          throw new AppError('account_disabled', 'This account is disabled. Contact the operator of this service.', 403);
        const to = await provider.interactionResult(
          ctx.req,
          ctx.res,
          { login: { accountId: person.id } },
          { mergeWithLastSubmission: false },
        );
        // One sign-in serves the whole browser: the account page opens without asking again.
        await sweepExpiredSessions(deps.store);
        await startAccountSession(ctx, deps.store, person.id, deps.config.isProduction);
        sendContinuePage(ctx, to);
      },
    },
  );
  router.use(signIn.routes(), signIn.allowedMethods());
  return router;
}

/** Ends the interaction with access_denied and sends the browser back to the app with it. */
async function decline(ctx: Context, provider: Provider, description: string): Promise<void> {
  const to = await provider.interactionResult(
    ctx.req,
    ctx.res,
    { error: 'access_denied', error_description: description },
    { mergeWithLastSubmission: false },
  );
  sendContinuePage(ctx, to);
}

/**
 * Records what the person just allowed on their Grant for this client (one Grant per person and
 * client, so consent is remembered and a step-up adds to it).
 */
async function saveConsent(provider: Provider, store: Store, details: InteractionDetails, accountId: string): Promise<string> {
  const clientId = details.params.client_id;
  const existingId = details.grantId ?? (await findGrantId(store, accountId, clientId));
  const existing = existingId ? await provider.Grant.find(existingId) : undefined;
  const grant = existing && existing.accountId === accountId ? existing : new provider.Grant({ accountId, clientId });
  const d = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
  if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
  return grant.save();
}
