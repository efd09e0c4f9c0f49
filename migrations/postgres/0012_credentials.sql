-- Credentials: the achievements campaigns, organizations and districts
-- recognize (with the rule that awards each, if any), every Open Badges
-- credential issued for them (the signed document kept exactly as issued),
-- and the status lists that say which are revoked.
-- Times are milliseconds since the Unix epoch (UTC).

CREATE TABLE achievements (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug         TEXT NOT NULL UNIQUE,
  owner_type   TEXT NOT NULL CHECK (owner_type IN ('campaign', 'organization', 'district')),
  owner        TEXT NOT NULL,                 -- the owner's slug
  name         TEXT NOT NULL,
  description  TEXT NOT NULL,
  criteria     TEXT NOT NULL,                 -- the criteria narrative
  image_url    TEXT NOT NULL DEFAULT '',
  minutes      BIGINT CHECK (minutes IS NULL OR minutes > 0),  -- the hours it stands for, in minutes
  tags         TEXT NOT NULL DEFAULT '[]',    -- JSON array of strings
  alignments   TEXT NOT NULL DEFAULT '[]',    -- JSON array of alignment objects
  valid_days   BIGINT CHECK (valid_days IS NULL OR valid_days > 0),
  rule         TEXT NOT NULL DEFAULT '',      -- JSON award rule; '' when awarded only by hand
  rule_kind    TEXT NOT NULL DEFAULT '',
  created_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL
);
CREATE INDEX achievements_owner ON achievements(owner_type, owner);
CREATE INDEX achievements_rule ON achievements(rule_kind);

-- A Bitstring Status List: each credential holds one bit of one list.
CREATE TABLE credential_status_lists (
  id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key_id    TEXT NOT NULL,                    -- the issuer key that signs the list
  capacity  BIGINT NOT NULL CHECK (capacity > 0),
  used      BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE credentials (
  id                TEXT PRIMARY KEY,         -- the UUID of its urn:uuid: id
  achievement_id    BIGINT NOT NULL REFERENCES achievements(id),
  recipient_email   TEXT NOT NULL,
  recipient_user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
  recipient_name    TEXT NOT NULL DEFAULT '',
  source            TEXT NOT NULL CHECK (source IN ('manual', 'bulk', 'rule')),
  document          TEXT NOT NULL,            -- the signed credential, exactly as issued
  key_id            TEXT NOT NULL,            -- the issuer key that signed it
  issued_at         BIGINT NOT NULL,
  valid_until       BIGINT,
  status_list       BIGINT NOT NULL REFERENCES credential_status_lists(id),
  status_index      BIGINT NOT NULL,
  revoked_at        BIGINT,
  revoked_reason    TEXT NOT NULL DEFAULT '',
  revoked_by        BIGINT REFERENCES users(id) ON DELETE SET NULL,
  awarded_by        BIGINT REFERENCES users(id) ON DELETE SET NULL,
  UNIQUE (achievement_id, recipient_email),
  UNIQUE (status_list, status_index)
);
CREATE INDEX credentials_recipient ON credentials(recipient_email);
CREATE INDEX credentials_user ON credentials(recipient_user_id);
CREATE INDEX credentials_revoked ON credentials(status_list, revoked_at);

-- How far the award rules have looked at new evidence: the last attendance
-- row and the last credit decision each sweep has seen.
CREATE TABLE award_sweeps (
  name      TEXT PRIMARY KEY,
  watermark BIGINT NOT NULL
);
