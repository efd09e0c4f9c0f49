// LRS clients against a real database, on every backend.
#include "lrs/service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "accounts/service.hpp"
#include "catalog/service.hpp"
#include "db/testing.hpp"

using namespace staffroom;
using namespace staffroom::lrs;

class Lrs : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db::test_support::available(GetParam())) GTEST_SKIP() << "set STAFFROOM_TEST_PG to a PostgreSQL admin URL";
    crypto::set_password_cost({1, 8192});
    t_ = std::make_unique<db::test_support::TestDatabase>(GetParam());
    accounts::AccountsService accounts(t_->db(), accounts::AccountsConfig{});
    catalog::CatalogService catalog(t_->db());
    catalog::Campaign c{0, "cem", "CEM", "", "2012-08-01", "2012-08-31", "America/New_York", {}, {}, 0, 0};
    ASSERT_TRUE(catalog.create_campaign(c).ok());
    auto s = accounts.sign_up("host@example.org", "a long password", "Host");
    auto who = **accounts.authenticate_session(s->session_token);
    catalog::Organization o{0, "iste", "ISTE", "association", "", "", "", "pd@iste.org", 0};
    ASSERT_TRUE(catalog.apply("cem", who, o).ok());
    svc_ = std::make_unique<LrsService>(t_->db(), "https://staffroom.test");
  }
  void TearDown() override { crypto::set_password_cost(crypto::default_password_cost()); }
  std::unique_ptr<db::test_support::TestDatabase> t_;
  std::unique_ptr<LrsService> svc_;
};

TEST_P(Lrs, ClientsAuthenticateUntilRevoked) {
  auto made = svc_->create_client("iste", "Webinar platform", default_scopes(), 0);
  ASSERT_TRUE(made.ok()) << made.error().detail;
  EXPECT_EQ(made->client.organization_slug, "iste");
  EXPECT_TRUE(made->client.has_scope("statements/write"));
  EXPECT_FALSE(made->client.has_scope("statements/read"));
  auto ok = svc_->authenticate(made->client.key, made->secret);
  ASSERT_TRUE(ok.ok());
  ASSERT_TRUE(ok->has_value());
  EXPECT_EQ((*ok)->id, made->client.id);
  EXPECT_FALSE(svc_->authenticate(made->client.key, made->secret + "x")->has_value());
  EXPECT_FALSE(svc_->authenticate("lrs_unknown", made->secret)->has_value());

  EXPECT_EQ(svc_->create_client("nobody", "x", default_scopes(), 0).error().code, ErrorCode::NotFound);
  EXPECT_EQ(svc_->create_client("iste", "x", {"everything"}, 0).error().code, ErrorCode::Validation);

  ASSERT_TRUE(svc_->revoke_client("iste", made->client.id).ok());
  EXPECT_FALSE(svc_->authenticate(made->client.key, made->secret)->has_value());
  EXPECT_EQ(svc_->revoke_client("iste", made->client.id).error().code, ErrorCode::NotFound);
  auto list = svc_->list_clients("iste");
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].revoked_at.has_value());
}

namespace {
CheckedStatement statement(const std::string& text) {
  std::vector<FieldError> errors;
  auto s = check_statement(boost::json::parse(text), Version::V2_0_0, "", errors);
  EXPECT_TRUE(s.has_value()) << (errors.empty() ? "" : errors[0].field + " " + errors[0].message);
  return s.value_or(CheckedStatement{});
}
std::string attended(const std::string& who, const std::string& activity, const std::string& id = "") {
  return std::string("{") + (id.empty() ? "" : "\"id\":\"" + id + "\",") + R"("actor":{"mbox":"mailto:)" + who +
         R"("},"verb":{"id":"http://adlnet.gov/expapi/verbs/attended"},"object":{"id":")" + activity + R"("}})";
}
}  // namespace

