-- Participation evidence from xAPI statements, and verified identities.
--
-- Email verification: a person proves their address by following a link
-- mailed to it. Verified identities are the xAPI identifier keys that are
-- known to be theirs ("mbox:mailto:ada@example.org" and its
-- "sha1:<hex>" form); statements about an identity are linked to its owner
-- when they arrive, or when the identity is verified later.
ALTER TABLE users ADD COLUMN email_verified_at INTEGER;

CREATE TABLE email_verifications (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  email      TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);

CREATE TABLE verified_identities (
  identity    TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  verified_at INTEGER NOT NULL
);
CREATE INDEX verified_identities_user ON verified_identities(user_id);

-- Attendance takes a third source, 'xapi': one row per statement that
-- counts, named by statement_id ('' for the other sources) so voiding the
-- statement withdraws exactly its row. email holds the person's email when
-- the statement names one, else the identifier key.
CREATE TABLE attendance_next (
  id                INTEGER PRIMARY KEY,
  activity_id       INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
  user_id           INTEGER REFERENCES users(id) ON DELETE SET NULL,
  email             TEXT NOT NULL,
  source            TEXT NOT NULL CHECK (source IN ('check_in', 'attendance_list', 'xapi')),
  minutes           INTEGER NOT NULL CHECK (minutes >= 0),
  session_starts_at INTEGER NOT NULL,
  recorded_at       INTEGER NOT NULL,
  recorded_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  statement_id      TEXT NOT NULL DEFAULT '',
  UNIQUE (activity_id, source, email, session_starts_at, statement_id)
);
INSERT INTO attendance_next (id, activity_id, user_id, email, source, minutes, session_starts_at, recorded_at,
                             recorded_by)
  SELECT id, activity_id, user_id, email, source, minutes, session_starts_at, recorded_at, recorded_by
  FROM attendance;
DROP TABLE attendance;
ALTER TABLE attendance_next RENAME TO attendance;
CREATE INDEX attendance_user ON attendance(user_id);
CREATE INDEX attendance_email ON attendance(email);
CREATE INDEX attendance_statement ON attendance(statement_id) WHERE statement_id <> '';
