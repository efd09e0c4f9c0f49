-- Staff of a partner organization invite colleagues by email. The link's
-- token is stored hashed; an invitation is used once, within its expiry.

CREATE TABLE organization_invitations (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email           TEXT NOT NULL,
  token_hash      TEXT NOT NULL UNIQUE,
  invited_by      BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at      BIGINT NOT NULL,
  expires_at      BIGINT NOT NULL,
  accepted_at     BIGINT,
  accepted_by     BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX organization_invitations_org ON organization_invitations(organization_id, accepted_at);
