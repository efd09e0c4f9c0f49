-- xAPI statements as the LRS keeps them. seq is the stored order, assigned
-- under the write lock, so it never runs backwards and paging cursors are
-- stable. body is the statement as the LRS returns it (format=exact).
-- sent_hash is the SHA-256 of the statement as first sent, to tell an
-- identical re-send (ignored) from a conflicting one (409).
-- Statements belong to the organization whose client sent them; queries and
-- documents never cross organizations.

CREATE TABLE xapi_statements (
  seq             BIGINT PRIMARY KEY,
  statement_id    TEXT NOT NULL UNIQUE,
  organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  client_id       BIGINT REFERENCES lrs_clients(id) ON DELETE SET NULL,
  stored          BIGINT NOT NULL,
  verb_id         TEXT NOT NULL,
  activity_id     TEXT,
  ref_target      TEXT,
  registration    TEXT,
  voided          BIGINT NOT NULL DEFAULT 0,
  sent_hash       TEXT NOT NULL,
  body            TEXT NOT NULL
);
CREATE INDEX xapi_statements_org ON xapi_statements(organization_id, seq);
CREATE INDEX xapi_statements_client ON xapi_statements(client_id, seq);
CREATE INDEX xapi_statements_verb ON xapi_statements(verb_id, seq);
CREATE INDEX xapi_statements_activity ON xapi_statements(activity_id, seq) WHERE activity_id IS NOT NULL;
CREATE INDEX xapi_statements_registration ON xapi_statements(registration, seq) WHERE registration IS NOT NULL;
CREATE INDEX xapi_statements_refs ON xapi_statements(ref_target) WHERE ref_target IS NOT NULL;
CREATE INDEX xapi_statements_referring ON xapi_statements(organization_id, seq) WHERE ref_target IS NOT NULL;

-- Agents a statement is about, by identifier key (mbox:..., sha1:...,
-- openid:..., account:HOME NAME). related = 1 for those only the broad
-- (related_agents) filter matches: authority, instructor, team, context
-- agents, SubStatement parts.
CREATE TABLE xapi_statement_agents (
  agent   TEXT NOT NULL,
  seq     BIGINT NOT NULL REFERENCES xapi_statements(seq) ON DELETE CASCADE,
  related BIGINT NOT NULL,
  PRIMARY KEY (agent, seq)
);

-- Activities for the related_activities filter: the object, every context
-- activity, SubStatement parts.
CREATE TABLE xapi_statement_activities (
  activity TEXT NOT NULL,
  seq      BIGINT NOT NULL REFERENCES xapi_statements(seq) ON DELETE CASCADE,
  PRIMARY KEY (activity, seq)
);

-- Attachment contents by their SHA-2, base64 so both databases keep them as
-- text.
CREATE TABLE xapi_attachments (
  sha2         TEXT PRIMARY KEY,
  content_type TEXT NOT NULL,
  length       BIGINT NOT NULL,
  content      TEXT NOT NULL
);

-- The canonical definition of each activity an organization's statements
-- describe: later definitions merge into earlier ones.
CREATE TABLE xapi_activities (
  organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  activity_id     TEXT NOT NULL,
  definition      TEXT NOT NULL,
  updated_at      BIGINT NOT NULL,
  PRIMARY KEY (organization_id, activity_id)
);
