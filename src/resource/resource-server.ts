import { randomUUID } from 'node:crypto';
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { verifyPersonalAccessToken } from '../accounts/pats.js';
import type { Config } from '../config/schema.js';
import { cors } from '../http/cors.js';
import { buildMetricsRouter, metricsTimer } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import { createToolRegistry, TOOL_SCOPES, type ResolveContext } from '../mcp/server.js';
import type { Secrets } from '../store/app-secrets.js';
import type { Store } from '../store/store.js';
import { ChallengeResponse, challengeFor } from './challenge.js';
import type { McpBinding } from './mcp-dispatch.js';
import { authInfoOf, buildMcpEndpoint, MAX_BODY_BYTES } from './mcp-endpoint.js';
import { createMcpDispatch } from './mcp-dispatch.js';
import { createMcpGate } from './mcp-gate.js';
import { buildLegacySse } from './legacy-sse.js';
import { sseSessionStore } from './sse-sessions.js';
import { originAllowed, originHostGuard } from './origin-guard.js';
import { buildPrmRouter, PRM_PATH, resourceMetadataUrl } from './prm.js';
import { createRateLimiter, LONGEST_WINDOW_MS, MAX_SPARE_UNITS, sweepRateLimits } from '../limits/rate-limit.js';
import { createToolContextResolver } from './tool-context.js';
import { createUiClients } from './ui-clients.js';
import { createTokenVerifier, presentedToken, type VerifyPersonalAccessToken } from './verify-token.js';

export interface ResourceServerDeps {
  config: Config;
  store: Store;
  logger: Logger;
  secrets: Pick<Secrets, 'encryptionKey' | 'previousEncryptionKeys'>;
  /** Default: the tool registry (src/mcp/server.ts) with the HTTP tool-context resolver. */
  mcp?: McpBinding;
  /** Default: src/accounts/pats.ts. */
  verifyPersonalAccessToken?: VerifyPersonalAccessToken;
}

export type { McpBinding } from './mcp-dispatch.js';

const HOUR_MS = 3_600_000;
/** Streamable HTTP, and the legacy HTTP+SSE transport's two endpoints. */
const MCP_PATHS = new Set(['/mcp', '/sse', '/messages']);
const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * The resource server as one middleware, mounted right after the request context so its timer
 * sees every route: metrics, CORS, RFC 9728 metadata, and POST /mcp behind Origin/Host checks,
 * bearer verification, scope checks and the per-person rate limit.
 */
