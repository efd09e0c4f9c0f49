#include "lrs/store.hpp"

namespace staffroom::lrs::store {

using db::Sql;
using db::Value;

namespace {

constexpr Sql kInsert{
    "INSERT INTO lrs_clients (organization_id, name, client_key, secret_hash, scopes, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"};
constexpr const char* kColumns =
    "SELECT l.id, l.organization_id, o.slug, l.name, l.client_key, l.scopes, l.created_at, l.last_used_at, "
    "l.revoked_at, l.secret_hash FROM lrs_clients l JOIN organizations o ON o.id = l.organization_id ";
const std::string& list_text() {
  static const std::string text = std::string(kColumns) + "WHERE l.organization_id = $1 ORDER BY l.id LIMIT 500";
  return text;
}
const std::string& find_text() {
  static const std::string text = std::string(kColumns) + "WHERE l.organization_id = $1 AND l.id = $2";
  return text;
}
const std::string& by_key_text() {
  static const std::string text = std::string(kColumns) + "WHERE l.client_key = $1 AND l.revoked_at IS NULL";
  return text;
}
constexpr Sql kRevoke{
    "UPDATE lrs_clients SET revoked_at = $3 WHERE organization_id = $1 AND id = $2 AND revoked_at IS NULL"};
constexpr Sql kTouch{"UPDATE lrs_clients SET last_used_at = $2 WHERE id = $1"};

Client client_from(const db::Row& r) {
  Client cl;
  cl.id = r.int64(0);
  cl.organization_id = r.int64(1);
  cl.organization_slug = r.text(2);
  cl.name = r.text(3);
  cl.key = r.text(4);
  cl.scopes = split_scopes(r.text(5));
  cl.created_at = r.int64(6);
  cl.last_used_at = r.opt_int64(7);
  cl.revoked_at = r.opt_int64(8);
  return cl;
}

}  // namespace

Result<std::int64_t> insert_client(db::Connection& c, std::int64_t organization_id, const std::string& name,
                                   const std::string& key, const std::string& secret_hash,
                                   const std::vector<std::string>& scopes, std::int64_t created_by, EpochMs now) {
  const Value p[] = {
      organization_id, name, key, secret_hash, join_scopes(scopes), created_by ? Value(created_by) : Value(), now};
  SR_ASSIGN(auto rows, c.query(kInsert, p));
  return rows.front().int64(0);
}

Result<std::vector<Client>> list_clients(db::Connection& c, std::int64_t organization_id) {
  const Value p[] = {organization_id};
  SR_ASSIGN(auto rows, c.query(Sql{list_text()}, p));
  std::vector<Client> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(client_from(r));
  return out;
}

Result<std::optional<Client>> find_client(db::Connection& c, std::int64_t organization_id, std::int64_t id) {
  const Value p[] = {organization_id, id};
  SR_ASSIGN(auto rows, c.query(Sql{find_text()}, p));
  if (rows.empty()) return std::optional<Client>();
  return std::optional(client_from(rows.front()));
}

Result<std::int64_t> revoke_client(db::Connection& c, std::int64_t organization_id, std::int64_t id, EpochMs now) {
  const Value p[] = {organization_id, id, now};
  SR_ASSIGN(auto rows, c.query(kRevoke, p));
  return rows.affected;
}

Result<std::optional<Credentials>> find_active_by_key(db::Connection& c, const std::string& key) {
  const Value p[] = {key};
  SR_ASSIGN(auto rows, c.query(Sql{by_key_text()}, p));
  if (rows.empty()) return std::optional<Credentials>();
  return std::optional(Credentials{client_from(rows.front()), rows.front().text(9)});
}

Status touch_client(db::Connection& c, std::int64_t id, EpochMs now) {
  const Value p[] = {id, now};
  SR_TRY(c.query(kTouch, p));
  return {};
}

}  // namespace staffroom::lrs::store
