#include "activities/store.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "core/crypto.hpp"
#include "core/json.hpp"

namespace staffroom::activities::store {

using db::Sql;
using db::Value;

namespace {

constexpr std::size_t kChunk = 50;  // ids a batched statement takes

constexpr const char* kColumns =
    "a.id, a.campaign_id, cp.slug, a.host_id, o.slug, o.name, a.title, a.description, a.description_html, "
    "a.format, a.time_zone, a.local_start, a.duration_minutes, a.recurrence, a.available_from, a.available_until, "
    "a.first_start, a.last_end, a.join_url, a.capacity, a.pd_minutes, a.language, a.captions, a.transcripts, "
    "a.accessibility_notes, a.status, a.reason, a.checkin_code, a.sequence, a.created_at, a.updated_at, "
    "(SELECT COUNT(*) FROM registrations r WHERE r.activity_id = a.id AND r.status = 'registered'), "
    "(SELECT COUNT(*) FROM registrations r WHERE r.activity_id = a.id AND r.status = 'waitlisted') "
    "FROM activities a JOIN campaigns cp ON cp.id = a.campaign_id JOIN organizations o ON o.id = a.host_id ";

// "$1, $2, ..., $n" starting at `first`.
std::string placeholders(std::size_t first, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out;
}

// A statement over a chunk of ids: `prefix` + "(<placeholders>)" + `suffix`.
struct ChunkSql {
  std::string text;
  ChunkSql(const std::string& prefix, const std::string& suffix)
      : text(prefix + "(" + placeholders(1, kChunk) + ")" + suffix) {}
  Sql sql() const { return Sql{text}; }
};

const ChunkSql& base_sql() {
  static const ChunkSql s(std::string("SELECT ") + kColumns + "WHERE a.id IN ", "");
  return s;
}
const ChunkSql& sessions_sql() {
  static const ChunkSql s("SELECT activity_id, starts_at, ends_at FROM activity_sessions WHERE activity_id IN ",
                          " ORDER BY activity_id, starts_at");
  return s;
}
const ChunkSql& tags_sql() {
  static const ChunkSql s("SELECT activity_id, kind, value FROM activity_tags WHERE activity_id IN ",
                          " ORDER BY activity_id, kind, value");
  return s;
}
const ChunkSql& cohosts_sql() {
  static const ChunkSql s(
      "SELECT h.activity_id, o.id, o.slug, o.name, h.confirmed_at FROM activity_cohosts h "
      "JOIN organizations o ON o.id = h.organization_id WHERE h.activity_id IN ",
      " ORDER BY h.activity_id, h.position");
  return s;
}
const ChunkSql& facilitators_sql() {
  static const ChunkSql s(
      "SELECT f.activity_id, p.id, p.slug, p.name, p.affiliation, p.bio, f.role FROM activity_facilitators f "
      "JOIN people p ON p.id = f.person_id WHERE f.activity_id IN ",
      " ORDER BY f.activity_id, f.position");
  return s;
}
const ChunkSql& resources_sql() {
  static const ChunkSql s(
      "SELECT activity_id, kind, title, url, created_at FROM activity_resources WHERE activity_id IN ",
      " ORDER BY activity_id, id");
  return s;
}

Activity activity_from(const db::Row& r) {
  Activity a;
  a.id = r.int64(0);
  a.campaign_id = r.int64(1);
  a.campaign_slug = r.text(2);
  a.host = {r.int64(3), r.text(4), r.text(5), true};
  a.title = r.text(6);
  a.description = r.text(7);
  a.description_html = r.text(8);
  a.format = r.text(9);
  a.time_zone = r.text(10);
  a.start = r.text(11);
  a.duration_minutes = static_cast<int>(r.int64(12));
  a.recurrence = r.text(13);
  a.available_from = r.text(14);
  a.available_until = r.text(15);
  a.first_start = r.int64(16);
  a.last_end = r.int64(17);
  a.join_url = r.text(18);
  if (!r.is_null(19)) a.capacity = static_cast<int>(r.int64(19));
  a.pd_minutes = static_cast<int>(r.int64(20));
  a.language = r.text(21);
  a.accessibility.captions = r.int64(22) != 0;
  a.accessibility.transcripts = r.int64(23) != 0;
  a.accessibility.notes = r.text(24);
  a.status = parse_status(r.text(25)).value_or(ActivityStatus::Draft);
  a.reason = r.text(26);
  a.checkin_code = r.text(27);
  a.sequence = static_cast<int>(r.int64(28));
  a.created_at = r.int64(29);
  a.updated_at = r.int64(30);
  a.registered = static_cast<int>(r.int64(31));
  a.waitlisted = static_cast<int>(r.int64(32));
  return a;
}

// Runs a chunked statement over `ids`, calling fn for each row.
template <class Fn>
Status each_chunk(db::Connection& c, const ChunkSql& sql, const std::vector<std::int64_t>& ids, Fn fn) {
  for (std::size_t start = 0; start < ids.size(); start += kChunk) {
    std::vector<Value> p;
    p.reserve(kChunk);
    for (std::size_t i = 0; i < kChunk; ++i) p.emplace_back(ids[std::min(start + i, ids.size() - 1)]);
    SR_ASSIGN(auto rows, c.query(sql.sql(), p));
    for (const auto& r : rows.rows) fn(r);
  }
  return {};
}

Value optional_int(std::optional<int> v) {
  return v ? Value(static_cast<std::int64_t>(*v)) : Value();
}

constexpr Sql kInsert{
    "INSERT INTO activities (campaign_id, host_id, title, description, description_html, format, time_zone, "
    "local_start, duration_minutes, recurrence, available_from, available_until, first_start, last_end, join_url, "
    "capacity, pd_minutes, language, captions, transcripts, accessibility_notes, status, reason, checkin_code, "
    "sequence, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
    "$14, $15, $16, $17, $18, $19, $20, $21, $22, '', $23, 0, $24, $25, $25) RETURNING id"};
constexpr Sql kUpdate{
    "UPDATE activities SET title = $2, description = $3, description_html = $4, format = $5, time_zone = $6, "
    "local_start = $7, duration_minutes = $8, recurrence = $9, available_from = $10, available_until = $11, "
    "first_start = $12, last_end = $13, join_url = $14, capacity = $15, pd_minutes = $16, language = $17, "
    "captions = $18, transcripts = $19, accessibility_notes = $20, sequence = sequence + 1, updated_at = $21 "
    "WHERE id = $1"};
constexpr Sql kSetStatus{
    "UPDATE activities SET status = $2, reason = $3, sequence = sequence + 1, updated_at = $4 WHERE id = $1"};

constexpr Sql kDeleteSessions{"DELETE FROM activity_sessions WHERE activity_id = $1"};
constexpr Sql kInsertSession{"INSERT INTO activity_sessions (activity_id, starts_at, ends_at) VALUES ($1, $2, $3)"};
constexpr Sql kDeleteTags{"DELETE FROM activity_tags WHERE activity_id = $1"};
constexpr Sql kInsertTag{"INSERT INTO activity_tags (activity_id, kind, value) VALUES ($1, $2, $3)"};
constexpr Sql kDeleteFacilitators{"DELETE FROM activity_facilitators WHERE activity_id = $1"};
constexpr Sql kInsertFacilitator{
    "INSERT INTO activity_facilitators (activity_id, person_id, role, position) VALUES ($1, $2, $3, $4)"};
constexpr Sql kCohostsOf{"SELECT organization_id, confirmed_at FROM activity_cohosts WHERE activity_id = $1"};
constexpr Sql kDeleteCohosts{"DELETE FROM activity_cohosts WHERE activity_id = $1"};
constexpr Sql kInsertCohost{
    "INSERT INTO activity_cohosts (activity_id, organization_id, position, confirmed_at) VALUES ($1, $2, $3, $4)"};
constexpr Sql kConfirmCohost{
    "UPDATE activity_cohosts SET confirmed_at = $3 WHERE activity_id = $1 AND organization_id = $2 "
    "AND confirmed_at IS NULL"};
constexpr Sql kInsertResource{
    "INSERT INTO activity_resources (activity_id, kind, title, url, created_at) VALUES ($1, $2, $3, $4, $5)"};
constexpr Sql kIndex{"INSERT OR REPLACE INTO activity_search (rowid, body, scope) VALUES ($1, $2, $3)",
                     "UPDATE activities SET search = to_tsvector('simple', $2) WHERE id = $1 AND $3::text <> ''"};

constexpr Sql kCampaignIds{
    "SELECT id FROM activities WHERE campaign_id = $1 AND (status = $2 OR status = $3) ORDER BY first_start, id"};
constexpr Sql kOrganizationIds{
    "SELECT a.id FROM activities a WHERE ($2 = 0 OR a.campaign_id = $2) AND ($3 = 0 OR a.status IN ('approved', "
    "'cancelled')) AND (a.host_id = $1 OR EXISTS (SELECT 1 FROM activity_cohosts h WHERE h.activity_id = a.id AND "
    "h.organization_id = $1 AND ($3 = 0 OR h.confirmed_at IS NOT NULL))) ORDER BY a.first_start, a.id LIMIT 5000"};
constexpr Sql kFingerprint{
    "SELECT COUNT(*), COALESCE(MAX(updated_at), 0), COALESCE(SUM(sequence), 0) FROM activities WHERE campaign_id = "
    "$1"};

constexpr Sql kPersonBySlug{"SELECT id, slug, name, affiliation, bio FROM people WHERE slug = $1"};
constexpr Sql kPersonByKey{"SELECT id, slug, name, affiliation, bio FROM people WHERE name_key = $1"};
constexpr Sql kSlugTaken{"SELECT 1 FROM people WHERE slug = $1"};
constexpr Sql kInsertPerson{
    "INSERT INTO people (slug, name, affiliation, bio, email, name_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
    "$7) RETURNING id"};
constexpr Sql kUpdatePersonBio{"UPDATE people SET bio = $2 WHERE id = $1 AND bio = ''"};
constexpr Sql kPersonActivities{
    "SELECT a.id FROM activity_facilitators f JOIN activities a ON a.id = f.activity_id WHERE f.person_id = $1 "
    "AND a.status IN ('approved', 'cancelled') ORDER BY a.first_start, a.id LIMIT 500"};

constexpr Sql kLock{"SELECT id FROM activities WHERE id = $1", "SELECT id FROM activities WHERE id = $1 FOR UPDATE"};
constexpr Sql kCounts{
    "SELECT COALESCE(SUM(CASE WHEN status = 'registered' THEN 1 ELSE 0 END), 0), "
    "COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0) FROM registrations WHERE activity_id = $1"};
constexpr Sql kLastRegistered{"SELECT COALESCE(MAX(registered_at), 0) FROM registrations WHERE activity_id = $1"};
constexpr Sql kRegistrationStatus{"SELECT status FROM registrations WHERE activity_id = $1 AND user_id = $2"};
constexpr Sql kInsertRegistration{
    "INSERT INTO registrations (activity_id, user_id, status, registered_at) VALUES ($1, $2, $3, $4)"};
constexpr Sql kDeleteRegistration{"DELETE FROM registrations WHERE activity_id = $1 AND user_id = $2"};
constexpr Sql kPromote{
    "UPDATE registrations SET status = 'registered' WHERE activity_id = $1 AND user_id IN (SELECT user_id FROM "
    "registrations WHERE activity_id = $1 AND status = 'waitlisted' ORDER BY registered_at, user_id LIMIT $2) "
    "RETURNING user_id"};
constexpr Sql kWaitlistPosition{
    "SELECT COUNT(*) FROM registrations w JOIN registrations me ON me.activity_id = w.activity_id AND me.user_id = $2 "
    "WHERE w.activity_id = $1 AND w.status = 'waitlisted' AND (w.registered_at < me.registered_at OR "
    "(w.registered_at = me.registered_at AND w.user_id <= me.user_id))"};
constexpr Sql kSchedule{
    "SELECT r.activity_id, r.status, r.registered_at FROM registrations r JOIN activities a ON a.id = r.activity_id "
    "WHERE r.user_id = $1 ORDER BY a.first_start, a.id LIMIT 1000"};
constexpr Sql kRegistrantEmails{
    "SELECT u.email FROM registrations r JOIN users u ON u.id = r.user_id WHERE r.activity_id = $1 ORDER BY u.id"};

constexpr Sql kInsertAttendance{
    "INSERT INTO attendance (activity_id, user_id, email, source, minutes, session_starts_at, recorded_at, "
    "recorded_by, statement_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING"};
constexpr Sql kDeleteStatementAttendance{"DELETE FROM attendance WHERE statement_id = $1 AND source = 'xapi'"};
constexpr Sql kLinkAttendance{"UPDATE attendance SET user_id = $1 WHERE user_id IS NULL AND email = $2"};
constexpr Sql kDeleteAttendanceList{"DELETE FROM attendance WHERE activity_id = $1 AND source = 'attendance_list'"};
constexpr const char* kAttendanceColumns =
    "SELECT t.id, t.activity_id, a.title, t.user_id, t.email, t.source, t.minutes, t.session_starts_at, "
    "t.recorded_at, t.statement_id FROM attendance t JOIN activities a ON a.id = t.activity_id ";
const std::string& activity_attendance_text() {
  static const std::string text =
      std::string(kAttendanceColumns) + "WHERE t.activity_id = $1 ORDER BY t.email, t.session_starts_at LIMIT 20000";
  return text;
}
const std::string& user_attendance_text() {
  static const std::string text = std::string(kAttendanceColumns) +
                                  "WHERE t.user_id = $1 OR (t.user_id IS NULL AND t.email = $2 AND t.source <> 'xapi') "
                                  "ORDER BY t.session_starts_at DESC, t.id LIMIT 5000";
  return text;
}
constexpr Sql kUserByEmail{"SELECT id FROM users WHERE email = $1"};

constexpr Sql kSetToken{
    "INSERT INTO calendar_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3) "
    "ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at"};
constexpr Sql kDeleteToken{"DELETE FROM calendar_tokens WHERE user_id = $1"};
constexpr Sql kTokenUser{"SELECT user_id FROM calendar_tokens WHERE token_hash = $1"};

constexpr Sql kImpact{
    "SELECT "
    "(SELECT COUNT(*) FROM campaign_partners WHERE campaign_id = $1 AND status = 'approved'), "
    "(SELECT COUNT(*) FROM activities WHERE campaign_id = $1 AND status = 'approved'), "
    "(SELECT COUNT(DISTINCT f.person_id) FROM activity_facilitators f JOIN activities a ON a.id = f.activity_id "
    " WHERE a.campaign_id = $1 AND a.status = 'approved'), "
    "(SELECT COUNT(*) FROM activities a WHERE a.campaign_id = $1 AND a.status = 'approved' AND EXISTS "
    " (SELECT 1 FROM activity_cohosts h WHERE h.activity_id = a.id AND h.confirmed_at IS NOT NULL)), "
    "(SELECT COUNT(*) FROM registrations r JOIN activities a ON a.id = r.activity_id "
    " WHERE a.campaign_id = $1 AND a.status = 'approved' AND r.status = 'registered'), "
    "(SELECT COUNT(DISTINCT COALESCE(u.email, t.email)) FROM attendance t "
    " JOIN activities a ON a.id = t.activity_id LEFT JOIN users u ON u.id = t.user_id "
    " WHERE a.campaign_id = $1 AND a.status = 'approved'), "
    "(SELECT COALESCE(SUM(t.minutes), 0) FROM attendance t JOIN activities a ON a.id = t.activity_id "
    " WHERE a.campaign_id = $1 AND a.status = 'approved')"};
constexpr Sql kCohosting{
    "SELECT a.id, o.id, o.slug, o.name, h.organization_id, ho.slug, ho.name FROM activities a "
    "JOIN organizations o ON o.id = a.host_id "
    "JOIN activity_cohosts h ON h.activity_id = a.id AND h.confirmed_at IS NOT NULL "
    "JOIN organizations ho ON ho.id = h.organization_id "
    "JOIN campaigns cp ON cp.id = a.campaign_id "
    "WHERE a.status = 'approved' AND (($1 <> 0 AND a.campaign_id = $1) OR ($1 = 0 AND cp.starts_on < $2)) "
    "ORDER BY a.id, h.position"};

// Words of a search, for the full-text index: letters and digits (and any
// non-ASCII character), at most 10 words of at most 40 bytes.
std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string w;
  auto flush = [&] {
    if (!w.empty() && out.size() < 10) out.push_back(w.substr(0, 40));
    w.clear();
  };
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || u >= 0x80) {
      w.push_back(ch);
    } else if (ch >= 'A' && ch <= 'Z') {
      w.push_back(static_cast<char>(ch - 'A' + 'a'));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

}  // namespace

namespace {
// The columns an activity's owner edits, in the order kInsert ($3..$21) and
// kUpdate ($2..$20) list them.
std::vector<Value> content_values(const Activity& a) {
  return {a.title,
          a.description,
          a.description_html,
          a.format,
          a.time_zone,
          a.start,
          static_cast<std::int64_t>(a.duration_minutes),
          a.recurrence,
          a.available_from,
          a.available_until,
          a.first_start,
          a.last_end,
          a.join_url,
          optional_int(a.capacity),
          static_cast<std::int64_t>(a.pd_minutes),
          a.language,
          static_cast<std::int64_t>(a.accessibility.captions),
          static_cast<std::int64_t>(a.accessibility.transcripts),
          a.accessibility.notes};
}
}  // namespace

Result<std::int64_t> insert_activity(db::Connection& c, const Activity& a, std::int64_t created_by, EpochMs now) {
  std::vector<Value> p{a.campaign_id, a.host.id};
  auto content = content_values(a);
  p.insert(p.end(), std::make_move_iterator(content.begin()), std::make_move_iterator(content.end()));
  p.insert(p.end(), {std::string(to_string(a.status)), a.checkin_code, created_by ? Value(created_by) : Value(), now});
  SR_ASSIGN(auto rows, c.query(kInsert, p));
  return rows.front().int64(0);
}

Status update_activity(db::Connection& c, const Activity& a, EpochMs now) {
  std::vector<Value> p{a.id};
  auto content = content_values(a);
  p.insert(p.end(), std::make_move_iterator(content.begin()), std::make_move_iterator(content.end()));
  p.push_back(now);
  SR_TRY(c.query(kUpdate, p));
  return {};
}

Status set_status(db::Connection& c, std::int64_t id, ActivityStatus status, const std::string& reason, EpochMs now) {
  const Value p[] = {id, std::string(to_string(status)), reason, now};
  SR_TRY(c.query(kSetStatus, p));
  return {};
}

Status replace_children(db::Connection& c, const Activity& a) {
  const Value id[] = {a.id};
  SR_TRY(c.query(kDeleteSessions, id));
  for (const auto& s : a.sessions) {
    const Value p[] = {a.id, s.starts_at, s.ends_at};
    SR_TRY(c.query(kInsertSession, p));
  }
  SR_TRY(c.query(kDeleteTags, id));
  auto tags = [&](const char* kind, const std::vector<std::string>& values) -> Status {
    for (const auto& v : values) {
      const Value p[] = {a.id, std::string(kind), v};
      SR_TRY(c.query(kInsertTag, p));
    }
    return {};
  };
  SR_TRY(tags("role", a.audience.roles));
  SR_TRY(tags("grade", a.audience.grade_bands));
  SR_TRY(tags("subject", a.audience.subjects));
  SR_TRY(tags("theme", a.themes));
  SR_TRY(c.query(kDeleteFacilitators, id));
  for (std::size_t i = 0; i < a.facilitators.size(); ++i) {
    const auto& f = a.facilitators[i];
    const Value p[] = {a.id, f.person_id, f.role, static_cast<std::int64_t>(i)};
    SR_TRY(c.query(kInsertFacilitator, p));
  }
  SR_ASSIGN(auto before, c.query(kCohostsOf, id));
  std::map<std::int64_t, Value> confirmed;
  for (const auto& r : before.rows) confirmed[r.int64(0)] = r.is_null(1) ? Value() : Value(r.int64(1));
  SR_TRY(c.query(kDeleteCohosts, id));
  for (std::size_t i = 0; i < a.co_hosts.size(); ++i) {
    const auto it = confirmed.find(a.co_hosts[i].id);
    const Value p[] = {a.id, a.co_hosts[i].id, static_cast<std::int64_t>(i),
                       it == confirmed.end() ? Value() : it->second};
    SR_TRY(c.query(kInsertCohost, p));
  }
  return {};
}

Status confirm_cohost(db::Connection& c, std::int64_t activity_id, std::int64_t organization_id, EpochMs now) {
  const Value p[] = {activity_id, organization_id, now};
  SR_TRY(c.query(kConfirmCohost, p));
  return {};
}

Status add_resource(db::Connection& c, std::int64_t activity_id, const Resource& r) {
  const Value p[] = {activity_id, r.kind, r.title, r.url, r.created_at};
  SR_TRY(c.query(kInsertResource, p));
  return {};
}

Status index_for_search(db::Connection& c, std::int64_t activity_id, std::int64_t campaign_id,
                        const std::string& text) {
  const Value p[] = {activity_id, text, "c" + std::to_string(campaign_id)};
  SR_TRY(c.query(kIndex, p));
  return {};
}

Result<std::vector<Activity>> load_activities(db::Connection& c, const std::vector<std::int64_t>& ids) {
  std::vector<Activity> out;
  if (ids.empty()) return out;
  std::map<std::int64_t, Activity> by_id;
  SR_TRY(each_chunk(c, base_sql(), ids, [&](const db::Row& r) {
    auto a = activity_from(r);
    by_id.emplace(a.id, std::move(a));
  }));
  auto find = [&](std::int64_t id) -> Activity* {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &it->second;
  };
  SR_TRY(each_chunk(c, sessions_sql(), ids, [&](const db::Row& r) {
    if (auto* a = find(r.int64(0))) a->sessions.push_back({r.int64(1), r.int64(2)});
  }));
  SR_TRY(each_chunk(c, tags_sql(), ids, [&](const db::Row& r) {
    auto* a = find(r.int64(0));
    if (!a) return;
    const auto kind = r.text(1);
    if (kind == "role") a->audience.roles.push_back(r.text(2));
    if (kind == "grade") a->audience.grade_bands.push_back(r.text(2));
    if (kind == "subject") a->audience.subjects.push_back(r.text(2));
    if (kind == "theme") a->themes.push_back(r.text(2));
  }));
  SR_TRY(each_chunk(c, cohosts_sql(), ids, [&](const db::Row& r) {
    if (auto* a = find(r.int64(0))) a->co_hosts.push_back({r.int64(1), r.text(2), r.text(3), !r.is_null(4)});
  }));
  SR_TRY(each_chunk(c, facilitators_sql(), ids, [&](const db::Row& r) {
    if (auto* a = find(r.int64(0))) {
      Facilitator f;
      f.person_id = r.int64(1);
      f.slug = r.text(2);
      f.name = r.text(3);
      f.affiliation = r.text(4);
      f.bio = r.text(5);
      f.role = r.text(6);
      a->facilitators.push_back(std::move(f));
    }
  }));
  SR_TRY(each_chunk(c, resources_sql(), ids, [&](const db::Row& r) {
    if (auto* a = find(r.int64(0))) a->resources.push_back({r.text(1), r.text(2), r.text(3), r.int64(4)});
  }));
  out.reserve(ids.size());
  for (auto id : ids) {
    auto it = by_id.find(id);
    if (it != by_id.end()) out.push_back(it->second);
  }
  return out;
}

Result<std::optional<Activity>> find_activity(db::Connection& c, std::int64_t id) {
  SR_ASSIGN(auto list, load_activities(c, {id}));
  if (list.empty()) return std::optional<Activity>();
  return std::optional(std::move(list.front()));
}

Result<std::vector<std::int64_t>> search(db::Connection& c, const SearchQuery& q) {
  const bool pg = c.dialect() == db::Dialect::Postgres;
  std::vector<Value> params;
  auto param = [&](Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size()) +
           (pg && std::holds_alternative<std::string>(params.back()) ? "::text" : "");
  };
  auto in_list = [&](const std::vector<std::string>& values) {
    std::string out = "(";
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + param(values[i]);
    return out + ")";
  };

