import { CookieJar, findForm, submitForm, type FormPage } from '../../support/http-forms.js';
import { authorizationUrl, exchangeCode, pkce, registerClient, type RegisteredClient } from '../../support/oauth.js';

/**
 * One full OAuth connect as an MCP client plus a person would do it, over plain HTTP (no
 * browser): register → authorize → sign in (development sign-in) → consent → link Intervals.icu
 * (the API key form, checked live against the stand-in) → token. Times each step. Used by the
 * reliability tests and by the benchmark's connects-per-second figure.
 */

export interface Connect {
  accessToken: string;
  refreshToken: string;
  client: RegisteredClient;
  ms: number;
  steps: Record<string, number>;
}

export interface ConnectAs {
  /** The development sign-in's email (one account per email). */
  email: string;
  /** The Intervals.icu athlete and API key to link when the flow asks. */
  athlete: { id: string; apiKey: string };
  scope?: string;
  /** Reuse a registered client instead of registering a new one. */
  client?: RegisteredClient;
  /** Called after each step (register, authorize, sign-in, consent, link, token start), e.g. to switch instances mid-flow. */
  afterStep?: (step: string) => Promise<void> | void;
  /** Sent as X-Forwarded-For on the person's pages (a service with TRUST_PROXY sees many people, not one address). */
  ip?: string;
}

const MAX_PAGES = 12;
const META_REFRESH = /<meta\s+http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"/i;
const decodeEntities = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"');

export async function connectOnce(baseUrl: string, as: ConnectAs): Promise<Connect> {
  const steps: Record<string, number> = {};
  const t0 = performance.now();
  let mark = t0;
  const lap = async (name: string) => {
    const now = performance.now();
    steps[name] = (steps[name] ?? 0) + (now - mark);
    await as.afterStep?.(name);
    mark = performance.now();
  };
  const client =
    as.client ?? (await registerClient(baseUrl, { client_name: 'Reliability client', redirect_uris: ['http://127.0.0.1:9/callback'] }));
  await lap('register');
  const { verifier, challenge } = pkce();
  const jar = new CookieJar(as.ip ? { 'x-forwarded-for': as.ip } : {});
  let page: FormPage | URL = await jar.browse(
    authorizationUrl(baseUrl, { client, challenge, scope: as.scope ?? 'intervals:read' }),
    baseUrl,
  );
  await lap('authorize');
  const visited: string[] = [];
  for (let i = 0; i < MAX_PAGES && !(page instanceof URL); i++) {
    const p: FormPage = page;
    const path = p.url.pathname;
    visited.push(`${path} ${p.status}`);
    const refresh = META_REFRESH.exec(p.html)?.[1];
    if (refresh) {
      // "Linked, continuing…" pages navigate with a meta refresh (a form POST answered with a
      // redirect to the client would be blocked by CSP form-action in browsers).
      page = await jar.browse(new URL(decodeEntities(refresh), p.url).href, baseUrl);
    } else if (/\/interaction\/[^/]+\/signin/.test(path)) {
      const form = findForm(p, (f) => /\/dev$/.test(f.action));
      if (!form) throw new Error(`no development sign-in form on ${path} (status ${p.status})`);
      page = await submitForm(jar, p, form, { email: as.email }, baseUrl);
      await lap('sign-in');
    } else if (/\/interaction\/[^/]+\/link/.test(path)) {
      const form = findForm(p, (f) => 'api_key' in f.fields || /api_key/.test(f.action));
      if (!form) throw new Error(`no API key form on ${path} (status ${p.status}): ${p.html.slice(0, 800)}`);
      page = await submitForm(jar, p, form, { athlete_id: as.athlete.id, api_key: as.athlete.apiKey }, baseUrl);
      await lap('link');
    } else {
      const form = findForm(p, (f) => /\/consent$/.test(f.action));
      if (!form) throw new Error(`unexpected page ${path} (status ${p.status}): ${p.html.slice(0, 800)}`);
      page = await submitForm(jar, p, form, { decision: 'allow' }, baseUrl);
      await lap('consent');
    }
  }
  if (!(page instanceof URL)) throw new Error(`the flow did not reach the client in ${MAX_PAGES} pages: ${visited.join(' → ')}`);
  const code = page.searchParams.get('code');
  if (!code) throw new Error(`no code in the redirect: ${page.searchParams.get('error') ?? page.href}`);
  const res = await exchangeCode(baseUrl, client, { code, verifier });
  await lap('token');
  if (res.status !== 200 || !res.body.access_token) throw new Error(`token exchange failed: ${res.status} ${res.body.error ?? ''}`);
  return {
    accessToken: res.body.access_token,
    refreshToken: String(res.body.refresh_token ?? ''),
    client,
    ms: performance.now() - t0,
    steps,
  };
}

export interface ConnectLoad {
  connects: Connect[];
  failures: string[];
  seconds: number;
}

/** `concurrency` people connecting back to back for `seconds`; person n is `who(n)`, n from `firstN`. */
export async function connectLoad(
  baseUrl: string,
  who: (n: number) => ConnectAs,
  opts: { seconds: number; concurrency: number; firstN: number; maxConnects: number },
): Promise<ConnectLoad> {
  const connects: Connect[] = [];
  const failures: string[] = [];
  let next = opts.firstN;
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline && next - opts.firstN < opts.maxConnects) {
      const n = next++;
      try {
        connects.push(await connectOnce(baseUrl, who(n)));
      } catch (e) {
        failures.push(e instanceof Error ? e.message : String(e));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  return { connects, failures, seconds: (performance.now() - t0) / 1000 };
}
