// LRS use cases. This first part: the clients that report to the LRS, which
// partner organizations' staff create and revoke, and their authentication.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "lrs/model.hpp"

namespace staffroom::lrs {

struct NewClient {
  Client client;
  std::string secret;  // shown once; only its hash is kept
};

class LrsService {
 public:
  explicit LrsService(db::Database& db) : db_(db) {}

  Result<NewClient> create_client(const std::string& organization_slug, const std::string& name,
                                  std::vector<std::string> scopes, std::int64_t created_by);
  Result<std::vector<Client>> list_clients(const std::string& organization_slug);
  Status revoke_client(const std::string& organization_slug, std::int64_t id);
  // The active client with this key and secret (HTTP Basic), or nullopt.
  Result<std::optional<Client>> authenticate(const std::string& key, const std::string& secret);

 private:
  db::Database& db_;
};

}  // namespace staffroom::lrs