export function buildResourceServer(deps: ResourceServerDeps): Middleware & { endStreams(): Promise<void>; close(): Promise<void> } {
  const { config } = deps;
  const verifier = createTokenVerifier({
    issuer: config.ISSUER_URL,
    audience: config.MCP_RESOURCE,
    jwksUrl: new URL(`${config.ISSUER_URL}/jwks`),
    store: deps.store,
    verifyPersonalAccessToken: deps.verifyPersonalAccessToken ?? verifyPersonalAccessToken,
    statusCacheMs: config.ACCESS_STATUS_CACHE_SECONDS * 1000,
  });
  const metadataUrl = resourceMetadataUrl(config);
  // Spare units: a warm tool call waits for no database round trip (src/limits/rate-limit.ts).
  const limiter = createRateLimiter(
    deps.store,
    { name: 'tool-calls', limit: config.RATE_LIMIT_PER_HOUR, windowMs: HOUR_MS, bucketMs: 60_000 },
    Date.now,
    {
      spareUnits: MAX_SPARE_UNITS,
    },
  );
  const guard = originHostGuard(config);

  async function authenticate(ctx: Context) {
    try {
      return await verifier.verify(presentedToken({ authorization: ctx.get('authorization'), apiKey: ctx.get('x-api-key') }));
    } catch (err) {
      const c = challengeFor(err, metadataUrl);
      if (!c) throw err;
      if (c.status === 503) ctx.state.log?.warn({ err }, 'token verification unavailable');
      throw new ChallengeResponse(c);
    }
  }

  const toolContext = deps.mcp ? undefined : createToolContextResolver(deps);
  const mcpBinding = deps.mcp ?? defaultBinding(deps, toolContext!.resolve);
  const gate = createMcpGate(limiter, mcpBinding.toolScopes);
  const dispatcher = createMcpDispatch(mcpBinding, {
    maxBodyBytes: MAX_BODY_BYTES,
    onerror: (err) => deps.logger.debug({ err: { message: err.message } }, 'mcp request refused by the SDK'),
  });
  const resource = new URL(config.MCP_RESOURCE);
  const sse = buildLegacySse({
    authenticate,
    authInfo: (token) => authInfoOf(token, resource),
    mcpUrl: resource.href,
    gate,
    dispatcher,
    sessions: sseSessionStore(deps.store),
    instanceId: config.FLY_MACHINE_ID ?? randomUUID(),
    maxStreamsPerPerson: config.SSE_MAX_STREAMS_PER_PERSON,
    logger: deps.logger,
  });
  const mcpRoutes = chain([routesOf(buildMcpEndpoint({ config, gate, dispatcher, authenticate })), routesOf(sse.router)]);
  const mcp: Middleware = async (ctx, next) => {
    if (!MCP_PATHS.has(ctx.path)) return next();
    await guard(ctx, async () => {
      try {
        await mcpRoutes(ctx, next);
      } catch (err) {
        // Bearer failures arrive pre-mapped; a scope refusal (InsufficientScopeError) is mapped here.
        const c = err instanceof ChallengeResponse ? err.challenge : challengeFor(err, metadataUrl);
        if (!c) throw err;
        ctx.status = c.status;
        ctx.set(c.headers);
        ctx.body = c.body;
      }
    });
  };

  const sweeper = setInterval(() => {
    sweepRateLimits(deps.store, LONGEST_WINDOW_MS).catch((err) => deps.logger.warn({ err }, 'rate-limit sweep failed'));
  }, SWEEP_EVERY_MS);
  sweeper.unref();

  const middleware = chain([
    metricsTimer(),
    cors([
      { prefix: '/mcp', methods: ['POST', 'GET', 'DELETE', 'OPTIONS'], origin: (o) => (originAllowed(config, o) ? o : undefined) },
      { prefix: '/sse', methods: ['GET', 'OPTIONS'], origin: (o) => (originAllowed(config, o) ? o : undefined) },
      { prefix: '/messages', methods: ['POST', 'OPTIONS'], origin: (o) => (originAllowed(config, o) ? o : undefined) },
      { prefix: PRM_PATH, methods: ['GET', 'OPTIONS'], origin: () => '*' },
    ]),
    routesOf(buildPrmRouter(config)),
    routesOf(buildMetricsRouter(config)),
    mcp,
  ]);
  return Object.assign(middleware, {
    /** Ends the open legacy SSE streams, which would otherwise hold a graceful stop until its deadline. */
    endStreams: () => sse.close(),
    async close() {
      clearInterval(sweeper);
      await sse.close();
      await dispatcher.close();
      toolContext?.close();
      verifier.close();
      await limiter.close();
    },
  });
}

/** Runs middleware in order (koa-compose without the extra dependency). */
function chain(list: readonly Middleware[]): Middleware {
  return (ctx, next) => {
    const run = (i: number): Promise<unknown> => (i === list.length ? next() : Promise.resolve(list[i]!(ctx, () => run(i + 1))));
    return run(0);
  };
}

/** @koa/router's context type is wider than plain Koa's; at runtime its routes() is ordinary middleware. */
const routesOf = (router: Router): Middleware => router.routes() as unknown as Middleware;

/** The tool registry with the HTTP tool-context resolver, served by the SDK and the fast lane alike. */
function defaultBinding(deps: ResourceServerDeps, resolveContext: ResolveContext): McpBinding {
  const registry = createToolRegistry({
    resolveContext,
    logger: deps.logger,
    turnOnToolsets: `for this app at ${deps.config.BASE_URL}/account (a personal access token keeps its sets: make a new one)`,
  });
  return { createServer: registry.createServer, toolScopes: TOOL_SCOPES, tools: registry.tools, uiClients: createUiClients(deps.store) };
}