  std::string where = " WHERE a.campaign_id = " + param(q.campaign_id) + " AND a.status IN " + in_list(q.statuses);
  std::string from = "SELECT a.id FROM activities a";
  std::string rank, with;
  const auto terms = words(q.text);
  if (!terms.empty()) {
    std::string expr;
    for (const auto& t : terms) {
      if (pg) {
        expr += (expr.empty() ? "" : " & ") + t + ":*";
      } else {
        expr += " AND body : \"" + t + "\"*";
      }
    }
    if (pg) {
      const auto p = param(expr);
      where += " AND a.search @@ to_tsquery('simple', " + p + ")";
      rank = "ts_rank(a.search, to_tsquery('simple', " + p + ")) DESC, ";
    } else {
      // The full-text match runs once, over the whole index, and its hits
      // join the campaign's rows; evaluated per row of the campaign instead,
      // it costs ten times as much.
      with =
          "WITH hits AS MATERIALIZED (SELECT rowid AS id, bm25(activity_search) AS score FROM activity_search "
          "WHERE activity_search MATCH " +
          param("scope : c" + std::to_string(q.campaign_id) + expr) + ") ";
      from += " JOIN hits ON hits.id = a.id";
      rank = "hits.score, ";
    }
  }
  if (q.from || q.to) {
    const auto lo = param(q.from.value_or(0));
    const auto hi = param(q.to.value_or(std::numeric_limits<std::int64_t>::max()));
    where += " AND a.last_end > " + lo + " AND a.first_start < " + hi +
             " AND (a.local_start = '' OR EXISTS (SELECT 1 FROM activity_sessions x WHERE x.activity_id = a.id AND "
             "x.ends_at > " +
             lo + " AND x.starts_at < " + hi + "))";
  }
  if (!q.formats.empty()) where += " AND a.format IN " + in_list(q.formats);
  if (!q.languages.empty()) where += " AND a.language IN " + in_list(q.languages);
  auto tag = [&](const char* kind, const std::vector<std::string>& values) {
    if (values.empty()) return;
    where += " AND EXISTS (SELECT 1 FROM activity_tags t WHERE t.activity_id = a.id AND t.kind = '" +
             std::string(kind) + "' AND t.value IN " + in_list(values) + ")";
  };
  tag("theme", q.themes);
  tag("role", q.roles);
  tag("grade", q.grades);
  tag("subject", q.subjects);
  if (!q.organizations.empty()) {
    const auto orgs = in_list(q.organizations);
    where += " AND (a.host_id IN (SELECT id FROM organizations WHERE slug IN " + orgs +
             ") OR EXISTS (SELECT 1 FROM activity_cohosts h JOIN organizations ho ON ho.id = h.organization_id "
             "WHERE h.activity_id = a.id AND h.confirmed_at IS NOT NULL AND ho.slug IN " +
             orgs + "))";
  }
  if (q.offers_hours) where += " AND a.pd_minutes > 0";
  std::string order = " ORDER BY ";
  if (q.sort == "relevance" && !rank.empty()) order += rank;
  if (q.sort == "title") order += "lower(a.title), ";
  order += "a.first_start, a.id";
  const std::string tail = " LIMIT " + param(static_cast<std::int64_t>(q.limit)) + " OFFSET " + param(q.offset);
  const std::string text = with + from + where + order + tail;
  SR_ASSIGN(auto rows, c.query(Sql{text}, params));
  std::vector<std::int64_t> ids;
  ids.reserve(rows.rows.size());
  for (const auto& r : rows.rows) ids.push_back(r.int64(0));
  return ids;
}

