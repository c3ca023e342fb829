import Router from '@koa/router';
import type { Middleware } from 'koa';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { Config } from '../config/schema.js';
import { requireOperator } from './operator-auth.js';

/**
 * The process's one Prometheus registry and the metrics the parts record into. Module-level on
 * purpose: every part imports the counter it needs from here (COMMON.md contract), and two
 * in-process services in one test share them harmlessly.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by route pattern, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const toolCalls = new Counter({
  name: 'mcp_tool_calls_total',
  help: 'MCP tool calls by tool and outcome (ok, tool_error, input_required, protocol_error, cancelled)',
  labelNames: ['tool', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const rateLimitRejections = new Counter({
  name: 'rate_limit_rejections_total',
  help: 'Requests refused with 429, by limiter',
  labelNames: ['limiter'] as const,
  registers: [metricsRegistry],
});

export const upstreamDuration = new Histogram({
  name: 'intervals_upstream_duration_seconds',
  help: 'Intervals.icu API calls by method, route template and status ("error" = no response)',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const upstreamErrors = new Counter({
  name: 'intervals_upstream_errors_total',
  help: 'Intervals.icu API calls that failed (5xx, 429 or no response)',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

/** The Intervals client's `onUpstream` hook. */
export function recordUpstream(e: { method: string; route: string; status: number | 'error'; ms: number }): void {
  const labels = { method: e.method, route: e.route, status: String(e.status) };
  upstreamDuration.observe(labels, e.ms / 1000);
  if (e.status === 'error' || e.status === 429 || e.status >= 500) upstreamErrors.inc(labels);
}

/** oidc-provider routes itself (no @koa/router pattern); its fixed endpoints are labelled by path. */
const PROVIDER_PATHS = new Set([
  '/authorize',
  '/token',
  '/register',
  '/revoke',
  '/jwks',
  '/me',
  '/logout',
  '/.well-known/oauth-authorization-server',
  '/.well-known/openid-configuration',
]);
function fixedRoute(path: string): string {
  if (PROVIDER_PATHS.has(path)) return path;
  if (path.startsWith('/interaction/')) return '/interaction/:uid/*';
  if (path.startsWith('/authorize/')) return '/authorize/:uid';
  if (path.startsWith('/register/')) return '/register/:clientId';
  return 'unmatched';
}

/** Times every request; labels by the router's pattern (never the raw path: ids would explode cardinality). */
export function metricsTimer(): Middleware {
  return async (ctx, next) => {
    const end = httpRequestDuration.startTimer();
    try {
      await next();
    } finally {
      const route = (ctx as unknown as { _matchedRoute?: string | RegExp })._matchedRoute;
      end({ route: route === undefined ? fixedRoute(ctx.path) : String(route), method: ctx.method, status: String(ctx.status) });
    }
  };
}

/** `/metrics`, behind the operator guard (operator-auth.ts: token, 404 in production without one). */
export function buildMetricsRouter(config: Config): Router {
  const router = new Router();
  router.get('/metrics', requireOperator(config, 'metrics'), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = metricsRegistry.contentType;
    ctx.body = await metricsRegistry.metrics();
  });
  return router;
}
