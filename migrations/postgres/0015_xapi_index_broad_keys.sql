-- Broad index keys ("G <agent>", "A <activity>") are no longer written for
-- the agents and the object activity that the narrow keys ("g", "a") already
-- name: a broad filter reads both, and each statement has fewer keys. Those
-- already written go.
DELETE FROM xapi_statement_keys b
 WHERE (b.key LIKE 'G %' AND EXISTS (
          SELECT 1 FROM xapi_statement_keys n WHERE n.key = 'g' || substr(b.key, 2) AND n.seq = b.seq))
    OR (b.key LIKE 'A %' AND EXISTS (
          SELECT 1 FROM xapi_statement_keys n WHERE n.key = 'a' || substr(b.key, 2) AND n.seq = b.seq));
