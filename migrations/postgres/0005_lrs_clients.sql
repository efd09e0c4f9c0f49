-- Learning Record Store clients: the platforms (webinar tools, course
-- platforms, forums) that report xAPI statements for a partner organization.
-- They authenticate with HTTP Basic, key and secret; only the secret's
-- SHA-256 is stored (it is 32 random bytes, so a fast hash is enough).
-- scopes is a space-separated list: statements/write, statements/read/mine,
-- statements/read, documents.

CREATE TABLE lrs_clients (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name            TEXT NOT NULL,
  client_key      TEXT NOT NULL UNIQUE,
  secret_hash     TEXT NOT NULL,
  scopes          TEXT NOT NULL,
  created_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at      BIGINT NOT NULL,
  last_used_at    BIGINT,
  revoked_at      BIGINT
);
CREATE INDEX lrs_clients_org ON lrs_clients(organization_id, revoked_at);
