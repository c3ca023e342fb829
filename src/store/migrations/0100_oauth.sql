-- oidc-provider's state (clients, grants, sessions, interactions, codes, refresh tokens), one JSON
-- payload per (model, id). grant_id / uid / user_code are lifted out of the payload so revocation
-- and session lookups are indexed. expires_at NULL = no expiry; expired rows are invisible to the
-- adapter and swept periodically. consumed_at marks single-use artefacts (codes, rotated refresh tokens).
CREATE TABLE IF NOT EXISTS oidc_payloads (
  model        text NOT NULL,
  id           text NOT NULL,
  payload      jsonb NOT NULL,
  grant_id     text,
  user_code    text,
  uid          text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  consumed_at  timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX IF NOT EXISTS oidc_payloads_grant_id ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS oidc_payloads_uid ON oidc_payloads (uid) WHERE uid IS NOT NULL;
CREATE INDEX IF NOT EXISTS oidc_payloads_expires_at ON oidc_payloads (expires_at) WHERE expires_at IS NOT NULL;
-- Consent is remembered per (person, client): find that person's Grant for a client.
CREATE INDEX IF NOT EXISTS oidc_payloads_grant_owner ON oidc_payloads ((payload->>'accountId'), (payload->>'clientId')) WHERE model = 'Grant';

-- Token signing keys (private JWKs sealed with the secret box). A key is published in /jwks from
-- creation, signs from activates_at, and stays published until superseded_at + the longest token
-- lifetime, so no token in flight ever meets an unknown kid.
CREATE TABLE IF NOT EXISTS signing_keys (
  kid            text PRIMARY KEY,
  alg            text NOT NULL,
  sealed_jwk     text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  activates_at   timestamptz NOT NULL,
  superseded_at  timestamptz
);

-- Fixed-window counters for the authorization server's abuse limits (registration per IP, CIMD
-- fetches), shared by every instance.
CREATE TABLE IF NOT EXISTS auth_rate_limits (
  bucket        text NOT NULL,
  window_start  timestamptz NOT NULL,
  hits          integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