Result<std::vector<std::int64_t>> campaign_activity_ids(db::Connection& c, std::int64_t campaign_id,
                                                        const std::vector<std::string>& statuses) {
  const Value p[] = {campaign_id, statuses.empty() ? std::string() : statuses[0],
                     statuses.size() > 1 ? statuses[1] : (statuses.empty() ? std::string() : statuses[0])};
  SR_ASSIGN(auto rows, c.query(kCampaignIds, p));
  std::vector<std::int64_t> ids;
  for (const auto& r : rows.rows) ids.push_back(r.int64(0));
  return ids;
}

Result<std::vector<std::int64_t>> organization_activity_ids(db::Connection& c, std::int64_t organization_id,
                                                            std::int64_t campaign_id, bool public_only) {
  const Value p[] = {organization_id, campaign_id, static_cast<std::int64_t>(public_only)};
  SR_ASSIGN(auto rows, c.query(kOrganizationIds, p));
  std::vector<std::int64_t> ids;
  for (const auto& r : rows.rows) ids.push_back(r.int64(0));
  return ids;
}

Result<std::string> campaign_fingerprint(db::Connection& c, std::int64_t campaign_id) {
  const Value p[] = {campaign_id};
  SR_ASSIGN(auto rows, c.query(kFingerprint, p));
  const auto& r = rows.front();
  return std::to_string(r.int64(0)) + "-" + std::to_string(r.int64(1)) + "-" + std::to_string(r.int64(2));
}

