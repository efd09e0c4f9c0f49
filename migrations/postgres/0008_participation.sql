-- Participation evidence from xAPI statements, and verified identities.
--
-- Email verification: a person proves their address by following a link
-- mailed to it. Verified identities are the xAPI identifier keys that are
-- known to be theirs ("mbox:mailto:ada@example.org" and its
-- "sha1:<hex>" form); statements about an identity are linked to its owner
-- when they arrive, or when the identity is verified later.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;

CREATE TABLE email_verifications (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  email      TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);

CREATE TABLE verified_identities (
  identity    TEXT PRIMARY KEY,
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  verified_at BIGINT NOT NULL
);
CREATE INDEX verified_identities_user ON verified_identities(user_id);

-- Attendance takes a third source, 'xapi': one row per statement that
-- counts, named by statement_id ('' for the other sources) so voiding the
-- statement withdraws exactly its row. email holds the person's email when
-- the statement names one, else the identifier key.
ALTER TABLE attendance DROP CONSTRAINT attendance_source_check;
ALTER TABLE attendance ADD CONSTRAINT attendance_source_check
  CHECK (source IN ('check_in', 'attendance_list', 'xapi'));
ALTER TABLE attendance ADD COLUMN statement_id TEXT NOT NULL DEFAULT '';
ALTER TABLE attendance DROP CONSTRAINT attendance_activity_id_source_email_session_starts_at_key;
ALTER TABLE attendance ADD CONSTRAINT attendance_unique
  UNIQUE (activity_id, source, email, session_starts_at, statement_id);
CREATE INDEX attendance_statement ON attendance(statement_id) WHERE statement_id <> '';