TEST_P(Lrs, StatementsAreStoredQueriedAndVoided) {
  auto writer = svc_->create_client("iste", "Webinar platform", {"statements/write", "statements/read"}, 0);
  ASSERT_TRUE(writer.ok());
  const Client& client = writer->client;
  const std::string a1 = "https://staffroom.test/activities/1";
  std::vector<CheckedStatement> batch;
  batch.push_back(statement(attended("ada@example.org", a1, "ec531277-b57b-4c15-8d91-d292c5b2b8f7")));
  batch.push_back(statement(attended("bob@example.org", a1)));
  auto ids = svc_->store_statements(client, Version::V2_0_0, batch, {});
  ASSERT_TRUE(ids.ok()) << ids.error().detail;
  ASSERT_EQ(ids->size(), 2u);
  EXPECT_EQ((*ids)[0], "ec531277-b57b-4c15-8d91-d292c5b2b8f7");

  // An identical re-send is accepted and kept once; other content conflicts
  // and the whole batch is refused.
  ASSERT_TRUE(svc_->store_statements(client, Version::V2_0_0, {batch[0]}, {}).ok());
  std::vector<CheckedStatement> clash{statement(attended("carl@example.org", a1)),
                                      statement(attended("eve@example.org", a1, (*ids)[0]))};
  EXPECT_EQ(svc_->store_statements(client, Version::V2_0_0, clash, {}).error().code, ErrorCode::Conflict);
  store::Query all;
  all.limit = 10;
  EXPECT_EQ(svc_->query_statements(client, all)->rows.size(), 2u);

  // Filters.
  store::Query by_agent = all;
  by_agent.agent = "mbox:mailto:ada@example.org";
  auto page = svc_->query_statements(client, by_agent);
  ASSERT_TRUE(page.ok()) << page.error().detail;
  ASSERT_EQ(page->rows.size(), 1u);
  EXPECT_EQ(page->rows[0].statement_id, (*ids)[0]);
  store::Query one = all;
  one.limit = 1;
  page = svc_->query_statements(client, one);
  EXPECT_TRUE(page->more);
  EXPECT_EQ(page->rows[0].statement_id, (*ids)[1]);  // newest first

  // Voiding hides the target from queries; its voiding statement matches
  // the target's filter.
  auto voiding = statement(R"({"actor":{"mbox":"mailto:admin@example.org"},
      "verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},
      "object":{"objectType":"StatementRef","id":"ec531277-b57b-4c15-8d91-d292c5b2b8f7"}})");
  ASSERT_TRUE(svc_->store_statements(client, Version::V2_0_0, {voiding}, {}).ok());
  EXPECT_EQ(svc_->get_statement(client, (*ids)[0], false).error().code, ErrorCode::NotFound);
  EXPECT_TRUE(svc_->get_statement(client, (*ids)[0], true).ok());
  page = svc_->query_statements(client, by_agent);
  ASSERT_EQ(page->rows.size(), 1u);
  EXPECT_NE(page->rows[0].statement_id, (*ids)[0]);
  EXPECT_NE(page->rows[0].body.find("voided"), std::string::npos);

  // A client of another organization sees none of it.
  catalog::CatalogService catalog(t_->db());
  accounts::AccountsService accounts(t_->db(), accounts::AccountsConfig{});
  auto s = accounts.sign_up("other@example.org", "a long password", "Other");
  auto who = **accounts.authenticate_session(s->session_token);
  catalog::Organization o{0, "edweb", "edWeb", "association", "", "", "", "pd@edweb.net", 0};
  ASSERT_TRUE(catalog.apply("cem", who, o).ok());
  auto stranger = svc_->create_client("edweb", "Forum", {"statements/write", "statements/read"}, 0);
  EXPECT_TRUE(svc_->query_statements(stranger->client, all)->rows.empty());
  EXPECT_EQ(svc_->get_statement(stranger->client, (*ids)[1], false).error().code, ErrorCode::NotFound);
}

