-- An educator's own renewal cycle start (like the issue date of their
-- license), YYYY-MM-DD; empty: the district policy's cycle start.
ALTER TABLE district_members ADD COLUMN cycle_starts_on TEXT NOT NULL DEFAULT '';
