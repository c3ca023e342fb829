import compose from 'koa-compose';
import type { Middleware } from 'koa';
import type { InteractionDetails } from 'oidc-provider';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderDeps } from './provider.js';
import { createProviderHost } from './provider-host.js';
import { defaultScope, registrationGuard, tokenRateLimit } from './guards.js';
import { buildInteractionRouter } from './interactions/router.js';
import { pinIssuerOrigin } from './issuer-origin.js';
import { providerPageHeaders } from './provider-pages.js';
import { answerUnavailable } from './unavailable.js';

export interface AuthorizationServer {
  middleware: Middleware;
  /** Read access to the current interaction, for other parts' interaction steps (the link step). */
  interactions: { interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails> };
  close(): Promise<void>;
}

/**
 * The authorization server as one middleware for the composition root: the OAuth answer for an
 * unreachable database, guards in front of the OAuth endpoints, the interaction pages, then
 * oidc-provider itself (which passes on any path it does not own).
 */
export async function buildAuthorizationServer(deps: ProviderDeps): Promise<AuthorizationServer> {
  const host = await createProviderHost(deps);
  const interactions = buildInteractionRouter({ ...deps, provider: host.current });
  const middleware = compose<Parameters<Middleware>[0]>([
    answerUnavailable,
    registrationGuard(deps.config, deps.store),
    tokenRateLimit(deps.store),
    defaultScope,
    interactions.routes() as Middleware,
    interactions.allowedMethods() as Middleware,
    providerPageHeaders,
    pinIssuerOrigin(deps.config.ISSUER_URL),
    host.middleware,
  ]);
  return {
    middleware,
    interactions: { interactionDetails: (req, res) => host.current().interactionDetails(req, res) },
    close: () => host.close(),
  };
}
