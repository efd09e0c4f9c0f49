// Storing and reading xAPI statements (the LrsService's statement half).
#include <algorithm>
#include <deque>

#include "accounts/store.hpp"
#include "activities/store.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "lrs/participation.hpp"
#include "lrs/service.hpp"

namespace staffroom::lrs {

namespace json = boost::json;

json::object LrsService::authority(const Client& client) const {
  return {{"objectType", "Agent"},
          {"name", client.name},
          {"account", json::object{{"homePage", public_url_}, {"name", client.key}}}};
}

namespace {

// Keeps a statement's lower bound on stored in the in-flight set while it is
// written, so consistent_through never claims a moment still being filled.
class InFlight {
 public:
  InFlight(std::mutex& mu, std::multiset<EpochMs>& set, EpochMs at) : mu_(mu), set_(set) {
    std::lock_guard lock(mu_);
    it_ = set_.insert(at);
  }
  ~InFlight() {
    std::lock_guard lock(mu_);
    set_.erase(it_);
  }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::mutex& mu_;
  std::multiset<EpochMs>& set_;
  std::multiset<EpochMs>::iterator it_;
};

Status check_attachments(const std::vector<CheckedStatement>& batch, const std::map<std::string, std::string>& parts) {
  // Every attachment without a fileUrl needs its part; every part needs an
  // attachment that names it.
  std::set<std::string> wanted;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& atts = batch[i].facts.attachments;
    for (std::size_t k = 0; k < atts.size(); ++k) {
      const auto& a = atts[k];
      const std::string field = (batch.size() > 1 ? "[" + std::to_string(i) + "]." : std::string()) + "attachments[" +
                                std::to_string(k) + "]";
      auto part = parts.find(a.sha2);
      if (part == parts.end()) {
        if (!a.has_file_url)
          return Error::validation(field,
                                   "has no fileUrl, so its content must come as a part of a "
                                   "multipart/mixed request with X-Experience-API-Hash: " +
                                       a.sha2);
        continue;
      }
      wanted.insert(a.sha2);
      if (a.signature) {
        if (a.content_type != "application/octet-stream")
          return Error::validation(field + ".contentType",
                                   "a signature attachment's contentType is "
                                   "application/octet-stream");
        SR_TRY(check_signature(batch[i], part->second, field));
      }
    }
  }
  for (const auto& [sha2, content] : parts) {
    if (!wanted.contains(sha2))
      return Error::bad_request("the part with X-Experience-API-Hash " + sha2 +
                                " matches no attachment of the statements");
  }
  return {};
}

}  // namespace

Result<std::vector<std::string>> LrsService::store_statements(const Client& client, Version version,
                                                              std::vector<CheckedStatement> batch,
                                                              const std::map<std::string, std::string>& parts) {
  if (batch.empty()) return std::vector<std::string>();
  {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto& id = batch[i].facts.id;
      if (!id.empty() && !seen.insert(id).second)
        return Error::validation("[" + std::to_string(i) + "].id", "the batch holds statement " + id + " twice");
    }
  }
  SR_TRY(check_attachments(batch, parts));
  std::vector<std::string> hashes;
  hashes.reserve(batch.size());
  // A re-sent statement is compared with the kept one by this hash; only
  // statements that name their id can be re-sent.
  for (const auto& s : batch)
    hashes.push_back(s.facts.id.empty() ? std::string() : crypto::sha256_hex(json::serialize(s.original)));
  // Everything but stored is set and serialized here rather than under the
  // write lock.
  PendingWrite me;
  me.bodies.reserve(batch.size());
  const std::string auth = staffroom::json::serialize(authority(client));
  for (auto& s : batch) me.bodies.push_back(prepare_statement(s, auth, version));
  me.client = &client;
  me.batch = &batch;
  me.parts = &parts;
  me.hashes = std::move(hashes);
  std::unique_lock lock(write_mu_);
  write_queue_.push_back(&me);
  if (write_queue_.size() > 1) {
    // Another request leads. It wakes this one once: when this batch is
    // written, or when this request is to lead the next group.
    lock.unlock();
    me.woken.acquire();
    if (me.done) return std::move(me.result);
    lock.lock();
  }

  // This request leads: it writes every waiting batch in one transaction
  // (one commit, one fsync), each under its own savepoint so one batch's
  // error leaves the others written.
  std::vector<PendingWrite*> group;
  std::size_t statements = 0;
  for (auto* w : write_queue_) {
    if (!group.empty() && statements + w->batch->size() > kMaxGroupStatements) break;
    group.push_back(w);
    statements += w->batch->size();
  }
  lock.unlock();
  try {
    write_group(group);
  } catch (const std::exception& e) {
    // The queue must move on whatever happens, or every writer waits forever.
    for (auto* w : group) w->result = Error::internal(std::string("writing statements failed: ") + e.what());
  }
  lock.lock();
  for (std::size_t i = 0; i < group.size(); ++i) {
    write_queue_.pop_front();
    group[i]->done = true;
  }
  PendingWrite* next = write_queue_.empty() ? nullptr : write_queue_.front();
  lock.unlock();
  // A woken request may return at once and its PendingWrite go: none is
  // touched after its release.
  for (auto* w : group)
    if (w != &me) w->woken.release();
  if (next) next->woken.release();
  return std::move(me.result);
}

