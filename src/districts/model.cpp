#include "districts/model.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "accounts/model.hpp"
#include "catalog/model.hpp"
#include "core/calendar.hpp"
#include "core/crypto.hpp"
#include "core/csv.hpp"
#include "core/json.hpp"

namespace staffroom::districts {

std::string_view to_string(MemberRole r) {
  switch (r) {
    case MemberRole::Educator:
      return "educator";
    case MemberRole::Approver:
      return "approver";
    case MemberRole::Admin:
      return "admin";
  }
  return "educator";
}

std::optional<MemberRole> parse_member_role(std::string_view s) {
  if (s == "educator") return MemberRole::Educator;
  if (s == "approver") return MemberRole::Approver;
  if (s == "admin") return MemberRole::Admin;
  return std::nullopt;
}

std::string_view to_string(JoinedVia v) {
  switch (v) {
    case JoinedVia::Created:
      return "created";
    case JoinedVia::Code:
      return "code";
    case JoinedVia::Domain:
      return "domain";
    case JoinedVia::Roster:
      return "roster";
  }
  return "code";
}

std::optional<JoinedVia> parse_joined_via(std::string_view s) {
  if (s == "created") return JoinedVia::Created;
  if (s == "code") return JoinedVia::Code;
  if (s == "domain") return JoinedVia::Domain;
  if (s == "roster") return JoinedVia::Roster;
  return std::nullopt;
}

namespace {
constexpr std::array<std::string_view, 56> kStates = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR",
    "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "GU", "VI", "AS", "MP"};

constexpr std::array<std::string_view, 14> kPublicMail = {
    "gmail.com",  "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com",    "live.com", "aol.com",
    "icloud.com", "me.com",         "msn.com",   "proton.me",   "protonmail.com", "gmx.com",  "mail.com"};

// Letters and digits without the ones people confuse when reading a code
// aloud or off a projector.
constexpr std::string_view kCodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
}  // namespace

bool is_state_code(std::string_view s) {
  return s.empty() || std::find(kStates.begin(), kStates.end(), s) != kStates.end();
}

std::vector<FieldError> check_district(const District& d) {
  std::vector<FieldError> errors;
  catalog::check_slug("slug", d.slug, errors);
  if (d.name.empty()) errors.push_back({"name", "is required"});
  if (d.name.size() > 200) errors.push_back({"name", "must be at most 200 characters"});
  if (!is_state_code(d.state))
    errors.push_back({"state", "must be a two-letter US state or territory code such as OH, or left empty"});
  if (!is_time_zone(d.time_zone)) errors.push_back({"time_zone", "must be an IANA time zone such as America/Chicago"});
  if (d.schools.size() > kMaxSchools)
    errors.push_back({"schools", "can list at most " + std::to_string(kMaxSchools) + " schools"});
  std::set<std::string> seen;
  for (std::size_t i = 0; i < d.schools.size() && i < kMaxSchools; ++i) {
    const auto& name = d.schools[i].name;
    const std::string at = "schools[" + std::to_string(i) + "]";
    if (name.empty())
      errors.push_back({at, "needs a name"});
    else if (name.size() > kMaxSchoolNameChars)
      errors.push_back({at, "must be at most 200 characters"});
    else if (!seen.insert(name).second)
      errors.push_back({at, "'" + name + "' is listed twice"});
  }
  return errors;
}

std::optional<std::string> normalize_domain(std::string_view domain) {
  std::string d = json::trim(domain);
  if (!d.empty() && d.front() == '@') d.erase(0, 1);
  std::transform(d.begin(), d.end(), d.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (d.empty() || d.size() > 253 || d.find('.') == std::string::npos) return std::nullopt;
  std::size_t start = 0;
  while (start <= d.size()) {
    const auto dot = d.find('.', start);
    const auto label = std::string_view(d).substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return std::nullopt;
    for (char c : label)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return std::nullopt;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return d;
}

std::string email_domain(std::string_view email) {
  const auto at = email.rfind('@');
  return at == std::string_view::npos ? std::string() : std::string(email.substr(at + 1));
}

bool is_public_mail_domain(std::string_view domain) {
  return std::find(kPublicMail.begin(), kPublicMail.end(), domain) != kPublicMail.end();
}

std::string new_join_code() {
  const auto bytes = crypto::random_bytes(8);
  std::string code;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4) code += '-';
    // 31 symbols: the modulo bias (256 % 31 = 8) is immaterial for a code
    // that is also rate limited and rotatable.
    code += kCodeAlphabet[static_cast<unsigned char>(bytes[i]) % kCodeAlphabet.size()];
  }
  return code;
}

std::string normalize_join_code(std::string_view code) {
  std::string plain;
  for (char c : code) {
    if (c == '-' || std::isspace(static_cast<unsigned char>(c))) continue;
    plain += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (plain.size() != 8) return plain;
  return plain.substr(0, 4) + "-" + plain.substr(4);
}

namespace {
char32_t fold(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c + 32;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;  // Latin-1 capitals
  if (c >= 0x100 && c <= 0x137 && c % 2 == 0) return c + 1;  // Latin Extended-A pairs
  if (c >= 0x139 && c <= 0x148 && c % 2 == 1) return c + 1;
  if (c >= 0x14A && c <= 0x177 && c % 2 == 0) return c + 1;
  if (c == 0x178) return 0xFF;
  if (c >= 0x179 && c <= 0x17E && c % 2 == 1) return c + 1;
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;  // Greek
  if (c >= 0x410 && c <= 0x42F) return c + 32;                // Cyrillic
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}
}  // namespace

std::string fold_case(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
      out += s[i++];  // not UTF-8: kept as it is
      continue;
    }
    char32_t c = len == 1 ? b : b & (0x7F >> len);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      const auto cont = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((cont & 0xC0) != 0x80) ok = false;
      c = (c << 6) | (cont & 0x3F);
    }
    if (!ok) {
      out += s[i++];
      continue;
    }
    append_utf8(out, fold(c));
    i += static_cast<std::size_t>(len);
  }
  return out;
}

