import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../logger.js';
import { describeError, RETRY_AFTER_SECONDS } from '../errors.js';
import { sendErrorPage } from './html.js';

const SAFE_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Outermost middleware: gives each request an id (reusing a sane incoming X-Request-Id, e.g.
 * Fly's), a child logger, one JSON access-log line, a last-resort error answer that never
 * echoes a 5xx message (a page for browsers, JSON otherwise), and Retry-After on every 503.
 * Surface-specific mappers (OAuth, MCP) sit further in and answer first.
 */
export function requestContext(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const incoming = ctx.get('x-request-id');
    const id = SAFE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    // Made on first use: most requests log only their access line (below, on the root logger with
    // the same reqId field), and a child logger per request was a measurable share of /mcp's cost.
    let child: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', { get: () => (child ??= logger.child({ reqId: id })), configurable: true, enumerable: true });
    ctx.set('X-Request-Id', id);
    try {
      try {
        await next();
      } catch (err) {
        const d = describeError(err);
        if (d.status >= 500) ctx.state.log.error({ err }, 'request failed');
        // People in a browser (the account and sign-in pages) get a page, programs the JSON.
        if (ctx.accepts('json', 'html') === 'html') {
          sendErrorPage(
            ctx,
            d.status,
            d.status === 503 ? 'Temporarily unavailable' : 'Something went wrong',
            `${d.message} (Reference: ${id})`,
          );
        } else {
          ctx.status = d.status;
          ctx.body = { error: d.code, error_description: d.message, request_id: id };
        }
      }
      // Every 503 says when to come back, whichever part answered it.
      if (ctx.status === 503 && !ctx.response.get('Retry-After')) ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          reqId: id,
          method: ctx.method,
          // Path only: query strings carry codes and states.
          path: ctx.path,
          status: ctx.status,
          ms: Math.round(ms * 10) / 10,
          ip: ctx.ip,
          ua: ctx.get('user-agent') || undefined,
        },
        'request',
      );
      // Headers only at debug level; they pass through redact(), so Authorization, Cookie and
      // any *key* / *token* header is masked even then.
      if (logger.isLevelEnabled('debug')) logger.debug({ reqId: id, headers: ctx.headers }, 'request headers');
    }
  };
}