void LrsService::write_group(const std::vector<PendingWrite*>& group) {
  InFlight in_flight(in_flight_mu_, in_flight_, now_ms());
  for (auto* w : group) w->result = Error::internal("the batch was not written");
  std::int64_t committed_seq = 0;
  // Begun without the write lock up front: the first statement takes it, on
  // SQLite of the statements' file only, so the indexer keeps writing the
  // index's file meanwhile.
  auto status = db_.transaction(
      [&](db::Connection& c) -> Status {
        SR_ASSIGN(auto last, store::lock_for_write(c));
        const EpochMs stored = std::max(now_ms(), last.stored);
        std::int64_t next_seq = last.seq + 1;
        const bool savepoints = group.size() > 1;
        for (auto* w : group) {
          if (savepoints) SR_TRY(c.execute_script("SAVEPOINT batch"));
          const std::int64_t seq_before = next_seq;
          w->keyed.clear();
          w->result = write_batch(c, *w, stored, next_seq);
          if (!w->result.ok()) {
            next_seq = seq_before;
            w->keyed.clear();
            if (!savepoints) return w->result.error();
            SR_TRY(c.execute_script("ROLLBACK TO SAVEPOINT batch"));
          }
          if (savepoints) SR_TRY(c.execute_script("RELEASE SAVEPOINT batch"));
        }
        committed_seq = next_seq - 1;
        return {};
      },
      false);
  if (!status.ok()) {
    // Nothing of the group was committed: its keys go.
    for (auto* w : group) {
      w->keyed.clear();
      if (w->result.ok()) w->result = status.error();
    }
    return;
  }
  // Committed: the keys wait in memory for the indexer thread.
  std::vector<Keyed> keys;
  for (auto* w : group) {
    for (auto& k : w->keyed) keys.push_back(std::move(k));
    w->keyed.clear();
  }
  keep_unindexed(std::move(keys), 0);
  {
    // Under the mutex, so a waiting indexer cannot miss it.
    std::lock_guard index_lock(index_mu_);
    written_seq_.store(std::max(written_seq_.load(), committed_seq));
  }
  index_cv_.notify_all();
}

