-- xAPI documents: activity state, activity profiles and agent profiles,
-- one table told apart by kind. Absent parts of the key are '' so the unique
-- index holds (NULLs would never collide). agent is the agent's identifier
-- key. content is base64, so binary documents fit a text column in both
-- databases; etag is the SHA-1 of the content, as xAPI asks.

CREATE TABLE xapi_documents (
  id              INTEGER PRIMARY KEY,
  organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  kind            TEXT NOT NULL,
  activity_id     TEXT NOT NULL,
  agent           TEXT NOT NULL,
  registration    TEXT NOT NULL,
  document_id     TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  content         TEXT NOT NULL,
  etag            TEXT NOT NULL,
  updated         INTEGER NOT NULL
);
CREATE UNIQUE INDEX xapi_documents_key
  ON xapi_documents(organization_id, kind, activity_id, agent, registration, document_id);
