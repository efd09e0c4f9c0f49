-- Credentials: the achievements campaigns, organizations and districts
-- recognize (with the rule that awards each, if any), every Open Badges
-- credential issued for them (the signed document kept exactly as issued),
-- and the status lists that say which are revoked.
-- Times are milliseconds since the Unix epoch (UTC).

CREATE TABLE achievements (
  id           INTEGER PRIMARY KEY,
  slug         TEXT NOT NULL UNIQUE,
  owner_type   TEXT NOT NULL CHECK (owner_type IN ('campaign', 'organization', 'district')),
  owner        TEXT NOT NULL,                 -- the owner's slug
  name         TEXT NOT NULL,
  description  TEXT NOT NULL,
  criteria     TEXT NOT NULL,                 -- the criteria narrative
  image_url    TEXT NOT NULL DEFAULT '',
  minutes      INTEGER CHECK (minutes IS NULL OR minutes > 0),  -- the hours it stands for, in minutes
  tags         TEXT NOT NULL DEFAULT '[]',    -- JSON array of strings
  alignments   TEXT NOT NULL DEFAULT '[]',    -- JSON array of alignment objects
  valid_days   INTEGER CHECK (valid_days IS NULL OR valid_days > 0),
  rule         TEXT NOT NULL DEFAULT '',      -- JSON award rule; '' when awarded only by hand
  rule_kind    TEXT NOT NULL DEFAULT '',
  created_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX achievements_owner ON achievements(owner_type, owner);
CREATE INDEX achievements_rule ON achievements(rule_kind);

-- A Bitstring Status List: each credential holds one bit of one list.
CREATE TABLE credential_status_lists (
  id        INTEGER PRIMARY KEY,
  key_id    TEXT NOT NULL,                    -- the issuer key that signs the list
  capacity  INTEGER NOT NULL CHECK (capacity > 0),
  used      INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE credentials (
  id                TEXT PRIMARY KEY,         -- the UUID of its urn:uuid: id
  achievement_id    INTEGER NOT NULL REFERENCES achievements(id),
  recipient_email   TEXT NOT NULL,
  recipient_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  recipient_name    TEXT NOT NULL DEFAULT '',
  source            TEXT NOT NULL CHECK (source IN ('manual', 'bulk', 'rule')),
  document          TEXT NOT NULL,            -- the signed credential, exactly as issued
  key_id            TEXT NOT NULL,            -- the issuer key that signed it
  issued_at         INTEGER NOT NULL,
  valid_until       INTEGER,
  status_list       INTEGER NOT NULL REFERENCES credential_status_lists(id),
  status_index      INTEGER NOT NULL,
  revoked_at        INTEGER,
  revoked_reason    TEXT NOT NULL DEFAULT '',
  revoked_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
  awarded_by        INTEGER REFERENCES users(id) ON DELETE SET NULL,
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
  watermark INTEGER NOT NULL
);
