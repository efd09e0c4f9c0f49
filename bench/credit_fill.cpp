// Prepares and measures the credit benchmark's service side.
//   bench_credit_fill fill DB_URL EDUCATORS RECORDS   a district with EDUCATORS members, RECORDS
//                                                    participation records among them, one pending
//                                                    claim each, and one educator with 40 approved
//                                                    claims; prints {"district","token",
//                                                    "approver_token"}: bearer tokens of that educator
//                                                    (the transcript load) and of an approver (the queue)
//   bench_credit_fill evaluate DB_URL RUNS           evaluates every pending claim of the district
//                                                    RUNS times through CreditService; prints the
//                                                    best times as JSON: reading the rows alone (the
//                                                    reference: the storage rate), and the whole
//                                                    evaluation (reading plus the engine)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "accounts/service.hpp"
#include "core/calendar.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "credit/service.hpp"
#include "credit/store.hpp"
#include "db/database.hpp"
#include "db/migrate.hpp"
#include "districts/service.hpp"

using namespace staffroom;
using db::Value;

namespace {

constexpr const char* kFormats[] = {"webinar", "live_chat", "social_media_chat", "online_course", "forum_discussion"};
constexpr EpochMs kMinute = 60'000;
constexpr EpochMs kDay = 86'400'000;

int fail(const Error& e) {
  std::fprintf(stderr, "%s\n", e.detail.c_str());
  return 1;
}

const char* kPolicy = R"({
  "format": "staffroom.credit-policy/1", "name": "Benchmark district credit", "effective_on": "2012-07-01",
  "time_zone": "America/Chicago",
  "counts": {"formats": "all", "providers": "all", "themes": "all",
             "self_reported": {"counts": true, "requires_attestation": true, "min_reflection_words": 50}},
  "conversion": {"rounding": "nearest_quarter_hour", "hours_per_ceu": 10, "hours_per_semester_credit": 15,
                 "presenter_multiplier": 2, "facilitator_multiplier": 2},
  "tiers": [{"id": "knowledge", "name": "Knowledge", "level": 1, "deadline_days": 30,
             "requirements": [{"any_of": [{"kind": "host_attendance"}, {"kind": "survey"}]}]},
            {"id": "application", "name": "Application", "level": 2, "deadline_days": 365,
             "requirements": [{"any_of": [{"kind": "reflection", "min_words": 300}, {"kind": "artifact"}]}]}],
  "caps": [{"applies_to": "format", "format": "social_media_chat", "period": "year", "max_hours": 10},
           {"applies_to": "each_provider", "period": "cycle", "max_hours": 40},
           {"applies_to": "all", "period": "year", "max_hours": 60}],
  "renewal": {"required_hours": 100, "cycle_years": 5, "starts_on": "2012-07-01"}})";

Result<std::int64_t> scalar(db::Database& db, std::string_view sql) {
  SR_ASSIGN(auto rows, db.query(db::Sql{sql}));
  return rows.front().int64(0);
}