TEST_P(Lrs, ConcurrentBatchesShareCommitsAndFailAlone) {
  auto writer = svc_->create_client("iste", "Webinar platform", {"statements/write", "statements/read"}, 0);
  ASSERT_TRUE(writer.ok());
  const Client& client = writer->client;
  const std::string clash_id = "0b9e2f1c-6c3a-4f7e-9a1d-2c3b4d5e6f70";
  ASSERT_TRUE(svc_->store_statements(client, Version::V2_0_0,
                                     {statement(attended("first@example.org", "http://example.com/a", clash_id))}, {})
                  .ok());
  constexpr int kThreads = 8, kBatches = 10, kSize = 5;
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<CheckedStatement> batch;
        for (int i = 0; i < kSize; ++i)
          batch.push_back(statement(
              attended("t" + std::to_string(t) + "-" + std::to_string(i) + "@example.org", "http://example.com/a")));
        // One batch of thread 3 re-uses a stored id with other content.
        if (t == 3 && b == 4)
          batch.push_back(statement(attended("other@example.org", "http://example.com/b", clash_id)));
        auto ids = svc_->store_statements(client, Version::V2_0_0, std::move(batch), {});
        if (ids.ok())
          ++ok;
        else if (ids.error().code == ErrorCode::Conflict)
          ++conflicts;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kBatches - 1);
  EXPECT_EQ(conflicts.load(), 1);
  // Everything acknowledged is there, the refused batch not at all, and seq
  // has no gaps.
  store::Query all;
  all.limit = 1000;
  auto page = svc_->query_statements(client, all);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->rows.size(), static_cast<std::size_t>(1 + (kThreads * kBatches - 1) * kSize));
  for (std::size_t i = 1; i < page->rows.size(); ++i) EXPECT_EQ(page->rows[i - 1].seq, page->rows[i].seq + 1);
  // The deferred index catches up and filters find them.
  store::Query by_agent = all;
  by_agent.agent = "mbox:mailto:t3-0@example.org";
  page = svc_->query_statements(client, by_agent);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->rows.size(), static_cast<std::size_t>(kBatches - 1));
  auto more = svc_->index_pending();
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(*more, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Lrs, ::testing::ValuesIn(db::test_support::backends()),
                         [](const auto& p) { return p.param; });

// The index takes the keys the write path computed; they must be the keys
// the stored statement gives when it is read back and parsed, as the index
// does for statements another process wrote.
TEST_P(Lrs, IndexKeysFromTheWritePathMatchTheStoredStatements) {
  auto writer = svc_->create_client("iste", "Webinar platform", {"statements/write", "statements/read"}, 0);
  ASSERT_TRUE(writer.ok());
  std::vector<CheckedStatement> batch;
  batch.push_back(statement(attended("ada@example.org", "https://staffroom.test/activities/1")));
  batch.push_back(statement(
      R"({"actor":{"objectType":"Group","member":[{"mbox":"mailto:a@example.org"},{"account":{"homePage":"https://x.example","name":"b"}}]},
          "verb":{"id":"http://adlnet.gov/expapi/verbs/experienced"},
          "object":{"objectType":"SubStatement","actor":{"mbox":"mailto:c@example.org"},"verb":{"id":"http://x.example/v"},
                    "object":{"id":"https://x.example/inner"},"context":{"contextActivities":{"grouping":{"id":"https://x.example/g"}}}},
          "context":{"registration":"6f0a8c2e-3b9d-4c1e-9a7f-000000000001","instructor":{"mbox":"mailto:i@example.org"},
                     "contextActivities":{"parent":[{"id":"https://x.example/p"}],"category":{"id":"https://x.example/c"}}}})"));
  batch.push_back(statement(
      R"({"actor":{"openid":"https://id.example/d"},"verb":{"id":"http://adlnet.gov/expapi/verbs/voided"},
          "object":{"objectType":"StatementRef","id":"ec531277-b57b-4c15-8d91-d292c5b2b8f7"}})"));
  ASSERT_TRUE(svc_->store_statements(writer->client, Version::V2_0_0, std::move(batch), {}).ok());
  // A statement written by another process: no keys in this one's memory.
  LrsService other(t_->db(), "https://staffroom.test");
  std::vector<CheckedStatement> more;
  more.push_back(statement(attended("bea@example.org", "https://staffroom.test/activities/2")));
  ASSERT_TRUE(other.store_statements(writer->client, Version::V2_0_0, std::move(more), {}).ok());
  std::vector<CheckedStatement> last;
  last.push_back(statement(attended("cy@example.org", "https://staffroom.test/activities/3")));
  ASSERT_TRUE(svc_->store_statements(writer->client, Version::V2_0_0, std::move(last), {}).ok());
  while (true) {
    auto n = svc_->index_pending();
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
  }

  auto stored = t_->db().query(db::Sql{"SELECT seq, body FROM xapi_statements ORDER BY seq"});
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->rows.size(), 5u);
  for (const auto& row : stored->rows) {
    std::vector<FieldError> errors;
    auto parsed = check_statement(boost::json::parse(row.text(1)), Version::V2_0_0, "", errors);
    ASSERT_TRUE(parsed.has_value());
    const db::Value p[] = {row.int64(0)};
    auto kept = t_->db().query(db::Sql{"SELECT key FROM xapi_statement_keys WHERE seq = $1 ORDER BY key"}, p);
    ASSERT_TRUE(kept.ok());
    std::vector<std::string> keys;
    for (const auto& k : kept->rows) keys.push_back(k.text(0));
    auto expected = index_keys(parsed->facts);
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(keys, expected) << row.text(1);
  }
  auto position = t_->db().query(db::Sql{"SELECT indexed_seq FROM xapi_index_state"});
  ASSERT_TRUE(position.ok());
  EXPECT_EQ(position->rows.front().int64(0), stored->rows.back().int64(0));
}

