-- Credit: districts' written policies (every version kept), the informal
-- learning educators log, the supporting evidence they add, their claims,
-- the decisions on them and the credit each approved claim gave.
-- Days are days since 1970-01-01 (local days of the policy's zone); times
-- are milliseconds since the Unix epoch (UTC).

CREATE TABLE credit_policies (
  id           INTEGER PRIMARY KEY,
  district_id  INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
  version      INTEGER NOT NULL CHECK (version >= 1),
  effective_on INTEGER NOT NULL,
  body         TEXT NOT NULL,               -- the policy in its import/export format
  created_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at   INTEGER NOT NULL,
  UNIQUE (district_id, version)
);

-- Learning an educator did without a host that reports it.
CREATE TABLE self_reports (
  id                 INTEGER PRIMARY KEY,
  user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  title              TEXT NOT NULL,
  format             TEXT NOT NULL,
  learned_on         TEXT NOT NULL,         -- YYYY-MM-DD, as the educator gave it
  minutes            INTEGER NOT NULL CHECK (minutes > 0),
  url                TEXT NOT NULL DEFAULT '',
  reflection         TEXT NOT NULL DEFAULT '',
  reflection_words   INTEGER NOT NULL DEFAULT 0,
  attestation        TEXT NOT NULL DEFAULT 'none'
                     CHECK (attestation IN ('none', 'requested', 'attested', 'declined')),
  attester_email     TEXT NOT NULL DEFAULT '',
  attester_id        INTEGER REFERENCES users(id) ON DELETE SET NULL,
  attestation_token  TEXT UNIQUE,           -- SHA-256 of the mailed link's token
  attestation_note   TEXT NOT NULL DEFAULT '',
  attested_at        INTEGER,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);
CREATE INDEX self_reports_user ON self_reports(user_id, learned_on);

-- Evidence that supports a claim: a survey, a reflection, an artifact.
CREATE TABLE credit_evidence (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('survey', 'reflection', 'artifact')),
  title        TEXT NOT NULL,
  body         TEXT NOT NULL DEFAULT '',    -- the text, or the survey's answers as JSON
  words        INTEGER NOT NULL DEFAULT 0,
  file_name    TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL DEFAULT '',
  size         INTEGER NOT NULL DEFAULT 0,        -- bytes of the file
  content      TEXT NOT NULL DEFAULT '',     -- base64, so both databases keep it as text
  created_at   INTEGER NOT NULL
);
CREATE INDEX credit_evidence_user ON credit_evidence(user_id);

CREATE TABLE credit_claims (
  id                         INTEGER PRIMARY KEY,
  district_id                INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
  user_id                    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tier                       TEXT NOT NULL,
  note                       TEXT NOT NULL DEFAULT '',
  submitted_at               INTEGER NOT NULL,
  status                     TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'withdrawn')),
  policy_version             INTEGER NOT NULL DEFAULT 0,
  decided_by                 INTEGER REFERENCES users(id) ON DELETE SET NULL,
  decided_at                 INTEGER,
  reason                     TEXT NOT NULL DEFAULT '',
  minutes                    INTEGER NOT NULL DEFAULT 0,
  verified_minutes           INTEGER NOT NULL DEFAULT 0,
  trimmed_minutes            INTEGER NOT NULL DEFAULT 0,
  ceu_hundredths             INTEGER NOT NULL DEFAULT 0,
  semester_credit_hundredths INTEGER NOT NULL DEFAULT 0,
  completed_at               INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX credit_claims_district ON credit_claims(district_id, status, submitted_at);
CREATE INDEX credit_claims_user ON credit_claims(user_id, district_id);

-- What a claim rests on (kind: participation, self_report, survey,
-- reflection, artifact).
CREATE TABLE credit_claim_items (
  claim_id    INTEGER NOT NULL REFERENCES credit_claims(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  evidence_id INTEGER NOT NULL,
  PRIMARY KEY (claim_id, kind, evidence_id)
);

-- Evidence backing an approved claim. The key is what makes counting a
-- piece of evidence twice in a district impossible, whatever the code does.
CREATE TABLE credit_backing (
  district_id INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  evidence_id INTEGER NOT NULL,
  claim_id    INTEGER NOT NULL REFERENCES credit_claims(id) ON DELETE CASCADE,
  PRIMARY KEY (district_id, kind, evidence_id)
);

-- The credit an approved claim gave, piece by piece, as approved: later
-- evidence changes and policy versions leave it as it is.
CREATE TABLE credit_allocations (
  claim_id         INTEGER NOT NULL REFERENCES credit_claims(id) ON DELETE CASCADE,
  kind             TEXT NOT NULL,
  evidence_id      INTEGER NOT NULL,
  activity_id      INTEGER NOT NULL DEFAULT 0,
  learned_at       INTEGER NOT NULL,
  format           TEXT NOT NULL,
  provider_id      INTEGER NOT NULL DEFAULT 0,
  self_reported    INTEGER NOT NULL DEFAULT 0,
  verified_minutes INTEGER NOT NULL,
  minutes          INTEGER NOT NULL,
  PRIMARY KEY (claim_id, kind, evidence_id)
);

-- Every submission, decision, withdrawal and refused attempt.
CREATE TABLE credit_audit (
  id             INTEGER PRIMARY KEY,
  district_id    INTEGER NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
  claim_id       INTEGER,
  actor_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
  action         TEXT NOT NULL,
  policy_version INTEGER NOT NULL DEFAULT 0,
  detail         TEXT NOT NULL DEFAULT '',
  at             INTEGER NOT NULL
);
CREATE INDEX credit_audit_district ON credit_audit(district_id, id);
CREATE INDEX credit_audit_claim ON credit_audit(claim_id);