int fill(db::Database& db, long educators, long records) {
  accounts::AccountsService accounts(db, accounts::AccountsConfig{});
  districts::DistrictService districts(db);
  credit::CreditService credit(db, districts, "https://bench.staffroom.example");
  const EpochMs now = now_ms();

  // The district's admin and approver, and the educator whose transcript the
  // load generator reads, through the services.
  auto admin_s = accounts.sign_up("admin@district.example.org", "a long bench password", "District Admin");
  auto approver_s = accounts.sign_up("approver@district.example.org", "a long bench password", "Approver");
  auto reader_s = accounts.sign_up("reader@district.example.org", "a long bench password", "Transcript Reader");
  if (!admin_s.ok() || !approver_s.ok() || !reader_s.ok()) return fail(Error::internal("sign-up failed"));
  auto admin = **accounts.authenticate_session(admin_s->session_token);
  auto approver = **accounts.authenticate_session(approver_s->session_token);
  auto reader = **accounts.authenticate_session(reader_s->session_token);
  admin.grants.push_back({0, "site_admin", "", ""});  // creates the district without a mailed confirmation

  districts::District d;
  d.slug = "bench";
  d.name = "Benchmark Unified";
  d.time_zone = "America/Chicago";
  for (int s = 0; s < 40; ++s) d.schools.push_back({0, "School " + std::to_string(s)});
  auto created = districts.create(admin, d);
  if (!created.ok()) return fail(created.error());
  const auto district_id = created->district.id;
  for (auto* who : {&approver, &reader}) {
    auto joined = districts.join_by_code(*who, created->district.join_code);
    if (!joined.ok()) return fail(joined.error());
    if (who == &approver) {
      auto r = districts.update_member("bench", admin, joined->member.id, {districts::MemberRole::Approver, {}, {}});
      if (!r.ok()) return fail(r.error());
    }
  }
  boost::json::value policy = boost::json::parse(kPolicy);
  if (auto r = credit.save_policy("bench", admin, policy); !r.ok()) return fail(r.error());

  // Hosts and activities, then the educators and their records, in bulk.
  auto status = db.transaction([&](db::Connection& c) -> Status {
    SR_TRY(
        c.query(db::Sql{"INSERT INTO campaigns (slug, name, description, starts_on, ends_on, time_zone, "
                        "created_at, updated_at) VALUES ('bench', 'Bench', '', '2026-01-01', '2026-12-31', "
                        "'America/Chicago', 0, 0)"}));
    std::vector<std::vector<Value>> orgs;
    for (int o = 1; o <= 50; ++o)
      orgs.push_back({"host-" + std::to_string(o), "Host " + std::to_string(o), "nonprofit", "", "", "", "", 0, 0});
    const std::string_view org_cols[] = {"slug",        "name",          "kind",       "website",   "logo_url",
                                         "description", "contact_email", "created_at", "updated_at"};
    SR_TRY(c.bulk_insert("organizations", org_cols, orgs));
    return Status{};
  });
  if (!status.ok()) return fail(status.error());
  auto campaign_id = scalar(db, "SELECT id FROM campaigns WHERE slug = 'bench'");
  auto first_org = scalar(db, "SELECT MIN(id) FROM organizations WHERE slug LIKE 'host-%'");
  if (!campaign_id.ok() || !first_org.ok()) return fail(Error::internal("no campaign"));
  status = db.transaction([&](db::Connection& c) -> Status {
    std::vector<std::vector<Value>> rows;
    for (int a = 0; a < 1000; ++a) {
      rows.push_back({*campaign_id, *first_org + a % 50, "Activity " + std::to_string(a), kFormats[a % 5],
                      "America/Chicago", now - 400 * kDay, now, "approved", "CODE" + std::to_string(a), 0, 0});
    }
    const std::string_view cols[] = {"campaign_id", "host_id", "title",        "format",     "time_zone", "first_start",
                                     "last_end",    "status",  "checkin_code", "created_at", "updated_at"};
    SR_TRY(c.bulk_insert("activities", cols, rows));
    return Status{};
  });
  if (!status.ok()) return fail(status.error());
  auto first_activity = scalar(db, "SELECT MIN(id) FROM activities");
  if (!first_activity.ok()) return fail(first_activity.error());

  const std::string hash = "$argon2id$v=19$m=8,t=1,p=1$bench$bench";  // never signs in
  std::vector<std::vector<Value>> users;
  for (long e = 0; e < educators; ++e) {
    users.push_back(
        {"educator" + std::to_string(e) + "@district.example.org", "Educator " + std::to_string(e), hash, now, now});
  }
  const std::string_view user_cols[] = {"email", "display_name", "password_hash", "created_at", "updated_at"};
  status = db.transaction([&](db::Connection& c) -> Status {
    return c.bulk_insert("users", user_cols, users).ok() ? Status{} : Error::internal("users");
  });
  if (!status.ok()) return fail(status.error());
  auto first_user = scalar(db, "SELECT MIN(id) FROM users WHERE email LIKE 'educator%'");
  auto first_school = scalar(db, "SELECT MIN(id) FROM district_schools");
  if (!first_user.ok() || !first_school.ok()) return fail(Error::internal("no users"));
  status = db.transaction([&](db::Connection& c) -> Status {
    std::vector<std::vector<Value>> members;
    for (long e = 0; e < educators; ++e) {
      members.push_back({district_id, *first_user + e, "educator" + std::to_string(e) + "@district.example.org",
                         "Educator " + std::to_string(e), *first_school + e % 40, "educator", "roster", now, now});
    }
    const std::string_view cols[] = {"district_id", "user_id",    "email",     "display_name", "school_id",
                                     "role",        "joined_via", "joined_at", "updated_at"};
    auto r = c.bulk_insert("district_members", cols, members);
    return r.ok() ? Status{} : Status(r.error());
  });
  if (!status.ok()) return fail(status.error());

  // Records: each educator's are sessions in the last 25 days, so the
  // knowledge tier's 30-day deadline holds for the claims below.
  const long per = std::max(1L, records / educators);
  const char* kSources[] = {"check_in", "attendance_list", "xapi"};
  long written = 0;
  for (long from = 0; from < educators; from += 2000) {
    status = db.transaction([&](db::Connection& c) -> Status {
      std::vector<std::vector<Value>> rows;
      for (long e = from; e < std::min(educators, from + 2000); ++e) {
        for (long k = 0; k < per; ++k) {
          const long n = e * per + k;
          rows.push_back({*first_activity + n % 1000, *first_user + e,
                          "educator" + std::to_string(e) + "@district.example.org", kSources[n % 3], 30 + n % 60,
                          now - (k % 25 + 1) * kDay - (n % 600) * kMinute, now, std::string()});
        }
      }
      written += static_cast<long>(rows.size());
      const std::string_view cols[] = {"activity_id", "user_id",           "email",       "source",
                                       "minutes",     "session_starts_at", "recorded_at", "statement_id"};
      auto r = c.bulk_insert("attendance", cols, rows);
      return r.ok() ? Status{} : Status(r.error());
    });
    if (!status.ok()) return fail(status.error());
    std::fprintf(stderr, "\rrecords %ld/%ld", written, per * educators);
  }
  std::fprintf(stderr, "\n");

  // One pending claim per educator, on their five latest records.
  status = db.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto latest, c.query(db::Sql{"SELECT id, user_id FROM attendance WHERE user_id >= $1 ORDER BY user_id, "
                                           "session_starts_at DESC"},
                                   std::vector<Value>{*first_user}));
    std::vector<std::vector<Value>> items;
    std::int64_t user = -1;
    int taken = 0;
    std::int64_t claim_id = 0;
    for (const auto& r : latest.rows) {
      if (r.int64(1) != user) {
        user = r.int64(1);
        taken = 0;
        credit::Claim k{0, user, now - kDay, "knowledge", {}};
        SR_ASSIGN(claim_id, credit::store::insert_claim(c, district_id, k, ""));
      }
      if (taken++ < 5) items.push_back({claim_id, "participation", r.int64(0)});
    }
    const std::string_view cols[] = {"claim_id", "kind", "evidence_id"};
    SR_TRY(c.bulk_insert("credit_claim_items", cols, items));
    return Status{};
  });
  if (!status.ok()) return fail(status.error());

  // The transcript reader: 40 approved claims, decided through the service.
  for (int k = 0; k < 40; ++k) {
    credit::SelfReport r;
    r.title = "Chat " + std::to_string(k);
    r.format = "webinar";
    r.learned_on = format_date(static_cast<int>((now - (k % 20 + 1) * kDay) / kDay));
    r.minutes = 45;
    r.reflection.clear();
    for (int w = 0; w < 60; ++w) r.reflection += "word ";
    auto item = credit.log_learning(reader, r);
    if (!item.ok()) return fail(item.error());
    credit::SupportingEvidence s;
    s.kind = credit::SupportKind::Survey;
    s.title = "Survey " + std::to_string(k);
    s.body = R"({"learned":"a lot"})";
    auto survey = credit.add_support(reader, s, "");
    if (!survey.ok()) return fail(survey.error());
    // Attested directly: the colleague flow is tested elsewhere.
    auto attested = db.query(db::Sql{"UPDATE self_reports SET attestation = 'attested', attester_id = $2, "
                                     "attested_at = $3 WHERE id = $1"},
                             std::vector<Value>{item->id, approver.user_id, now});
    if (!attested.ok()) return fail(attested.error());
    auto claim = credit.submit_claim(
        "bench", reader, "knowledge",
        {{credit::EvidenceKind::SelfReport, item->id}, {credit::EvidenceKind::Survey, survey->id}}, "");
    if (!claim.ok()) return fail(claim.error());
    auto decided = credit.decide("bench", approver, claim->record.claim.id, true, "");
    if (!decided.ok()) return fail(decided.error());
  }
  auto token = accounts.create_token(reader, "bench");
  if (!token.ok()) return fail(token.error());
  auto approver_token = accounts.create_token(approver, "bench");
  if (!approver_token.ok()) return fail(approver_token.error());
  if (auto analyzed = db.query(db::Sql{"ANALYZE"}); !analyzed.ok()) return fail(analyzed.error());
  std::printf("{\"district\":\"bench\",\"records\":%ld,\"token\":\"%s\",\"approver_token\":\"%s\"}\n", written,
              token->secret.c_str(), approver_token->secret.c_str());
  return 0;
}

