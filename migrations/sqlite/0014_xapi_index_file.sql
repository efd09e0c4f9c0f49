-- The statement filter index moves to the database's second file (PATH-derived,
-- attached to every connection as "derived"; see
-- migrations/sqlite_derived). That file has its own write lock, so the
-- indexer writes keys beside the statement writer instead of taking turns
-- with it, and commits there wait for no fsync: the index is derived data
-- that records its own position and is rebuilt from the statements when it
-- is behind or missing. Existing keys are dropped here; the indexer rebuilds
-- them in the background, and queries meanwhile answer what it covers
-- (X-Experience-API-Consistent-Through says how far).
DROP TABLE xapi_statement_keys;
DROP TABLE xapi_index_state;
