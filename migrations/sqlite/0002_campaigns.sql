-- Campaigns (a month of online professional learning, like Connected Educator
-- Month), their weekly themes and hashtags, partner organizations, and each
-- organization's application to take part in a campaign.
-- Dates are ISO 8601 calendar dates (YYYY-MM-DD) in the campaign's home time
-- zone; times are milliseconds since the Unix epoch (UTC).

CREATE TABLE campaigns (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  starts_on   TEXT NOT NULL,
  ends_on     TEXT NOT NULL,
  time_zone   TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  CHECK (ends_on >= starts_on)
);

CREATE TABLE campaign_themes (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  title       TEXT NOT NULL,
  summary     TEXT NOT NULL DEFAULT '',
  starts_on   TEXT NOT NULL,
  ends_on     TEXT NOT NULL,
  UNIQUE (campaign_id, position)
);

CREATE TABLE campaign_hashtags (
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  tag         TEXT NOT NULL,
  PRIMARY KEY (campaign_id, position),
  UNIQUE (campaign_id, tag)
);

CREATE TABLE organizations (
  id            INTEGER PRIMARY KEY,
  slug          TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL,
  website       TEXT NOT NULL DEFAULT '',
  logo_url      TEXT NOT NULL DEFAULT '',
  description   TEXT NOT NULL DEFAULT '',
  contact_email TEXT NOT NULL,
  created_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);

CREATE TABLE campaign_partners (
  campaign_id     INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
  reason          TEXT NOT NULL DEFAULT '',
  applied_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
  applied_at      INTEGER NOT NULL,
  decided_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
  decided_at      INTEGER,
  PRIMARY KEY (campaign_id, organization_id)
);
CREATE INDEX campaign_partners_status ON campaign_partners(campaign_id, status);