Result<std::optional<Person>> find_person(db::Connection& c, const std::string& slug) {
  const Value p[] = {slug};
  SR_ASSIGN(auto rows, c.query(kPersonBySlug, p));
  if (rows.empty()) return std::optional<Person>();
  const auto& r = rows.front();
  return std::optional(Person{r.int64(0), r.text(1), r.text(2), r.text(3), r.text(4)});
}

Result<Person> person_for(db::Connection& c, const FacilitatorInput& f, EpochMs now) {
  const std::string key = json::lower_ascii(f.name) + "|" + json::lower_ascii(f.affiliation);
  {
    const Value p[] = {key};
    SR_ASSIGN(auto rows, c.query(kPersonByKey, p));
    if (!rows.empty()) {
      const auto& r = rows.front();
      Person found{r.int64(0), r.text(1), r.text(2), r.text(3), r.text(4)};
      if (found.bio.empty() && !f.bio.empty()) {
        const Value u[] = {found.id, f.bio};
        SR_TRY(c.query(kUpdatePersonBio, u));
        found.bio = f.bio;
      }
      return found;
    }
  }
  std::string base = json::slugify(f.name);
  if (base.size() < 2) base = "person";
  std::string slug = base;
  for (int n = 2;; ++n) {
    const Value p[] = {slug};
    SR_ASSIGN(auto taken, c.query(kSlugTaken, p));
    if (taken.empty()) break;
    slug = base + "-" + std::to_string(n);
  }
  const Value p[] = {slug, f.name, f.affiliation, f.bio, f.email, key, now};
  SR_ASSIGN(auto rows, c.query(kInsertPerson, p));
  return Person{rows.front().int64(0), slug, f.name, f.affiliation, f.bio};
}