std::string search_key(std::string_view display_name, std::string_view email) {
  return fold_case(display_name) + " " + fold_case(email);
}

Roster parse_roster(std::string_view csv_text) {
  Roster out;
  auto records = csv::parse(csv_text, kMaxRosterRows + 1);
  if (!records.ok()) {
    out.problems.push_back({"file", records.error().detail});
    return out;
  }
  if (records->empty()) {
    out.problems.push_back({"file", "is empty; the first line names the columns: email,name,school,role"});
    return out;
  }
  if (records->size() > kMaxRosterRows + 1) {
    out.problems.push_back(
        {"file", "has more than " + std::to_string(kMaxRosterRows) + " rows; split it into several files"});
    return out;
  }
  int col_email = -1, col_name = -1, col_school = -1, col_role = -1;
  const auto& header = records->front();
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    std::string h = json::trim(header.fields[i]);
    std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const int idx = static_cast<int>(i);
    int* slot = h == "email"    ? &col_email
                : h == "name"   ? &col_name
                : h == "school" ? &col_school
                : h == "role"   ? &col_role
                                : nullptr;
    if (slot == nullptr) {
      out.problems.push_back({"line 1, column " + std::to_string(i + 1),
                              "'" + h + "' is not a roster column; use email, name, school and role"});
    } else if (*slot >= 0) {
      out.problems.push_back({"line 1, column " + std::to_string(i + 1), "'" + h + "' appears twice"});
    } else {
      *slot = idx;
    }
  }
  if (col_email < 0) out.problems.push_back({"line 1", "needs an email column"});
  if (col_name < 0) out.problems.push_back({"line 1", "needs a name column"});
  if (!out.problems.empty()) return out;

  std::set<std::string> seen;
  for (std::size_t r = 1; r < records->size(); ++r) {
    const auto& rec = (*records)[r];
    const std::string at = "line " + std::to_string(rec.line);
    auto cell = [&](int col) {
      return col >= 0 && static_cast<std::size_t>(col) < rec.fields.size()
                 ? json::trim(rec.fields[static_cast<std::size_t>(col)])
                 : std::string();
    };
    RosterRow row;
    row.line = rec.line;
    row.email = accounts::normalize_email(cell(col_email));
    row.name = cell(col_name);
    row.school = cell(col_school);
    const auto role_text = cell(col_role);
    bool ok = true;
    if (auto problem = accounts::check_email(row.email)) {
      out.problems.push_back({at + ", email", row.email.empty() ? "is empty" : "'" + row.email + "' " + *problem});
      ok = false;
    } else if (!seen.insert(row.email).second) {
      out.problems.push_back({at + ", email", "'" + row.email + "' appears on an earlier line too"});
      ok = false;
    }
    if (auto problem = accounts::check_display_name(row.name)) {
      out.problems.push_back({at + ", name", *problem});
      ok = false;
    }
    if (row.school.size() > kMaxSchoolNameChars) {
      out.problems.push_back({at + ", school", "must be at most 200 characters"});
      ok = false;
    }
    if (!role_text.empty()) {
      std::string lower = role_text;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (auto role = parse_member_role(lower)) {
        row.role = *role;
      } else {
        out.problems.push_back({at + ", role", "'" + role_text + "' is not a role; use educator, approver or admin"});
        ok = false;
      }
    }
    if (ok) out.rows.push_back(std::move(row));
  }
  if (out.rows.empty() && out.problems.empty()) out.problems.push_back({"file", "has a header but no people"});
  return out;
}

}  // namespace staffroom::districts
