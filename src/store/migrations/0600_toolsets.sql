-- The tool sets each connection carries (src/mcp/toolsets.ts: core plus the opt-in sets). One row
-- per (person, OAuth client): the person's grant to an app, chosen on the consent page and changed
-- on /account. The authorization server copies `toolsets` and `revision` into every access token
-- it issues (src/auth/provider.ts); a change bumps `revision`, and the resource server refuses
-- tokens carrying an older one (src/resource/access-status.ts), so the app refreshes and gets the
-- new choice. A pair without a row has the default, core only, at revision 0.
CREATE TABLE IF NOT EXISTS connection_toolsets (
  account_id  text        NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  client_id   text        NOT NULL,
  toolsets    text[]      NOT NULL,
  revision    integer     NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, client_id)
);

-- Personal access tokens choose their sets when created. Tokens made before sets existed keep
-- every tool (they cannot be edited, and their owners chose them with every tool in view); new
-- ones default to core.
ALTER TABLE personal_access_tokens ADD COLUMN IF NOT EXISTS toolsets text[] NOT NULL DEFAULT '{core,planning,coach,analysis}';
ALTER TABLE personal_access_tokens ALTER COLUMN toolsets SET DEFAULT '{core}';
