import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context, Next } from 'koa';
import { AppError, isAppError } from '../errors.js';
import { checkCsrf, csrfField } from '../http/csrf.js';
import { html, sendErrorPage, sendPage, type SafeHtml } from '../http/html.js';
import { findAccount } from './account-store.js';
import { listAuthorizedClients, revokeAuthorizedClient } from './authorized-clients.js';
import { saveConnectionToolsets } from './connection-toolsets.js';
import { deleteAccountData } from './delete-account.js';
import { parseToolsetChoice } from './page-toolsets.js';
import { emitAccountChange } from './events.js';
import { LinkCheckError } from './intervals-check.js';
import { finishIntervalsOAuth, intervalsOAuthEnabled, readOAuthTarget, startIntervalsOAuth } from './intervals-oauth.js';
import { linkWithApiKey, saveLink, type AccountsDeps } from './link-actions.js';
import { LinkInputError } from './link-input.js';
import { findIntervalsLink, unlinkIntervals } from './links.js';
import { accountPage, tokenStatus, type AccountView } from './page-account.js';
import { deleteConfirmPage, revokeClientConfirmPage, revokeTokenConfirmPage, unlinkConfirmPage } from './page-confirm.js';
import { createPersonalAccessToken, listPersonalAccessTokens, parseNewPat, revokePersonalAccessToken } from './pats.js';
import { endAccountSession, readAccountSession, SESSION_PATH } from './sessions.js';

/**
 * The account page at /account: the person's Intervals.icu link, the apps they authorized, their
 * personal access tokens, sign-out and account deletion. Every POST checks CSRF and answers with
 * a redirect back to the page (post/redirect/get) carrying a fixed notice code, never echoed text.
 */
const NOTICES: Record<string, string> = {
  linked: 'Your Intervals.icu account is linked.',
  unlinked:
    'Intervals.icu is unlinked and the stored key or token deleted. Your apps cannot use the Intervals.icu tools until you link again.',
  revoked_client: 'The app is signed out and must ask for your approval again.',
  revoked_token: 'The token is revoked; apps using it are refused from now on.',
  toolsets_saved: "The app's tool sets are saved. It sees the new tools at its next request, after renewing its sign-in on its own.",
};

type Section = NonNullable<AccountView['error']>['section'];

