/**
 * How the authorization server's storage (src/auth/adapter.ts, table oidc_payloads from
 * 0100_oauth.sql) keeps a person's Grants, for the one reader outside the authorization server:
 * the resource server's per-call access check (src/resource/access-status.ts). It lives in the store
 * layer because the two servers are peers and never import each other.
 */

/**
 * A scalar subquery: when the person's oldest live Grant for the client was created (epoch
 * seconds), NULL when there is none. A Grant row is their consent to one client; revoking the app
 * on /account, RFC 7009 revocation of its refresh token, refresh-token reuse, logout and account
 * deletion delete it. It uses the oidc_payloads_grant_owner index (0100_oauth.sql). A fragment, not
 * a function, so the resource server can ask it in the same round trip as the account's state.
 */
export function liveGrantSinceSql(accountParam: string, clientParam: string): string {
  return `(SELECT extract(epoch FROM min(created_at))::float8 FROM oidc_payloads
    WHERE model = 'Grant' AND payload->>'accountId' = ${accountParam} AND payload->>'clientId' = ${clientParam}
      AND (expires_at IS NULL OR expires_at > now()))`;
}