Result<std::vector<std::int64_t>> person_activity_ids(db::Connection& c, std::int64_t person_id) {
  const Value p[] = {person_id};
  SR_ASSIGN(auto rows, c.query(kPersonActivities, p));
  std::vector<std::int64_t> ids;
  for (const auto& r : rows.rows) ids.push_back(r.int64(0));
  return ids;
}

Status lock_activity(db::Connection& c, std::int64_t activity_id) {
  const Value p[] = {activity_id};
  SR_TRY(c.query(kLock, p));
  return {};
}

Result<EpochMs> last_registered_at(db::Connection& c, std::int64_t activity_id) {
  const Value p[] = {activity_id};
  SR_ASSIGN(auto rows, c.query(kLastRegistered, p));
  return rows.front().int64(0);
}

Result<Counts> count_registrations(db::Connection& c, std::int64_t activity_id) {
  const Value p[] = {activity_id};
  SR_ASSIGN(auto rows, c.query(kCounts, p));
  return Counts{static_cast<int>(rows.front().int64(0)), static_cast<int>(rows.front().int64(1))};
}

Result<std::optional<std::string>> registration_status(db::Connection& c, std::int64_t activity_id,
                                                       std::int64_t user_id) {
  const Value p[] = {activity_id, user_id};
  SR_ASSIGN(auto rows, c.query(kRegistrationStatus, p));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional(rows.front().text(0));
}