export function buildAccountRouter(deps: AccountsDeps): Router {
  const router = new Router({ prefix: SESSION_PATH });
  const oauthOn = intervalsOAuthEnabled(deps.config);
  const form = bodyParser({ enableTypes: ['form'], formLimit: '16kb' });
  const body = (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>;
  router.use(showErrorsAsPages);

  /** Signed-in account id for this request, or a redirect to the sign-in page. */
  const signedIn = async (ctx: Context, next: Next) => {
    const accountId = await readAccountSession(ctx, deps.store);
    if (!accountId) return void ctx.redirect('/account/signin');
    ctx.state.accountId = accountId;
    await next();
  };
  const csrf = async (ctx: Context, next: Next) => {
    checkCsrf(ctx, body(ctx));
    await next();
  };
  const post = (path: string, handler: (ctx: Context, accountId: string) => Promise<void>) =>
    router.post(path, form, signedIn, csrf, (ctx) => handler(ctx, ctx.state.accountId as string));

  const render = async (ctx: Context, accountId: string, extra: Partial<AccountView> = {}, status = 200) => {
    const account = await findAccount(deps.store, accountId);
    if (!account) return void ctx.redirect('/account/signin');
    const [link, clients, tokens] = await Promise.all([
      findIntervalsLink(deps.store, accountId),
      listAuthorizedClients(deps.store, accountId),
      listPersonalAccessTokens(deps.store, accountId),
    ]);
    sendPage(ctx, {
      title: 'Your account',
      status,
      wide: true,
      body: accountPage({
        account,
        link,
        clients,
        tokens,
        csrf: csrfField(ctx, SESSION_PATH),
        oauthStart: oauthOn ? '/account/link/oauth' : undefined,
        baseUrl: deps.config.BASE_URL,
        ...extra,
      }),
    });
  };
  const showError = (ctx: Context, accountId: string, section: Section, err: unknown, field?: 'athlete_id' | 'api_key') => {
    if (!isAppError(err) || !err.expose) throw err;
    return render(
      ctx,
      accountId,
      { error: { section, message: err.message, field }, athleteIdInput: String(body(ctx).athlete_id ?? '') || undefined },
      err.status,
    );
  };
  const done = (ctx: Context, notice: keyof typeof NOTICES) => {
    ctx.status = 303;
    ctx.redirect(`/account?done=${notice}`);
  };

  router.get('/', signedIn, async (ctx) => {
    const notice = typeof ctx.query.done === 'string' ? NOTICES[ctx.query.done] : undefined;
    await render(ctx, ctx.state.accountId as string, { notice });
  });

  post('/link', async (ctx, accountId) => {
    try {
      await linkWithApiKey(deps, accountId, body(ctx));
    } catch (err) {
      return showError(ctx, accountId, 'link', err, err instanceof LinkInputError ? err.field : undefined);
    }
    done(ctx, 'linked');
  });

  if (oauthOn) {
    router.get('/link/oauth', signedIn, async (ctx) => void ctx.redirect(startIntervalsOAuth(ctx, deps.config, { kind: 'account' })));
  }
  // The one redirect URI registered with Intervals.icu; a flow started in the sign-in goes on to its interaction.
  router.get(
    '/link/callback',
    async (ctx, next) => {
      const target = readOAuthTarget(ctx);
      if (target?.kind === 'interaction')
        return void ctx.redirect(`/interaction/${encodeURIComponent(target.uid)}/link/callback?${ctx.querystring}`);
      await next();
    },
    signedIn,
    async (ctx) => {
      const accountId = ctx.state.accountId as string;
      try {
        const got = await finishIntervalsOAuth(ctx, deps.config, { kind: 'account' }, deps.fetch);
        await saveLink(deps, { accountId, ...got });
      } catch (err) {
        if (err instanceof LinkCheckError) return showError(ctx, accountId, 'link', err);
        throw err;
      }
      done(ctx, 'linked');
    },
  );

  /** GET the confirmation of a destructive action; `find` loads what it is about (or undefined when gone). */
  const confirm = <T>(
    path: string,
    title: string,
    find: (ctx: Context, accountId: string) => Promise<T | undefined>,
    page: (csrf: SafeHtml, item: T) => SafeHtml,
    gone: string,
  ) =>
    router.get(path, signedIn, async (ctx) => {
      const item = await find(ctx, ctx.state.accountId as string);
      if (item === undefined) return sendErrorPage(ctx, 404, 'Nothing to do', gone, { href: '/account', label: 'Back to your account' });
      sendPage(ctx, { title, body: page(csrfField(ctx, SESSION_PATH), item) });
    });
  confirm(
    '/unlink',
    'Unlink Intervals.icu',
    (_ctx, id) => findIntervalsLink(deps.store, id),
    unlinkConfirmPage,
    'No Intervals.icu account is linked, so there is nothing to unlink.',
  );
  confirm(
    '/clients/:grantId/revoke',
    'Revoke an app',
    async (ctx, id) => (await listAuthorizedClients(deps.store, id)).find((c) => c.grantId === ctx.params.grantId),
    revokeClientConfirmPage,
    'That app is not authorized (any more).',
  );
  confirm(
    '/tokens/:id/revoke',
    'Revoke a token',
    async (ctx, id) => (await listPersonalAccessTokens(deps.store, id)).find((t) => t.id === ctx.params.id && tokenStatus(t) === 'active'),
    revokeTokenConfirmPage,
    'That token does not exist or is already revoked.',
  );

  post('/unlink', async (ctx, accountId) => {
    await unlinkIntervals(deps.store, accountId);
    emitAccountChange(accountId, 'link_changed');
    deps.logger.info({ accountId }, 'intervals account unlinked');
    done(ctx, 'unlinked');
  });

  post('/tokens', async (ctx, accountId) => {
    const b = body(ctx);
    try {
      const created = await createPersonalAccessToken(
        deps.store,
        accountId,
        parseNewPat({ name: b.name, scopes: b.scopes, expiresInDays: b.expires_in_days, toolsets: b.toolsets }),
      );
      deps.logger.info({ accountId, patId: created.pat.id }, 'personal access token created');
      await render(ctx, accountId, { newToken: { token: created.token, name: created.pat.name } }, 201);
    } catch (err) {
      await showError(ctx, accountId, 'tokens', err);
    }
  });

  post('/tokens/:id/revoke', async (ctx, accountId) => {
    if (!(await revokePersonalAccessToken(deps.store, accountId, ctx.params.id ?? ''))) {
      return showError(ctx, accountId, 'tokens', new AppError('pat_not_found', 'That token does not exist or is already revoked.', 404));
    }
    emitAccountChange(accountId, 'token_revoked');
    done(ctx, 'revoked_token');
  });

  post('/clients/:grantId/revoke', async (ctx, accountId) => {
    if (!(await revokeAuthorizedClient(deps.store, accountId, ctx.params.grantId ?? ''))) {
      return showError(ctx, accountId, 'clients', new AppError('grant_not_found', 'That app is not authorized (any more).', 404));
    }
    emitAccountChange(accountId, 'client_revoked');
    deps.logger.info({ accountId }, 'authorized client revoked');
    done(ctx, 'revoked_client');
  });

  post('/clients/:grantId/toolsets', async (ctx, accountId) => {
    const client = (await listAuthorizedClients(deps.store, accountId)).find((c) => c.grantId === ctx.params.grantId);
    if (!client)
      return showError(ctx, accountId, 'clients', new AppError('grant_not_found', 'That app is not authorized (any more).', 404));
    let toolsets;
    try {
      toolsets = parseToolsetChoice(body(ctx).toolsets);
    } catch (err) {
      return showError(ctx, accountId, 'clients', err);
    }
    // A change retires the app's current access tokens (src/resource/access-status.ts): at once
    // on this instance, within ACCESS_STATUS_CACHE_SECONDS elsewhere; the app refreshes into the new set.
    if (await saveConnectionToolsets(deps.store, accountId, client.clientId, toolsets)) {
      emitAccountChange(accountId, 'toolsets_changed');
      deps.logger.info({ accountId, toolsets }, 'connection tool sets changed');
    }
    done(ctx, 'toolsets_saved');
  });

  post('/signout', async (ctx) => {
    await endAccountSession(ctx, deps.store, deps.config.isProduction);
    sendPage(ctx, {
      title: 'Signed out',
      body: html`<div class="card"><h1>Signed out</h1><p><a href="/account">Sign in again</a></p></div>`,
    });
  });

  router.get('/delete', signedIn, async (ctx) => {
    const account = await findAccount(deps.store, ctx.state.accountId as string);
    sendPage(ctx, { title: 'Delete your account', body: deleteConfirmPage(csrfField(ctx, SESSION_PATH), account?.email ?? null) });
  });

  post('/delete', async (ctx, accountId) => {
    if (body(ctx).confirm !== 'yes') {
      const account = await findAccount(deps.store, accountId);
      sendPage(ctx, {
        title: 'Delete your account',
        status: 400,
        body: html`<p class="error" role="alert">Tick the box to confirm, or cancel.</p>${deleteConfirmPage(csrfField(ctx, SESSION_PATH), account?.email ?? null)}`,
      });
      return;
    }
    const removed = await deleteAccountData(deps.store, accountId);
    emitAccountChange(accountId, 'deleted');
    await endAccountSession(ctx, deps.store, deps.config.isProduction);
    deps.logger.info({ accountId, removed }, 'account deleted');
    sendPage(ctx, {
      title: 'Account deleted',
      body: html`<div class="card"><h1>Your account is deleted</h1><p role="status">Everything we kept about you is gone, and every app you had authorized is signed out.
        Your Intervals.icu account is untouched; you may also want to delete the API key you used here in its Developer Settings.</p></div>`,
    });
  });

  return router;
}

/** People get a page, never the JSON error body (an expired form, a CSRF failure). */
export async function showErrorsAsPages(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (err) {
    if (!isAppError(err) || !err.expose) throw err;
    sendErrorPage(ctx, err.status, err.status === 403 ? 'Form expired' : 'Something went wrong', err.message, {
      href: '/account',
      label: 'Back to your account',
    });
  }
}
