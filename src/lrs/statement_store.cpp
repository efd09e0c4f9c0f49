#include "lrs/statement_store.hpp"

#include <algorithm>
#include <array>

namespace staffroom::lrs::store {

using db::Sql;
using db::Value;

namespace {

constexpr std::string_view kRowColumns =
    "s.seq, s.statement_id, s.organization_id, s.client_id, s.stored, s.voided, s.sent_hash, s.body";
static_assert(kRowColumns.starts_with("s.seq, "), "query() answers k.seq in place of the first column");

StoredRow row_from(const db::Row& r) {
  StoredRow s;
  s.seq = r.int64(0);
  s.statement_id = r.text(1);
  s.organization_id = r.int64(2);
  s.client_id = r.opt_int64(3);
  s.stored = r.int64(4);
  s.voided = r.int64(5) != 0;
  s.sent_hash = r.text(6);
  s.body = r.text(7);
  return s;
}

constexpr Sql kMaxSeq{"SELECT COALESCE(MAX(seq), 0) FROM xapi_statements"};
constexpr Sql kLast{"SELECT seq, stored FROM xapi_statements ORDER BY seq DESC LIMIT 1"};
// SQLite: the writer's transaction begins deferred (so that it does not
// also lock the index's file); this write, which matches no row, takes the
// statements file's write lock before anything is read.
constexpr Sql kLock{"UPDATE xapi_statements SET voided = voided WHERE seq = 0",
                    "LOCK TABLE xapi_statements IN SHARE ROW EXCLUSIVE MODE"};
constexpr Sql kVoid{
    "UPDATE xapi_statements SET voided = 1 WHERE statement_id = $1 AND organization_id = $2 AND voided = 0 AND "
    "verb_id <> 'http://adlnet.gov/expapi/verbs/voided'"};
constexpr Sql kSaveAttachment{
    "INSERT INTO xapi_attachments (sha2, content_type, length, content) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (sha2) DO NOTHING"};
constexpr Sql kDefinition{"SELECT definition FROM xapi_activities WHERE organization_id = $1 AND activity_id = $2"};
constexpr Sql kSaveDefinition{
    "INSERT INTO xapi_activities (organization_id, activity_id, definition, updated_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (organization_id, activity_id) DO UPDATE SET definition = excluded.definition, "
    "updated_at = excluded.updated_at"};

constexpr std::size_t kChunk = 50;

std::string placeholders(std::size_t from, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += (i ? ", $" : "$") + std::to_string(from + i);
  return out;
}

}  // namespace

Result<std::int64_t> max_seq(db::Connection& c) {
  SR_ASSIGN(auto rows, c.query(kMaxSeq));
  return rows.front().int64(0);
}

Result<LastWrite> lock_for_write(db::Connection& c) {
  SR_TRY(c.query(kLock));
  SR_ASSIGN(auto rows, c.query(kLast));
  if (rows.empty()) return LastWrite{};
  return LastWrite{rows.front().int64(0), rows.front().int64(1)};
}

Result<std::vector<StoredRow>> find_by_ids(db::Connection& c, const std::vector<std::string>& ids) {
  std::vector<StoredRow> out;
  for (std::size_t start = 0; start < ids.size(); start += kChunk) {
    const std::size_t n = std::min(kChunk, ids.size() - start);
    // The statement text depends only on n, so each size is prepared once.
    const std::string text = "SELECT " + std::string(kRowColumns) +
                             " FROM xapi_statements s WHERE s.statement_id IN (" + placeholders(1, n) + ")";
    std::vector<Value> p(ids.begin() + static_cast<std::ptrdiff_t>(start),
                         ids.begin() + static_cast<std::ptrdiff_t>(start + n));
    SR_ASSIGN(auto rows, c.query(Sql{text}, p));
    for (const auto& r : rows.rows) out.push_back(row_from(r));
  }
  return out;
}

Status insert_statements(db::Connection& c, std::int64_t first_seq, std::int64_t organization_id,
                         std::int64_t client_id, EpochMs stored, std::vector<NewStatement>& rows) {
  static constexpr std::array<std::string_view, 12> kColumns = {
      "seq",         "statement_id", "organization_id", "client_id", "stored",    "verb_id",
      "activity_id", "ref_target",   "registration",    "voided",    "sent_hash", "body"};
  std::vector<std::vector<Value>> statements;
  statements.reserve(rows.size());
  auto opt = [](const std::string& s) { return s.empty() ? Value() : Value(s); };
  std::int64_t seq = first_seq;
  for (auto& r : rows) {
    const auto& f = r.statement->facts;
    statements.push_back({seq++, f.id, organization_id, client_id, stored, f.verb, opt(f.activity), opt(f.ref_target),
                          opt(f.registration), std::int64_t{0}, r.sent_hash, std::move(r.body)});
  }
  SR_TRY(c.bulk_insert("xapi_statements", kColumns, statements));
  return {};
}

Result<std::vector<Unindexed>> unindexed(db::Connection& c, std::int64_t after_seq, int limit) {
  static constexpr Sql kUnindexed{"SELECT seq, body FROM xapi_statements WHERE seq > $1 ORDER BY seq LIMIT $2"};
  const Value p[] = {after_seq, std::int64_t{limit}};
  SR_ASSIGN(auto rows, c.query(kUnindexed, p));
  std::vector<Unindexed> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back({r.int64(0), r.text(1)});
  return out;
}

Status insert_keys(db::Connection& c, const std::vector<std::pair<std::string_view, std::int64_t>>& keys) {
  static constexpr std::array<std::string_view, 2> kColumns = {"key", "seq"};
  if (keys.empty()) return {};
  std::vector<std::vector<Value>> rows;
  rows.reserve(keys.size());
  for (const auto& [key, seq] : keys) rows.push_back({std::string(key), seq});
  SR_TRY(c.bulk_insert("xapi_statement_keys", kColumns, rows));
  return {};
}

Result<std::int64_t> indexed_seq(db::Connection& c) {
  // Locks the index's position for the step: on SQLite a write first (the
  // step's transaction begins deferred and locks only the index's file).
  static constexpr Sql kIndexed{
      "UPDATE xapi_index_state SET indexed_seq = indexed_seq WHERE id = 1 RETURNING indexed_seq",
      "SELECT indexed_seq FROM xapi_index_state WHERE id = 1 FOR UPDATE"};
  SR_ASSIGN(auto rows, c.query(kIndexed));
  return rows.empty() ? 0 : rows.front().int64(0);
}

Status clear_index(db::Connection& c) {
  static constexpr Sql kClear{"DELETE FROM xapi_statement_keys"};
  static constexpr Sql kStart{"UPDATE xapi_index_state SET indexed_seq = 0 WHERE id = 1"};
  SR_TRY(c.query(kClear));
  SR_TRY(c.query(kStart));
  return {};
}

Status set_indexed_seq(db::Connection& c, std::int64_t seq) {
  static constexpr Sql kSet{"UPDATE xapi_index_state SET indexed_seq = $1 WHERE id = 1"};
  const Value p[] = {seq};
  SR_TRY(c.query(kSet, p));
  return {};
}

Result<std::optional<EpochMs>> stored_at(db::Connection& c, std::int64_t seq) {
  static constexpr Sql kStored{"SELECT stored FROM xapi_statements WHERE seq = $1"};
  const Value p[] = {seq};
  SR_ASSIGN(auto rows, c.query(kStored, p));
  if (rows.empty()) return std::optional<EpochMs>();
  return std::optional(rows.front().int64(0));
}

Status insert_join(db::Connection& c, const std::string& statement_id, std::int64_t organization_id,
                   const std::string& agent, const std::string& activity_id, EpochMs joined_at) {
  static constexpr Sql kJoin{
      "INSERT INTO xapi_joins (statement_id, organization_id, agent, activity_id, joined_at) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (statement_id) DO NOTHING"};
  const Value p[] = {statement_id, organization_id, agent, activity_id, joined_at};
  SR_TRY(c.query(kJoin, p));
  return {};
}

Status delete_join(db::Connection& c, const std::string& statement_id) {
  static constexpr Sql kDelete{"DELETE FROM xapi_joins WHERE statement_id = $1"};
  const Value p[] = {statement_id};
  SR_TRY(c.query(kDelete, p));
  return {};
}

Result<bool> void_statement(db::Connection& c, std::int64_t organization_id, const std::string& statement_id) {
  const Value p[] = {statement_id, organization_id};
  SR_ASSIGN(auto rows, c.query(kVoid, p));
  return rows.affected > 0;
}

Status save_attachment(db::Connection& c, const std::string& sha2, const std::string& content_type,
                       const std::string& content) {
  const Value p[] = {sha2, content_type, static_cast<std::int64_t>(content.size()), content};
  SR_TRY(c.query(kSaveAttachment, p));
  return {};
}

Result<std::map<std::string, std::string>> attachments(db::Connection& c, const std::vector<std::string>& sha2s) {
  std::map<std::string, std::string> out;
  for (std::size_t start = 0; start < sha2s.size(); start += kChunk) {
    const std::size_t n = std::min(kChunk, sha2s.size() - start);
    const std::string text = "SELECT sha2, content FROM xapi_attachments WHERE sha2 IN (" + placeholders(1, n) + ")";
    std::vector<Value> p(sha2s.begin() + static_cast<std::ptrdiff_t>(start),
                         sha2s.begin() + static_cast<std::ptrdiff_t>(start + n));
    SR_ASSIGN(auto rows, c.query(Sql{text}, p));
    for (const auto& r : rows.rows) out.emplace(r.text(0), r.text(1));
  }
  return out;
}

Result<std::optional<std::string>> activity_definition(db::Connection& c, std::int64_t organization_id,
                                                       const std::string& activity_id) {
  const Value p[] = {organization_id, activity_id};
  SR_ASSIGN(auto rows, c.query(kDefinition, p));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional(rows.front().text(0));
}

Status save_activity_definition(db::Connection& c, std::int64_t organization_id, const std::string& activity_id,
                                const std::string& definition, EpochMs now) {
  const Value p[] = {organization_id, activity_id, definition, now};
  SR_TRY(c.query(kSaveDefinition, p));
  return {};
}

Result<std::optional<EpochMs>> latest_joined(db::Connection& c, std::int64_t organization_id,
                                             const std::string& agent_key, const std::string& activity_iri,
                                             EpochMs before) {
  static constexpr Sql kJoined{
      "SELECT joined_at FROM xapi_joins WHERE organization_id = $1 AND agent = $2 AND activity_id = $3 AND "
      "joined_at <= $4 ORDER BY joined_at DESC LIMIT 1"};
  const Value p[] = {organization_id, agent_key, activity_iri, before};
  SR_ASSIGN(auto rows, c.query(kJoined, p));
  if (rows.empty()) return std::optional<EpochMs>();
  return std::optional(rows.front().int64(0));
}

Result<std::optional<std::string>> latest_about_agent(db::Connection& c, std::int64_t organization_id,
                                                      const std::string& agent_key) {
  static constexpr Sql kLatest{
      "SELECT s.body FROM xapi_statement_keys k JOIN xapi_statements s ON s.seq = k.seq WHERE k.key = $1 AND "
      "s.organization_id = $2 ORDER BY k.seq DESC LIMIT 1"};
  const Value p[] = {"g " + agent_key, organization_id};
  SR_ASSIGN(auto rows, c.query(kLatest, p));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional(rows.front().text(0));
}

namespace {

// A filter's index keys: one, or for a broad filter (related_agents,
// related_activities) two, either of which matches. The broad keys ("G",
// "A") are kept only for agents and activities that the narrow ones ("g",
// "a") do not name already (index_keys), so a broad filter reads both.
using Filter = std::vector<std::string>;

// The filters on the statement aliased t (the statement itself, or the
// target of a StatementRef), through the deferred index; the most
// selective first (the agent, then the activity, the registration, the
// verb).
std::vector<Filter> filters(const Query& q) {
  std::vector<Filter> out;
  auto either = [](bool broad, const std::string& narrow, const std::string& wide) {
    return broad ? Filter{narrow, wide} : Filter{narrow};
  };
  if (q.agent) out.push_back(either(q.related_agents, "g " + *q.agent, "G " + *q.agent));
  if (q.activity) out.push_back(either(q.related_activities, "a " + *q.activity, "A " + *q.activity));
  if (q.registration) out.push_back({"r " + *q.registration});
  if (q.verb) out.push_back({"v " + *q.verb});
  return out;
}

void content_filters(const std::vector<Filter>& fs, std::string_view t, std::string& where, std::vector<Value>& p) {
  const std::string a(t);
  for (const auto& f : fs) {
    std::string keys;
    for (const auto& key : f) {
      p.emplace_back(key);
      keys += keys.empty() ? "$" : ", $";
      keys += std::to_string(p.size());
    }
    where += " AND EXISTS (SELECT 1 FROM xapi_statement_keys x WHERE x.key ";
    where += f.size() == 1 ? "= " + keys : "IN (" + keys + ")";
    where += " AND x.seq = " + a + ".seq)";
  }
}

void page_filters(const Query& q, std::string_view s, std::string& where, std::vector<Value>& p) {
  auto param = [&](Value v) {
    p.push_back(std::move(v));
    return "$" + std::to_string(p.size());
  };
  const std::string a(s);
  where += " AND " + a + ".organization_id = " + param(q.organization_id) + " AND " + a + ".voided = 0";
  if (q.client_id) where += " AND " + a + ".client_id = " + param(*q.client_id);
  if (q.since) where += " AND " + a + ".stored > " + param(*q.since);
  if (q.until) where += " AND " + a + ".stored <= " + param(*q.until);
  if (q.after_seq) where += " AND " + a + ".seq " + (q.ascending ? "> " : "< ") + param(*q.after_seq);
  if (q.max_seq) where += " AND " + a + ".seq <= " + param(*q.max_seq);
}

}  // namespace

Result<Page> query(db::Connection& c, const Query& q) {
  const std::string order = q.ascending ? " ASC" : " DESC";
  const std::string limit = " LIMIT " + std::to_string(q.limit + 1);
  std::vector<Value> p;
  std::string where = "WHERE 1 = 1";
  page_filters(q, "s", where, p);
  const auto fs = filters(q);
  std::string text;
  if (!fs.empty()) {
    // Drive from the index entries of the first filter and check the rest.
    // A broad filter drives from both its keys: two scans in seq order,
    // merged (UNION ALL with ORDER BY). Each scan answers k.seq (the same as
    // s.seq), in the order its index gives, and is limited on its own, so
    // both databases merge the two (PostgreSQL plans a sort of everything
    // otherwise).
    content_filters(std::vector<Filter>(fs.begin() + 1, fs.end()), "s", where, p);
    const std::string_view columns = std::string_view(kRowColumns).substr(std::string_view("s.seq").size());
    std::vector<std::string> scans;
    for (const auto& key : fs.front()) {
      p.emplace_back(key);
      std::string scan = "SELECT k.seq" + std::string(columns);
      scan += " FROM xapi_statement_keys k JOIN xapi_statements s ON s.seq = k.seq " + where;
      scan += " AND k.key = $" + std::to_string(p.size());
      scan += " ORDER BY k.seq";
      scan += order;
      scan += limit;
      scans.push_back(std::move(scan));
    }
    if (scans.size() == 1) {
      text = std::move(scans.front());
    } else {
      text = "SELECT * FROM (" + scans[0] + ") narrow UNION ALL SELECT * FROM (";
      text += scans[1];
      text += ") broad ORDER BY 1";
      text += order;
      text += limit;
    }
  } else {
    text =
        "SELECT " + std::string(kRowColumns) + " FROM xapi_statements s " + where + " ORDER BY s.seq" + order + limit;
  }
  SR_ASSIGN(auto rows, c.query(Sql{.text = text, .plan_for_values = !fs.empty()}, p));
  std::vector<StoredRow> found;
  found.reserve(rows.rows.size());
  for (const auto& r : rows.rows) found.push_back(row_from(r));

  if (q.has_content_filter()) {
    // Statements that refer to a matching statement match too (xAPI: filter
    // conditions for StatementRefs), the voided ones' voiding statements
    // included.
    std::vector<Value> rp;
    std::string rwhere = "WHERE s.ref_target IS NOT NULL AND t.organization_id = s.organization_id";
    page_filters(q, "s", rwhere, rp);
    content_filters(fs, "t", rwhere, rp);
    const std::string rtext = "SELECT " + std::string(kRowColumns) +
                              " FROM xapi_statements s JOIN xapi_statements t ON t.statement_id = s.ref_target " +
                              rwhere + " ORDER BY s.seq" + order + limit;
    SR_ASSIGN(auto refs, c.query(Sql{.text = rtext, .plan_for_values = true}, rp));
    for (const auto& r : refs.rows) {
      auto row = row_from(r);
      const bool dup = std::any_of(found.begin(), found.end(), [&](const StoredRow& f) { return f.seq == row.seq; });
      if (!dup) found.push_back(std::move(row));
    }
    std::sort(found.begin(), found.end(),
              [&](const StoredRow& a, const StoredRow& b) { return q.ascending ? a.seq < b.seq : a.seq > b.seq; });
  }
  Page page;
  page.more = found.size() > static_cast<std::size_t>(q.limit);
  if (page.more) found.resize(static_cast<std::size_t>(q.limit));
  page.rows = std::move(found);
  return page;
}

}  // namespace staffroom::lrs::store
