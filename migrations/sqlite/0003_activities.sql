-- Activities that partner organizations offer in a campaign, the people who
-- facilitate them, co-hosts, registrations with a waiting list, attendance
-- (the first participation evidence), and personal calendar feed tokens.
-- Times are milliseconds since the Unix epoch (UTC); local wall times and
-- dates are kept as text beside their IANA time zone.

CREATE TABLE activities (
  id                  INTEGER PRIMARY KEY,
  campaign_id         INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  host_id             INTEGER NOT NULL REFERENCES organizations(id),
  title               TEXT NOT NULL,
  description         TEXT NOT NULL DEFAULT '',
  description_html    TEXT NOT NULL DEFAULT '',
  format              TEXT NOT NULL,
  time_zone           TEXT NOT NULL,
  local_start         TEXT NOT NULL DEFAULT '',
  duration_minutes    INTEGER NOT NULL DEFAULT 0,
  recurrence          TEXT NOT NULL DEFAULT '',
  available_from      TEXT NOT NULL DEFAULT '',
  available_until     TEXT NOT NULL DEFAULT '',
  first_start         INTEGER NOT NULL,
  last_end            INTEGER NOT NULL,
  join_url            TEXT NOT NULL DEFAULT '',
  capacity            INTEGER,
  pd_minutes          INTEGER NOT NULL DEFAULT 0,
  language            TEXT NOT NULL DEFAULT 'en',
  captions            INTEGER NOT NULL DEFAULT 0,
  transcripts         INTEGER NOT NULL DEFAULT 0,
  accessibility_notes TEXT NOT NULL DEFAULT '',
  status              TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'declined', 'cancelled')),
  reason              TEXT NOT NULL DEFAULT '',
  checkin_code        TEXT NOT NULL,
  sequence            INTEGER NOT NULL DEFAULT 0,
  created_by          INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  CHECK (last_end >= first_start),
  CHECK (capacity IS NULL OR capacity >= 0)
);
CREATE INDEX activities_campaign ON activities(campaign_id, status, first_start);
CREATE INDEX activities_host ON activities(host_id);

-- Each occurrence of an activity (one for a single session, several for a
-- weekly series; none for a self-paced window).
CREATE TABLE activity_sessions (
  activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL,
  PRIMARY KEY (activity_id, starts_at)
);

-- Audience (kind: role, grade, subject) and themes of an activity.
CREATE TABLE activity_tags (
  activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('role', 'grade', 'subject', 'theme')),
  value       TEXT NOT NULL,
  PRIMARY KEY (activity_id, kind, value)
);
CREATE INDEX activity_tags_value ON activity_tags(kind, value);

-- Co-hosts of an activity besides its host; shown once their staff confirm.
CREATE TABLE activity_cohosts (
  activity_id     INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
  organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  position        INTEGER NOT NULL,
  confirmed_at    INTEGER,
  PRIMARY KEY (activity_id, organization_id)
);
CREATE INDEX activity_cohosts_org ON activity_cohosts(organization_id);

-- Facilitators and speakers: one record a person, whatever they facilitate.
-- name_key is the lower-cased "name|affiliation" that identifies a person
-- entered without an account.
CREATE TABLE people (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  affiliation TEXT NOT NULL DEFAULT '',
  bio         TEXT NOT NULL DEFAULT '',
  email       TEXT NOT NULL DEFAULT '',
  name_key    TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);

CREATE TABLE activity_facilitators (
  activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
  person_id   INTEGER NOT NULL REFERENCES people(id),
  role        TEXT NOT NULL CHECK (role IN ('facilitator', 'speaker')),
  position    INTEGER NOT NULL,
  PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX activity_facilitators_person ON activity_facilitators(person_id);

-- Recordings and resources hosts attach after the activity.
CREATE TABLE activity_resources (
  id          INTEGER PRIMARY KEY,
  activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL CHECK (kind IN ('recording', 'resource')),
  title       TEXT NOT NULL,
  url         TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX activity_resources_activity ON activity_resources(activity_id);

-- A seat or a place on the waiting list; the waiting list is ordered by
-- registered_at, then user id. Cancelling deletes the row.
CREATE TABLE registrations (
  activity_id   INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status        TEXT NOT NULL CHECK (status IN ('registered', 'waitlisted')),
  registered_at INTEGER NOT NULL,
  PRIMARY KEY (activity_id, user_id)
);
CREATE INDEX registrations_user ON registrations(user_id);
CREATE INDEX registrations_waitlist ON registrations(activity_id, status, registered_at);

-- Attendance: check-ins and hosts' attendance lists. email identifies people
-- without an account yet; user_id links those who have one.
CREATE TABLE attendance (
  id                INTEGER PRIMARY KEY,
  activity_id       INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
  user_id           INTEGER REFERENCES users(id) ON DELETE SET NULL,
  email             TEXT NOT NULL,
  source            TEXT NOT NULL CHECK (source IN ('check_in', 'attendance_list')),
  minutes           INTEGER NOT NULL CHECK (minutes >= 0),
  session_starts_at INTEGER NOT NULL,
  recorded_at       INTEGER NOT NULL,
  recorded_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  UNIQUE (activity_id, source, email, session_starts_at)
);
CREATE INDEX attendance_user ON attendance(user_id);
CREATE INDEX attendance_email ON attendance(email);

-- The personal calendar feed: one live token a user, stored hashed.
CREATE TABLE calendar_tokens (
  user_id    INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);

-- Full-text search over title, description, host, co-hosts and facilitators;
-- rowid is the activity id and scope names its campaign ("c42"), so a search
-- reads only that campaign's entries. Kept up to date by the catalog store.
CREATE VIRTUAL TABLE activity_search USING fts5(scope, body, tokenize = 'unicode61 remove_diacritics 2');
