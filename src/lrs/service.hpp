// LRS use cases: the clients that report to the LRS, which partner
// organizations' staff create and revoke, and their authentication; storing
// and reading statements (statement_service.cpp).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <semaphore>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "db/database.hpp"
#include "lrs/document.hpp"
#include "lrs/model.hpp"
#include "lrs/statement.hpp"
#include "lrs/statement_store.hpp"

namespace staffroom::lrs {

struct NewClient {
  Client client;
  std::string secret;  // shown once; only its hash is kept
};

// A statement as read back.
struct ReadStatement {
  std::string id;
  EpochMs stored = 0;
  std::string body;
};

class LrsService {
 public:
  LrsService(db::Database& db, std::string public_url) : db_(db), public_url_(std::move(public_url)) {}
  ~LrsService();
  LrsService(const LrsService&) = delete;
  LrsService& operator=(const LrsService&) = delete;

  // The deferred index (migration 0009): indexes up to `limit` statements
  // written since the index's position and answers how many. Keys come from
  // what the write path computed; statements this process did not write are
  // read back and parsed. Writes index in their own transaction when no
  // other batch waits or enough keys are pending; the indexer thread covers
  // queries that wait for the index and other processes' statements.
  Result<int> index_pending(int limit = 5000);
  void start_indexer();
  // An index that reaches past the last statement belongs to other data (on
  // SQLite: the database file was put back from a copy without its second
  // file); it is emptied, to be built again. True when it was.
  Result<bool> clear_index_if_ahead();

  Result<NewClient> create_client(const std::string& organization_slug, const std::string& name,
                                  std::vector<std::string> scopes, std::int64_t created_by);
  Result<std::vector<Client>> list_clients(const std::string& organization_slug);
  Status revoke_client(const std::string& organization_slug, std::int64_t id);
  // The active client with this key and secret (HTTP Basic), or nullopt.
  Result<std::optional<Client>> authenticate(const std::string& key, const std::string& secret);

  // The agent the LRS names as the authority of a client's statements.
  boost::json::object authority(const Client& client) const;

  // Stores a batch all or nothing and answers the statements' ids. parts
  // holds the attachment contents sent with it, by SHA-2. A re-sent id with
  // the same content is accepted again (and kept once); with other content
  // it is a Conflict.
  Result<std::vector<std::string>> store_statements(const Client& client, Version version,
                                                    std::vector<CheckedStatement> batch,
                                                    const std::map<std::string, std::string>& parts);
  // One statement the client may read; voided selects voidedStatementId.
  Result<ReadStatement> get_statement(const Client& client, const std::string& id, bool voided);
  // q.organization_id and q.client_id are set from the client's scopes.
  Result<store::Page> query_statements(const Client& client, store::Query q);
  Result<std::map<std::string, std::string>> attachment_contents(const std::vector<std::string>& sha2s);
  // The latest stored time every statement up to which a query sees.
  EpochMs consistent_through();
  Result<std::int64_t> max_seq();

  // Documents (document_service.cpp), each organization's apart.
  Result<Document> get_document(const Client& client, const DocumentKey& key);
  Result<std::vector<std::string>> document_ids(const Client& client, const DocumentKey& key,
                                                std::optional<EpochMs> since);
  // PUT replaces, POST merges JSON; both under the version's preconditions.
  Status write_document(const Client& client, const DocumentKey& key, const std::string& content_type,
                        const std::string& content, const Preconditions& p, Version version, bool post);
  Status delete_documents(const Client& client, const DocumentKey& key, const Preconditions& p, Version version);

  // The canonical definition of an activity the organization's statements
  // described, or nullopt.
  Result<std::optional<boost::json::object>> activity_definition(const Client& client, const std::string& id);
  // The name the agent's latest statement as actor gave, if any.
  Result<std::optional<std::string>> agent_name(const Client& client, const std::string& agent_key);

 private:
  // Index keys computed when a statement was written, until the index
  // holds them.
  struct Keyed {
    std::int64_t seq = 0;
    EpochMs stored = 0;
    std::vector<std::string> keys;
  };

  // Concurrent batches are committed together (group commit): the first
  // waiting request writes everyone's batch in one transaction.
  struct PendingWrite {
    const Client* client = nullptr;
    std::vector<CheckedStatement>* batch = nullptr;
    const std::map<std::string, std::string>* parts = nullptr;
    std::vector<std::string> hashes;  // of each statement as sent
    std::vector<std::string> bodies;  // prepared, waiting for stored (prepare_statement)
    std::vector<Keyed> keyed;         // of the statements written
    Result<std::vector<std::string>> result = std::vector<std::string>();
    bool done = false;
    // Released once, by the leader: when this batch is written (done), or
    // when this request is to lead the next group.
    std::binary_semaphore woken{0};
  };
  static constexpr std::size_t kMaxGroupStatements = 5000;
  // The most statements one step of the indexer thread covers; it waits up
  // to kIndexGather for kIndexGatherStatements before a step, unless a query
  // waits.
  static constexpr int kIndexStep = 20000;
  static constexpr std::int64_t kIndexGatherStatements = 10000;
  static constexpr std::chrono::milliseconds kIndexGather{250};
  void write_group(const std::vector<PendingWrite*>& group);
  Result<std::vector<std::string>> write_batch(db::Connection& c, PendingWrite& w, EpochMs stored,
                                               std::int64_t& next_seq);
  std::mutex write_mu_;
  std::deque<PendingWrite*> write_queue_;  // the front one leads

  // One step of the index inside a transaction: the statements after
  // the index's position, up to limit; keys from memory (ascending seq)
  // where it holds them.
  struct IndexStep {
    std::int64_t last_seq = 0;  // the index's position after the step
    EpochMs last_stored = 0;
    int count = 0;
  };
  Result<IndexStep> index_step(db::Connection& c, const std::vector<Keyed>& memory, int limit);
  std::vector<Keyed> take_unindexed();
  // Puts keys back after a step: those past `indexed` (all of them when the
  // step's transaction failed, indexed = 0).
  void keep_unindexed(std::vector<Keyed> keys, std::int64_t indexed);
  void indexed(const IndexStep& step);
  std::mutex keys_mu_;
  std::vector<Keyed> unindexed_;                        // ascending seq
  static constexpr std::size_t kMaxUnindexed = 200000;  // beyond, keys are parsed again

  // Waits (briefly) until the index covers seq, so a query sees what was
  // stored before it began; under heavy load it answers with what is
  // indexed, and Consistent-Through says so.
  void wait_for_index(std::int64_t seq);
  std::thread indexer_;
  std::atomic<bool> indexer_running_{false}, stopping_{false};
  std::mutex index_mu_;
  std::condition_variable index_cv_;
  std::atomic<std::int64_t> written_seq_{0}, indexed_seq_{-1}, wanted_seq_{0};  // wanted: by a waiting query
  std::atomic<EpochMs> indexed_stored_{0};

  // Statements about a catalog activity, from its host's or co-hosts'
  // platforms, with a verb that counts, become attendance records.
  Status record_participation(db::Connection& c, const Client& client, const std::vector<store::NewStatement>& rows,
                              EpochMs stored);

  db::Database& db_;
  std::string public_url_;
  std::mutex in_flight_mu_;
  std::multiset<EpochMs> in_flight_;  // lower bounds of stored times being written
};

}  // namespace staffroom::lrs
