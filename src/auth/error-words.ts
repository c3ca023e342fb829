/**
 * OAuth errors in plain words, for the page a person sees when the authorization server cannot
 * send the error back to the app (an unknown client or redirect address, a request too broken to
 * trust). The spec's `error` code stays on the page for the app's developer; oidc-provider's own
 * `error_description` ("client is invalid", "missing required parameter 'client_id'") does not:
 * it is library text, not a sentence for a person.
 */
export interface ExplainedError {
  title: string;
  /** What went wrong, in a person's words. */
  what: string;
  /** What to do next. */
  todo: string;
}

const RECONNECT = 'In your app, remove this connector (or server) and add it again; that starts a fresh connection.';
const START_AGAIN = 'Go back to the app you were connecting and start again from there.';

/** The parameter names a person may see, in words. */
const PARAMETER_WORDS: Record<string, string> = {
  client_id: 'which app it is (client_id)',
  redirect_uri: 'where to send you back (redirect_uri)',
  response_type: 'what it is asking for (response_type)',
  code_challenge: 'its security check (code_challenge, PKCE)',
  scope: 'what access it wants (scope)',
};

type Rule = { error: string; description?: RegExp; explain: (m: RegExpExecArray | null) => ExplainedError };

const RULES: Rule[] = [
  {
    error: 'invalid_request',
    description: /^missing required parameter[s]? '?([a-z_]+)'?/,
    explain: (m) => ({
      title: 'The app sent an incomplete request',
      what: `The app that sent you here did not say ${PARAMETER_WORDS[m?.[1] ?? ''] ?? `a required detail (${m?.[1] ?? 'a parameter'})`}, so the connection cannot go on.`,
      todo: `${RECONNECT} If it happens again, the app needs an update; tell its developer.`,
    }),
  },
  {
    error: 'invalid_request',
    description: /interaction session|session not found|cookie not found|principal changed/,
    explain: () => ({
      title: 'This sign-in has expired',
      what: 'This sign-in was started in another browser or tab, or it waited too long (an hour at most).',
      todo: START_AGAIN,
    }),
  },
  {
    error: 'invalid_request',
    description: /code_challenge|PKCE/i,
    explain: () => ({
      title: 'The app skipped a security check',
      what: 'The app did not send the security check (PKCE) that this service requires of every app.',
      todo: 'Update the app, or use one that supports MCP authorization; then connect again.',
    }),
  },
  {
    error: 'invalid_client',
    explain: () => ({
      title: 'This app is not known here',
      what: 'This service does not know the app that sent you here: its registration may have expired, been removed, or come from another server.',
      todo: RECONNECT,
    }),
  },
  {
    error: 'invalid_redirect_uri',
    explain: () => ({
      title: 'The app asked to send you somewhere unexpected',
      what: 'The app asked to send you back to an address it never registered here, so you are not sent there.',
      todo: `${RECONNECT} If you did not start this connection yourself, close this page.`,
    }),
  },
  {
    error: 'invalid_scope',
    explain: () => ({
      title: 'The app asked for access this service does not offer',
      what: 'The app asked for a kind of access (scope) that this service does not have.',
      todo: `${RECONNECT} If it happens again, tell the app's developer.`,
    }),
  },
  {
    error: 'invalid_target',
    explain: () => ({
      title: 'The app asked for the wrong server',
      what: "The app asked for access to a server other than this one (the resource it named is not this service's /mcp).",
      todo: 'Check the connector URL in your app: it should end in /mcp and point at this service. Then connect again.',
    }),
  },
  {
    error: 'unsupported_response_type',
    explain: () => ({
      title: 'The app asked in a way this service does not support',
      what: 'The app asked for a kind of answer this service does not give (only the authorization code flow is offered).',
      todo: 'Update the app, or use one that supports MCP authorization.',
    }),
  },
  {
    error: 'access_denied',
    explain: () => ({
      title: 'Access was not granted',
      what: 'The connection was declined, so the app gets no access.',
      todo: START_AGAIN,
    }),
  },
];

export function explainOAuthError(error: string | undefined, description: string | undefined): ExplainedError {
  for (const rule of RULES) {
    if (rule.error !== error) continue;
    const m = rule.description ? rule.description.exec(description ?? '') : null;
    if (rule.description && !m) continue;
    return rule.explain(m);
  }
  return {
    title: 'This connection request cannot continue',
    what: "The app's request could not be accepted.",
    todo: `${START_AGAIN} If it happens again, tell the app's developer the code below.`,
  };
}