Result<std::vector<std::string>> LrsService::write_batch(db::Connection& c, PendingWrite& w, EpochMs stored,
                                                         std::int64_t& next_seq) {
  const Client& client = *w.client;
  auto& batch = *w.batch;
  const auto& parts = *w.parts;
  const auto& hashes = w.hashes;
  std::vector<std::string> given;
  for (const auto& s : batch)
    if (!s.id_assigned) given.push_back(s.facts.id);
  SR_ASSIGN(auto existing, store::find_by_ids(c, given));
  std::vector<store::NewStatement> rows;
  rows.reserve(batch.size());
  std::vector<std::string> ids;
  ids.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto& s = batch[i];
    auto found = std::find_if(existing.begin(), existing.end(),
                              [&](const store::StoredRow& r) { return r.statement_id == s.facts.id; });
    if (found != existing.end()) {
      if (found->sent_hash != hashes[i] || found->organization_id != client.organization_id)
        return Error::conflict("statement " + s.facts.id +
                               " is already stored with different content; statements cannot be changed, "
                               "send a new id");
      ids.push_back(s.facts.id);
      continue;  // an identical re-send: already kept
    }
    stamp_stored(w.bodies[i], s.facts, stored);
    ids.push_back(s.facts.id);
    rows.push_back({&s, std::move(w.bodies[i]), hashes[i]});
  }
  if (rows.empty()) return ids;
  const std::int64_t first_seq = next_seq;
  SR_TRY(store::insert_statements(c, first_seq, client.organization_id, client.id, stored, rows));
  next_seq += static_cast<std::int64_t>(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i)
    w.keyed.push_back({first_seq + static_cast<std::int64_t>(i), stored, index_keys(rows[i].statement->facts)});
  SR_TRY(record_participation(c, client, rows, stored));
  for (const auto& r : rows) {
    for (const auto& a : r.statement->facts.attachments) {
      auto part = parts.find(a.sha2);
      if (part != parts.end()) SR_TRY(store::save_attachment(c, a.sha2, a.content_type, crypto::base64(part->second)));
    }
    if (r.statement->facts.voids()) {
      SR_ASSIGN(bool voided, store::void_statement(c, client.organization_id, r.statement->facts.ref_target));
      // Voiding withdraws the participation the statement was evidence of.
      if (voided) {
        SR_TRY(activities::store::delete_statement_attendance(c, r.statement->facts.ref_target));
        SR_TRY(store::delete_join(c, r.statement->facts.ref_target));
      }
    }
  }
  // Canonical definitions: later ones merge into earlier ones; an unchanged
  // definition (the usual case) is not written again. A definition is
  // copied only when a second one for the same activity merges into it.
  struct Described {
    const json::object* first = nullptr;
    std::optional<json::object> merged;
  };
  json::monotonic_resource scratch;
  std::map<std::string_view, Described> definitions;
  for (const auto& r : rows)
    for (const auto& [id, def] : r.statement->facts.definitions) {
      auto [it, fresh] = definitions.try_emplace(id);
      auto& d = it->second;
      if (fresh) {
        d.first = &def;
        continue;
      }
      if (!d.merged) d.merged.emplace(*d.first, &scratch);
      merge_definition(*d.merged, def);
    }
  for (const auto& [id, d] : definitions) {
    SR_ASSIGN(auto kept, store::activity_definition(c, client.organization_id, std::string(id)));
    json::object merged(&scratch);
    if (kept) {
      std::error_code ec;
      auto v = json::parse(*kept, ec, &scratch);
      if (!ec && v.is_object()) merged = std::move(v.as_object());
    }
    const bool changed = merge_definition(merged, d.merged ? *d.merged : *d.first);
    if (kept && !changed) continue;
    SR_TRY(store::save_activity_definition(c, client.organization_id, std::string(id),
                                           staffroom::json::serialize(merged), stored));
  }
  return ids;
}

