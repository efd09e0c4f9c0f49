#include "lrs/service.hpp"

#include "catalog/store.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "lrs/store.hpp"

namespace staffroom::lrs {

namespace {
Error no_organization(const std::string& slug) {
  return Error::not_found("there is no organization '" + slug + "'");
}
}  // namespace

Result<NewClient> LrsService::create_client(const std::string& organization_slug, const std::string& name,
                                            std::vector<std::string> scopes, std::int64_t created_by) {
  if (auto errors = check_client(name, scopes); !errors.empty()) return Error::validation(std::move(errors));
  NewClient out;
  out.secret = crypto::random_token(32);
  const std::string key = "lrs_" + crypto::random_token(12);
  auto id = db_.transaction<std::int64_t>([&](db::Connection& c) -> Result<std::int64_t> {
    SR_ASSIGN(auto org, catalog::store::find_organization(c, organization_slug));
    if (!org) return no_organization(organization_slug);
    return store::insert_client(c, org->id, json::trim(name), key, crypto::sha256_hex(out.secret), scopes, created_by,
                                now_ms());
  });
  if (!id.ok()) return std::move(id).error();
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto org, catalog::store::find_organization(*lease, organization_slug));
  if (!org) return no_organization(organization_slug);
  SR_ASSIGN(auto client, store::find_client(*lease, org->id, *id));
  if (!client) return Error::internal("the new LRS client was not found");
  out.client = std::move(*client);
  log::info("lrs client created", {{"organization", organization_slug}, {"client", out.client.id}});
  return out;
}

Result<std::vector<Client>> LrsService::list_clients(const std::string& organization_slug) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto org, catalog::store::find_organization(*lease, organization_slug));
  if (!org) return no_organization(organization_slug);
  return store::list_clients(*lease, org->id);
}

Status LrsService::revoke_client(const std::string& organization_slug, std::int64_t id) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto org, catalog::store::find_organization(*lease, organization_slug));
  if (!org) return no_organization(organization_slug);
  SR_ASSIGN(auto n, store::revoke_client(*lease, org->id, id, now_ms()));
  if (n == 0) return Error::not_found("there is no active LRS client " + std::to_string(id));
  log::info("lrs client revoked", {{"organization", organization_slug}, {"client", id}});
  return {};
}

Result<std::optional<Client>> LrsService::authenticate(const std::string& key, const std::string& secret) {
  if (key.empty() || key.size() > 100 || secret.size() > 200) return std::optional<Client>();
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto found, store::find_active_by_key(*lease, key));
  if (!found || !crypto::constant_time_equal(crypto::sha256_hex(secret), found->secret_hash)) {
    return std::optional<Client>();
  }
  return std::optional(std::move(found->client));
}

}  // namespace staffroom::lrs