int evaluate(db::Database& db, int runs) {
  districts::DistrictService districts(db);
  credit::CreditService credit(db, districts, "https://bench.staffroom.example");
  auto district_id = scalar(db, "SELECT id FROM districts WHERE slug = 'bench'");
  if (!district_id.ok()) return fail(district_id.error());
  double best_read = 1e9, best_total = 1e9;
  std::size_t claims = 0, evidence = 0;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    auto rows = db.transaction<std::size_t>(
        [&](db::Connection& c) -> Result<std::size_t> {
          SR_ASSIGN(auto ev, credit::store::evidence_for_pending(c, *district_id, std::nullopt));
          SR_ASSIGN(auto pending, credit::store::pending_claims(c, *district_id, std::nullopt));
          SR_ASSIGN(auto approved, credit::store::approved_claims(c, *district_id, std::nullopt, true));
          return ev.size() + pending.size() + approved.size();
        },
        false);
    if (!rows.ok()) return fail(rows.error());
    evidence = *rows;
    const auto t1 = std::chrono::steady_clock::now();
    auto evaluations = credit.evaluate_district(*district_id, now_ms());
    if (!evaluations.ok()) return fail(evaluations.error());
    const auto t2 = std::chrono::steady_clock::now();
    claims = evaluations->size();
    best_read = std::min(best_read, std::chrono::duration<double>(t1 - t0).count());
    best_total = std::min(best_total, std::chrono::duration<double>(t2 - t1).count());
  }
  std::printf("{\"claims\":%zu,\"rows\":%zu,\"read_s\":%.3f,\"evaluate_s\":%.3f}\n", claims, evidence, best_read,
              best_total);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s fill DB_URL EDUCATORS RECORDS | evaluate DB_URL RUNS\n", argv[0]);
    return 2;
  }
  crypto::init();
  crypto::set_password_cost({1, 8192});
  log::init(log::Level::Error);  // stdout carries the results
  const std::string mode = argv[1];
  auto db = db::Database::open(argv[2], 2);
  if (!db.ok()) return fail(db.error());
  if (auto m = db::migrate(**db); !m.ok()) return fail(m.error());
  if (mode == "fill") {
    return fill(**db, argc > 3 ? std::atol(argv[3]) : 20000, argc > 4 ? std::atol(argv[4]) : 1000000);
  }
  if (mode == "evaluate") return evaluate(**db, argc > 3 ? std::atoi(argv[3]) : 3);
  std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
  return 2;
}
