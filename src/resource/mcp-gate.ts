import { rateLimitRejections } from '../http/metrics.js';
import { hasScope, READ_SCOPE, WRITE_SCOPE, type Scope } from '../mcp/context.js';
import { InsufficientScopeError } from './challenge.js';
import { McpRefusal, requestOf, type McpMessage } from './mcp-message.js';
import { rateLimitHeaders, type RateLimiter } from '../limits/rate-limit.js';
import type { VerifiedToken } from './verify-token.js';

/** Methods that do work against Intervals.icu: each one counts against the person's hourly limit. */
const METERED = new Set(['tools/call', 'resources/read']);

export interface McpGate {
  /**
   * Lets a request through or refuses it: InsufficientScopeError (→ 403 step-up challenge) when
   * the token lacks a scope the request needs, McpRefusal 429 over the hourly limit. Returns the
   * rate-limit headers every metered answer carries.
   */
  check(message: McpMessage, token: VerifiedToken): Promise<Record<string, string>>;
}

export function createMcpGate(limiter: RateLimiter, toolScopes: ReadonlyMap<string, string>): McpGate {
  function requiredScopes(method: string, name: unknown): Scope[] {
    return method === 'tools/call' && typeof name === 'string' && toolScopes.get(name) === WRITE_SCOPE
      ? [READ_SCOPE, WRITE_SCOPE]
      : [READ_SCOPE];
  }
  return {
    async check(message, token) {
      const req = requestOf(message);
      if (!req) return {}; // notifications, responses and malformed bodies run nothing
      const needed = requiredScopes(req.method, req.name);
      if (!needed.every((s) => hasScope(token.person, s)))
        throw new InsufficientScopeError(needed, req.method === 'tools/call' ? `The tool ${String(req.name)}` : req.method);
      if (!METERED.has(req.method)) return {};
      // A ui:// view is static HTML from memory (src/mcp/views.ts): loading one is not work against Intervals.icu.
      if (req.method === 'resources/read' && typeof req.uri === 'string' && req.uri.startsWith('ui://')) return {};
      const decision = await limiter.take(token.person.accountId ?? token.fingerprint);
      const headers = rateLimitHeaders(limiter.policy, decision);
      if (!decision.allowed) {
        rateLimitRejections.inc({ limiter: limiter.policy.name });
        const minutes = Math.ceil(decision.retryAfterSeconds / 60);
        throw new McpRefusal(
          429,
          -32029,
          `Rate limit reached: ${decision.limit} calls per hour for this account. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}; until then, answer from what you already have.`,
          { retryAfterSeconds: decision.retryAfterSeconds, limit: decision.limit },
          headers,
        );
      }
      return headers;
    },
  };
}
