// Accounts: the people who use Staffroom, the roles they hold, and the rules
// for their names, emails and passwords. Pure: no I/O, tested in memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/identity.hpp"
#include "core/time.hpp"

namespace staffroom::accounts {

inline constexpr std::size_t kMinPasswordChars = 10;
inline constexpr std::size_t kMaxPasswordChars = 128;
inline constexpr std::size_t kMaxDisplayNameChars = 100;
inline constexpr std::size_t kMaxEmailChars = 254;

struct User {
  std::int64_t id = 0;
  std::string email;
  std::string display_name;
  EpochMs created_at = 0;
  std::vector<Grant> grants;
};

struct ApiToken {
  std::int64_t id = 0;
  std::string name;
  EpochMs created_at = 0;
  std::optional<EpochMs> last_used_at;
};

struct MailMessage {
  std::int64_t id = 0;
  std::string recipient;
  std::string subject;
  std::string body;
  EpochMs created_at = 0;
};

// Lower-cased and trimmed; emails compare case-insensitively.
std::string normalize_email(std::string_view email);
// nullopt when acceptable, otherwise the message for the field.
std::optional<std::string> check_email(std::string_view normalized);
std::optional<std::string> check_password(std::string_view password);
std::optional<std::string> check_display_name(std::string_view name);

// The roles, and which scope each needs ("" for none).
bool is_known_role(std::string_view role);
std::string_view scope_type_for_role(std::string_view role);
// A grant that names a scope the role does not take, or lacks one, is refused.
Status check_grant(std::string_view role, std::string_view scope_type, std::string_view scope_id);

}  // namespace staffroom::accounts
