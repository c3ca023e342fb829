-- Supabase PKCE flows in progress (provider sign-in, email confirmation / magic links). The row id
-- is a hash of the random value in the person's `signin_flow` cookie and the payload (the PKCE
-- verifier) is sealed with a key derived from that value, so neither the table nor the cookie
-- alone can complete a flow. Rows are single-use and swept after expires_at.
CREATE TABLE IF NOT EXISTS signin_flows (
  id          text PRIMARY KEY,
  sealed      text NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS signin_flows_expires_at ON signin_flows (expires_at);
