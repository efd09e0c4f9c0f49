// xAPI documents, activities and agents (the LrsService's document half).
#include "core/json.hpp"
#include "lrs/document_store.hpp"
#include "lrs/service.hpp"

namespace staffroom::lrs {

namespace json = boost::json;

namespace {
Error no_document(const DocumentKey& key) {
  return Error::not_found("there is no " + std::string(kind_name(key.kind)) + " document '" + key.document_id + "'");
}
}  // namespace

Result<Document> LrsService::get_document(const Client& client, const DocumentKey& key) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto found, store::find_document(*lease, client.organization_id, key, false));
  if (!found) return no_document(key);
  return std::move(*found);
}

Result<std::vector<std::string>> LrsService::document_ids(const Client& client, const DocumentKey& key,
                                                          std::optional<EpochMs> since) {
  SR_ASSIGN(auto lease, db_.acquire());
  return store::document_ids(*lease, client.organization_id, key, since);
}

Status LrsService::write_document(const Client& client, const DocumentKey& key, const std::string& content_type,
                                  const std::string& content, const Preconditions& p, Version version, bool post) {
  return db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto existing, store::find_document(c, client.organization_id, key, true));
    SR_TRY(check_preconditions(existing, p, !post, key.kind, version));
    Document next;
    if (post) {
      SR_ASSIGN(next, merge_documents(existing, content_type, content));
    } else {
      next.content_type = content_type.empty() ? "application/octet-stream" : content_type;
      next.content = content;
      next.etag = document_etag(content);
    }
    // Last-Modified moves forward even within one millisecond.
    next.updated = std::max(now_ms(), existing ? existing->updated + 1 : 0);
    return store::save_document(c, client.organization_id, key, next);
  });
}

Status LrsService::delete_documents(const Client& client, const DocumentKey& key, const Preconditions& p,
                                    Version version) {
  return db_.transaction([&](db::Connection& c) -> Status {
    if (!key.document_id.empty() && (p.if_match || p.if_none_match)) {
      SR_ASSIGN(auto existing, store::find_document(c, client.organization_id, key, true));
      SR_TRY(check_preconditions(existing, p, false, key.kind, version));
    }
    return store::delete_documents(c, client.organization_id, key);
  });
}

Result<std::optional<json::object>> LrsService::activity_definition(const Client& client, const std::string& id) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto text, store::activity_definition(*lease, client.organization_id, id));
  if (!text) return std::optional<json::object>();
  std::error_code ec;
  auto v = json::parse(*text, ec);
  if (ec || !v.is_object()) return Error::internal("a stored activity definition is not a JSON object");
  return std::optional(std::move(v.as_object()));
}

Result<std::optional<std::string>> LrsService::agent_name(const Client& client, const std::string& agent_key) {
  // The lookup reads the deferred index; let it cover what is stored.
  SR_ASSIGN(auto latest, max_seq());
  wait_for_index(latest);
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto body, store::latest_about_agent(*lease, client.organization_id, agent_key));
  if (!body) return std::optional<std::string>();
  std::error_code ec;
  auto v = json::parse(*body, ec);
  if (ec || !v.is_object()) return std::optional<std::string>();
  for (auto part : {"actor", "object"}) {
    const auto* a = v.as_object().if_contains(part);
    if (!a || !a->is_object() || identifier_key(a->as_object()) != agent_key) continue;
    if (const auto* n = a->as_object().if_contains("name"); n && n->is_string())
      return std::optional(std::string(n->as_string()));
  }
  return std::optional<std::string>();
}

}  // namespace staffroom::lrs