// An index that reaches past the last statement was built from other data
// (a database put back from a copy without its index): it is emptied and
// built again, and queries answer from the statements that are there.
TEST_P(Lrs, AnIndexAheadOfTheStatementsIsBuiltAgain) {
  auto writer = svc_->create_client("iste", "Webinar platform", {"statements/write", "statements/read"}, 0);
  ASSERT_TRUE(writer.ok());
  for (const char* who : {"ada@example.org", "bea@example.org"}) {
    std::vector<CheckedStatement> batch;
    batch.push_back(statement(attended(who, "https://staffroom.test/activities/1")));
    ASSERT_TRUE(svc_->store_statements(writer->client, Version::V2_0_0, std::move(batch), {}).ok());
  }
  while (true) {
    auto n = svc_->index_pending();
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
  }
  auto cleared = svc_->clear_index_if_ahead();
  ASSERT_TRUE(cleared.ok());
  EXPECT_FALSE(*cleared) << "an index that matches its statements stays";
  // Keys of a statement 9 that is not there, and a position past it.
  ASSERT_TRUE(t_->db().query(db::Sql{"INSERT INTO xapi_statement_keys (key, seq) VALUES ('v stale', 9)"}).ok());
  ASSERT_TRUE(t_->db().query(db::Sql{"UPDATE xapi_index_state SET indexed_seq = 9"}).ok());
  LrsService restarted(t_->db(), "https://staffroom.test");
  cleared = restarted.clear_index_if_ahead();
  ASSERT_TRUE(cleared.ok());
  EXPECT_TRUE(*cleared);
  auto keys = t_->db().query(db::Sql{"SELECT COUNT(*) FROM xapi_statement_keys"});
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(keys->front().int64(0), 0);
  store::Query by_agent;
  by_agent.agent = "mbox:mailto:bea@example.org";
  auto page = restarted.query_statements(writer->client, by_agent);
  ASSERT_TRUE(page.ok()) << page.error().detail;
  ASSERT_EQ(page->rows.size(), 1u) << "the index was built again from the statements";
  auto position = t_->db().query(db::Sql{"SELECT indexed_seq FROM xapi_index_state"});
  ASSERT_TRUE(position.ok());
  EXPECT_EQ(position->front().int64(0), 2);
}

// While the index lags behind the writes, Consistent-Through stops just
// before the first statement it lacks, also when it has indexed nothing in
// this process yet (it must never claim a time long past, nor the present).
TEST_P(Lrs, ConsistentThroughStopsBeforeTheFirstStatementNotIndexed) {
  auto writer = svc_->create_client("iste", "Webinar platform", {"statements/write", "statements/read"}, 0);
  ASSERT_TRUE(writer.ok());
  auto nothing = svc_->index_pending();  // the index's position is known, with nothing in it
  ASSERT_TRUE(nothing.ok());
  EXPECT_EQ(*nothing, 0);
  const EpochMs before = now_ms();
  std::vector<CheckedStatement> batch;
  batch.push_back(statement(attended("ada@example.org", "https://staffroom.test/activities/1")));
  ASSERT_TRUE(svc_->store_statements(writer->client, Version::V2_0_0, std::move(batch), {}).ok());
  const EpochMs lagging = svc_->consistent_through();
  EXPECT_GE(lagging, before - 1);
  auto row = t_->db().query(db::Sql{"SELECT stored FROM xapi_statements"});
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(lagging, row->front().int64(0) - 1) << "just before the statement the index lacks";
  ASSERT_TRUE(svc_->index_pending().ok());
  EXPECT_GE(svc_->consistent_through(), row->front().int64(0));
}
