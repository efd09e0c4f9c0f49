-- On SQLite the statement filter index moves to a file of its own, where it
-- has its own write lock. PostgreSQL already writes index keys beside the
-- statement writers (row locks), so the tables stay where they are.
COMMENT ON TABLE xapi_statement_keys IS
  'Deferred statement filter index: key ("v <verb>", "g <agent>", ...) and seq; xapi_index_state holds how far it reaches.';
