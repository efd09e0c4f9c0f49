// Prepares and measures the LRS benchmark's storage side.
//   bench_xapi_fill setup DB_URL          an organization and an LRS client; prints {"key","secret"}
//   bench_xapi_fill fill DB_URL N         N statements by 20,000 agents with 10 verbs, in large transactions
//   bench_xapi_fill raw DB_URL N BATCH    the raw insert rate of the same rows, one durable commit per
//                                         BATCH statements, through the storage interface; prints per second
// The statements are the ones the load generator sends (bench/xapi_post.lua):
// an attended statement with a context and a result, about 700 bytes.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "accounts/service.hpp"
#include "catalog/service.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "db/database.hpp"
#include "db/migrate.hpp"
#include "lrs/service.hpp"
#include "lrs/statement_store.hpp"

using namespace staffroom;
using namespace staffroom::lrs;

namespace {

constexpr const char* kVerbs[] = {"attended", "completed",   "experienced", "passed",     "answered",
                                  "launched", "initialized", "terminated",  "progressed", "commented"};

std::string statement_text(long n) {
  const long agent = n % 20000;
  const char* verb = kVerbs[n % 10];
  char buf[1200];
  std::snprintf(
      buf, sizeof buf,
      R"({"actor":{"objectType":"Agent","name":"Educator %ld","mbox":"mailto:educator%ld@district.example.org"},)"
      R"("verb":{"id":"http://adlnet.gov/expapi/verbs/%s","display":{"en-US":"%s"}},)"
      R"("object":{"objectType":"Activity","id":"https://webinars.example.org/sessions/%ld",)"
      R"("definition":{"name":{"en-US":"Session %ld"},"type":"http://adlnet.gov/expapi/activities/meeting"}},)"
      R"("result":{"duration":"PT45M","completion":true},)"
      R"("context":{"registration":"6f0a8c2e-3b9d-4c1e-9a7f-%012ld","platform":"Webinar platform",)"
      R"("contextActivities":{"parent":[{"id":"https://webinars.example.org/series/%ld"}]}},)"
      R"("timestamp":"2026-08-07T19:00:00.000Z"})",
      agent, agent, verb, verb, n % 500, n % 500, n % 1000000000000L, n % 50);
  return buf;
}

int fail(const Error& e) {
  std::fprintf(stderr, "%s\n", e.detail.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s setup|fill|raw DB_URL [N [BATCH]]\n", argv[0]);
    return 2;
  }
  crypto::init();
  crypto::set_password_cost({1, 8192});
  const std::string mode = argv[1];
  auto db = db::Database::open(argv[2], 2);
  if (!db.ok()) return fail(db.error());
  if (auto m = db::migrate(**db); !m.ok()) return fail(m.error());
  LrsService lrs(**db, "https://bench.staffroom.example");

  if (mode == "setup") {
    accounts::AccountsService accounts(**db, accounts::AccountsConfig{});
    catalog::CatalogService catalog(**db);
    catalog::Campaign c{0, "bench", "Bench", "", "2026-08-01", "2026-08-31", "America/New_York", {}, {}, 0, 0};
    if (auto r = catalog.create_campaign(c); !r.ok()) return fail(r.error());
    auto s = accounts.sign_up("bench@example.org", "a long bench password", "Bench");
    if (!s.ok()) return fail(s.error());
    auto who = accounts.authenticate_session(s->session_token);
    if (!who.ok() || !*who) return 1;
    catalog::Organization o{0, "webinars", "Webinars", "association", "", "", "", "pd@webinars.example.org", 0};
    if (auto r = catalog.apply("bench", **who, o); !r.ok()) return fail(r.error());
    auto made =
        lrs.create_client("webinars", "Bench platform", {"statements/write", "statements/read", "documents"}, 0);
    if (!made.ok()) return fail(made.error());
    std::printf("{\"key\":\"%s\",\"secret\":\"%s\"}\n", made->client.key.c_str(), made->secret.c_str());
    return 0;
  }

  const long n = argc > 3 ? std::atol(argv[3]) : 1000000;
  const long batch = mode == "raw" ? (argc > 4 ? std::atol(argv[4]) : 100) : 10000;
  // The rows the LRS would write, prepared up front: the raw rate is the
  // storage alone.
  Client client;
  {
    auto lease = (*db)->acquire();
    if (!lease.ok()) return fail(lease.error());
    auto rows = (*lease)->query(db::Sql{"SELECT id, organization_id FROM lrs_clients ORDER BY id LIMIT 1"});
    if (!rows.ok() || rows->empty()) {
      std::fprintf(stderr, "run setup first\n");
      return 1;
    }
    client.id = rows->front().int64(0);
    client.organization_id = rows->front().int64(1);
    client.name = "Bench platform";
    client.key = "bench";
  }
  const auto authority = staffroom::json::serialize(lrs.authority(client));
  // Prepares statements [from, from + count): checked and completed, with
  // their JSON as the LRS stores it.
  struct Prepared {
    std::vector<CheckedStatement> checked;
    std::vector<std::string> bodies;
  };
  auto prepare = [&](long from, long count) -> std::optional<Prepared> {
    Prepared p;
    p.checked.reserve(static_cast<std::size_t>(count));
    for (long i = 0; i < count; ++i) {
      std::vector<FieldError> errors;
      auto s = check_statement(boost::json::parse(statement_text(from + i)), Version::V2_0_0, "", errors);
      if (!s) {
        std::fprintf(stderr, "bench statement invalid: %s\n", errors.at(0).message.c_str());
        return std::nullopt;
      }
      auto body = prepare_statement(*s, authority, Version::V2_0_0);
      stamp_stored(body, s->facts, now_ms());
      p.bodies.push_back(std::move(body));
      p.checked.push_back(std::move(*s));
    }
    return p;
  };
  auto write = [&](const Prepared& p, std::size_t from, std::size_t count) -> Status {
    return (*db)->transaction([&](db::Connection& c) -> Status {
      SR_ASSIGN(auto last, store::lock_for_write(c));
      const EpochMs stored = std::max(now_ms(), last.stored);
      std::vector<store::NewStatement> rows;
      rows.reserve(count);
      for (std::size_t i = from; i < from + count; ++i) rows.push_back({&p.checked[i], p.bodies[i], "x"});
      return store::insert_statements(c, last.seq + 1, client.organization_id, client.id, stored, rows);
    });
  };

  std::optional<Prepared> all;
  if (mode == "raw") {
    all = prepare(0, n);
    if (!all) return 1;
  }
  const auto started = std::chrono::steady_clock::now();
  long done = 0;
  while (done < n) {
    const long count = std::min(batch, n - done);
    Status status;
    if (mode == "raw") {
      status = write(*all, static_cast<std::size_t>(done), static_cast<std::size_t>(count));
    } else {
      auto part = prepare(done, count);
      if (!part) return 1;
      status = write(*part, 0, static_cast<std::size_t>(count));
    }
    if (!status.ok()) return fail(status.error());
    done += count;
    if (mode == "fill" && done % 100000 == 0) std::fprintf(stderr, "\rfilled %ld/%ld", done, n);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (mode == "fill") {
    std::fprintf(stderr, "\n");
    const auto indexing = std::chrono::steady_clock::now();
    long indexed = 0;
    while (true) {
      auto k = lrs.index_pending(20000);
      if (!k.ok()) return fail(k.error());
      if (*k == 0) break;
      indexed += *k;
      std::fprintf(stderr, "\rindexed %ld", indexed);
    }
    std::fprintf(stderr, "\n");
    // Planner statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE
    // would keep them in a running installation. On PostgreSQL also the
    // vacuum autovacuum starts after a load this size (it sets the visibility
    // map that index-only scans read): otherwise it runs during the queries
    // measured next, which then measure the vacuum.
    const char* settle = (*db)->dialect() == db::Dialect::Postgres ? "VACUUM ANALYZE" : "ANALYZE";
    if (auto analyzed = (*db)->query(db::Sql{settle}); !analyzed.ok()) return fail(analyzed.error());
    std::printf("%ld statements in %.1f s, indexed in %.1f s\n", n, seconds,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - indexing).count());
  } else {
    std::printf("%.0f\n", static_cast<double>(n) / seconds);
  }
  return 0;
}
