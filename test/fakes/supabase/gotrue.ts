import { createHash, randomUUID } from 'node:crypto';
import { GoTrueError, GoTrueOAuthError } from './errors.js';
import { resolveRedirect } from './redirects.js';
import type { TokenSigner } from './tokens.js';
import {
  hashPassword,
  iso,
  newOtp,
  newRefreshToken,
  newUser,
  obfuscatedUserJson,
  tokenHash,
  userJson,
  addIdentity,
  type FlowState,
  type MailMessage,
  type StandInSession,
  type StandInUser,
} from './model.js';

/** Settings a test may change at any time (GoTrue's GOTRUE_* configuration). */
export interface StandInSettings {
  siteUrl: string;
  redirectAllowList: string[];
  /** Enabled external providers (GET /settings `external`, /authorize validation). */
  providers: string[];
  emailEnabled: boolean;
  disableSignup: boolean;
  mailerAutoconfirm: boolean;
  passwordMinLength: number;
  otpExpirySeconds: number;
  /** SMTP_MAX_FREQUENCY: one email per address per this many seconds. */
  emailFrequencySeconds: number;
  flowStateExpirySeconds: number;
  jwtExpirySeconds: number;
}

const bad = (code: string, msg: string) => new GoTrueError(400, code, msg);
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The GoTrue behaviour the sign-in pages rely on, over in-memory state; one method per endpoint. */
export class GoTrueModel {
  readonly users = new Map<string, StandInUser>();
  readonly sessions = new Map<string, StandInSession>();
  readonly flows = new Map<string, FlowState>();
  readonly mailbox: MailMessage[] = [];
  clockOffsetMs = 0;

  constructor(
    readonly settings: StandInSettings,
    readonly issuer: string,
    private readonly signer: TokenSigner,
  ) {}

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  findByEmail(email: string): StandInUser | undefined {
    const e = email.trim().toLowerCase();
    return [...this.users.values()].find((u) => u.email === e);
  }

  createUser(opts: { email: string; password?: string; confirmed?: boolean; provider?: string }): StandInUser {
    const u = newUser(opts.email, this.now(), opts.provider);
    if (opts.password !== undefined) u.passwordHash = hashPassword(opts.password);
    if (opts.confirmed) u.emailConfirmedAt = iso(this.now());
    addIdentity(u, opts.provider ?? 'email', u.id, this.now());
    this.users.set(u.id, u);
    return u;
  }

  // ---- POST /signup -------------------------------------------------------------------------
  async signup(body: Record<string, unknown>, redirectTo: string | null): Promise<Record<string, unknown>> {
    if (this.settings.disableSignup) throw new GoTrueError(422, 'signup_disabled', 'Signups not allowed for this instance');
    const password = typeof body.password === 'string' ? body.password : '';
    if (!password) throw bad('validation_failed', 'Signup requires a valid password');
    if (password.length < this.settings.passwordMinLength) {
      const message = `Password should be at least ${this.settings.passwordMinLength} characters.`;
      throw new GoTrueError(422, 'weak_password', message, { weak_password: { reasons: ['length'] } });
    }
    const email = this.validEmail(body.email);
    if (!this.settings.emailEnabled) throw bad('email_provider_disabled', 'Email signups are disabled');
    const pkce = this.pkceParams(body);
    const existing = this.findByEmail(email);
    if (existing?.emailConfirmedAt) {
      if (this.settings.mailerAutoconfirm) throw new GoTrueError(422, 'user_already_exists', 'User already registered');
      return obfuscatedUserJson(email, this.now());
    }
    const user = existing ?? this.createUser({ email, password });
    if (this.settings.mailerAutoconfirm) {
      user.emailConfirmedAt = iso(this.now());
      return this.issueSession(user, 'password');
    }
    const redirect = resolveRedirect(redirectTo, this.settings.siteUrl, this.settings.redirectAllowList);
    if (pkce) this.createFlow({ ...pkce, kind: 'email_signup', provider: 'email', redirectTo: redirect, userId: user.id });
    this.sendMail(user, 'signup', redirect, Boolean(pkce));
    return userJson(user);
  }

  // ---- POST /token ----------------------------------------------------------------------------
  async token(grantType: string | null, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (grantType === 'password') return this.passwordGrant(body);
    if (grantType === 'pkce') return this.pkceGrant(body);
    if (grantType === 'refresh_token') return this.refreshGrant(body);
    throw bad('invalid_credentials', 'unsupported_grant_type');
  }

