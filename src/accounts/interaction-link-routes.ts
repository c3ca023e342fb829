import type { IncomingMessage, ServerResponse } from 'node:http';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { AppError, isTemporarilyUnavailable } from '../errors.js';
import { checkCsrf, csrfField } from '../http/csrf.js';
import { html, sendErrorPage, sendPage, type SafeHtml } from '../http/html.js';
import { LinkCheckError } from './intervals-check.js';
import { finishIntervalsOAuth, intervalsOAuthEnabled, startIntervalsOAuth } from './intervals-oauth.js';
import { linkWithApiKey, saveLink, type AccountsDeps } from './link-actions.js';
import { LinkInputError } from './link-input.js';
import { hasIntervalsLink, type IntervalsLink } from './links.js';
import { linkForm, sendContinuePage } from './page-link.js';

/**
 * The link step of the OAuth sign-in: after consent, the authorization server stores the consent
 * result and sends a person without a link here. On success we return the browser to the
 * interaction's `returnTo`, where oidc-provider resumes and issues the code to the MCP client.
 */
export interface InteractionReader {
  interactionDetails(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ uid: string; returnTo: string; session?: { accountId?: string }; result?: { login?: { accountId?: string } } }>;
}

interface PendingInteraction {
  uid: string;
  accountId: string;
  returnTo: string;
}

const cookiePath = (uid: string) => `/interaction/${uid}`;

async function loadInteraction(ctx: Context, provider: InteractionReader): Promise<PendingInteraction> {
  let details: Awaited<ReturnType<InteractionReader['interactionDetails']>>;
  try {
    details = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (err) {
    // The database being away is not an expired sign-in (the app's error mapper answers 503).
    if (isTemporarilyUnavailable(err)) throw err;
    throw new AppError(
      'interaction_expired',
      'This sign-in has expired or was finished in another tab. Go back to your app and connect again.',
      400,
      { cause: err },
    );
  }
  const accountId = details.result?.login?.accountId ?? details.session?.accountId;
  if (details.uid !== ctx.params.uid || !accountId) {
    throw new AppError(
      'interaction_expired',
      'This sign-in has expired or was finished in another tab. Go back to your app and connect again.',
      400,
    );
  }
  return { uid: details.uid, accountId, returnTo: details.returnTo };
}

function linkedDetail(link: IntervalsLink): string {
  return `Linked to ${link.athleteName ?? 'your athlete'} (${link.athleteId}). Returning to your app…`;
}

export function buildInteractionLinkRouter(deps: AccountsDeps, provider: InteractionReader): Router {
  const router = new Router({ prefix: '/interaction/:uid/link' });
  const oauthOn = intervalsOAuthEnabled(deps.config);

  const renderForm = (ctx: Context, uid: string, error?: { message: string; field?: 'athlete_id' | 'api_key' }, status = 200) =>
    sendPage(ctx, {
      title: 'Link Intervals.icu',
      status,
      body: linkCard(
        linkForm({
          action: `/interaction/${uid}/link`,
          csrf: csrfField(ctx, cookiePath(uid)),
          oauthStart: oauthOn ? `/interaction/${uid}/link/oauth` : undefined,
          error,
          athleteId:
            typeof ctx.request.body === 'object' && ctx.request.body
              ? String((ctx.request.body as Record<string, unknown>).athlete_id ?? '')
              : undefined,
        }),
        notNow(uid, csrfField(ctx, cookiePath(uid))),
      ),
    });

  const handle = async (ctx: Context, step: (p: PendingInteraction) => Promise<void>) => {
    let pending: PendingInteraction;
    try {
      pending = await loadInteraction(ctx, provider);
    } catch (err) {
      if (err instanceof AppError) return sendErrorPage(ctx, err.status, 'This sign-in has expired', err.message);
      throw err;
    }
    await step(pending);
  };

  router.get('/', async (ctx) =>
    handle(ctx, async (p) => {
      if (await hasIntervalsLink(deps.store, p.accountId)) return void ctx.redirect(p.returnTo);
      renderForm(ctx, p.uid);
    }),
  );

  router.post('/', bodyParser({ enableTypes: ['form'] }), async (ctx) =>
    handle(ctx, async (p) => {
      checkCsrf(ctx, ctx.request.body as Record<string, unknown>);
      try {
        const link = await linkWithApiKey(deps, p.accountId, ctx.request.body as Record<string, unknown>);
        sendContinuePage(ctx, p.returnTo, 'Intervals.icu linked', linkedDetail(link));
      } catch (err) {
        if (err instanceof LinkInputError) return renderForm(ctx, p.uid, { message: err.message, field: err.field }, err.status);
        if (err instanceof LinkCheckError) return renderForm(ctx, p.uid, { message: err.message }, err.status);
        throw err;
      }
    }),
  );

  if (oauthOn) {
    router.get('/oauth', async (ctx) =>
      handle(ctx, async (p) => {
        ctx.redirect(startIntervalsOAuth(ctx, deps.config, { kind: 'interaction', uid: p.uid }));
      }),
    );
    router.get('/callback', async (ctx) =>
      handle(ctx, async (p) => {
        try {
          const got = await finishIntervalsOAuth(ctx, deps.config, { kind: 'interaction', uid: p.uid }, deps.fetch);
          const link = await saveLink(deps, { accountId: p.accountId, ...got });
          sendContinuePage(ctx, p.returnTo, 'Intervals.icu linked', linkedDetail(link));
        } catch (err) {
          if (err instanceof LinkCheckError) return renderForm(ctx, p.uid, { message: err.message }, err.status);
          throw err;
        }
      }),
    );
  }
  return router;
}

const linkCard = (inner: SafeHtml, wayOut: SafeHtml): SafeHtml =>
  html`<div class="card"><h1>Link your Intervals.icu account</h1>
    <p>One last step: connect the Intervals.icu account whose data your app should see. You only do this once.</p>${inner}</div>${wayOut}`;

/** The way out: stop here (the app is told the person declined) and link later from the account page. */
const notNow = (uid: string, csrf: SafeHtml): SafeHtml =>
  html`<div class="card"><h2>Not now?</h2>
    <p class="muted">Your app stays unconnected until an Intervals.icu account is linked. You can link it later on <a href="/account">your account page</a>, then connect the app again.</p>
    <form method="post" action="/interaction/${encodeURIComponent(uid)}/cancel">${csrf}<button type="submit" class="secondary" id="link-later">Cancel and link later</button></form></div>`;
