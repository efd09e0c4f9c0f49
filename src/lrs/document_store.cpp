#include "lrs/document_store.hpp"

#include "core/crypto.hpp"

namespace staffroom::lrs::store {

using db::Sql;
using db::Value;

namespace {

constexpr Sql kFind{
    "SELECT content_type, content, etag, updated FROM xapi_documents WHERE organization_id = $1 AND kind = $2 AND "
    "activity_id = $3 AND agent = $4 AND registration = $5 AND document_id = $6"};
constexpr Sql kFindForUpdate{
    "SELECT content_type, content, etag, updated FROM xapi_documents WHERE organization_id = $1 AND kind = $2 AND "
    "activity_id = $3 AND agent = $4 AND registration = $5 AND document_id = $6",
    "SELECT content_type, content, etag, updated FROM xapi_documents WHERE organization_id = $1 AND kind = $2 AND "
    "activity_id = $3 AND agent = $4 AND registration = $5 AND document_id = $6 FOR UPDATE"};
constexpr Sql kIds{
    "SELECT document_id FROM xapi_documents WHERE organization_id = $1 AND kind = $2 AND activity_id = $3 AND "
    "agent = $4 AND registration = $5 AND updated > $6 ORDER BY document_id LIMIT 10000"};
constexpr Sql kSave{
    "INSERT INTO xapi_documents (organization_id, kind, activity_id, agent, registration, document_id, "
    "content_type, content, etag, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
    "ON CONFLICT (organization_id, kind, activity_id, agent, registration, document_id) DO UPDATE SET "
    "content_type = excluded.content_type, content = excluded.content, etag = excluded.etag, "
    "updated = excluded.updated"};
constexpr Sql kDeleteOne{
    "DELETE FROM xapi_documents WHERE organization_id = $1 AND kind = $2 AND activity_id = $3 AND agent = $4 AND "
    "registration = $5 AND document_id = $6"};
constexpr Sql kDeleteAll{
    "DELETE FROM xapi_documents WHERE organization_id = $1 AND kind = $2 AND activity_id = $3 AND agent = $4 AND "
    "registration = $5"};

}  // namespace

Result<std::optional<Document>> find_document(db::Connection& c, std::int64_t organization_id, const DocumentKey& key,
                                              bool for_update) {
  const Value p[] = {organization_id, std::string(kind_name(key.kind)), key.activity_id, key.agent, key.registration,
                     key.document_id};
  SR_ASSIGN(auto rows, c.query(for_update ? kFindForUpdate : kFind, p));
  if (rows.empty()) return std::optional<Document>();
  const auto& r = rows.front();
  auto content = crypto::base64_decode(r.text(1));
  if (!content) return Error::internal("a stored xAPI document is not base64");
  return std::optional(Document{r.text(0), std::move(*content), r.text(2), r.int64(3)});
}

Result<std::vector<std::string>> document_ids(db::Connection& c, std::int64_t organization_id, const DocumentKey& key,
                                              std::optional<EpochMs> since) {
  const Value p[] = {organization_id,   std::string(kind_name(key.kind)), key.activity_id, key.agent, key.registration,
                     since.value_or(-1)};
  SR_ASSIGN(auto rows, c.query(kIds, p));
  std::vector<std::string> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(r.text(0));
  return out;
}

Status save_document(db::Connection& c, std::int64_t organization_id, const DocumentKey& key, const Document& d) {
  const Value p[] = {
      organization_id, std::string(kind_name(key.kind)), key.activity_id, key.agent, key.registration, key.document_id,
      d.content_type,  crypto::base64(d.content),        d.etag,          d.updated};
  SR_TRY(c.query(kSave, p));
  return {};
}

Status delete_documents(db::Connection& c, std::int64_t organization_id, const DocumentKey& key) {
  const std::string kind(kind_name(key.kind));
  if (key.document_id.empty()) {
    const Value p[] = {organization_id, kind, key.activity_id, key.agent, key.registration};
    SR_TRY(c.query(kDeleteAll, p));
  } else {
    const Value p[] = {organization_id, kind, key.activity_id, key.agent, key.registration, key.document_id};
    SR_TRY(c.query(kDeleteOne, p));
  }
  return {};
}

}  // namespace staffroom::lrs::store
