import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { html, type SafeHtml } from './html.js';
import { AppError } from '../errors.js';

const COOKIE = 'csrf';
const FIELD = '_csrf';

/**
 * Double-submit CSRF protection: a random token in a signed, HttpOnly, SameSite=Strict cookie
 * and the same token in every form. A cross-site form can neither read nor set the cookie.
 * `path` scopes the cookie (e.g. `/interaction/<uid>` or `/account`).
 */
export function csrfToken(ctx: Context, path = '/'): string {
  const existing = ctx.cookies.get(COOKIE, { signed: true });
  if (existing && /^[A-Za-z0-9_-]{32,}$/.test(existing)) return existing;
  const token = randomBytes(24).toString('base64url');
  ctx.cookies.set(COOKIE, token, {
    signed: true,
    httpOnly: true,
    sameSite: 'strict',
    secure: ctx.secure,
    path,
    overwrite: true,
  });
  return token;
}

export function csrfField(ctx: Context, path = '/'): SafeHtml {
  return html`<input type="hidden" name="${FIELD}" value="${csrfToken(ctx, path)}">`;
}

/** Throws 403 `csrf_failed` unless the posted field matches the cookie. */
export function checkCsrf(ctx: Context, body: Record<string, unknown> | undefined): void {
  const cookie = ctx.cookies.get(COOKIE, { signed: true }) ?? '';
  const field = typeof body?.[FIELD] === 'string' ? (body[FIELD] as string) : '';
  const a = Buffer.from(cookie);
  const b = Buffer.from(field);
  if (a.length === 0 || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new AppError('csrf_failed', 'This form has expired or was not sent from this site. Go back, reload the page and try again.', 403);
  }
}
