import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { GoTrueError, sendGoTrueError, sendJson } from './errors.js';
import { GoTrueModel, type StandInSettings } from './gotrue.js';
import { authorize, callback, idpConsent, type IdpDecision } from './oauth.js';
import { userJson, type FlowState, type MailMessage, type StandInSession, type StandInUser } from './model.js';
import { createTokenSigner } from './tokens.js';

export type { StandInSettings } from './gotrue.js';
export type { MailMessage, StandInUser } from './model.js';
export type { IdpDecision } from './oauth.js';

/**
 * A local stand-in for Supabase Auth (GoTrue) that speaks its real wire protocol, so the real
 * supabase-js / auth-js talk to it unchanged: the endpoints our sign-in calls,
 * GoTrue's two error shapes, Kong's apikey check, ES256 JWTs with a JWKS, PKCE flow states, the
 * redirect allow-list with its silent SITE_URL fallback, emailed codes and a stand-in OAuth
 * provider. Plus test hooks (mailbox, clock, scripted IdP, injected failures).
 */
export interface SupabaseStandIn {
  /** The project URL (what SUPABASE_URL holds); the API lives under `${url}/auth/v1`. */
  url: string;
  anonKey: string;
  /** Change at any time: providers, autoconfirm, signups, expiries, allow-list… */
  settings: StandInSettings;
  users: Map<string, StandInUser>;
  sessions: Map<string, StandInSession>;
  flows: Map<string, FlowState>;
  mailbox: MailMessage[];
  /** Every request: method, path (no query), the headers the client sent. */
  requests: { method: string; path: string; headers: IncomingMessage['headers'] }[];
  /** The last email sent to this address (its code, token hash and link). */
  lastOtpFor(email: string): MailMessage | undefined;
  createUser(opts: { email: string; password?: string; confirmed?: boolean }): StandInUser;
  /** The common case: a confirmed email + password user. */
  createConfirmedUser(email: string, password: string): StandInUser;
  banUser(email: string): void;
  /** How the stand-in IdP answers for `provider` (default: approve as `<provider>-user@example.com`). */
  setIdpDecision(provider: string, decision: IdpDecision): void;
  /** Moves the stand-in's clock (code, flow-state and token expiry) forward. */
  advanceClock(seconds: number): void;
  /** The next request to `path` (e.g. '/auth/v1/token') fails with this GoTrue error. */
  failNext(path: string, error: { status: number; code: string; message: string }): void;
  close(): Promise<void>;
}

export interface StandInOptions extends Partial<StandInSettings> {
  anonKey?: string;
}

const OPEN_PATHS = new Set(['/auth/v1/verify', '/auth/v1/callback', '/auth/v1/authorize', '/auth/v1/.well-known/jwks.json']);

