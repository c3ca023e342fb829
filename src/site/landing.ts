import Router from '@koa/router';
import type { Config } from '../config/schema.js';
import { sendPage } from '../http/html.js';
import { landingPage } from './landing-page.js';

/**
 * `/`: what the service is, the connector URL to paste, and each client's steps. Static for a
 * given configuration, so it is rendered once; plain HTML with the page security headers.
 */
export function buildLandingRouter(config: Config): Router {
  const body = landingPage({
    serviceName: config.SERVICE_NAME,
    connectorUrl: config.MCP_RESOURCE,
    contactUrl: config.OPERATOR_CONTACT_URL,
    plainHttp: config.BASE_URL.startsWith('http://'),
  });
  const router = new Router();
  router.get('/', (ctx) => sendPage(ctx, { title: config.SERVICE_NAME, siteName: config.SERVICE_NAME, body }));
  return router;
}