Status insert_registration(db::Connection& c, std::int64_t activity_id, std::int64_t user_id, Seat seat, EpochMs now) {
  const Value p[] = {activity_id, user_id, std::string(seat == Seat::Registered ? "registered" : "waitlisted"), now};
  auto rows = c.query(kInsertRegistration, p);
  if (!rows.ok()) {
    if (db::is_unique_violation(rows.error())) return Error::conflict("you are already registered for this activity");
    return std::move(rows).error();
  }
  return {};
}

Result<bool> delete_registration(db::Connection& c, std::int64_t activity_id, std::int64_t user_id) {
  const Value p[] = {activity_id, user_id};
  SR_ASSIGN(auto rows, c.query(kDeleteRegistration, p));
  return rows.affected > 0;
}

Result<std::vector<std::int64_t>> promote(db::Connection& c, std::int64_t activity_id, int seats) {
  std::vector<std::int64_t> users;
  if (seats <= 0) return users;
  const Value p[] = {activity_id, static_cast<std::int64_t>(seats)};
  SR_ASSIGN(auto rows, c.query(kPromote, p));
  for (const auto& r : rows.rows) users.push_back(r.int64(0));
  return users;
}

Result<int> waitlist_position(db::Connection& c, std::int64_t activity_id, std::int64_t user_id) {
  const Value p[] = {activity_id, user_id};
  SR_ASSIGN(auto rows, c.query(kWaitlistPosition, p));
  return static_cast<int>(rows.front().int64(0));
}

