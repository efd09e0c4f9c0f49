// All SQL of xAPI statements: writing batches, lookups, queries with their
// filters, voiding, attachments and the canonical activity definitions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"
#include "lrs/statement.hpp"

namespace staffroom::lrs::store {

struct StoredRow {
  std::int64_t seq = 0;
  std::string statement_id;
  std::int64_t organization_id = 0;
  std::optional<std::int64_t> client_id;
  EpochMs stored = 0;
  bool voided = false;
  std::string sent_hash;
  std::string body;
};

struct NewStatement {
  const CheckedStatement* statement = nullptr;
  std::string body;       // serialized, as the LRS returns it
  std::string sent_hash;  // of the statement as sent
};

// Serialises writers (PostgreSQL takes a table lock; SQLite's write
// transaction already holds the database lock) and answers the last
// statement's seq and stored time.
struct LastWrite {
  std::int64_t seq = 0;
  EpochMs stored = 0;
};
Result<LastWrite> lock_for_write(db::Connection& c);
Result<std::vector<StoredRow>> find_by_ids(db::Connection& c, const std::vector<std::string>& ids);
// Takes each row's body over.
Status insert_statements(db::Connection& c, std::int64_t first_seq, std::int64_t organization_id,
                         std::int64_t client_id, EpochMs stored, std::vector<NewStatement>& rows);
// The statements after after_seq, for the indexer.
struct Unindexed {
  std::int64_t seq = 0;
  std::string body;
};
Result<std::vector<Unindexed>> unindexed(db::Connection& c, std::int64_t after_seq, int limit);
Status insert_keys(db::Connection& c, const std::vector<std::pair<std::string_view, std::int64_t>>& keys);
Result<std::int64_t> indexed_seq(db::Connection& c);  // locks the row on PostgreSQL
Status set_indexed_seq(db::Connection& c, std::int64_t seq);
// Empties the index and sets its position back to the start.
Status clear_index(db::Connection& c);
Result<std::optional<EpochMs>> stored_at(db::Connection& c, std::int64_t seq);
// Joins of catalog activities, for the minutes of a later leave.
Status insert_join(db::Connection& c, const std::string& statement_id, std::int64_t organization_id,
                   const std::string& agent, const std::string& activity_id, EpochMs joined_at);
Status delete_join(db::Connection& c, const std::string& statement_id);

// Marks the organization's statement voided unless it is itself a voiding
// statement; answers whether one was.
Result<bool> void_statement(db::Connection& c, std::int64_t organization_id, const std::string& statement_id);
Status save_attachment(db::Connection& c, const std::string& sha2, const std::string& content_type,
                       const std::string& content);
Result<std::map<std::string, std::string>> attachments(db::Connection& c, const std::vector<std::string>& sha2s);
Result<std::optional<std::string>> activity_definition(db::Connection& c, std::int64_t organization_id,
                                                       const std::string& activity_id);
Status save_activity_definition(db::Connection& c, std::int64_t organization_id, const std::string& activity_id,
                                const std::string& definition, EpochMs now);

struct Query {
  std::int64_t organization_id = 0;
  std::optional<std::int64_t> client_id;  // only this client's statements
  std::optional<std::string> agent, verb, activity, registration;
  bool related_agents = false, related_activities = false;
  std::optional<EpochMs> since, until;  // stored: since exclusive, until inclusive
  bool ascending = false;
  std::optional<std::int64_t> after_seq;  // cursor: past this seq in the order
  std::optional<std::int64_t> max_seq;    // the page set is fixed at the first page
  int limit = 100;
  bool has_content_filter() const { return agent || verb || activity || registration; }
};
struct Page {
  std::vector<StoredRow> rows;  // at most limit
  bool more = false;
};
Result<Page> query(db::Connection& c, const Query& q);
// When the agent last joined the activity at or before a time; nullopt
// when never (or the join was voided).
Result<std::optional<EpochMs>> latest_joined(db::Connection& c, std::int64_t organization_id,
                                             const std::string& agent_key, const std::string& activity_iri,
                                             EpochMs before);
// The latest statement of the organization with this agent as actor (or
// object), as stored.
Result<std::optional<std::string>> latest_about_agent(db::Connection& c, std::int64_t organization_id,
                                                      const std::string& agent_key);
Result<std::int64_t> max_seq(db::Connection& c);

}  // namespace staffroom::lrs::store
