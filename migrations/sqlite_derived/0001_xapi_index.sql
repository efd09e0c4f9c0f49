-- The SQLite database's second file holds data derived from the first, here
-- the deferred statement filter index (see migrations/sqlite/0009 and 0014).
-- Its migrations are recorded in the file itself, so a missing or deleted
-- file gets its tables again at the next start and the index is rebuilt.
--
-- key is "v <verb>", "a <object activity>", "A <related activity>",
-- "r <registration>", "g <agent>" (actor or object, and members of an actor
-- group), "G <agent>" (every related agent).
CREATE TABLE derived.xapi_statement_keys (
  key TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (key, seq)
) WITHOUT ROWID;

CREATE TABLE derived.xapi_index_state (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_seq INTEGER NOT NULL
);
INSERT INTO derived.xapi_index_state (id, indexed_seq) VALUES (1, 0);
