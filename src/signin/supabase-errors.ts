import { loadedAuthJs } from './supabase-client.js';

/** What the person reads for a Supabase error, and the status of the page that says it. */
export interface SignInProblem {
  status: number;
  code: string;
  message: string;
}

const EXPIRED_FLOW = 'This sign-in attempt expired or was already used. Start again below.';
const UNREACHABLE = 'The sign-in service is not reachable right now. Try again in a minute.';

/**
 * GoTrue error codes (internal/api/apierrors) → plain words with a next step. Supabase's own
 * messages are not shown: they are terse, and codes are the stable contract.
 */
const MESSAGES: Record<string, [number, string]> = {
  invalid_credentials: [401, 'That email and password do not match. Check them and try again, or choose “Email me a code”.'],
  email_not_confirmed: [
    403,
    'Your email address is not confirmed yet. Open the link in the confirmation email we sent you, or choose “Email me a code”.',
  ],
  user_banned: [403, 'This account is suspended. Contact the operator of this service if you think that is a mistake.'],
  email_provider_disabled: [400, 'Signing in with email is turned off for this service. Use one of the other options on this page.'],
  signup_disabled: [403, 'New accounts cannot be created here at the moment. Sign in with an existing account.'],
  user_already_exists: [409, 'An account with this email address already exists. Sign in instead, or choose “Email me a code”.'],
  email_exists: [409, 'An account with this email address already exists. Sign in instead, or choose “Email me a code”.'],
  otp_disabled: [
    403,
    'There is no account for this email address, and new accounts cannot be created by code. Choose “Create account” first.',
  ],
  otp_expired: [401, 'That code is wrong or has expired. Check the most recent email from us, or send a new code.'],
  over_email_send_rate_limit: [429, 'We emailed this address moments ago. Wait a minute before asking for another email.'],
  over_request_rate_limit: [429, 'Too many sign-in attempts. Wait a few minutes and try again.'],
  email_address_invalid: [400, 'We cannot send email to that address. Check it for typos, or use another address.'],
  email_address_not_authorized: [400, 'This service is not allowed to send email to that address. Use another sign-in option.'],
  validation_failed: [400, 'Check the email address and try again.'],
  captcha_failed: [400, 'The sign-in service asked for a CAPTCHA, which this page cannot show. Contact the operator of this service.'],
  provider_disabled: [400, 'That sign-in option is not enabled for this service. Use another option.'],
  flow_state_not_found: [400, EXPIRED_FLOW],
  flow_state_expired: [400, EXPIRED_FLOW],
  bad_code_verifier: [400, EXPIRED_FLOW],
  pkce_code_verifier_not_found: [400, EXPIRED_FLOW],
  bad_oauth_state: [400, EXPIRED_FLOW],
  bad_oauth_callback: [400, EXPIRED_FLOW],
};

export function describeSupabaseError(err: unknown): SignInProblem {
  const authJs = loadedAuthJs();
  if (!authJs || authJs.isAuthRetryableFetchError(err) || !authJs.isAuthError(err))
    return { status: 503, code: 'supabase_unreachable', message: UNREACHABLE };
  if (authJs.isAuthWeakPasswordError(err)) {
    const pwned = err.reasons.includes('pwned') ? ' This password has appeared in a data breach, so choose another.' : '';
    const detail = /^Password should [^<>]{1,200}$/.test(err.message) ? ` ${err.message}` : '';
    return { status: 400, code: 'weak_password', message: `Choose a stronger password.${detail}${pwned}` };
  }
  return fromCode(err.code ?? (err.status === 429 ? 'over_request_rate_limit' : 'unknown'), err.status);
}

function fromCode(code: string, status = 400): SignInProblem {
  const known = MESSAGES[code];
  if (known) return { status: known[0], code, message: known[1] };
  if (status >= 500) return { status: 503, code, message: UNREACHABLE };
  // Unknown codes are shown (they are GoTrue's fixed identifiers, never free text) so support can act on them.
  const safe = /^[a-z0-9_]{1,60}$/.test(code) ? code : 'unknown';
  return { status: 400, code: safe, message: `Sign-in did not work (${safe}). Try again, or use another option on this page.` };
}

/** The `?error=` a Supabase redirect brings back to /callback. Never echoes error_description (it arrives in a URL anyone can craft). */
export function describeCallbackError(error: string, errorCode: string | undefined, providerLabel: string | undefined): SignInProblem {
  if (errorCode && MESSAGES[errorCode]) return fromCode(errorCode);
  if (error === 'access_denied') {
    return {
      status: 400,
      code: 'access_denied',
      message: providerLabel
        ? `Signing in with ${providerLabel} was cancelled. Choose an option below to try again.`
        : 'Sign-in was cancelled. Choose an option below to try again.',
    };
  }
  return { status: 400, code: 'callback_error', message: 'Sign-in did not complete. Choose an option below to try again.' };
}