Status LrsService::record_participation(db::Connection& c, const Client& client,
                                        const std::vector<store::NewStatement>& rows, EpochMs stored) {
  std::map<std::int64_t, std::optional<activities::Activity>> activities_seen;
  for (const auto& r : rows) {
    const auto& f = r.statement->facts;
    const auto taking = taking_of(f.verb);
    if (!taking || f.activity.empty() || f.actor.empty() || !f.timestamp) continue;
    const auto id = catalog_activity(f.activity, public_url_);
    if (!id) continue;
    auto [it, fresh] = activities_seen.try_emplace(*id);
    if (fresh) {
      SR_ASSIGN(it->second, activities::store::find_activity(c, *id));
    }
    if (!it->second || it->second->status != activities::ActivityStatus::Approved) continue;
    const auto& a = *it->second;
    // Only the host's and confirmed co-hosts' platforms speak for an activity.
    bool hosts = a.host.id == client.organization_id;
    for (const auto& h : a.co_hosts) hosts = hosts || (h.id == client.organization_id && h.confirmed);
    if (!hosts) continue;
    std::optional<EpochMs> joined;
    if (*taking == Taking::Left) {
      SR_ASSIGN(joined, store::latest_joined(c, client.organization_id, f.actor, f.activity, *f.timestamp));
    } else if (*taking == Taking::Joined) {
      SR_TRY(store::insert_join(c, f.id, client.organization_id, f.actor, f.activity, *f.timestamp));
    }
    const auto evidence = evidence_for(a, *taking, f.duration_ms, *f.timestamp, joined);
    activities::store::Attendance rec;
    rec.activity_id = a.id;
    rec.email = person_of(f.actor);
    // Email addresses compare without case; verified identities are kept
    // lower-cased.
    const std::string identity = f.actor.starts_with("mbox:mailto:") ? "mbox:mailto:" + rec.email : f.actor;
    SR_ASSIGN(rec.user_id, accounts::store::user_for_identity(c, identity));
    rec.source = "xapi";
    rec.minutes = evidence.minutes;
    rec.session_starts_at = evidence.session_starts_at;
    rec.recorded_at = stored;
    rec.statement_id = f.id;
    SR_TRY(activities::store::insert_attendance(c, rec, std::nullopt));
  }
  return {};
}

Result<ReadStatement> LrsService::get_statement(const Client& client, const std::string& id, bool voided) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto rows, store::find_by_ids(*lease, {staffroom::json::lower_ascii(id)}));
  const bool visible = !rows.empty() && rows.front().organization_id == client.organization_id &&
                       (client.has_scope("statements/read") || rows.front().client_id == client.id);
  if (!visible || rows.front().voided != voided) {
    if (visible && rows.front().voided)
      return Error::not_found("statement " + id + " was voided; ask for it with voidedStatementId");
    return Error::not_found("there is no " + std::string(voided ? "voided " : "") + "statement " + id);
  }
  auto& r = rows.front();
  return ReadStatement{r.statement_id, r.stored, std::move(r.body)};
}

Result<store::Page> LrsService::query_statements(const Client& client, store::Query q) {
  if (q.has_content_filter()) {
    std::int64_t target = q.max_seq.value_or(0);
    if (!q.max_seq) {
      SR_ASSIGN(target, max_seq());
    }
    wait_for_index(target);
  }
  q.organization_id = client.organization_id;
  if (!client.has_scope("statements/read")) q.client_id = client.id;
  SR_ASSIGN(auto lease, db_.acquire());
  return store::query(*lease, q);
}

Result<std::map<std::string, std::string>> LrsService::attachment_contents(const std::vector<std::string>& sha2s) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto encoded, store::attachments(*lease, sha2s));
  std::map<std::string, std::string> out;
  for (auto& [sha2, text] : encoded) {
    auto bytes = crypto::base64_decode(text);
    if (!bytes) return Error::internal("attachment " + sha2 + " is not stored as base64");
    out.emplace(sha2, std::move(*bytes));
  }
  return out;
}

EpochMs LrsService::consistent_through() {
  EpochMs through = now_ms();
  {
    std::lock_guard lock(in_flight_mu_);
    if (!in_flight_.empty()) through = std::min(through, *in_flight_.begin() - 1);
  }
  // Filters see the index; while it is behind, only what it covers: up to
  // just before the first statement it lacks (whose keys wait in memory),
  // or else through the last statement it holds.
  if (indexed_seq_.load() >= 0 && indexed_seq_.load() < written_seq_.load()) {
    EpochMs first_missing = 0;
    {
      std::lock_guard lock(keys_mu_);
      if (!unindexed_.empty()) first_missing = unindexed_.front().stored;
    }
    through = std::min(through, (first_missing > 0 ? first_missing : indexed_stored_.load()) - 1);
  }
  return through;
}

