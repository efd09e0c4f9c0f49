-- Districts: the school systems that turn evidence into credit. Each has
-- schools, the email domains its staff hold, a join code, and members with a
-- district role. A member added by roster may have no account yet (user_id
-- NULL) until someone confirms that address.

CREATE TABLE districts (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slug       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  state      TEXT NOT NULL DEFAULT '',      -- two-letter US state or territory, or empty
  time_zone  TEXT NOT NULL,                 -- IANA name
  join_code  TEXT NOT NULL UNIQUE,
  created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE district_schools (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  district_id BIGINT NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  UNIQUE (district_id, name)
);

CREATE TABLE district_domains (
  domain      TEXT PRIMARY KEY,             -- lower-case; one district per domain
  district_id BIGINT NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
  added_by    BIGINT REFERENCES users(id) ON DELETE SET NULL,
  added_at    BIGINT NOT NULL
);
CREATE INDEX district_domains_district ON district_domains(district_id);

CREATE TABLE district_members (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  district_id  BIGINT NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
  user_id      BIGINT REFERENCES users(id) ON DELETE SET NULL,
  email        TEXT NOT NULL,               -- lower-cased
  display_name TEXT NOT NULL,
  school_id    BIGINT REFERENCES district_schools(id) ON DELETE SET NULL,
  role         TEXT NOT NULL CHECK (role IN ('educator', 'approver', 'admin')),
  joined_via   TEXT NOT NULL CHECK (joined_via IN ('created', 'code', 'domain', 'roster')),
  search_key   TEXT NOT NULL DEFAULT '',    -- name and address, case-folded, for search
  joined_at    BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL,
  UNIQUE (district_id, email)
);
CREATE INDEX district_members_user ON district_members(user_id);
CREATE INDEX district_members_email ON district_members(email);
