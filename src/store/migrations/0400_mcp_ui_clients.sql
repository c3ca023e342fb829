-- Which (account, OAuth client) pairs declared the MCP Apps extension (io.modelcontextprotocol/ui)
-- in their last `initialize`. In the 2025 protocol era client capabilities arrive only there, and
-- /mcp is stateless, so a later tools/list on any instance reads this to decide whether the tools
-- carry their view links (src/resource/ui-clients.ts). A pair that initializes without the
-- extension is deleted again.
CREATE TABLE IF NOT EXISTS mcp_ui_clients (
  account_id  text        NOT NULL,
  client_id   text        NOT NULL,
  declared_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, client_id)
);
