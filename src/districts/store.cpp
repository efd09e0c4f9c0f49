#include "districts/store.hpp"

namespace staffroom::districts::store {

using db::Sql;
using db::Value;

namespace {
constexpr Sql kInsertDistrict{
    "INSERT INTO districts (slug, name, state, time_zone, join_code, created_by, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id"};
constexpr Sql kUpdateDistrict{
    "UPDATE districts SET name = $2, state = $3, time_zone = $4, updated_at = $5 WHERE id = $1"};
constexpr Sql kSetJoinCode{"UPDATE districts SET join_code = $2, updated_at = $3 WHERE id = $1"};
constexpr Sql kDistrictBySlug{
    "SELECT id, slug, name, state, time_zone, join_code, created_at, updated_at FROM districts WHERE slug = $1"};
constexpr Sql kDistrictByCode{
    "SELECT id, slug, name, state, time_zone, join_code, created_at, updated_at FROM districts WHERE join_code = $1"};
constexpr Sql kDistrictByDomain{
    "SELECT d.id, d.slug, d.name, d.state, d.time_zone, d.join_code, d.created_at, d.updated_at "
    "FROM districts d JOIN district_domains m ON m.district_id = d.id WHERE m.domain = $1"};
constexpr Sql kSchoolsOf{"SELECT id, name FROM district_schools WHERE district_id = $1 ORDER BY name, id"};
constexpr Sql kDomainsOf{"SELECT domain FROM district_domains WHERE district_id = $1 ORDER BY domain"};
constexpr Sql kFindSchool{"SELECT id FROM district_schools WHERE district_id = $1 AND name = $2"};
constexpr Sql kInsertSchool{
    "INSERT INTO district_schools (district_id, name, created_at) VALUES ($1, $2, $3) RETURNING id"};
constexpr Sql kInsertDomain{
    "INSERT INTO district_domains (domain, district_id, added_by, added_at) VALUES ($1, $2, $3, $4)"};
constexpr Sql kDeleteDomain{"DELETE FROM district_domains WHERE district_id = $1 AND domain = $2"};

constexpr Sql kInsertMember{
    "INSERT INTO district_members (district_id, user_id, email, display_name, school_id, role, joined_via, "
    "search_key, joined_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id"};
constexpr Sql kUpdateMember{
    "UPDATE district_members SET user_id = $2, display_name = $3, school_id = $4, role = $5, search_key = $6, "
    "updated_at = $7, cycle_starts_on = $8 WHERE id = $1"};
constexpr Sql kDeleteMember{"DELETE FROM district_members WHERE district_id = $1 AND id = $2"};
#define SR_MEMBER_COLUMNS                                                                                       \
  "SELECT m.id, m.district_id, m.user_id, m.email, m.display_name, m.school_id, COALESCE(s.name, ''), m.role, " \
  "m.joined_via, m.joined_at, m.updated_at, m.cycle_starts_on FROM district_members m "                         \
  "LEFT JOIN district_schools s ON s.id = m.school_id "
constexpr Sql kMemberById{SR_MEMBER_COLUMNS "WHERE m.district_id = $1 AND m.id = $2"};
constexpr Sql kMemberByEmail{SR_MEMBER_COLUMNS "WHERE m.district_id = $1 AND m.email = $2"};
constexpr Sql kMemberByUser{SR_MEMBER_COLUMNS "WHERE m.district_id = $1 AND m.user_id = $2"};
constexpr Sql kListMembers{
    SR_MEMBER_COLUMNS
    "WHERE m.district_id = $1 AND ($2 = '' OR m.role = $2) AND ($3 = '' OR m.search_key LIKE $3 ESCAPE '!') "
    "AND m.id > $4 ORDER BY m.id LIMIT $5",
    SR_MEMBER_COLUMNS
    "WHERE m.district_id = $1 AND ($2::text = '' OR m.role = $2::text) AND ($3::text = '' OR "
    "m.search_key LIKE $3::text ESCAPE '!') AND m.id > $4 ORDER BY m.id LIMIT $5"};
constexpr Sql kAllMembers{SR_MEMBER_COLUMNS "WHERE m.district_id = $1 ORDER BY m.id"};
constexpr Sql kCountAdmins{"SELECT COUNT(*) FROM district_members WHERE district_id = $1 AND role = 'admin'"};
constexpr Sql kMembershipsOf{
    "SELECT d.slug, d.name, m.id, m.district_id, m.user_id, m.email, m.display_name, m.school_id, "
    "COALESCE(s.name, ''), m.role, m.joined_via, m.joined_at, m.updated_at, m.cycle_starts_on FROM district_members m "
    "JOIN districts d ON d.id = m.district_id LEFT JOIN district_schools s ON s.id = m.school_id "
    "WHERE m.user_id = $1 ORDER BY d.name, d.id"};
constexpr Sql kLinkMembers{
    "UPDATE district_members SET user_id = $1, updated_at = $3 WHERE email = $2 AND user_id IS NULL"};
#undef SR_MEMBER_COLUMNS

Value user_ref(std::int64_t id) {
  return id ? Value(id) : Value();
}
Value opt(const std::optional<std::int64_t>& v) {
  return v ? Value(*v) : Value();
}

District district_from(const db::Row& r) {
  District d;
  d.id = r.int64(0);
  d.slug = r.text(1);
  d.name = r.text(2);
  d.state = r.text(3);
  d.time_zone = r.text(4);
  d.join_code = r.text(5);
  d.created_at = r.int64(6);
  d.updated_at = r.int64(7);
  return d;
}

Member member_from(const db::Row& r, std::size_t o = 0) {
  Member m;
  m.id = r.int64(o + 0);
  m.district_id = r.int64(o + 1);
  m.user_id = r.opt_int64(o + 2);
  m.email = r.text(o + 3);
  m.display_name = r.text(o + 4);
  m.school_id = r.opt_int64(o + 5);
  m.school = r.text(o + 6);
  m.role = parse_member_role(r.text(o + 7)).value_or(MemberRole::Educator);
  m.joined_via = parse_joined_via(r.text(o + 8)).value_or(JoinedVia::Code);
  m.joined_at = r.int64(o + 9);
  m.updated_at = r.int64(o + 10);
  m.cycle_starts_on = r.text(o + 11);
  return m;
}

Result<std::optional<District>> one_district(db::Connection& c, const Sql& sql, const Value& key) {
  const Value p[] = {key};
  SR_ASSIGN(auto rows, c.query(sql, p));
  if (rows.empty()) return std::optional<District>();
  District d = district_from(rows.front());
  const Value id[] = {d.id};
  SR_ASSIGN(auto schools, c.query(kSchoolsOf, id));
  for (const auto& r : schools.rows) d.schools.push_back({r.int64(0), r.text(1)});
  SR_ASSIGN(auto domains, c.query(kDomainsOf, id));
  for (const auto& r : domains.rows) d.domains.push_back(r.text(0));
  return std::optional(std::move(d));
}

Result<std::optional<Member>> one_member(db::Connection& c, const Sql& sql, std::span<const Value> p) {
  SR_ASSIGN(auto rows, c.query(sql, p));
  if (rows.empty()) return std::optional<Member>();
  return std::optional(member_from(rows.front()));
}
}  // namespace

Result<std::int64_t> insert_district(db::Connection& c, const District& d, std::int64_t created_by, EpochMs now) {
  const Value p[] = {d.slug, d.name, d.state, d.time_zone, d.join_code, user_ref(created_by), now};
  auto rows = c.query(kInsertDistrict, p);
  if (!rows.ok()) {
    if (rows.error().code == ErrorCode::Conflict)
      return Error::validation("slug", "'" + d.slug + "' is taken; choose another");
    return std::move(rows).error();
  }
  return rows->front().int64(0);
}

Status update_district(db::Connection& c, const District& d, EpochMs now) {
  const Value p[] = {d.id, d.name, d.state, d.time_zone, now};
  SR_TRY(c.query(kUpdateDistrict, p));
  return {};
}

Status set_join_code(db::Connection& c, std::int64_t district_id, const std::string& code, EpochMs now) {
  const Value p[] = {district_id, code, now};
  SR_TRY(c.query(kSetJoinCode, p));
  return {};
}

Result<std::optional<District>> find_district(db::Connection& c, const std::string& slug) {
  return one_district(c, kDistrictBySlug, slug);
}
Result<std::optional<District>> find_district_by_code(db::Connection& c, const std::string& code) {
  return one_district(c, kDistrictByCode, code);
}
Result<std::optional<District>> find_district_by_domain(db::Connection& c, const std::string& domain) {
  return one_district(c, kDistrictByDomain, domain);
}

Result<std::int64_t> ensure_school(db::Connection& c, std::int64_t district_id, const std::string& name, EpochMs now) {
  const Value f[] = {district_id, name};
  SR_ASSIGN(auto found, c.query(kFindSchool, f));
  if (!found.empty()) return found.front().int64(0);
  const Value p[] = {district_id, name, now};
  SR_ASSIGN(auto rows, c.query(kInsertSchool, p));
  return rows.front().int64(0);
}

Status insert_domain(db::Connection& c, std::int64_t district_id, const std::string& domain, std::int64_t added_by,
                     EpochMs now) {
  const Value p[] = {domain, district_id, user_ref(added_by), now};
  auto rows = c.query(kInsertDomain, p);
  if (!rows.ok()) {
    if (rows.error().code == ErrorCode::Conflict)
      return Error::conflict("the domain " + domain + " already belongs to a district");
    return std::move(rows).error();
  }
  return {};
}

Result<bool> delete_domain(db::Connection& c, std::int64_t district_id, const std::string& domain) {
  const Value p[] = {district_id, domain};
  SR_ASSIGN(auto rows, c.query(kDeleteDomain, p));
  return rows.affected > 0;
}

Result<std::int64_t> insert_member(db::Connection& c, const Member& m, EpochMs now) {
  const Value p[] = {m.district_id,
                     opt(m.user_id),
                     m.email,
                     m.display_name,
                     opt(m.school_id),
                     std::string(to_string(m.role)),
                     std::string(to_string(m.joined_via)),
                     search_key(m.display_name, m.email),
                     now};
  auto rows = c.query(kInsertMember, p);
  if (!rows.ok()) {
    if (rows.error().code == ErrorCode::Conflict)
      return Error::conflict(m.email + " is already a member of this district");
    return std::move(rows).error();
  }
  return rows->front().int64(0);
}

Status update_member(db::Connection& c, const Member& m, EpochMs now) {
  const Value p[] = {m.id,
                     opt(m.user_id),
                     m.display_name,
                     opt(m.school_id),
                     std::string(to_string(m.role)),
                     search_key(m.display_name, m.email),
                     now,
                     m.cycle_starts_on};
  SR_TRY(c.query(kUpdateMember, p));
  return {};
}

Result<bool> delete_member(db::Connection& c, std::int64_t district_id, std::int64_t member_id) {
  const Value p[] = {district_id, member_id};
  SR_ASSIGN(auto rows, c.query(kDeleteMember, p));
  return rows.affected > 0;
}

Result<std::optional<Member>> find_member(db::Connection& c, std::int64_t district_id, std::int64_t member_id) {
  const Value p[] = {district_id, member_id};
  return one_member(c, kMemberById, p);
}

Result<std::optional<Member>> find_member_by_email(db::Connection& c, std::int64_t district_id,
                                                   const std::string& email) {
  const Value p[] = {district_id, email};
  return one_member(c, kMemberByEmail, p);
}

Result<std::optional<Member>> find_member_by_user(db::Connection& c, std::int64_t district_id, std::int64_t user_id) {
  const Value p[] = {district_id, user_id};
  return one_member(c, kMemberByUser, p);
}

Result<std::vector<Member>> list_members(db::Connection& c, std::int64_t district_id, std::optional<MemberRole> role,
                                         const std::string& search, std::int64_t after_id, int limit) {
  std::string pattern;
  if (!search.empty()) {
    pattern = "%";
    for (char ch : fold_case(search)) {
      // LIKE wildcards typed by a person are matched as themselves.
      if (ch == '%' || ch == '_' || ch == '!') pattern += '!';
      pattern += ch;
    }
    pattern += "%";
  }
  const Value p[] = {district_id, role ? std::string(to_string(*role)) : std::string(), pattern, after_id,
                     static_cast<std::int64_t>(limit)};
  SR_ASSIGN(auto rows, c.query(kListMembers, p));
  std::vector<Member> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(member_from(r));
  return out;
}

Result<std::vector<Member>> all_members(db::Connection& c, std::int64_t district_id) {
  const Value p[] = {district_id};
  SR_ASSIGN(auto rows, c.query(kAllMembers, p));
  std::vector<Member> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(member_from(r));
  return out;
}

Result<std::int64_t> count_admins(db::Connection& c, std::int64_t district_id) {
  const Value p[] = {district_id};
  SR_ASSIGN(auto rows, c.query(kCountAdmins, p));
  return rows.front().int64(0);
}

Result<std::vector<Membership>> memberships_of(db::Connection& c, std::int64_t user_id) {
  const Value p[] = {user_id};
  SR_ASSIGN(auto rows, c.query(kMembershipsOf, p));
  std::vector<Membership> out;
  for (const auto& r : rows.rows) out.push_back({r.text(0), r.text(1), member_from(r, 2)});
  return out;
}

Status link_members(db::Connection& c, std::int64_t user_id, const std::vector<std::string>& people, EpochMs now) {
  constexpr std::string_view kMailbox = "mbox:mailto:";
  for (const auto& person : people) {
    // People arrive as a plain address and as xAPI identity keys; only the
    // addresses name roster rows.
    std::string email = person.starts_with(kMailbox) ? person.substr(kMailbox.size()) : person;
    if (email.find('@') == std::string::npos || email.find(':') != std::string::npos) continue;
    const Value p[] = {user_id, email, now};
    SR_TRY(c.query(kLinkMembers, p));
  }
  return {};
}

}  // namespace staffroom::districts::store