export async function startSupabaseStandIn(opts: StandInOptions = {}): Promise<SupabaseStandIn> {
  const anonKey = opts.anonKey ?? `sb_publishable_standin_${randomBytes(12).toString('hex')}`;
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const issuer = `${url}/auth/v1`;
  const settings: StandInSettings = {
    siteUrl: 'http://localhost:3000',
    redirectAllowList: [],
    providers: ['github', 'google'],
    emailEnabled: true,
    disableSignup: false,
    mailerAutoconfirm: false,
    passwordMinLength: 6,
    otpExpirySeconds: 3600,
    emailFrequencySeconds: 60,
    flowStateExpirySeconds: 300,
    jwtExpirySeconds: 3600,
    ...Object.fromEntries(Object.entries(opts).filter(([k]) => k !== 'anonKey')),
  };
  const signer = await createTokenSigner(issuer);
  const model = new GoTrueModel(settings, issuer, signer);
  const idp = new Map<string, IdpDecision>();
  const failures = new Map<string, { status: number; code: string; message: string }>();
  const requests: SupabaseStandIn['requests'] = [];

  server.on('request', (req, res) => {
    void handle(req, res).catch((err) => sendGoTrueError(req, res, err));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', url);
    const path = u.pathname.replace(/\/$/, '');
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const body = req.method === 'POST' ? await readJson(req) : {};
    const injected = failures.get(path);
    if (injected) {
      failures.delete(path);
      throw new GoTrueError(injected.status, injected.code, injected.message);
    }
    const idpMatch = /^\/fake-idp\/([a-z0-9_]+)\/authorize$/.exec(path);
    if (idpMatch && req.method === 'GET') {
      const provider = idpMatch[1]!;
      return redirect(
        res,
        302,
        idpConsent(`${issuer}/callback`, u.searchParams.get('state') ?? '', idp.get(provider) ?? { email: `${provider}-user@example.com` }),
      );
    }
    if (!OPEN_PATHS.has(path) && !checkApiKey(req, u, res)) return;
    const route = `${req.method} ${path}`;
    switch (route) {
      case 'GET /auth/v1/settings':
        return sendJson(res, 200, settingsJson(settings));
      case 'GET /auth/v1/.well-known/jwks.json':
        return sendJson(res, 200, signer.jwks(), { 'cache-control': 'public, max-age=600' });
      case 'POST /auth/v1/signup':
        return sendJson(res, 200, await model.signup(body, u.searchParams.get('redirect_to')));
      case 'POST /auth/v1/token':
        return sendJson(res, 200, await model.token(u.searchParams.get('grant_type'), body));
      case 'POST /auth/v1/otp':
        return sendJson(res, 200, await model.otp(body, u.searchParams.get('redirect_to')));
      case 'POST /auth/v1/verify':
        return sendJson(res, 200, await model.verifyPost(body));
      case 'GET /auth/v1/verify':
        return redirect(res, 303, await model.verifyGet(u.searchParams));
      case 'GET /auth/v1/authorize':
        return redirect(res, 302, authorize(model, u.searchParams, `${url}/fake-idp`));
      case 'GET /auth/v1/callback':
        return redirect(res, 302, await callback(model, u.searchParams));
      case 'GET /auth/v1/user': {
        const { user } = await model.userFromBearer(req.headers.authorization);
        return sendJson(res, 200, userJson(user));
      }
      case 'POST /auth/v1/logout':
        await model.logout(req.headers.authorization, u.searchParams.get('scope'));
        res.writeHead(204).end();
        return;
      default:
        return sendJson(res, 404, { message: 'no Route matched with those values' });
    }
  }

  /** Kong in front of GoTrue: the apikey header (or ?apikey=) must be the project's key. */
  function checkApiKey(req: IncomingMessage, u: URL, res: ServerResponse): boolean {
    const key = (req.headers.apikey as string | undefined) ?? u.searchParams.get('apikey');
    if (!key) {
      sendJson(res, 401, { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
      return false;
    }
    if (key !== anonKey) {
      sendJson(res, 401, { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' });
      return false;
    }
    return true;
  }

  return {
    url,
    anonKey,
    settings,
    users: model.users,
    sessions: model.sessions,
    flows: model.flows,
    mailbox: model.mailbox,
    requests,
    lastOtpFor: (email) => [...model.mailbox].reverse().find((m) => m.email === email.toLowerCase()),
    createUser: (o) => model.createUser(o),
    createConfirmedUser: (email, password) => model.createUser({ email, password, confirmed: true }),
    banUser(email) {
      const u = model.findByEmail(email);
      if (!u) throw new Error(`no stand-in user ${email}`);
      u.bannedUntil = new Date(model.now() + 86_400_000).toISOString();
    },
    setIdpDecision: (provider, decision) => void idp.set(provider, decision),
    advanceClock: (seconds) => void (model.clockOffsetMs += seconds * 1000),
    failNext: (path, error) => void failures.set(path, error),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location, 'content-length': 0 });
  res.end();
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    throw new GoTrueError(400, 'bad_json', 'Could not parse request body as JSON');
  }
}

function settingsJson(s: StandInSettings): Record<string, unknown> {
  const names = [
    'anonymous_users',
    'apple',
    'azure',
    'bitbucket',
    'discord',
    'facebook',
    'snapchat',
    'figma',
    'fly',
    'github',
    'gitlab',
    'google',
    'keycloak',
    'kakao',
    'linkedin',
    'linkedin_oidc',
    'notion',
    'spotify',
    'slack',
    'slack_oidc',
    'workos',
    'twitch',
    'twitter',
    'email',
    'phone',
    'zoom',
  ];
  const external = Object.fromEntries(names.map((n) => [n, n === 'email' ? s.emailEnabled : s.providers.includes(n)]));
  return {
    external,
    disable_signup: s.disableSignup,
    mailer_autoconfirm: s.mailerAutoconfirm,
    phone_autoconfirm: false,
    sms_provider: '',
    saml_enabled: false,
    saml_private_key_next_configured: false,
    passkeys_enabled: false,
  };
}
