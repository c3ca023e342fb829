-- Open streams of the legacy HTTP+SSE transport (MCP 2024-11-05: GET /sse, POST /messages).
-- A stream lives on one instance; a POST for it may reach any other. The row says which instance
-- holds the stream, so that instance's peers can send the POST there (Fly's fly-replay), and whose
-- it is, so nobody else can post into it. The holder refreshes seen_at with every heartbeat; a row
-- not seen for a minute belongs to an instance that died and is swept.
CREATE UNLOGGED TABLE IF NOT EXISTS sse_sessions (
  id          text        PRIMARY KEY,
  owner       text        NOT NULL, -- account id (or the token fingerprint when there is none)
  instance_id text        NOT NULL,
  opened_at   timestamptz NOT NULL DEFAULT now(),
  seen_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS sse_sessions_owner ON sse_sessions (owner);
