// District use cases: creating a district, its schools and domains, people
// joining (by code, by a confirmed address at a district domain, by roster),
// and the district roles other modules check. Owns the transactions and
// every authorization decision about districts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/identity.hpp"
#include "core/page.hpp"
#include "db/database.hpp"
#include "districts/model.hpp"
#include "districts/store.hpp"

namespace staffroom::districts {

// What a caller may see of a district: admins see the join code.
struct DistrictView {
  District district;
  std::optional<Member> me;  // the caller's membership, if any
  bool can_manage = false;   // admin of this district (or site admin)
  bool can_decide = false;   // approver or admin
};

struct DistrictChanges {
  std::optional<std::string> name, state, time_zone;
  std::vector<std::string> add_schools;
};

struct MemberChanges {
  std::optional<MemberRole> role;
  std::optional<std::string> school;           // "" clears it
  std::optional<std::string> cycle_starts_on;  // YYYY-MM-DD; "" clears it (the policy's start applies)
};

struct RosterReport {
  int added = 0, updated = 0, unchanged = 0;
  std::vector<std::string> new_schools;
  bool applied = false;  // false for a dry run
};

class DistrictService {
 public:
  explicit DistrictService(db::Database& db) : db_(db) {}

  // The creator becomes its first admin. Needs a confirmed address, so a
  // district is never run by an account nobody can reach.
  Result<DistrictView> create(const Identity& who, District district);
  Result<DistrictView> get(const std::string& slug, const Identity& who);
  Result<DistrictView> update(const std::string& slug, const Identity& who, const DistrictChanges& changes);
  Result<DistrictView> rotate_join_code(const std::string& slug, const Identity& who);
  // Only someone with a confirmed address at the domain (or a site admin)
  // can add it: that is what makes "joined by domain" trustworthy.
  Result<DistrictView> add_domain(const std::string& slug, const Identity& who, const std::string& domain);
  Status remove_domain(const std::string& slug, const Identity& who, const std::string& domain);

  Result<Page<Member>> members(const std::string& slug, const Identity& who, std::optional<MemberRole> role,
                               const std::string& search, std::int64_t after, int limit);
  Result<Member> update_member(const std::string& slug, const Identity& who, std::int64_t member_id,
                               const MemberChanges& changes);
  // Admins remove anyone; a member may leave. A district keeps one admin.
  Status remove_member(const std::string& slug, const Identity& who, std::int64_t member_id);

  Result<store::Membership> join_by_code(const Identity& who, const std::string& code);
  Result<store::Membership> join_by_domain(const Identity& who, const std::string& slug);
  Result<std::vector<store::Membership>> memberships(const Identity& who);
  // The district whose domain the caller's confirmed address is at, if any
  // and if the caller is not yet a member.
  Result<std::optional<District>> joinable_by_domain(const Identity& who);

  // Nothing is written unless the whole file is clean (Validation error
  // listing every problem otherwise); dry_run reports without writing.
  Result<RosterReport> import_roster(const std::string& slug, const Identity& who, std::string_view csv_text,
                                     bool dry_run);
  // The roster as CSV, in the import format.
  Result<std::string> export_roster(const std::string& slug, const Identity& who);

  // For other modules: the caller's standing in a district, or Forbidden
  // naming the role that is needed.
  Result<DistrictView> require(db::Connection& c, const std::string& slug, const Identity& who, MemberRole at_least);

 private:
  Result<DistrictView> view(db::Connection& c, District district, const Identity& who);
  db::Database& db_;
};

}  // namespace staffroom::districts
