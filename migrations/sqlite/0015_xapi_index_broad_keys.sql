-- Broad index keys ("G <agent>", "A <activity>") are no longer written for
-- the agents and the object activity that the narrow keys ("g", "a") already
-- name: a broad filter reads both, and each statement has fewer keys. The
-- index (in the second file) is emptied and built again from the statements
-- in the background; queries meanwhile answer what it covers
-- (X-Experience-API-Consistent-Through says how far).
DELETE FROM derived.xapi_statement_keys;
UPDATE derived.xapi_index_state SET indexed_seq = 0;
