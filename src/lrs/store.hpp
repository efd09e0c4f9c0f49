// All SQL of the LRS module.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "lrs/model.hpp"

namespace staffroom::lrs::store {

Result<std::int64_t> insert_client(db::Connection& c, std::int64_t organization_id, const std::string& name,
                                   const std::string& key, const std::string& secret_hash,
                                   const std::vector<std::string>& scopes, std::int64_t created_by, EpochMs now);
Result<std::vector<Client>> list_clients(db::Connection& c, std::int64_t organization_id);
Result<std::optional<Client>> find_client(db::Connection& c, std::int64_t organization_id, std::int64_t id);
// Affected rows: 0 when there is no such active client.
Result<std::int64_t> revoke_client(db::Connection& c, std::int64_t organization_id, std::int64_t id, EpochMs now);

struct Credentials {
  Client client;
  std::string secret_hash;
};
// An active (not revoked) client by its key.
Result<std::optional<Credentials>> find_active_by_key(db::Connection& c, const std::string& key);
Status touch_client(db::Connection& c, std::int64_t id, EpochMs now);

}  // namespace staffroom::lrs::store
