import { readFileSync } from 'node:fs';
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';

/**
 * Server (a), the framework ceiling: Koa 3 + @koa/router + @koa/bodyparser answering POST /mcp
 * with fixed bytes, byte for byte what server (c) answered to the same request (captured by the
 * harness), so the two differ only in the work done to produce the answer.
 */
const fixed: Record<string, Buffer> = {
  'tools/call': readFileSync(process.env.BENCH_FIXED_CALL!),
  'tools/list': readFileSync(process.env.BENCH_FIXED_LIST!),
};

const app = new Koa();
const router = new Router();
router.get('/ready', (ctx) => {
  ctx.body = { status: 'ready' };
});
router.post('/mcp', (ctx) => {
  const method = (ctx.request.body as { method?: string } | undefined)?.method ?? '';
  const answer = fixed[method];
  if (!answer) {
    ctx.status = 400;
    ctx.body = { jsonrpc: '2.0', id: null, error: { code: -32601, message: 'unknown method' } };
    return;
  }
  ctx.type = 'application/json';
  ctx.body = answer;
});
app.use(bodyParser()).use(router.routes()).use(router.allowedMethods());
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
