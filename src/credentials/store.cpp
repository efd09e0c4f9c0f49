#include "credentials/store.hpp"

#include <boost/json.hpp>

#include <set>

#include "core/crypto.hpp"
#include "core/json.hpp"

namespace staffroom::credentials::store {

using db::Sql;
using db::Value;
namespace json = boost::json;

namespace {

#define SR_ACHIEVEMENT_COLUMNS                                                                               \
  "a.id, a.slug, a.owner_type, a.owner, a.name, a.description, a.criteria, a.image_url, a.minutes, a.tags, " \
  "a.alignments, a.valid_days, a.rule, a.created_at, a.updated_at "

constexpr Sql kInsertAchievement{
    "INSERT INTO achievements (slug, owner_type, owner, name, description, criteria, image_url, minutes, tags, "
    "alignments, valid_days, rule, rule_kind, created_by, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id"};
constexpr Sql kUpdateAchievement{
    "UPDATE achievements SET name = $2, description = $3, criteria = $4, image_url = $5, minutes = $6, tags = $7, "
    "alignments = $8, valid_days = $9, rule = $10, rule_kind = $11, updated_at = $12 WHERE id = $1"};
constexpr Sql kFindAchievement{"SELECT " SR_ACHIEVEMENT_COLUMNS "FROM achievements a WHERE a.slug = $1"};
constexpr Sql kFindAchievementById{"SELECT " SR_ACHIEVEMENT_COLUMNS "FROM achievements a WHERE a.id = $1"};
constexpr Sql kListAchievements{
    "SELECT " SR_ACHIEVEMENT_COLUMNS
    "FROM achievements a WHERE ($1 = '' OR a.owner_type = $1) AND ($2 = '' OR a.owner = $2) AND "
    "($3 = '' OR lower(a.name) LIKE $3 ESCAPE '\\' OR lower(a.description) LIKE $3 ESCAPE '\\') "
    "ORDER BY a.name, a.id LIMIT $4",
    "SELECT " SR_ACHIEVEMENT_COLUMNS
    "FROM achievements a WHERE ($1::text = '' OR a.owner_type = $1::text) AND ($2::text = '' OR a.owner = "
    "$2::text) AND ($3::text = '' OR lower(a.name) LIKE $3::text ESCAPE '\\' OR lower(a.description) LIKE $3::text "
    "ESCAPE '\\') ORDER BY a.name, a.id LIMIT $4"};
constexpr Sql kAchievementsWithRules{"SELECT " SR_ACHIEVEMENT_COLUMNS
                                     "FROM achievements a WHERE a.rule_kind <> '' ORDER BY a.id"};
#undef SR_ACHIEVEMENT_COLUMNS
constexpr Sql kCampaignName{"SELECT name FROM campaigns WHERE slug = $1"};
constexpr Sql kOrganizationName{"SELECT name FROM organizations WHERE slug = $1"};
constexpr Sql kDistrictName{"SELECT name FROM districts WHERE slug = $1"};
constexpr Sql kCountAwards{"SELECT COUNT(*) FROM credentials WHERE achievement_id = $1"};
constexpr Sql kRecipient{
    "SELECT u.id, u.display_name FROM users u WHERE u.email = $1 AND u.email_verified_at IS NOT NULL "
    "UNION ALL SELECT u.id, u.display_name FROM verified_identities v JOIN users u ON u.id = v.user_id "
    "WHERE v.identity = $2"};
constexpr Sql kAnyUserName{"SELECT display_name FROM users WHERE email = $1"};

constexpr Sql kOpenList{
    "SELECT id FROM credential_status_lists WHERE key_id = $1 AND used < capacity ORDER BY id DESC LIMIT 1"};
constexpr Sql kNewList{
    "INSERT INTO credential_status_lists (key_id, capacity, used, created_at) VALUES ($1, $2, 0, $3) RETURNING id"};
constexpr Sql kIndexTaken{"SELECT 1 FROM credentials WHERE status_list = $1 AND status_index = $2"};
constexpr Sql kUseList{"UPDATE credential_status_lists SET used = used + 1 WHERE id = $1"};
constexpr Sql kListCapacity{"SELECT capacity FROM credential_status_lists WHERE id = $1"};
constexpr Sql kListKey{"SELECT key_id FROM credential_status_lists WHERE id = $1"};
constexpr Sql kRevokedIndexes{
    "SELECT status_index FROM credentials WHERE status_list = $1 AND revoked_at IS NOT NULL ORDER BY status_index"};
constexpr Sql kListRevision{
    "SELECT COUNT(*), COALESCE(MAX(revoked_at), 0) FROM credentials WHERE status_list = $1 AND revoked_at IS NOT "
    "NULL"};

#define SR_CREDENTIAL_COLUMNS                                                                                       \
  "c.id, c.achievement_id, a.slug, a.name, a.image_url, c.recipient_email, c.recipient_user_id, c.recipient_name, " \
  "c.source, c.document, c.key_id, c.issued_at, c.valid_until, c.status_list, c.status_index, c.revoked_at, "       \
  "c.revoked_reason, c.awarded_by "
constexpr Sql kInsertCredential{
    "INSERT INTO credentials (id, achievement_id, recipient_email, recipient_user_id, recipient_name, source, "
    "document, key_id, issued_at, valid_until, status_list, status_index, awarded_by) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"};
constexpr Sql kFindCredential{"SELECT " SR_CREDENTIAL_COLUMNS
                              "FROM credentials c JOIN achievements a ON a.id = c.achievement_id WHERE c.id = $1"};
constexpr Sql kFindByStatus{"SELECT " SR_CREDENTIAL_COLUMNS
                            "FROM credentials c JOIN achievements a ON a.id = c.achievement_id "
                            "WHERE c.status_list = $1 AND c.status_index = $2"};
constexpr Sql kCredentialsOfAchievement{
    "SELECT " SR_CREDENTIAL_COLUMNS
    "FROM credentials c JOIN achievements a ON a.id = c.achievement_id WHERE c.achievement_id = $1 "
    "ORDER BY c.issued_at DESC, c.id"};
constexpr Sql kCredentialsOfUser{
    "SELECT " SR_CREDENTIAL_COLUMNS
    "FROM credentials c JOIN achievements a ON a.id = c.achievement_id WHERE c.recipient_user_id = $1 OR "
    "c.recipient_email = (SELECT email FROM users WHERE id = $1 AND email_verified_at IS NOT NULL) OR "
    "c.recipient_email IN (SELECT substr(identity, 8) FROM verified_identities WHERE user_id = $1 AND identity LIKE "
    "'mailto:%') ORDER BY c.issued_at DESC, c.id"};
#undef SR_CREDENTIAL_COLUMNS
constexpr Sql kHolds{"SELECT 1 FROM credentials WHERE achievement_id = $1 AND recipient_email = $2"};
constexpr Sql kRevoke{
    "UPDATE credentials SET revoked_at = $2, revoked_reason = $3, revoked_by = $4 WHERE id = $1 AND revoked_at IS "
    "NULL"};

constexpr Sql kWatermark{"SELECT watermark FROM award_sweeps WHERE name = $1"};
constexpr Sql kSetWatermark{
    "INSERT INTO award_sweeps (name, watermark) VALUES ($1, $2) "
    "ON CONFLICT (name) DO UPDATE SET watermark = excluded.watermark"};
constexpr Sql kAttendanceAfter{
    "SELECT id, user_id, activity_id FROM attendance WHERE id > $1 AND user_id IS NOT NULL ORDER BY id LIMIT $2"};
constexpr Sql kApprovalsAfter{
    "SELECT au.id, c.id, c.user_id, d.slug, c.tier FROM credit_audit au JOIN credit_claims c ON c.id = au.claim_id "
    "JOIN districts d ON d.id = au.district_id WHERE au.id > $1 AND au.action = 'approved' ORDER BY au.id LIMIT $2"};
constexpr Sql kLastAttendance{"SELECT COALESCE(MAX(id), 0) FROM attendance"};
constexpr Sql kLastApproval{"SELECT COALESCE(MAX(id), 0) FROM credit_audit WHERE action = 'approved'"};
constexpr Sql kCampaignMinutes{
    "SELECT COALESCE(SUM(a.minutes), 0) FROM attendance a JOIN activities act ON act.id = a.activity_id "
    "JOIN campaigns cp ON cp.id = act.campaign_id WHERE a.user_id = $1 AND cp.slug = $2"};
constexpr Sql kAttended{"SELECT DISTINCT activity_id FROM attendance WHERE user_id = $1"};
constexpr Sql kApprovedCredit{
    "SELECT c.id, d.slug, d.name, c.tier, c.policy_version, c.decided_at, c.minutes, c.ceu_hundredths, "
    "c.semester_credit_hundredths FROM credit_claims c JOIN districts d ON d.id = c.district_id "
    "WHERE c.user_id = $1 AND c.status = 'approved' AND c.decided_at >= $2 AND c.decided_at < $3 "
    "ORDER BY c.decided_at, c.id"};
constexpr Sql kConfirmedUser{"SELECT email, display_name FROM users WHERE id = $1 AND email_verified_at IS NOT NULL"};

json::value parse_or(const std::string& text, const json::value& fallback) {
  json::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? fallback : v;
}

Achievement achievement_from(const db::Row& r) {
  Achievement a;
  a.id = r.int64(0);
  a.slug = r.text(1);
  a.owner_type = parse_owner_type(r.text(2)).value_or(OwnerType::Campaign);
  a.owner = r.text(3);
  a.name = r.text(4);
  a.description = r.text(5);
  a.criteria = r.text(6);
  a.image_url = r.text(7);
  a.minutes = r.opt_int64(8);
  const auto tags = parse_or(r.text(9), json::array{});
  if (tags.is_array())
    for (const auto& t : tags.as_array())
      if (t.is_string()) a.tags.emplace_back(t.as_string());
  a.alignments = alignments_from_json(parse_or(r.text(10), json::array{}));
  a.valid_days = r.opt_int64(11);
  if (const auto rule_text = r.text(12); !rule_text.empty()) {
    if (auto rule = rule_from_json(parse_or(rule_text, nullptr)); rule.ok()) a.rule = std::move(*rule);
  }
  a.created_at = r.int64(13);
  a.updated_at = r.int64(14);
  return a;
}

std::string tags_json(const Achievement& a) {
  json::array tags;
  for (const auto& t : a.tags) tags.emplace_back(t);
  return json::serialize(tags);
}

Value opt(const std::optional<std::int64_t>& v) {
  return v ? Value{*v} : Value{};
}

IssuedCredential credential_from(const db::Row& r) {
  IssuedCredential k;
  k.id = r.text(0);
  k.achievement_id = r.int64(1);
  k.achievement_slug = r.text(2);
  k.achievement_name = r.text(3);
  k.achievement_image = r.text(4);
  k.recipient_email = r.text(5);
  k.recipient_user_id = r.opt_int64(6);
  k.recipient_name = r.text(7);
  const auto source = r.text(8);
  k.source = source == "bulk" ? Source::Bulk : source == "rule" ? Source::Rule : Source::Manual;
  k.document = r.text(9);
  k.key_id = r.text(10);
  k.issued_at = r.int64(11);
  k.valid_until = r.opt_int64(12);
  k.status_list = r.int64(13);
  k.status_index = r.int64(14);
  k.revoked_at = r.opt_int64(15);
  k.revoked_reason = r.text(16);
  k.awarded_by = r.opt_int64(17);
  return k;
}

Result<std::vector<IssuedCredential>> credentials(db::Connection& c, const Sql& sql, std::span<const Value> p) {
  SR_ASSIGN(auto rows, c.query(sql, p));
  std::vector<IssuedCredential> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(credential_from(r));
  return out;
}

}  // namespace

std::string_view to_string(Source s) {
  switch (s) {
    case Source::Manual:
      return "manual";
    case Source::Bulk:
      return "bulk";
    case Source::Rule:
      return "rule";
  }
  return "manual";
}

Result<std::int64_t> insert_achievement(db::Connection& c, const Achievement& a, std::int64_t created_by, EpochMs now) {
  const Value p[] = {a.slug,
                     std::string(to_string(a.owner_type)),
                     a.owner,
                     a.name,
                     a.description,
                     a.criteria,
                     a.image_url,
                     opt(a.minutes),
                     tags_json(a),
                     json::serialize(alignments_to_json(a.alignments)),
                     opt(a.valid_days),
                     a.rule ? json::serialize(rule_to_json(*a.rule)) : std::string(),
                     a.rule ? std::string(to_string(a.rule->kind)) : std::string(),
                     created_by > 0 ? Value{created_by} : Value{},
                     now};
  auto rows = c.query(kInsertAchievement, p);
  if (!rows.ok()) {
    if (db::is_unique_violation(rows.error()))
      return Error::validation("slug", "'" + a.slug + "' is taken by another achievement; choose another");
    return std::move(rows).error();
  }
  return rows->front().int64(0);
}

Status update_achievement(db::Connection& c, const Achievement& a, EpochMs now) {
  const Value p[] = {a.id,
                     a.name,
                     a.description,
                     a.criteria,
                     a.image_url,
                     opt(a.minutes),
                     tags_json(a),
                     json::serialize(alignments_to_json(a.alignments)),
                     opt(a.valid_days),
                     a.rule ? json::serialize(rule_to_json(*a.rule)) : std::string(),
                     a.rule ? std::string(to_string(a.rule->kind)) : std::string(),
                     now};
  SR_TRY(c.query(kUpdateAchievement, p));
  return {};
}

Result<std::optional<Achievement>> find_achievement(db::Connection& c, const std::string& slug) {
  const Value p[] = {slug};
  SR_ASSIGN(auto rows, c.query(kFindAchievement, p));
  if (rows.rows.empty()) return std::optional<Achievement>();
  return std::optional(achievement_from(rows.rows.front()));
}

Result<std::optional<Achievement>> find_achievement_by_id(db::Connection& c, std::int64_t id) {
  const Value p[] = {id};
  SR_ASSIGN(auto rows, c.query(kFindAchievementById, p));
  if (rows.rows.empty()) return std::optional<Achievement>();
  return std::optional(achievement_from(rows.rows.front()));
}

Result<std::vector<Achievement>> list_achievements(db::Connection& c, const AchievementFilter& f) {
  std::string like;
  if (!f.q.empty()) {
    like = "%";
    for (char ch : staffroom::json::lower_ascii(f.q)) {
      if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
      like += ch;
    }
    like += "%";
  }
  const Value p[] = {f.owner_type ? std::string(to_string(*f.owner_type)) : std::string(), f.owner, like,
                     static_cast<std::int64_t>(f.limit)};
  SR_ASSIGN(auto rows, c.query(kListAchievements, p));
  std::vector<Achievement> out;
  for (const auto& r : rows.rows) out.push_back(achievement_from(r));
  return out;
}

Result<std::vector<Achievement>> achievements_with_rules(db::Connection& c) {
  SR_ASSIGN(auto rows, c.query(kAchievementsWithRules, {}));
  std::vector<Achievement> out;
  for (const auto& r : rows.rows) out.push_back(achievement_from(r));
  return out;
}

Result<std::optional<std::string>> owner_name(db::Connection& c, OwnerType type, const std::string& slug) {
  const Value p[] = {slug};
  const Sql& sql = type == OwnerType::Campaign       ? kCampaignName
                   : type == OwnerType::Organization ? kOrganizationName
                                                     : kDistrictName;
  SR_ASSIGN(auto rows, c.query(sql, p));
  if (rows.rows.empty()) return std::optional<std::string>();
  return std::optional(rows.rows.front().text(0));
}

Result<std::int64_t> count_awards(db::Connection& c, std::int64_t achievement_id) {
  const Value p[] = {achievement_id};
  SR_ASSIGN(auto rows, c.query(kCountAwards, p));
  return rows.rows.front().int64(0);
}

Result<Recipient> recipient(db::Connection& c, const std::string& email) {
  const Value p[] = {email, "mailto:" + email};
  SR_ASSIGN(auto rows, c.query(kRecipient, p));
  Recipient out;
  if (!rows.rows.empty()) {
    out.user_id = rows.rows.front().int64(0);
    out.name = rows.rows.front().text(1);
    return out;
  }
  // An account that has not confirmed the address lends only its name.
  const Value q[] = {email};
  SR_ASSIGN(auto named, c.query(kAnyUserName, q));
  if (!named.rows.empty()) out.name = named.rows.front().text(0);
  return out;
}

Result<std::pair<std::int64_t, std::int64_t>> allocate_status(db::Connection& c, const std::string& key_id,
                                                              std::int64_t capacity, EpochMs now) {
  const Value p[] = {key_id};
  SR_ASSIGN(auto open, c.query(kOpenList, p));
  std::int64_t list = 0;
  if (open.rows.empty()) {
    const Value q[] = {key_id, capacity, now};
    SR_ASSIGN(auto created, c.query(kNewList, q));
    list = created.rows.front().int64(0);
  } else {
    list = open.rows.front().int64(0);
    const Value q[] = {list};
    SR_ASSIGN(auto cap, c.query(kListCapacity, q));
    capacity = cap.rows.front().int64(0);
  }
  // A random free bit; a list is closed before it fills far enough to make
  // this loop long (at most 32 tries, then the next free one in order).
  for (int attempt = 0; attempt < 32; ++attempt) {
    const auto bytes = crypto::random_bytes(8);
    std::uint64_t r = 0;
    for (unsigned char b : bytes) r = (r << 8) | b;
    const auto index = static_cast<std::int64_t>(r % static_cast<std::uint64_t>(capacity));
    const Value q[] = {list, index};
    SR_ASSIGN(auto taken, c.query(kIndexTaken, q));
    if (taken.rows.empty()) {
      const Value u[] = {list};
      SR_TRY(c.query(kUseList, u));
      return std::pair{list, index};
    }
  }
  for (std::int64_t index = 0; index < capacity; ++index) {
    const Value q[] = {list, index};
    SR_ASSIGN(auto taken, c.query(kIndexTaken, q));
    if (taken.rows.empty()) {
      const Value u[] = {list};
      SR_TRY(c.query(kUseList, u));
      return std::pair{list, index};
    }
  }
  return Error::internal("status list " + std::to_string(list) + " is full");
}

Result<std::optional<std::string>> status_list_key(db::Connection& c, std::int64_t list_id) {
  const Value p[] = {list_id};
  SR_ASSIGN(auto rows, c.query(kListKey, p));
  if (rows.rows.empty()) return std::optional<std::string>();
  return std::optional(rows.rows.front().text(0));
}

Result<std::vector<std::int64_t>> revoked_indexes(db::Connection& c, std::int64_t list_id) {
  const Value p[] = {list_id};
  SR_ASSIGN(auto rows, c.query(kRevokedIndexes, p));
  std::vector<std::int64_t> out;
  for (const auto& r : rows.rows) out.push_back(r.int64(0));
  return out;
}

Result<std::pair<std::int64_t, std::int64_t>> list_revision(db::Connection& c, std::int64_t list_id) {
  const Value p[] = {list_id};
  SR_ASSIGN(auto rows, c.query(kListRevision, p));
  return std::pair{rows.rows.front().int64(0), rows.rows.front().int64(1)};
}

Status insert_credential(db::Connection& c, const IssuedCredential& k) {
  const Value p[] = {k.id,
                     k.achievement_id,
                     k.recipient_email,
                     opt(k.recipient_user_id),
                     k.recipient_name,
                     std::string(to_string(k.source)),
                     k.document,
                     k.key_id,
                     k.issued_at,
                     opt(k.valid_until),
                     k.status_list,
                     k.status_index,
                     opt(k.awarded_by)};
  auto done = c.query(kInsertCredential, p);
  if (!done.ok()) {
    if (db::is_unique_violation(done.error()))
      return Error::conflict(k.recipient_email + " already holds this achievement");
    return std::move(done).error();
  }
  return {};
}

Result<std::optional<IssuedCredential>> find_credential(db::Connection& c, const std::string& id) {
  const Value p[] = {id};
  SR_ASSIGN(auto found, credentials(c, kFindCredential, p));
  if (found.empty()) return std::optional<IssuedCredential>();
  return std::optional(std::move(found.front()));
}

Result<std::optional<IssuedCredential>> find_by_status(db::Connection& c, std::int64_t list_id, std::int64_t index) {
  const Value p[] = {list_id, index};
  SR_ASSIGN(auto found, credentials(c, kFindByStatus, p));
  if (found.empty()) return std::optional<IssuedCredential>();
  return std::optional(std::move(found.front()));
}

Result<std::vector<IssuedCredential>> credentials_of_achievement(db::Connection& c, std::int64_t achievement_id) {
  const Value p[] = {achievement_id};
  return credentials(c, kCredentialsOfAchievement, p);
}

Result<std::vector<IssuedCredential>> credentials_of_user(db::Connection& c, std::int64_t user_id) {
  const Value p[] = {user_id};
  return credentials(c, kCredentialsOfUser, p);
}

Result<bool> holds(db::Connection& c, std::int64_t achievement_id, const std::string& email) {
  const Value p[] = {achievement_id, email};
  SR_ASSIGN(auto rows, c.query(kHolds, p));
  return !rows.rows.empty();
}

Status revoke(db::Connection& c, const std::string& id, std::int64_t by, const std::string& reason, EpochMs at) {
  const Value p[] = {id, at, reason, by > 0 ? Value{by} : Value{}};
  SR_ASSIGN(auto done, c.query(kRevoke, p));
  if (done.affected == 0) return Error::conflict("the credential is already revoked");
  return {};
}

Result<std::int64_t> watermark(db::Connection& c, const std::string& name) {
  const Value p[] = {name};
  SR_ASSIGN(auto rows, c.query(kWatermark, p));
  return rows.rows.empty() ? 0 : rows.rows.front().int64(0);
}

Status set_watermark(db::Connection& c, const std::string& name, std::int64_t value) {
  const Value p[] = {name, value};
  SR_TRY(c.query(kSetWatermark, p));
  return {};
}

Result<std::int64_t> last_attendance_id(db::Connection& c) {
  SR_ASSIGN(auto rows, c.query(kLastAttendance, {}));
  return rows.rows.front().int64(0);
}

Result<std::int64_t> last_approval_id(db::Connection& c) {
  SR_ASSIGN(auto rows, c.query(kLastApproval, {}));
  return rows.rows.front().int64(0);
}

Result<std::vector<NewAttendance>> attendance_after(db::Connection& c, std::int64_t after_id, int limit) {
  const Value p[] = {after_id, static_cast<std::int64_t>(limit)};
  SR_ASSIGN(auto rows, c.query(kAttendanceAfter, p));
  std::vector<NewAttendance> out;
  for (const auto& r : rows.rows) out.push_back({r.int64(0), r.int64(1), r.int64(2)});
  return out;
}

Result<std::vector<Decision>> approvals_after(db::Connection& c, std::int64_t after_id, int limit) {
  const Value p[] = {after_id, static_cast<std::int64_t>(limit)};
  SR_ASSIGN(auto rows, c.query(kApprovalsAfter, p));
  std::vector<Decision> out;
  for (const auto& r : rows.rows) out.push_back({r.int64(0), r.int64(1), r.int64(2), r.text(3), r.text(4)});
  return out;
}

Result<std::set<std::int64_t>> attended(db::Connection& c, std::int64_t user_id) {
  const Value p[] = {user_id};
  SR_ASSIGN(auto rows, c.query(kAttended, p));
  std::set<std::int64_t> out;
  for (const auto& r : rows.rows) out.insert(r.int64(0));
  return out;
}

Result<std::int64_t> campaign_minutes(db::Connection& c, std::int64_t user_id, const std::string& campaign) {
  const Value p[] = {user_id, campaign};
  SR_ASSIGN(auto rows, c.query(kCampaignMinutes, p));
  return rows.rows.front().int64(0);
}

Result<std::vector<ApprovedCredit>> approved_credit(db::Connection& c, std::int64_t user_id, EpochMs from, EpochMs to) {
  const Value p[] = {user_id, from, to};
  SR_ASSIGN(auto rows, c.query(kApprovedCredit, p));
  std::vector<ApprovedCredit> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.int64(0), r.text(1), r.text(2), r.text(3), r.int64(4), r.opt_int64(5).value_or(0), r.int64(6),
                   r.int64(7), r.int64(8)});
  }
  return out;
}

Result<std::optional<UserAddress>> confirmed_user(db::Connection& c, std::int64_t user_id) {
  const Value p[] = {user_id};
  SR_ASSIGN(auto rows, c.query(kConfirmedUser, p));
  if (rows.rows.empty()) return std::optional<UserAddress>();
  return std::optional(UserAddress{rows.rows.front().text(0), rows.rows.front().text(1)});
}

}  // namespace staffroom::credentials::store