Result<std::vector<ScheduleEntry>> schedule(db::Connection& c, std::int64_t user_id) {
  const Value p[] = {user_id};
  SR_ASSIGN(auto rows, c.query(kSchedule, p));
  std::vector<ScheduleEntry> out;
  for (const auto& r : rows.rows) out.push_back({r.int64(0), r.text(1), r.int64(2)});
  return out;
}

Result<std::vector<std::string>> registrant_emails(db::Connection& c, std::int64_t activity_id) {
  const Value p[] = {activity_id};
  SR_ASSIGN(auto rows, c.query(kRegistrantEmails, p));
  std::vector<std::string> out;
  for (const auto& r : rows.rows) out.push_back(r.text(0));
  return out;
}

Result<bool> insert_attendance(db::Connection& c, const Attendance& a, std::optional<std::int64_t> recorded_by) {
  const Value p[] = {a.activity_id, a.user_id ? Value(*a.user_id) : Value(),     a.email,
                     a.source,      static_cast<std::int64_t>(a.minutes),        a.session_starts_at,
                     a.recorded_at, recorded_by ? Value(*recorded_by) : Value(), a.statement_id};
  SR_ASSIGN(auto rows, c.query(kInsertAttendance, p));
  return rows.affected > 0;
}

Status delete_attendance_list(db::Connection& c, std::int64_t activity_id) {
  const Value p[] = {activity_id};
  SR_TRY(c.query(kDeleteAttendanceList, p));
  return {};
}

