-- Staff of a partner organization invite colleagues by email. The link's
-- token is stored hashed; an invitation is used once, within its expiry.

CREATE TABLE organization_invitations (
  id              INTEGER PRIMARY KEY,
  organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email           TEXT NOT NULL,
  token_hash      TEXT NOT NULL UNIQUE,
  invited_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at      INTEGER NOT NULL,
  expires_at      INTEGER NOT NULL,
  accepted_at     INTEGER,
  accepted_by     INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX organization_invitations_org ON organization_invitations(organization_id, accepted_at);