LrsService::~LrsService() {
  stopping_ = true;
  index_cv_.notify_all();
  if (indexer_.joinable()) indexer_.join();
}

void LrsService::start_indexer() {
  if (indexer_running_.exchange(true)) return;
  // This thread writes every commit's keys beside the writers: on SQLite
  // the index has a file (and a write lock) of its own, on PostgreSQL row
  // locks keep them apart. While it writes, commits gather, so under load
  // each step covers many statements and shares the index pages.
  indexer_ = std::thread([this] {
    if (auto cleared = clear_index_if_ahead(); !cleared.ok())
      log::warn("xapi indexer", {{"error", cleared.error().detail}});
    while (!stopping_) {
      // What was committed, gathered for a moment so that under load a step
      // covers many commits (small steps rewrite the same index pages over
      // and over), at once when a query waits for it. Every second also
      // for statements another process (a second server, a tool) wrote.
      auto n = index_pending(kIndexStep);
      if (!n.ok()) log::warn("xapi indexer", {{"error", n.error().detail}});
      std::unique_lock lock(index_mu_);
      auto behind = [&] { return written_seq_.load() > indexed_seq_.load(); };
      index_cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_.load() || behind(); });
      index_cv_.wait_for(lock, kIndexGather, [&] {
        return stopping_.load() || wanted_seq_.load() > indexed_seq_.load() ||
               written_seq_.load() - indexed_seq_.load() >= kIndexGatherStatements;
      });
    }
  });
}

Result<bool> LrsService::clear_index_if_ahead() {
  return db_.transaction<bool>(
      [&](db::Connection& c) -> Result<bool> {
        SR_ASSIGN(auto at, store::indexed_seq(c));
        SR_ASSIGN(auto last, store::max_seq(c));
        if (at <= last) return false;
        log::warn("xapi index reaches past the last statement; building it again",
                  {{"indexed_seq", at}, {"last_seq", last}});
        SR_TRY(store::clear_index(c));
        return true;
      },
      false);
}

std::vector<LrsService::Keyed> LrsService::take_unindexed() {
  std::lock_guard lock(keys_mu_);
  return std::exchange(unindexed_, {});
}

void LrsService::keep_unindexed(std::vector<Keyed> keys, std::int64_t indexed) {
  indexed = std::max(indexed, indexed_seq_.load());
  // Both lists ascend by seq: what the index covers is a prefix.
  auto covered = [&](std::vector<Keyed>& list) {
    list.erase(list.begin(), std::find_if(list.begin(), list.end(), [&](const Keyed& k) { return k.seq > indexed; }));
  };
  covered(keys);
  std::lock_guard lock(keys_mu_);
  covered(unindexed_);
  if (unindexed_.empty()) {
    unindexed_ = std::move(keys);
  } else if (!keys.empty()) {
    // A commit's keys follow what is kept; keys a step took come back
    // before what commits added meanwhile. Anything else is sorted.
    const bool before = keys.back().seq < unindexed_.front().seq;
    const bool after = unindexed_.back().seq < keys.front().seq;
    if (before) std::swap(keys, unindexed_);
    unindexed_.insert(unindexed_.end(), std::make_move_iterator(keys.begin()), std::make_move_iterator(keys.end()));
    if (!before && !after)
      std::sort(unindexed_.begin(), unindexed_.end(), [](const Keyed& a, const Keyed& b) { return a.seq < b.seq; });
  }
  // Past the bound the newest are dropped: the index reads them back.
  if (unindexed_.size() > kMaxUnindexed) unindexed_.resize(kMaxUnindexed);
}

void LrsService::indexed(const IndexStep& step) {
  {
    std::lock_guard index_lock(index_mu_);
    indexed_seq_.store(std::max(indexed_seq_.load(), step.last_seq));
    if (step.last_stored) indexed_stored_.store(step.last_stored);
    if (written_seq_.load() < step.last_seq) written_seq_.store(step.last_seq);
  }
  index_cv_.notify_all();
}

