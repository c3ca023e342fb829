import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';

/** In-memory GoTrue state: users with identities, sessions with rotating refresh tokens, PKCE flow states, a mailbox. */
export interface StandInIdentity {
  identity_id: string;
  id: string; // the provider's subject (GoTrue swaps the names: identity_id is the row id)
  provider: string;
  email: string;
  created_at: string;
}

export interface StandInUser {
  id: string;
  email: string;
  passwordHash?: string;
  emailConfirmedAt?: string;
  confirmationSentAt?: string;
  recoverySentAt?: string;
  lastSignInAt?: string;
  bannedUntil?: string;
  createdAt: string;
  updatedAt: string;
  providers: string[];
  userMetadata: Record<string, unknown>;
  identities: StandInIdentity[];
  /** Outstanding emailed tokens: `hash` is hex(sha224(email + otp)), prefixed `pkce_` in PKCE mode. */
  confirmationToken?: { hash: string; otp: string; sentAt: number };
  recoveryToken?: { hash: string; otp: string; sentAt: number };
}

export interface StandInSession {
  id: string;
  userId: string;
  method: string;
  revoked: boolean;
  /** refresh token → used? (rotation: only the newest unused one is valid) */
  refreshTokens: Map<string, boolean>;
}

export interface FlowState {
  id: string;
  authCode: string;
  codeChallenge: string;
  method: 's256' | 'plain';
  kind: 'oauth' | 'magiclink' | 'email_signup';
  provider: string;
  redirectTo: string;
  createdAt: number;
  userId?: string;
}

export interface MailMessage {
  email: string;
  type: 'signup' | 'magiclink';
  /** The 6-digit code ({{ .Token }}). */
  otp: string;
  /** {{ .TokenHash }}, with the `pkce_` prefix in PKCE mode. */
  tokenHash: string;
  redirectTo: string;
  /** {{ .ConfirmationURL }}: GET /auth/v1/verify?token=…&type=…&redirect_to=… */
  confirmationUrl: string;
  sentAt: number;
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const hashPassword = (p: string) => createHash('sha256').update(`stand-in:${p}`).digest('hex');
export const tokenHash = (email: string, otp: string) =>
  createHash('sha224')
    .update(email + otp)
    .digest('hex');
export const newOtp = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
export const newRefreshToken = () => randomBytes(9).toString('base64url').toLowerCase().slice(0, 12);

export function newUser(email: string, now: number, provider = 'email'): StandInUser {
  const id = randomUUID();
  return {
    id,
    email: email.toLowerCase(),
    createdAt: iso(now),
    updatedAt: iso(now),
    providers: [provider],
    userMetadata: {},
    identities: [],
  };
}

export function addIdentity(user: StandInUser, provider: string, subject: string, now: number): void {
  if (user.identities.some((i) => i.provider === provider)) return;
  user.identities.push({ identity_id: randomUUID(), id: subject, provider, email: user.email, created_at: iso(now) });
  if (!user.providers.includes(provider)) user.providers.push(provider);
}

/** The user JSON of internal/models/user.go (omitempty timestamps left out when unset). */
export function userJson(u: StandInUser): Record<string, unknown> {
  const confirmed = u.emailConfirmedAt;
  const meta = { email: u.email, email_verified: Boolean(confirmed), phone_verified: false, sub: u.id, ...u.userMetadata };
  return {
    id: u.id,
    aud: 'authenticated',
    role: 'authenticated',
    email: u.email,
    ...(confirmed ? { email_confirmed_at: confirmed } : {}),
    phone: '',
    ...(u.confirmationSentAt ? { confirmation_sent_at: u.confirmationSentAt } : {}),
    ...(confirmed ? { confirmed_at: confirmed } : {}),
    ...(u.recoverySentAt ? { recovery_sent_at: u.recoverySentAt } : {}),
    ...(u.lastSignInAt ? { last_sign_in_at: u.lastSignInAt } : {}),
    app_metadata: { provider: u.providers[0], providers: u.providers },
    user_metadata: meta,
    identities: u.identities.map((i) => ({
      identity_id: i.identity_id,
      id: i.id,
      user_id: u.id,
      identity_data: { email: i.email, email_verified: Boolean(confirmed), phone_verified: false, sub: i.id },
      provider: i.provider,
      last_sign_in_at: u.lastSignInAt ?? i.created_at,
      created_at: i.created_at,
      updated_at: i.created_at,
      email: i.email,
    })),
    ...(u.bannedUntil ? { banned_until: u.bannedUntil } : {}),
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    is_anonymous: false,
  };
}

/** What signup answers for an address that is already registered: a fake user, so nobody learns who has an account. */
export function obfuscatedUserJson(email: string, now: number): Record<string, unknown> {
  return {
    id: randomUUID(),
    aud: 'authenticated',
    role: '',
    email,
    phone: '',
    confirmation_sent_at: iso(now),
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: {},
    identities: [],
    created_at: iso(now),
    updated_at: iso(now),
    is_anonymous: false,
  };
}
