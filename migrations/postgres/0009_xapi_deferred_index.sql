-- Statement filters move to a deferred index. Writing a statement touches
-- only indexes that grow at their end (seq, organization, client, and ids,
-- which the LRS assigns in time order); the keys that queries filter on are
-- written by the indexer in large batches right after, where many statements
-- share each index page. Queries see the index up to xapi_index_state, and
-- X-Experience-API-Consistent-Through says how far that is.
--
-- key is "v <verb>", "a <object activity>", "A <related activity>",
-- "r <registration>", "g <agent>" (actor or object, and members of an actor
-- group), "G <agent>" (every related agent).
DROP INDEX xapi_statements_verb;
DROP INDEX xapi_statements_activity;
DROP INDEX xapi_statements_registration;
DROP TABLE xapi_statement_agents;
DROP TABLE xapi_statement_activities;

CREATE TABLE xapi_statement_keys (
  key TEXT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (key, seq)
);

CREATE TABLE xapi_index_state (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_seq BIGINT NOT NULL
);
INSERT INTO xapi_index_state (id, indexed_seq) VALUES (1, 0);

-- Joins of catalog activities, for the minutes of the leave that follows.
CREATE TABLE xapi_joins (
  statement_id    TEXT PRIMARY KEY,
  organization_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  agent           TEXT NOT NULL,
  activity_id     TEXT NOT NULL,
  joined_at       BIGINT NOT NULL
);
CREATE INDEX xapi_joins_agent ON xapi_joins(organization_id, agent, activity_id, joined_at);
