#include "districts/service.hpp"

#include <algorithm>
#include <map>

#include "accounts/model.hpp"
#include "accounts/store.hpp"
#include "core/calendar.hpp"
#include "core/csv.hpp"
#include "core/log.hpp"

namespace staffroom::districts {

namespace {
Error no_district(const std::string& slug) {
  return Error::not_found("there is no district '" + slug + "'");
}

int rank(MemberRole r) {
  switch (r) {
    case MemberRole::Educator:
      return 0;
    case MemberRole::Approver:
      return 1;
    case MemberRole::Admin:
      return 2;
  }
  return 0;
}

std::string_view role_phrase(MemberRole r) {
  switch (r) {
    case MemberRole::Educator:
      return "a member";
    case MemberRole::Approver:
      return "an approver or admin";
    case MemberRole::Admin:
      return "an admin";
  }
  return "a member";
}

Result<bool> email_confirmed(db::Connection& c, const Identity& who) {
  SR_ASSIGN(auto at, accounts::store::email_verified_at(c, who.user_id));
  return at.has_value();
}

Result<District> must_find(db::Connection& c, const std::string& slug) {
  SR_ASSIGN(auto found, store::find_district(c, slug));
  if (!found) return no_district(slug);
  return std::move(*found);
}

// The account behind a roster address, when that address is confirmed: only
// then may the roster's role take effect for it.
Result<std::optional<std::int64_t>> confirmed_account(db::Connection& c, const std::string& email) {
  SR_ASSIGN(auto user, accounts::store::find_user_by_email(c, email));
  if (!user) return std::optional<std::int64_t>();
  SR_ASSIGN(auto at, accounts::store::email_verified_at(c, user->user.id));
  if (!at) return std::optional<std::int64_t>();
  return std::optional(user->user.id);
}
}  // namespace

Result<DistrictView> DistrictService::view(db::Connection& c, District district, const Identity& who) {
  DistrictView v;
  SR_ASSIGN(v.me, store::find_member_by_user(c, district.id, who.user_id));
  const bool site_admin =
      who.has_role("site_admin") || who.has_scoped_role("district_admin", "district", district.slug);
  const int r = v.me ? rank(v.me->role) : -1;
  v.can_manage = site_admin || r >= rank(MemberRole::Admin);
  v.can_decide = site_admin || r >= rank(MemberRole::Approver);
  v.district = std::move(district);
  return v;
}

Result<DistrictView> DistrictService::require(db::Connection& c, const std::string& slug, const Identity& who,
                                              MemberRole at_least) {
  SR_ASSIGN(auto district, must_find(c, slug));
  SR_ASSIGN(auto v, view(c, std::move(district), who));
  const bool allowed = at_least == MemberRole::Admin      ? v.can_manage
                       : at_least == MemberRole::Approver ? v.can_decide
                                                          : (v.me.has_value() || v.can_manage);
  if (!allowed) {
    // Outsiders learn nothing about a district beyond that they are not in it.
    if (!v.me && !v.can_manage) return Error::forbidden("you are not a member of the district '" + slug + "'");
    return Error::forbidden("this needs " + std::string(role_phrase(at_least)) + " of the district '" + slug + "'");
  }
  return v;
}

Result<DistrictView> DistrictService::create(const Identity& who, District d) {
  d.schools.erase(std::remove_if(d.schools.begin(), d.schools.end(), [](const School& s) { return s.name.empty(); }),
                  d.schools.end());
  return db_.transaction<DistrictView>([&](db::Connection& c) -> Result<DistrictView> {
    SR_ASSIGN(bool confirmed, email_confirmed(c, who));
    if (!confirmed && !who.has_role("site_admin"))
      return Error::forbidden("confirm your email address first (see your account page), then create the district");
    if (auto errors = check_district(d); !errors.empty()) return Error::validation(std::move(errors));
    const EpochMs now = now_ms();
    d.join_code = new_join_code();
    SR_ASSIGN(d.id, store::insert_district(c, d, who.user_id, now));
    for (const auto& s : d.schools) SR_TRY(store::ensure_school(c, d.id, s.name, now));
    Member m;
    m.district_id = d.id;
    m.user_id = who.user_id;
    m.email = who.email;
    m.display_name = who.display_name;
    m.role = MemberRole::Admin;
    m.joined_via = JoinedVia::Created;
    SR_TRY(store::insert_member(c, m, now));
    log::info("district created", {{"district", d.slug}, {"user_id", std::to_string(who.user_id)}});
    SR_ASSIGN(auto created, must_find(c, d.slug));
    return view(c, std::move(created), who);
  });
}

Result<DistrictView> DistrictService::get(const std::string& slug, const Identity& who) {
  return db_.transaction<DistrictView>([&](db::Connection& c) { return require(c, slug, who, MemberRole::Educator); },
                                       false);
}

Result<DistrictView> DistrictService::update(const std::string& slug, const Identity& who, const DistrictChanges& ch) {
  return db_.transaction<DistrictView>([&](db::Connection& c) -> Result<DistrictView> {
    SR_ASSIGN(auto v, require(c, slug, who, MemberRole::Admin));
    District d = v.district;
    if (ch.name) d.name = *ch.name;
    if (ch.state) d.state = *ch.state;
    if (ch.time_zone) d.time_zone = *ch.time_zone;
    for (const auto& name : ch.add_schools) {
      if (std::none_of(d.schools.begin(), d.schools.end(), [&](const School& s) { return s.name == name; }))
        d.schools.push_back({0, name});
    }
    if (auto errors = check_district(d); !errors.empty()) return Error::validation(std::move(errors));
    const EpochMs now = now_ms();
    SR_TRY(store::update_district(c, d, now));
    for (const auto& s : d.schools)
      if (s.id == 0) SR_TRY(store::ensure_school(c, d.id, s.name, now));
    SR_ASSIGN(auto updated, must_find(c, slug));
    return view(c, std::move(updated), who);
  });
}

Result<DistrictView> DistrictService::rotate_join_code(const std::string& slug, const Identity& who) {
  return db_.transaction<DistrictView>([&](db::Connection& c) -> Result<DistrictView> {
    SR_ASSIGN(auto v, require(c, slug, who, MemberRole::Admin));
    SR_TRY(store::set_join_code(c, v.district.id, new_join_code(), now_ms()));
    log::info("district join code rotated", {{"district", slug}, {"user_id", std::to_string(who.user_id)}});
    SR_ASSIGN(auto updated, must_find(c, slug));
    return view(c, std::move(updated), who);
  });
}

Result<DistrictView> DistrictService::add_domain(const std::string& slug, const Identity& who,
                                                 const std::string& domain_text) {
  return db_.transaction<DistrictView>([&](db::Connection& c) -> Result<DistrictView> {
    SR_ASSIGN(auto v, require(c, slug, who, MemberRole::Admin));
    const auto domain = normalize_domain(domain_text);
    if (!domain) return Error::validation("domain", "must be a mail domain such as springfield.k12.oh.us");
    if (is_public_mail_domain(*domain))
      return Error::validation("domain", *domain + " is a public mail service; anyone can have an address there");
    if (!who.has_role("site_admin")) {
      SR_ASSIGN(bool confirmed, email_confirmed(c, who));
      if (!confirmed || email_domain(who.email) != *domain)
        return Error::forbidden("to add " + *domain + ", sign in with a confirmed address at " + *domain +
                                "; that shows the domain is the district's");
    }
    SR_TRY(store::insert_domain(c, v.district.id, *domain, who.user_id, now_ms()));
    log::info("district domain added", {{"district", slug}, {"domain", *domain}});
    SR_ASSIGN(auto updated, must_find(c, slug));
    return view(c, std::move(updated), who);
  });
}

Status DistrictService::remove_domain(const std::string& slug, const Identity& who, const std::string& domain) {
  return db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto v, require(c, slug, who, MemberRole::Admin));
    SR_ASSIGN(bool removed, store::delete_domain(c, v.district.id, normalize_domain(domain).value_or(domain)));
    if (!removed) return Error::not_found("the district has no domain " + domain);
    return Status{};
  });
}

