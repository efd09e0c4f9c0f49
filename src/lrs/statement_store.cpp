#include "lrs/statement_store.hpp"

#include <algorithm>
#include <array>

namespace staffroom::lrs::store {

using db::Sql;
using db::Value;

namespace {

constexpr std::string_view kRowColumns =
    "s.seq, s.statement_id, s.organization_id, s.client_id, s.stored, s.voided, s.sent_hash, s.body";

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
constexpr Sql kLock{"SELECT 1", "LOCK TABLE xapi_statements IN SHARE ROW EXCLUSIVE MODE"};
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
                         std::int64_t client_id, EpochMs stored, const std::vector<NewStatement>& rows) {
  static constexpr std::array<std::string_view, 12> kColumns = {
      "seq",         "statement_id", "organization_id", "client_id", "stored",    "verb_id",
      "activity_id", "ref_target",   "registration",    "voided",    "sent_hash", "body"};
  static constexpr std::array<std::string_view, 3> kAgentColumns = {"agent", "seq", "related"};
  static constexpr std::array<std::string_view, 2> kActivityColumns = {"activity", "seq"};
  std::vector<std::vector<Value>> statements, agents, activities;
  statements.reserve(rows.size());
  auto opt = [](const std::string& s) { return s.empty() ? Value() : Value(s); };
  std::int64_t seq = first_seq;
  for (const auto& r : rows) {
    const auto& f = r.statement->facts;
    statements.push_back({seq, f.id, organization_id, client_id, stored, f.verb, opt(f.activity), opt(f.ref_target),
                          opt(f.registration), std::int64_t{0}, r.sent_hash, r.body});
    for (const auto& a : f.related_agents) {
      const bool narrow = std::binary_search(f.agents.begin(), f.agents.end(), a);
      agents.push_back({a, seq, std::int64_t{narrow ? 0 : 1}});
    }
    for (const auto& a : f.related_activities) activities.push_back({a, seq});
    ++seq;
  }
  SR_TRY(c.bulk_insert("xapi_statements", kColumns, statements));
  if (!agents.empty()) SR_TRY(c.bulk_insert("xapi_statement_agents", kAgentColumns, agents));
  if (!activities.empty()) SR_TRY(c.bulk_insert("xapi_statement_activities", kActivityColumns, activities));
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
                                             std::int64_t before_seq) {
  static constexpr Sql kJoined{
      "SELECT s.body FROM xapi_statement_agents g JOIN xapi_statements s ON s.seq = g.seq WHERE g.agent = $1 AND "
      "g.related = 0 AND g.seq < $4 AND s.organization_id = $2 AND s.activity_id = $3 AND s.voided = 0 AND "
      "s.verb_id IN ('http://activitystrea.ms/join', 'http://activitystrea.ms/schema/1.0/join', "
      "'https://w3id.org/xapi/adl/verbs/joined') ORDER BY g.seq DESC LIMIT 1"};
  const Value p[] = {agent_key, organization_id, activity_iri, before_seq};
  SR_ASSIGN(auto rows, c.query(kJoined, p));
  if (rows.empty()) return std::optional<EpochMs>();
  std::error_code ec;
  auto v = boost::json::parse(rows.front().text(0), ec);
  if (ec || !v.is_object()) return std::optional<EpochMs>();
  const auto* t = v.as_object().if_contains("timestamp");
  if (!t || !t->is_string()) return std::optional<EpochMs>();
  return parse_timestamp(t->as_string());
}

Result<std::optional<std::string>> latest_about_agent(db::Connection& c, std::int64_t organization_id,
                                                      const std::string& agent_key) {
  static constexpr Sql kLatest{
      "SELECT s.body FROM xapi_statement_agents g JOIN xapi_statements s ON s.seq = g.seq WHERE g.agent = $1 AND "
      "g.related = 0 AND s.organization_id = $2 ORDER BY g.seq DESC LIMIT 1"};
  const Value p[] = {agent_key, organization_id};
  SR_ASSIGN(auto rows, c.query(kLatest, p));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional(rows.front().text(0));
}

namespace {

// The filters on the statement aliased t (the statement itself, or the
// target of a StatementRef).
void content_filters(const Query& q, std::string_view t, std::string& where, std::vector<Value>& p) {
  auto param = [&](Value v) {
    p.push_back(std::move(v));
    return "$" + std::to_string(p.size());
  };
  const std::string a(t);
  if (q.verb) where += " AND " + a + ".verb_id = " + param(*q.verb);
  if (q.registration) where += " AND " + a + ".registration = " + param(*q.registration);
  if (q.activity) {
    if (q.related_activities)
      where += " AND EXISTS (SELECT 1 FROM xapi_statement_activities x WHERE x.activity = " + param(*q.activity) +
               " AND x.seq = " + a + ".seq)";
    else
      where += " AND " + a + ".activity_id = " + param(*q.activity);
  }
  if (q.agent) {
    where += " AND EXISTS (SELECT 1 FROM xapi_statement_agents g WHERE g.agent = " + param(*q.agent) +
             " AND g.seq = " + a + ".seq" + (q.related_agents ? "" : " AND g.related = 0") + ")";
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
  std::string text;
  if (q.agent) {
    // Drive from the agent's index; it is the most selective filter.
    Query rest = q;
    rest.agent.reset();
    p.emplace_back(*q.agent);
    const std::string agent_param = "$" + std::to_string(p.size());
    content_filters(rest, "s", where, p);
    text = "SELECT " + std::string(kRowColumns) +
           " FROM xapi_statement_agents g JOIN xapi_statements s ON s.seq = g.seq " + where +
           " AND g.agent = " + agent_param + (q.related_agents ? "" : " AND g.related = 0") + " ORDER BY g.seq" +
           order + limit;
  } else {
    content_filters(q, "s", where, p);
    text =
        "SELECT " + std::string(kRowColumns) + " FROM xapi_statements s " + where + " ORDER BY s.seq" + order + limit;
  }
  SR_ASSIGN(auto rows, c.query(Sql{text}, p));
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
    content_filters(q, "t", rwhere, rp);
    const std::string rtext = "SELECT " + std::string(kRowColumns) +
                              " FROM xapi_statements s JOIN xapi_statements t ON t.statement_id = s.ref_target " +
                              rwhere + " ORDER BY s.seq" + order + limit;
    SR_ASSIGN(auto refs, c.query(Sql{rtext}, rp));
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