Result<LrsService::IndexStep> LrsService::index_step(db::Connection& c, const std::vector<Keyed>& memory, int limit) {
  IndexStep step;
  SR_ASSIGN(step.last_seq, store::indexed_seq(c));
  auto from = std::upper_bound(memory.begin(), memory.end(), step.last_seq,
                               [](std::int64_t seq, const Keyed& k) { return seq < k.seq; });
  // Views of the keys in memory, and of those of statements read back.
  std::vector<std::pair<std::string_view, std::int64_t>> keys;
  std::deque<std::string> parsed;
  auto add = [&](const Keyed& k) {
    for (const auto& key : k.keys) keys.emplace_back(key, k.seq);
    step.last_seq = k.seq;
    step.last_stored = k.stored;
    ++step.count;
  };
  if (from != memory.end() && from->seq == step.last_seq + 1) {
    // Memory holds the statements right after the index's position: take
    // them while seq runs on without a gap.
    for (auto it = from; it != memory.end() && step.count < limit && it->seq == step.last_seq + 1; ++it) add(*it);
  } else {
    // Read back what memory lacks (another process wrote it, or this one
    // restarted); keys memory holds are not parsed again.
    SR_ASSIGN(auto rows, store::unindexed(c, step.last_seq, limit));
    for (const auto& r : rows) {
      auto known = std::lower_bound(memory.begin(), memory.end(), r.seq,
                                    [](const Keyed& k, std::int64_t seq) { return k.seq < seq; });
      if (known != memory.end() && known->seq == r.seq) {
        add(*known);
        continue;
      }
      std::error_code ec;
      auto v = json::parse(r.body, ec);
      std::vector<FieldError> errors;
      auto checked = ec ? std::nullopt : check_statement(v, Version::V2_0_0, "", errors);
      step.last_seq = r.seq;
      ++step.count;
      if (!checked) {
        log::warn("xapi statement not indexed", {{"seq", r.seq}});
        continue;
      }
      for (auto& k : index_keys(checked->facts)) keys.emplace_back(parsed.emplace_back(std::move(k)), r.seq);
      if (const auto* stored = v.as_object().if_contains("stored"); stored && stored->is_string())
        step.last_stored = parse_timestamp(stored->as_string()).value_or(step.last_stored);
    }
  }
  if (step.count == 0) return step;
  // In key order, so each index page is visited once.
  std::sort(keys.begin(), keys.end());
  SR_TRY(store::insert_keys(c, keys));
  SR_TRY(store::set_indexed_seq(c, step.last_seq));
  return step;
}

Result<int> LrsService::index_pending(int limit) {
  auto memory = take_unindexed();
  std::optional<IndexStep> step;
  // Begun without the write lock up front: index_step's first statement
  // takes it, on SQLite of the index's file only, beside the writers.
  auto status = db_.transaction(
      [&](db::Connection& c) -> Status {
        SR_ASSIGN(step, index_step(c, memory, limit));
        return {};
      },
      false);
  keep_unindexed(std::move(memory), status.ok() && step ? step->last_seq : 0);
  SR_TRY(status);
  indexed(*step);
  return step->count;
}

void LrsService::wait_for_index(std::int64_t seq) {
  if (!indexer_running_) {
    // No indexer thread (tools and tests): index here.
    while (indexed_seq_.load() < seq) {
      auto n = index_pending();
      if (!n.ok() || *n == 0) break;
    }
    return;
  }
  std::unique_lock lock(index_mu_);
  if (indexed_seq_.load() >= seq) return;
  if (written_seq_.load() < seq) written_seq_.store(seq);
  if (wanted_seq_.load() < seq) wanted_seq_.store(seq);
  index_cv_.notify_all();
  index_cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return indexed_seq_.load() >= seq; });
}

Result<std::int64_t> LrsService::max_seq() {
  SR_ASSIGN(auto lease, db_.acquire());
  return store::max_seq(*lease);
}

}  // namespace staffroom::lrs