Result<Page<Member>> DistrictService::members(const std::string& slug, const Identity& who,
                                              std::optional<MemberRole> role, const std::string& search,
                                              std::int64_t after, int limit) {
  return db_.transaction<Page<Member>>(
      [&](db::Connection& c) -> Result<Page<Member>> {
        SR_ASSIGN(auto v, require(c, slug, who, MemberRole::Approver));
        SR_ASSIGN(auto list, store::list_members(c, v.district.id, role, search, after, limit + 1));
        return make_page(std::move(list), limit, [](const Member& m) { return m.id; });
      },
      false);
}

Result<Member> DistrictService::update_member(const std::string& slug, const Identity& who, std::int64_t member_id,
                                              const MemberChanges& ch) {
  return db_.transaction<Member>([&](db::Connection& c) -> Result<Member> {
    SR_ASSIGN(auto v, require(c, slug, who, MemberRole::Admin));
    SR_ASSIGN(auto found, store::find_member(c, v.district.id, member_id));
    if (!found) return Error::not_found("the district has no member " + std::to_string(member_id));
    Member m = std::move(*found);
    const EpochMs now = now_ms();
    if (ch.role && *ch.role != m.role) {
      if (m.role == MemberRole::Admin) {
        SR_ASSIGN(auto admins, store::count_admins(c, v.district.id));
        if (admins <= 1) return Error::conflict("the district needs an admin; make someone else admin first");
      }
      log::info("district role changed", {{"district", slug},
                                          {"member_id", std::to_string(m.id)},
                                          {"role", std::string(to_string(*ch.role))},
                                          {"by", std::to_string(who.user_id)}});
      m.role = *ch.role;
    }
    if (ch.school) {
      if (ch.school->empty()) {
        m.school_id.reset();
      } else {
        if (ch.school->size() > kMaxSchoolNameChars)
          return Error::validation("school", "must be at most 200 characters");
        SR_ASSIGN(auto id, store::ensure_school(c, v.district.id, *ch.school, now));
        m.school_id = id;
      }
    }
    if (ch.cycle_starts_on) {
      if (!ch.cycle_starts_on->empty() && !parse_date(*ch.cycle_starts_on))
        return Error::validation("cycle_starts_on", "is a date like 2024-07-01, or empty for the policy's cycle start");
      m.cycle_starts_on = *ch.cycle_starts_on;
    }
    SR_TRY(store::update_member(c, m, now));
    SR_ASSIGN(auto updated, store::find_member(c, v.district.id, member_id));
    return std::move(*updated);
  });
}