Status delete_statement_attendance(db::Connection& c, const std::string& statement_id) {
  const Value p[] = {statement_id};
  SR_TRY(c.query(kDeleteStatementAttendance, p));
  return {};
}

Status link_attendance(db::Connection& c, std::int64_t user_id, const std::vector<std::string>& people) {
  for (const auto& person : people) {
    const Value p[] = {user_id, person};
    SR_TRY(c.query(kLinkAttendance, p));
  }
  return {};
}

namespace {
Attendance attendance_from(const db::Row& r) {
  Attendance a;
  a.id = r.int64(0);
  a.activity_id = r.int64(1);
  a.activity_title = r.text(2);
  a.user_id = r.opt_int64(3);
  a.email = r.text(4);
  a.source = r.text(5);
  a.minutes = static_cast<int>(r.int64(6));
  a.session_starts_at = r.int64(7);
  a.recorded_at = r.int64(8);
  a.statement_id = r.text(9);
  return a;
}
}  // namespace

Result<std::vector<Attendance>> activity_attendance(db::Connection& c, std::int64_t activity_id) {
  const Value p[] = {activity_id};
  SR_ASSIGN(auto rows, c.query(Sql{activity_attendance_text()}, p));
  std::vector<Attendance> out;
  for (const auto& r : rows.rows) out.push_back(attendance_from(r));
  return out;
}

Result<std::vector<Attendance>> user_attendance(db::Connection& c, std::int64_t user_id, const std::string& email) {
  const Value p[] = {user_id, email};
  SR_ASSIGN(auto rows, c.query(Sql{user_attendance_text()}, p));
  std::vector<Attendance> out;
  for (const auto& r : rows.rows) out.push_back(attendance_from(r));
  return out;
}

Result<std::optional<std::int64_t>> user_id_for_email(db::Connection& c, const std::string& email) {
  const Value p[] = {email};
  SR_ASSIGN(auto rows, c.query(kUserByEmail, p));
  if (rows.empty()) return std::optional<std::int64_t>();
  return std::optional(rows.front().int64(0));
}

Status set_calendar_token(db::Connection& c, std::int64_t user_id, const std::string& token_hash, EpochMs now) {
  const Value p[] = {user_id, token_hash, now};
  SR_TRY(c.query(kSetToken, p));
  return {};
}

Result<bool> delete_calendar_token(db::Connection& c, std::int64_t user_id) {
  const Value p[] = {user_id};
  SR_ASSIGN(auto rows, c.query(kDeleteToken, p));
  return rows.affected > 0;
}

Result<std::optional<std::int64_t>> calendar_token_user(db::Connection& c, const std::string& token_hash) {
  const Value p[] = {token_hash};
  SR_ASSIGN(auto rows, c.query(kTokenUser, p));
  if (rows.empty()) return std::optional<std::int64_t>();
  return std::optional(rows.front().int64(0));
}

Result<ImpactCounts> impact_counts(db::Connection& c, std::int64_t campaign_id) {
  const Value p[] = {campaign_id};
  SR_ASSIGN(auto rows, c.query(kImpact, p));
  const auto& r = rows.front();
  return ImpactCounts{r.int64(0), r.int64(1), r.int64(2), r.int64(3), r.int64(4), r.int64(5), r.int64(6)};
}

Result<std::vector<ActivityOrgs>> cohosting(db::Connection& c, std::int64_t campaign_id,
                                            const std::string& before_day) {
  const Value p[] = {campaign_id, before_day};
  SR_ASSIGN(auto rows, c.query(kCohosting, p));
  std::vector<ActivityOrgs> out;
  for (const auto& r : rows.rows) {
    if (out.empty() || out.back().activity_id != r.int64(0)) {
      out.push_back({r.int64(0), {OrgRef{r.int64(1), r.text(2), r.text(3), true}}});
    }
    out.back().organizations.push_back({r.int64(4), r.text(5), r.text(6), true});
  }
  return out;
}

}  // namespace staffroom::activities::store
