// All SQL of the districts module.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "districts/model.hpp"

namespace staffroom::districts::store {

Result<std::int64_t> insert_district(db::Connection& c, const District& d, std::int64_t created_by, EpochMs now);
Status update_district(db::Connection& c, const District& d, EpochMs now);
Status set_join_code(db::Connection& c, std::int64_t district_id, const std::string& code, EpochMs now);
// With its schools and domains.
Result<std::optional<District>> find_district(db::Connection& c, const std::string& slug);
Result<std::optional<District>> find_district_by_code(db::Connection& c, const std::string& code);
Result<std::optional<District>> find_district_by_domain(db::Connection& c, const std::string& domain);

// The school's id, added when the district does not have it yet.
Result<std::int64_t> ensure_school(db::Connection& c, std::int64_t district_id, const std::string& name, EpochMs now);

// Conflict when another district holds the domain.
Status insert_domain(db::Connection& c, std::int64_t district_id, const std::string& domain, std::int64_t added_by,
                     EpochMs now);
Result<bool> delete_domain(db::Connection& c, std::int64_t district_id, const std::string& domain);

Result<std::int64_t> insert_member(db::Connection& c, const Member& m, EpochMs now);
// Name, school, role and account link.
Status update_member(db::Connection& c, const Member& m, EpochMs now);
Result<bool> delete_member(db::Connection& c, std::int64_t district_id, std::int64_t member_id);
Result<std::optional<Member>> find_member(db::Connection& c, std::int64_t district_id, std::int64_t member_id);
Result<std::optional<Member>> find_member_by_email(db::Connection& c, std::int64_t district_id,
                                                   const std::string& email);
Result<std::optional<Member>> find_member_by_user(db::Connection& c, std::int64_t district_id, std::int64_t user_id);
// Members ordered by id, after the cursor; role filters when given; search
// matches name or address (case-insensitive substring).
Result<std::vector<Member>> list_members(db::Connection& c, std::int64_t district_id, std::optional<MemberRole> role,
                                         const std::string& search, std::int64_t after_id, int limit);
Result<std::vector<Member>> all_members(db::Connection& c, std::int64_t district_id);
Result<std::int64_t> count_admins(db::Connection& c, std::int64_t district_id);

struct Membership {
  std::string district_slug, district_name;
  Member member;
};
Result<std::vector<Membership>> memberships_of(db::Connection& c, std::int64_t user_id);

// Roster rows waiting for a confirmed address now belong to its account;
// people are as accounts reports them (the address, and its identity keys).
Status link_members(db::Connection& c, std::int64_t user_id, const std::vector<std::string>& people, EpochMs now);

}  // namespace staffroom::districts::store