Status DistrictService::remove_member(const std::string& slug, const Identity& who, std::int64_t member_id) {
  return db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto v, require(c, slug, who, MemberRole::Educator));
    const bool self = v.me && v.me->id == member_id;
    if (!self && !v.can_manage) return Error::forbidden("only the district's admins remove other members");
    SR_ASSIGN(auto found, store::find_member(c, v.district.id, member_id));
    if (!found) return Error::not_found("the district has no member " + std::to_string(member_id));
    if (found->role == MemberRole::Admin) {
      SR_ASSIGN(auto admins, store::count_admins(c, v.district.id));
      if (admins <= 1) return Error::conflict("the district needs an admin; make someone else admin first");
    }
    SR_TRY(store::delete_member(c, v.district.id, member_id));
    log::info("district member removed",
              {{"district", slug}, {"member_id", std::to_string(member_id)}, {"by", std::to_string(who.user_id)}});
    return Status{};
  });
}

namespace {
// Joins the caller as an educator, or answers the membership they have.
Result<store::Membership> join(db::Connection& c, const District& d, const Identity& who, JoinedVia via) {
  SR_ASSIGN(auto mine, store::find_member_by_user(c, d.id, who.user_id));
  if (mine) return store::Membership{d.slug, d.name, std::move(*mine)};
  SR_ASSIGN(auto by_email, store::find_member_by_email(c, d.id, who.email));
  if (by_email) {
    // A roster row for this address waits for the person who can prove it.
    return Error::conflict("the district's roster already lists " + who.email +
                           "; confirm your email address (see your account page) to take your place in it");
  }
  Member m;
  m.district_id = d.id;
  m.user_id = who.user_id;
  m.email = who.email;
  m.display_name = who.display_name;
  m.role = MemberRole::Educator;
  m.joined_via = via;
  SR_ASSIGN(m.id, store::insert_member(c, m, now_ms()));
  log::info("district joined",
            {{"district", d.slug}, {"via", std::string(to_string(via))}, {"user_id", std::to_string(who.user_id)}});
  SR_ASSIGN(auto joined, store::find_member(c, d.id, m.id));
  return store::Membership{d.slug, d.name, std::move(*joined)};
}
}  // namespace

