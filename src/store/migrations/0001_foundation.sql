-- Secrets generated outside production (encryption key, cookie keys) so a restart keeps
-- sessions and tokens valid. Production passes them as configuration instead.
CREATE TABLE IF NOT EXISTS app_secrets (
  name        text PRIMARY KEY,
  value       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per person; id is the Supabase user id (the OAuth `sub`).
CREATE TABLE IF NOT EXISTS accounts (
  id           text PRIMARY KEY,
  email        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  disabled_at  timestamptz
);
