// All SQL of xAPI documents (state, activity profiles, agent profiles).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "lrs/document.hpp"

namespace staffroom::lrs::store {

// With for_update, PostgreSQL locks the row (SQLite's write transaction
// already holds the database).
Result<std::optional<Document>> find_document(db::Connection& c, std::int64_t organization_id, const DocumentKey& key,
                                              bool for_update);
// Ids of the documents under the key (its document_id ignored), optionally
// only those changed after since.
Result<std::vector<std::string>> document_ids(db::Connection& c, std::int64_t organization_id, const DocumentKey& key,
                                              std::optional<EpochMs> since);
Status save_document(db::Connection& c, std::int64_t organization_id, const DocumentKey& key, const Document& d);
// Deletes one document, or with an empty document_id every one under the key.
Status delete_documents(db::Connection& c, std::int64_t organization_id, const DocumentKey& key);

}  // namespace staffroom::lrs::store