Result<store::Membership> DistrictService::join_by_code(const Identity& who, const std::string& code) {
  const auto normalized = normalize_join_code(code);
  return db_.transaction<store::Membership>([&](db::Connection& c) -> Result<store::Membership> {
    SR_ASSIGN(auto d, store::find_district_by_code(c, normalized));
    if (!d) {
      log::warn("district join code not recognised", {{"user_id", std::to_string(who.user_id)}});
      return Error::validation("code",
                               "no district has this join code; check it with your district, which can "
                               "also give you a new one");
    }
    return join(c, *d, who, JoinedVia::Code);
  });
}

Result<store::Membership> DistrictService::join_by_domain(const Identity& who, const std::string& slug) {
  return db_.transaction<store::Membership>([&](db::Connection& c) -> Result<store::Membership> {
    SR_ASSIGN(auto d, must_find(c, slug));
    SR_ASSIGN(bool confirmed, email_confirmed(c, who));
    const auto domain = email_domain(who.email);
    if (std::find(d.domains.begin(), d.domains.end(), domain) == d.domains.end())
      return Error::forbidden("your address " + who.email +
                              " is not at one of the district's domains; ask for "
                              "the district's join code instead");
    if (!confirmed) return Error::forbidden("confirm your email address first (see your account page)");
    return join(c, d, who, JoinedVia::Domain);
  });
}

Result<std::vector<store::Membership>> DistrictService::memberships(const Identity& who) {
  return db_.transaction<std::vector<store::Membership>>(
      [&](db::Connection& c) { return store::memberships_of(c, who.user_id); }, false);
}

Result<std::optional<District>> DistrictService::joinable_by_domain(const Identity& who) {
  return db_.transaction<std::optional<District>>(
      [&](db::Connection& c) -> Result<std::optional<District>> {
        SR_ASSIGN(bool confirmed, email_confirmed(c, who));
        if (!confirmed) return std::optional<District>();
        SR_ASSIGN(auto d, store::find_district_by_domain(c, email_domain(who.email)));
        if (!d) return d;
        SR_ASSIGN(auto mine, store::find_member_by_user(c, d->id, who.user_id));
        if (mine) return std::optional<District>();
        d->join_code.clear();
        return d;
      },
      false);
}

