-- Each person's link to their own Intervals.icu account. The secret (personal API key or OAuth
-- access token) is sealed with the secret box: `key_version` is the id of the key that sealed it
-- (so `admin reencrypt` can find rows still under an old key) and the associated data is
-- `intervals_links:<account_id>`, so a ciphertext copied onto another person's row does not open.
CREATE TABLE IF NOT EXISTS intervals_links (
  account_id         text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  athlete_id         text NOT NULL,
  athlete_name       text,
  method             text NOT NULL CHECK (method IN ('api_key', 'oauth')),
  secret_ciphertext  text NOT NULL,
  key_version        text NOT NULL,
  -- Intervals.icu OAuth scopes actually granted (e.g. ACTIVITY:WRITE); empty for API keys, which can do everything.
  scopes             text[] NOT NULL DEFAULT '{}',
  linked_at          timestamptz NOT NULL DEFAULT now(),
  last_ok_at         timestamptz,
  broken_at          timestamptz,
  broken_reason      text
);

-- Tokens for MCP clients that cannot do OAuth. Only the SHA-256 of the token is kept: the token
-- itself is shown once, at creation.
CREATE TABLE IF NOT EXISTS personal_access_tokens (
  id            text PRIMARY KEY,
  account_id    text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name          text NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  scopes        text[] NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX IF NOT EXISTS personal_access_tokens_account ON personal_access_tokens (account_id);

-- Server-side sessions of the account page (/account). The cookie holds a random id; only its
-- SHA-256 is stored, so a database dump cannot be replayed as a session.
CREATE TABLE IF NOT EXISTS account_sessions (
  id_hash       text PRIMARY KEY,
  account_id    text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS account_sessions_account ON account_sessions (account_id);
