// The Learning Record Store's clients and the xAPI versions it speaks.
// Pure rules, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace staffroom::lrs {

inline constexpr std::string_view kVersions[] = {"1.0.3", "2.0.0"};

// What a client may do.
inline constexpr std::string_view kScopes[] = {"statements/write", "statements/read/mine", "statements/read",
                                               "documents"};
// A new client's scopes unless others are asked for: report statements,
// read back its own, and keep state and profile documents.
std::vector<std::string> default_scopes();

struct Client {
  std::int64_t id = 0;
  std::int64_t organization_id = 0;
  std::string organization_slug;
  std::string name;
  std::string key;
  std::vector<std::string> scopes;
  EpochMs created_at = 0;
  std::optional<EpochMs> last_used_at, revoked_at;
  bool has_scope(std::string_view scope) const;
};

// Names are 1 to 100 characters; scopes must be known, without repeats.
std::vector<FieldError> check_client(const std::string& name, const std::vector<std::string>& scopes);
std::string join_scopes(const std::vector<std::string>& scopes);
std::vector<std::string> split_scopes(std::string_view text);

// The X-Experience-API-Version a request asks for, as the version the LRS
// answers with: "1.0.x" means 1.0.3, "2.0.x" means 2.0.0. Nullopt for a
// version the LRS does not speak (or a malformed header).
std::optional<std::string> negotiate_version(std::string_view header);

}  // namespace staffroom::lrs