  private async passwordGrant(body: Record<string, unknown>) {
    if (!this.settings.emailEnabled) throw new GoTrueError(422, 'email_provider_disabled', 'Email logins are disabled');
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!email) throw bad('validation_failed', 'missing email or phone');
    const user = this.findByEmail(email);
    if (!user || !user.passwordHash || user.passwordHash !== hashPassword(password))
      throw bad('invalid_credentials', 'Invalid login credentials');
    if (user.bannedUntil && Date.parse(user.bannedUntil) > this.now()) throw bad('user_banned', 'User is banned');
    if (!user.emailConfirmedAt) throw bad('email_not_confirmed', 'Email not confirmed');
    return this.issueSession(user, 'password');
  }

  private async pkceGrant(body: Record<string, unknown>) {
    const code = typeof body.auth_code === 'string' ? body.auth_code : '';
    const verifier = typeof body.code_verifier === 'string' ? body.code_verifier : '';
    if (!code || !verifier) throw bad('validation_failed', 'invalid request: both auth code and code verifier should be non-empty');
    const flow = [...this.flows.values()].find((f) => f.authCode === code && f.userId);
    if (!flow) throw new GoTrueError(404, 'flow_state_not_found', 'invalid flow state, no valid flow state found');
    if (this.now() - flow.createdAt > this.settings.flowStateExpirySeconds * 1000) {
      throw new GoTrueError(422, 'flow_state_expired', 'invalid flow state, flow state has expired');
    }
    const expected = flow.method === 's256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
    if (expected !== flow.codeChallenge) throw bad('bad_code_verifier', 'code challenge does not match previously saved code verifier');
    this.flows.delete(flow.id); // single use
    const user = this.users.get(flow.userId!)!;
    const method = flow.kind === 'oauth' ? 'oauth' : flow.kind === 'magiclink' ? 'magiclink' : 'email/signup';
    return this.issueSession(user, method, flow.kind === 'oauth' ? { provider_token: `${flow.provider}-provider-token` } : {});
  }

  private async refreshGrant(body: Record<string, unknown>) {
    const rt = typeof body.refresh_token === 'string' ? body.refresh_token : '';
    if (!rt) throw new GoTrueOAuthError('invalid_request', 'refresh_token required');
    const session = [...this.sessions.values()].find((s) => s.refreshTokens.has(rt));
    if (!session) throw bad('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    if (session.revoked) throw bad('session_not_found', 'Invalid Refresh Token: Session Not Found');
    if (session.refreshTokens.get(rt)) throw bad('refresh_token_already_used', 'Invalid Refresh Token: Already Used');
    session.refreshTokens.set(rt, true);
    return this.issueSession(this.users.get(session.userId)!, 'token_refresh', {}, session);
  }

  // ---- POST /otp, POST /verify, GET /verify ------------------------------------------------
  async otp(body: Record<string, unknown>, redirectTo: string | null): Promise<Record<string, unknown>> {
    const email = this.validEmail(body.email);
    const pkce = this.pkceParams(body);
    const createUser = body.create_user !== false;
    let user = this.findByEmail(email);
    if (!user && (!createUser || this.settings.disableSignup)) throw new GoTrueError(422, 'otp_disabled', 'Signups not allowed for otp');
    if (!this.settings.emailEnabled) throw new GoTrueError(422, 'email_provider_disabled', 'Email logins are disabled');
    const redirect = resolveRedirect(redirectTo, this.settings.siteUrl, this.settings.redirectAllowList);
    if (!user || !user.emailConfirmedAt) {
      // GoTrue signs the address up and the confirmation email doubles as the magic link.
      user ??= this.createUser({ email });
      if (pkce) this.createFlow({ ...pkce, kind: 'email_signup', provider: 'email', redirectTo: redirect, userId: user.id });
      this.sendMail(user, 'signup', redirect, Boolean(pkce));
      return {};
    }
    if (pkce) this.createFlow({ ...pkce, kind: 'magiclink', provider: 'magiclink', redirectTo: redirect, userId: user.id });
    this.sendMail(user, 'magiclink', redirect, Boolean(pkce));
    return {};
  }

  async verifyPost(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const type = typeof body.type === 'string' ? body.type : '';
    if (!type) throw bad('validation_failed', 'Verify requires a verification type');
    if (!['email', 'signup', 'magiclink', 'recovery', 'invite'].includes(type))
      throw bad('validation_failed', 'Unsupported verification type');
    if (typeof body.token_hash === 'string' && body.token_hash) {
      if (body.email || body.token) throw bad('validation_failed', 'Only the token_hash and type should be provided');
      const user = this.consumeToken((t) => t.hash === body.token_hash, type);
      if (!user) throw new GoTrueError(403, 'otp_expired', 'Email link is invalid or has expired');
      return this.issueSession(user, 'otp');
    }
    if (typeof body.token !== 'string' || !body.token) throw bad('validation_failed', 'Verify requires a token or a token hash');
    const email = this.validEmail(body.email);
    const hash = tokenHash(email.toLowerCase(), body.token);
    const user = this.consumeToken((t) => t.hash.replace(/^pkce_/, '') === hash, type, email);
    if (!user) throw new GoTrueError(403, 'otp_expired', 'Token has expired or is invalid');
    return this.issueSession(user, 'otp');
  }

  /** GET /verify (the emailed link): 303 to redirect_to with `?code=` (PKCE) or the session in the fragment. */
  async verifyGet(q: URLSearchParams): Promise<string> {
    const token = q.get('token') ?? '';
    const type = q.get('type') ?? '';
    const redirectTo = resolveRedirect(q.get('redirect_to'), this.settings.siteUrl, this.settings.redirectAllowList);
    const user = this.consumeToken((t) => t.hash === token, type);
    if (!user) {
      const err = new URLSearchParams({
        error: 'access_denied',
        error_code: 'otp_expired',
        error_description: 'Email link is invalid or has expired',
      });
      return `${redirectTo}${token.startsWith('pkce_') ? `?${err}` : ''}#${err}`;
    }
    if (token.startsWith('pkce_')) {
      const flow = [...this.flows.values()].reverse().find((f) => f.userId === user.id && f.kind !== 'oauth');
      if (flow) return `${flow.redirectTo}${flow.redirectTo.includes('?') ? '&' : '?'}code=${flow.authCode}`;
    }
    const s = await this.issueSession(user, type === 'signup' ? 'otp' : 'magiclink');
    const frag = new URLSearchParams({
      access_token: String(s.access_token),
      expires_at: String(s.expires_at),
      expires_in: String(s.expires_in),
      refresh_token: String(s.refresh_token),
      token_type: 'bearer',
      type,
    });
    return `${redirectTo}#${frag}`;
  }

  private consumeToken(match: (t: { hash: string }) => boolean, type: string, email?: string): StandInUser | undefined {
    const expiry = this.settings.otpExpirySeconds * 1000;
    for (const user of this.users.values()) {
      if (email && user.email !== email.toLowerCase()) continue;
      const slots = (
        type === 'signup'
          ? ['confirmationToken']
          : type === 'magiclink' || type === 'recovery'
            ? ['recoveryToken']
            : ['confirmationToken', 'recoveryToken']
      ) as ('confirmationToken' | 'recoveryToken')[];
      for (const slot of slots) {
        const t = user[slot];
        if (!t || !match(t)) continue;
        if (this.now() - t.sentAt > expiry) return undefined;
        user[slot] = undefined; // single use
        user.emailConfirmedAt ??= iso(this.now());
        return user;
      }
    }
    return undefined;
  }

  // ---- /user, /logout ----------------------------------------------------------------------
  async userFromBearer(authorization: string | undefined): Promise<{ user: StandInUser; session: StandInSession }> {
    const m = /^Bearer (.+)$/i.exec(authorization ?? '');
    if (!m) throw new GoTrueError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
    let claims: Record<string, unknown>;
    try {
      claims = await this.signer.verify(m[1]!, Math.floor(this.now() / 1000));
    } catch (err) {
      throw new GoTrueError(403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${(err as Error).message}`);
    }
    const user = this.users.get(String(claims.sub));
    if (!user) throw new GoTrueError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    const session = this.sessions.get(String(claims.session_id));
    if (!session || session.revoked) throw new GoTrueError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
    return { user, session };
  }

  async logout(authorization: string | undefined, scope: string | null): Promise<void> {
    if (scope && !['global', 'local', 'others'].includes(scope)) throw bad('validation_failed', `Unsupported logout scope "${scope}"`);
    const { user, session } = await this.userFromBearer(authorization);
    for (const s of this.sessions.values()) {
      if (s.userId !== user.id) continue;
      if ((scope ?? 'global') === 'global' || (scope === 'local' && s === session) || (scope === 'others' && s !== session))
        s.revoked = true;
    }
  }

  // ---- shared pieces ---------------------------------------------------------------------------
  validEmail(raw: unknown): string {
    const email = typeof raw === 'string' ? raw.trim() : '';
    if (!email) throw bad('validation_failed', 'An email address is required');
    if (!EMAIL_RE.test(email)) throw bad('validation_failed', 'Unable to validate email address: invalid format');
    return email;
  }

  pkceParams(body: Record<string, unknown>): { codeChallenge: string; method: 's256' | 'plain' } | undefined {
    const challenge = typeof body.code_challenge === 'string' ? body.code_challenge : '';
    const method = typeof body.code_challenge_method === 'string' ? body.code_challenge_method.toLowerCase() : '';
    if (!challenge && !method) return undefined;
    if (!challenge || !method) throw bad('validation_failed', 'PKCE flow requires code_challenge_method and code_challenge');
    if (challenge.length < 43 || challenge.length > 128)
      throw bad('validation_failed', 'code challenge has to be between 43 and 128 characters');
    if (!/^[A-Za-z0-9._~-]+$/.test(challenge))
      throw bad('validation_failed', 'code challenge can only contain alphanumeric characters, hyphens, periods, underscores and tildes');
    if (method !== 's256' && method !== 'plain') throw bad('validation_failed', 'Invalid code_challenge_method');
    return { codeChallenge: challenge, method };
  }

  createFlow(f: Omit<FlowState, 'id' | 'authCode' | 'createdAt'>): FlowState {
    const flow: FlowState = { ...f, id: randomUUID(), authCode: randomUUID(), createdAt: this.now() };
    this.flows.set(flow.id, flow);
    return flow;
  }

  private sendMail(user: StandInUser, type: 'signup' | 'magiclink', redirectTo: string, pkce: boolean): void {
    const slot = type === 'signup' ? 'confirmationToken' : 'recoveryToken';
    const sentField = type === 'signup' ? 'confirmationSentAt' : 'recoverySentAt';
    const last = user[sentField];
    const left = last ? Math.ceil((Date.parse(last) + this.settings.emailFrequencySeconds * 1000 - this.now()) / 1000) : 0;
    if (left > 0)
      throw new GoTrueError(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${left} seconds.`);
    const otp = newOtp();
    const hash = `${pkce ? 'pkce_' : ''}${tokenHash(user.email, otp)}`;
    user[slot] = { hash, otp, sentAt: this.now() };
    user[sentField] = iso(this.now());
    const confirmationUrl = `${this.issuer}/verify?${new URLSearchParams({ token: hash, type, redirect_to: redirectTo })}`;
    this.mailbox.push({ email: user.email, type, otp, tokenHash: hash, redirectTo, confirmationUrl, sentAt: this.now() });
  }

  async issueSession(
    user: StandInUser,
    method: string,
    extra: Record<string, unknown> = {},
    existing?: StandInSession,
  ): Promise<Record<string, unknown>> {
    const now = this.now();
    const session = existing ?? { id: randomUUID(), userId: user.id, method, revoked: false, refreshTokens: new Map<string, boolean>() };
    this.sessions.set(session.id, session);
    const refresh = newRefreshToken();
    session.refreshTokens.set(refresh, false);
    user.lastSignInAt = iso(now);
    const iat = Math.floor(now / 1000);
    const exp = iat + this.settings.jwtExpirySeconds;
    const u = userJson(user);
    const access = await this.signer.sign(
      {
        sub: user.id,
        aud: 'authenticated',
        iat,
        email: user.email,
        phone: '',
        app_metadata: u.app_metadata,
        user_metadata: u.user_metadata,
        role: 'authenticated',
        aal: 'aal1',
        amr: [{ method: session.method, timestamp: iat }],
        session_id: session.id,
        is_anonymous: false,
      },
      exp,
    );
    return {
      access_token: access,
      token_type: 'bearer',
      expires_in: this.settings.jwtExpirySeconds,
      expires_at: exp,
      refresh_token: refresh,
      user: u,
      ...extra,
    };
  }
}