Result<RosterReport> DistrictService::import_roster(const std::string& slug, const Identity& who,
                                                    std::string_view csv_text, bool dry_run) {
  return db_.transaction<RosterReport>([&](db::Connection& c) -> Result<RosterReport> {
    SR_ASSIGN(auto v, require(c, slug, who, MemberRole::Admin));
    auto roster = parse_roster(csv_text);
    if (!roster.problems.empty()) return Error::validation(std::move(roster.problems));
    const auto& d = v.district;
    RosterReport report;
    std::vector<FieldError> problems;
    for (const auto& row : roster.rows) {
      if (!row.school.empty() &&
          std::none_of(d.schools.begin(), d.schools.end(), [&](const School& s) { return s.name == row.school; }) &&
          std::find(report.new_schools.begin(), report.new_schools.end(), row.school) == report.new_schools.end())
        report.new_schools.push_back(row.school);
      if (v.me && row.email == v.me->email && row.role != v.me->role)
        problems.push_back(
            {"line " + std::to_string(row.line) + ", role", "would change your own role; another admin must do that"});
    }
    if (!problems.empty()) return Error::validation(std::move(problems));
    const EpochMs now = now_ms();
    std::map<std::string, std::int64_t> school_ids;
    for (const auto& s : d.schools) school_ids[s.name] = s.id;
    // Counted in a preview too, so a preview refuses what the import would.
    SR_ASSIGN(std::int64_t admins, store::count_admins(c, d.id));
    for (const auto& row : roster.rows) {
      std::optional<std::int64_t> school_id;
      if (!row.school.empty()) {
        if (auto it = school_ids.find(row.school); it != school_ids.end()) {
          school_id = it->second;
        } else if (!dry_run) {
          SR_ASSIGN(auto id, store::ensure_school(c, d.id, row.school, now));
          school_ids[row.school] = id;
          school_id = id;
        }
      }
      SR_ASSIGN(auto existing, store::find_member_by_email(c, d.id, row.email));
      if (existing) {
        const bool same =
            existing->display_name == row.name && existing->role == row.role && existing->school == row.school;
        if (same) {
          ++report.unchanged;
          continue;
        }
        ++report.updated;
        if (existing->role == MemberRole::Admin && row.role != MemberRole::Admin && --admins < 1)
          return Error::validation("line " + std::to_string(row.line) + ", role",
                                   "would leave the district without an admin");
        if (row.role == MemberRole::Admin && existing->role != MemberRole::Admin) ++admins;
        if (dry_run) continue;
        // A role above educator goes only to an account that proved the
        // address; an unconfirmed one that joined by code waits like a new row.
        if (existing->user_id && row.role != MemberRole::Educator) {
          SR_ASSIGN(existing->user_id, confirmed_account(c, row.email));
        }
        existing->display_name = row.name;
        existing->role = row.role;
        existing->school_id = school_id;
        SR_TRY(store::update_member(c, *existing, now));
        continue;
      }
      ++report.added;
      if (dry_run) continue;
      Member m;
      m.district_id = d.id;
      SR_ASSIGN(m.user_id, confirmed_account(c, row.email));
      m.email = row.email;
      m.display_name = row.name;
      m.school_id = school_id;
      m.role = row.role;
      m.joined_via = JoinedVia::Roster;
      SR_TRY(store::insert_member(c, m, now));
      if (row.role == MemberRole::Admin) ++admins;
    }
    report.applied = !dry_run;
    if (!dry_run)
      log::info("district roster imported", {{"district", slug},
                                             {"added", std::to_string(report.added)},
                                             {"updated", std::to_string(report.updated)},
                                             {"by", std::to_string(who.user_id)}});
    return report;
  });
}

Result<std::string> DistrictService::export_roster(const std::string& slug, const Identity& who) {
  return db_.transaction<std::string>(
      [&](db::Connection& c) -> Result<std::string> {
        SR_ASSIGN(auto v, require(c, slug, who, MemberRole::Admin));
        SR_ASSIGN(auto all, store::all_members(c, v.district.id));
        std::string out;
        csv::append_row(out, {"email", "name", "school", "role"});
        for (const auto& m : all)
          csv::append_row(out, {m.email, m.display_name, m.school, std::string(to_string(m.role))});
        return out;
      },
      false);
}

}  // namespace staffroom::districts
