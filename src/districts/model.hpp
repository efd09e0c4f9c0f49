// Districts: school systems, their schools, the email domains their staff
// hold, and their members' district roles; the rules for the roster file a
// district imports. Pure: no I/O, tested in memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace staffroom::districts {

// admin manages the district and decides claims; approver decides claims;
// educator earns credit.
enum class MemberRole { Educator, Approver, Admin };
std::string_view to_string(MemberRole r);
std::optional<MemberRole> parse_member_role(std::string_view s);

// How someone became a member: created the district, used the join code,
// holds a confirmed address at one of its domains, or was on a roster.
enum class JoinedVia { Created, Code, Domain, Roster };
std::string_view to_string(JoinedVia v);
std::optional<JoinedVia> parse_joined_via(std::string_view s);

struct School {
  std::int64_t id = 0;
  std::string name;
};

struct District {
  std::int64_t id = 0;
  std::string slug, name, state, time_zone;
  std::string join_code;  // shown to the district's admins only
  EpochMs created_at = 0, updated_at = 0;
  std::vector<School> schools;
  std::vector<std::string> domains;
};

struct Member {
  std::int64_t id = 0;
  std::int64_t district_id = 0;
  std::optional<std::int64_t> user_id;  // none until the address is confirmed by an account
  std::string email, display_name;
  std::optional<std::int64_t> school_id;
  std::string school;  // the school's name, or empty
  MemberRole role = MemberRole::Educator;
  JoinedVia joined_via = JoinedVia::Code;
  EpochMs joined_at = 0, updated_at = 0;
  std::string cycle_starts_on;  // YYYY-MM-DD: their own renewal cycle start; "" for the policy's
};

inline constexpr std::size_t kMaxSchools = 500;
inline constexpr std::size_t kMaxSchoolNameChars = 200;
inline constexpr std::size_t kMaxRosterRows = 50000;

// Every problem with the district's own fields (slug, name, state, zone,
// school names), by field.
std::vector<FieldError> check_district(const District& d);
bool is_state_code(std::string_view s);  // "" or a US state/territory code
// Lower-cased; nullopt when it is not a plausible DNS name (a.b, labels of
// letters, digits and hyphens).
std::optional<std::string> normalize_domain(std::string_view domain);
// The part after '@' of a normalized address; empty when there is none.
std::string email_domain(std::string_view email);
// Consumer mail services cannot prove that someone works for a district.
bool is_public_mail_domain(std::string_view domain);
// A new join code: 8 characters from an alphabet without look-alikes
// (no 0/O, 1/I/L), shown as XXXX-XXXX.
std::string new_join_code();
// Upper-cased, spaces and hyphens removed, then formatted as XXXX-XXXX, so a
// code typed loosely still matches.
std::string normalize_join_code(std::string_view code);

// Lower case for searching: ASCII, Latin-1, Latin Extended-A, Greek and
// Cyrillic capitals map to their small letters (the scripts of the names a
// US district's roster holds); other characters are kept. Neither SQLite's
// lower() nor a C-locale PostgreSQL folds beyond ASCII, so the key is
// computed here and stored.
std::string fold_case(std::string_view utf8);
// What a member search matches: name and address, folded.
std::string search_key(std::string_view display_name, std::string_view email);

// One row of a roster file.
struct RosterRow {
  int line = 0;
  std::string email, name, school;
  MemberRole role = MemberRole::Educator;
};

// The file, read completely: every row that can be imported and every
// problem found, each naming its line and column. Nothing is imported unless
// problems is empty.
struct Roster {
  std::vector<RosterRow> rows;
  std::vector<FieldError> problems;  // field: "line 7, email"
};

// The header names the columns (email, name, school, role; any order, any
// case; school and role may be left out). Each address may appear once.
Roster parse_roster(std::string_view csv_text);

}  // namespace staffroom::districts
