#include "accounts/model.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/json.hpp"

namespace staffroom::accounts {

namespace {
struct RoleInfo {
  std::string_view role;
  std::string_view scope_type;
};
constexpr std::array<RoleInfo, 5> kRoles = {{{"educator", ""},
                                             {"org_staff", "organization"},
                                             {"district_admin", "district"},
                                             {"campaign_organizer", "campaign"},
                                             {"site_admin", ""}}};
}  // namespace

std::string normalize_email(std::string_view email) {
  std::string s = json::trim(email);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<std::string> check_email(std::string_view e) {
  if (e.empty()) return "is required";
  if (e.size() > kMaxEmailChars) return "must be at most 254 characters";
  const auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || e.find('@', at + 1) != std::string_view::npos)
    return "must be an email address like name@school.org";
  const auto domain = e.substr(at + 1);
  const auto dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos)
    return "must be an email address like name@school.org";
  for (unsigned char c : e) {
    if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == '(' || c == ')' ||
        c == '[' || c == ']' || c == '\\')
      return "must not contain spaces or the characters < > , ; \" ( ) [ ] \\";
  }
  return std::nullopt;
}

std::optional<std::string> check_password(std::string_view password) {
  const auto n = json::utf8_length(password);
  if (n == 0) return "is required";
  if (n < kMinPasswordChars) return "must be at least 10 characters";
  if (n > kMaxPasswordChars) return "must be at most 128 characters";
  if (std::all_of(password.begin(), password.end(), [](unsigned char c) { return std::isspace(c); }))
    return "must not be only spaces";
  return std::nullopt;
}

std::optional<std::string> check_display_name(std::string_view name) {
  if (name.empty()) return "is required";
  if (json::utf8_length(name) > kMaxDisplayNameChars) return "must be at most 100 characters";
  for (unsigned char c : name)
    if (c < ' ' || c == 0x7f) return "must not contain control characters";
  return std::nullopt;
}

bool is_known_role(std::string_view role) {
  return std::any_of(kRoles.begin(), kRoles.end(), [&](const RoleInfo& r) { return r.role == role; });
}

std::string_view scope_type_for_role(std::string_view role) {
  for (const auto& r : kRoles)
    if (r.role == role) return r.scope_type;
  return {};
}

Status check_grant(std::string_view role, std::string_view scope_type, std::string_view scope_id) {
  if (!is_known_role(role)) {
    return Error::validation("role",
                             "must be one of educator, org_staff, district_admin, campaign_organizer, site_admin");
  }
  const auto needed = scope_type_for_role(role);
  if (needed.empty()) {
    if (!scope_type.empty() || !scope_id.empty())
      return Error::validation("scope_type",
                               "the " + std::string(role) + " role takes no scope; leave scope_type and scope_id out");
    return {};
  }
  std::vector<FieldError> errors;
  if (scope_type != needed)
    errors.push_back(
        {"scope_type", "the " + std::string(role) + " role needs scope_type \"" + std::string(needed) + "\""});
  if (scope_id.empty()) errors.push_back({"scope_id", "names the " + std::string(needed) + " this role is for"});
  if (scope_id.size() > 200) errors.push_back({"scope_id", "must be at most 200 characters"});
  if (!errors.empty()) return Error::validation(std::move(errors));
  return {};
}

}  // namespace staffroom::accounts
