-- Credit: districts' written policies (every version kept), the informal
-- learning educators log, the supporting evidence they add, their claims,
-- the decisions on them and the credit each approved claim gave.
-- Days are days since 1970-01-01 (local days of the policy's zone); times
-- are milliseconds since the Unix epoch (UTC).

CREATE TABLE credit_policies (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  district_id  BIGINT NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
  version      BIGINT NOT NULL CHECK (version >= 1),
  effective_on BIGINT NOT NULL,
  body         TEXT NOT NULL,               -- the policy in its import/export format
  created_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at   BIGINT NOT NULL,
  UNIQUE (district_id, version)
);

-- Learning an educator did without a host that reports it.
CREATE TABLE self_reports (
  id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id            BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  title              TEXT NOT NULL,
  format             TEXT NOT NULL,
  learned_on         TEXT NOT NULL,         -- YYYY-MM-DD, as the educator gave it
  minutes            BIGINT NOT NULL CHECK (minutes > 0),
  url                TEXT NOT NULL DEFAULT '',
  reflection         TEXT NOT NULL DEFAULT '',
  reflection_words   BIGINT NOT NULL DEFAULT 0,
  attestation        TEXT NOT NULL DEFAULT 'none'
                     CHECK (attestation IN ('none', 'requested', 'attested', 'declined')),
  attester_email     TEXT NOT NULL DEFAULT '',
  attester_id        BIGINT REFERENCES users(id) ON DELETE SET NULL,
  attestation_token  TEXT UNIQUE,           -- SHA-256 of the mailed link's token
  attestation_note   TEXT NOT NULL DEFAULT '',
  attested_at        BIGINT,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL
);
CREATE INDEX self_reports_user ON self_reports(user_id, learned_on);

-- Evidence that supports a claim: a survey, a reflection, an artifact.
CREATE TABLE credit_evidence (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('survey', 'reflection', 'artifact')),
  title        TEXT NOT NULL,
  body         TEXT NOT NULL DEFAULT '',    -- the text, or the survey's answers as JSON
  words        BIGINT NOT NULL DEFAULT 0,
  file_name    TEXT NOT NULL DEFAULT '',
  content_type TEXT NOT NULL DEFAULT '',
  size         BIGINT NOT NULL DEFAULT 0,        -- bytes of the file
  content      TEXT NOT NULL DEFAULT '',     -- base64, so both databases keep it as text
  created_at   BIGINT NOT NULL
);
CREATE INDEX credit_evidence_user ON credit_evidence(user_id);

CREATE TABLE credit_claims (
  id                         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  district_id                BIGINT NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
  user_id                    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tier                       TEXT NOT NULL,
  note                       TEXT NOT NULL DEFAULT '',
  submitted_at               BIGINT NOT NULL,
  status                     TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'withdrawn')),
  policy_version             BIGINT NOT NULL DEFAULT 0,
  decided_by                 BIGINT REFERENCES users(id) ON DELETE SET NULL,
  decided_at                 BIGINT,
  reason                     TEXT NOT NULL DEFAULT '',
  minutes                    BIGINT NOT NULL DEFAULT 0,
  verified_minutes           BIGINT NOT NULL DEFAULT 0,
  trimmed_minutes            BIGINT NOT NULL DEFAULT 0,
  ceu_hundredths             BIGINT NOT NULL DEFAULT 0,
  semester_credit_hundredths BIGINT NOT NULL DEFAULT 0,
  completed_at               BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX credit_claims_district ON credit_claims(district_id, status, submitted_at);
CREATE INDEX credit_claims_user ON credit_claims(user_id, district_id);

-- What a claim rests on (kind: participation, self_report, survey,
-- reflection, artifact).
CREATE TABLE credit_claim_items (
  claim_id    BIGINT NOT NULL REFERENCES credit_claims(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  evidence_id BIGINT NOT NULL,
  PRIMARY KEY (claim_id, kind, evidence_id)
);

-- Evidence backing an approved claim. The key is what makes counting a
-- piece of evidence twice in a district impossible, whatever the code does.
CREATE TABLE credit_backing (
  district_id BIGINT NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  evidence_id BIGINT NOT NULL,
  claim_id    BIGINT NOT NULL REFERENCES credit_claims(id) ON DELETE CASCADE,
  PRIMARY KEY (district_id, kind, evidence_id)
);

-- The credit an approved claim gave, piece by piece, as approved: later
-- evidence changes and policy versions leave it as it is.
CREATE TABLE credit_allocations (
  claim_id         BIGINT NOT NULL REFERENCES credit_claims(id) ON DELETE CASCADE,
  kind             TEXT NOT NULL,
  evidence_id      BIGINT NOT NULL,
  activity_id      BIGINT NOT NULL DEFAULT 0,
  learned_at       BIGINT NOT NULL,
  format           TEXT NOT NULL,
  provider_id      BIGINT NOT NULL DEFAULT 0,
  self_reported    BIGINT NOT NULL DEFAULT 0,
  verified_minutes BIGINT NOT NULL,
  minutes          BIGINT NOT NULL,
  PRIMARY KEY (claim_id, kind, evidence_id)
);

-- Every submission, decision, withdrawal and refused attempt.
CREATE TABLE credit_audit (
  id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  district_id    BIGINT NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
  claim_id       BIGINT,
  actor_id       BIGINT REFERENCES users(id) ON DELETE SET NULL,
  action         TEXT NOT NULL,
  policy_version BIGINT NOT NULL DEFAULT 0,
  detail         TEXT NOT NULL DEFAULT '',
  at             BIGINT NOT NULL
);
CREATE INDEX credit_audit_district ON credit_audit(district_id, id);
CREATE INDEX credit_audit_claim ON credit_audit(claim_id);
