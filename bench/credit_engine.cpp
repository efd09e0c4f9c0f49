// Times the credit engine on a district at the scale: 20,000
// educators, 1,000,000 participation records, every pending claim evaluated
// in one batch. The budget is 2 seconds. Plain timing main: the district is
// built once, then evaluate_pending runs a few times and the best and median
// wall-clock and CPU times are printed (CPU time is what to compare on a
// machine other programs are busy on).
//
//   bench_credit_engine [educators] [records_per_educator] [runs]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "credit/engine.hpp"

using namespace staffroom;
using namespace staffroom::credit;

namespace {

constexpr EpochMs kHour = 3600LL * 1000;
constexpr EpochMs kDay = 24 * kHour;

Policy district_policy() {
  Policy p;
  p.name = "Benchmark district";
  p.version = 1;
  p.effective_on = *parse_date("2012-07-01");
  p.time_zone = "America/Chicago";
  p.counts.self_reported = {true, {}, true, 50};
  p.conversion = {Rounding::NearestQuarterHour, 600, 900, 200, 200};
  EvidenceOption host;
  EvidenceOption survey;
  survey.kind = EvidenceRule::Survey;
  EvidenceOption reflection;
  reflection.kind = EvidenceRule::Reflection;
  reflection.min_words = 300;
  EvidenceOption artifact;
  artifact.kind = EvidenceRule::Artifact;
  p.tiers = {{"knowledge", "Knowledge", 1, 30, 0, {{{host, survey}}}, false},
             {"application", "Application", 2, 365, 60, {{{reflection, artifact}}}, false}};
  p.caps = {{CapScope::Format, "social_media_chat", 0, CapPeriod::Year, 10 * 60LL},
            {CapScope::EachProvider, "", 0, CapPeriod::Cycle, 40 * 60LL},
            {CapScope::SelfReported, "", 0, CapPeriod::Cycle, 30 * 60LL},
            {CapScope::All, "", 0, CapPeriod::Year, 40 * 60LL}};
  p.renewal = {6000, 5, *parse_date("2010-07-01")};
  return p;
}

Batch district(int educators, int records_per_educator) {
  std::mt19937_64 rng(2012);
  const auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const std::vector<std::string> formats = {"webinar", "live_chat", "online_course", "social_media_chat"};
  const std::vector<std::string> themes = {"Digital citizenship", "Equity", "Leadership", "STEM"};
  const EpochMs start = 1341118800000;  // 2012-07-01T05:00Z
  Batch b;
  b.versions = {district_policy()};
  b.evidence.reserve(static_cast<std::size_t>(educators) * (records_per_educator + 6));
  b.pending.reserve(static_cast<std::size_t>(educators) * records_per_educator / 5);
  std::int64_t next_id = 1;
  for (std::int64_t educator = 1; educator <= educators; ++educator) {
    // Records in order through two school years; every fifth claim is
    // already approved, the rest pending.
    EpochMs t = start + uniform(0, 20) * kDay;
    std::vector<Evidence> mine;
    for (int i = 0; i < records_per_educator; ++i) {
      Evidence e;
      e.id = {EvidenceKind::Participation, next_id++};
      e.educator_id = educator;
      e.activity_id = uniform(1, 50000);
      e.at = t;
      e.minutes = 30 + 15 * uniform(0, 6);
      e.source = static_cast<Source>(uniform(0, 2));
      e.role = uniform(0, 19) == 0 ? Role::Presenter : Role::Attendee;
      e.provider_id = uniform(1, 400);
      e.format = formats[static_cast<std::size_t>(uniform(0, 3))];
      e.themes = {themes[static_cast<std::size_t>(uniform(0, 3))]};
      mine.push_back(std::move(e));
      t += uniform(1, 25) * kDay / 2;
    }
    for (std::size_t first = 0; first < mine.size(); first += 5) {
      const std::size_t last = std::min(mine.size(), first + 5);
      const bool application = uniform(0, 3) == 0;
      Claim c;
      c.id = next_id++;
      c.educator_id = educator;
      c.tier = application ? "application" : "knowledge";
      for (std::size_t i = first; i < last; ++i) c.evidence.push_back(mine[i].id);
      c.submitted_at = mine[last - 1].at + uniform(1, 20) * kDay;
      if (application) {
        Evidence r;
        r.id = {EvidenceKind::Reflection, next_id++};
        r.educator_id = educator;
        r.at = c.submitted_at + uniform(0, 60) * kDay;
        r.words = uniform(150, 600);
        c.evidence.push_back(r.id);
        b.evidence.push_back(std::move(r));
      }
      if ((first / 5) % 5 == 0) {
        ApprovedClaim a;
        a.claim_id = c.id;
        a.educator_id = educator;
        a.tier = c.tier;
        a.completed_at = mine[last - 1].at;
        for (std::size_t i = first; i < last; ++i) {
          Allocation alloc;
          alloc.evidence = mine[i].id;
          alloc.activity_id = mine[i].activity_id;
          alloc.learned_at = mine[i].at;
          alloc.format = mine[i].format;
          alloc.provider_id = mine[i].provider_id;
          alloc.verified_minutes = mine[i].minutes;
          alloc.minutes = mine[i].minutes;
          a.backing.push_back(mine[i].id);
          a.allocations.push_back(std::move(alloc));
        }
        b.approved.push_back(std::move(a));
      } else {
        b.pending.push_back(std::move(c));
      }
    }
    for (auto& e : mine) b.evidence.push_back(std::move(e));
  }
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  const int educators = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int per_educator = argc > 2 ? std::atoi(argv[2]) : 50;
  const int runs = argc > 3 ? std::atoi(argv[3]) : 5;
  const Batch batch = district(educators, per_educator);
  const EpochMs as_of = 1388552400000;  // 2014-01-01T05:00Z
  std::size_t records = 0;
  for (const auto& e : batch.evidence) records += e.id.kind == EvidenceKind::Participation ? 1 : 0;
  std::printf(
      "district: %d educators, %zu participation records, %zu evidence in all, %zu approved claims, %zu "
      "pending claims\n",
      educators, records, batch.evidence.size(), batch.approved.size(), batch.pending.size());

  const auto cpu_now = [] {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
  };
  std::vector<double> seconds, cpu_seconds;
  std::size_t approve = 0, trimmed = 0;
  for (int run = 0; run < runs; ++run) {
    const double c0 = cpu_now();
    const auto t0 = std::chrono::steady_clock::now();
    const auto evaluations = evaluate_pending(batch, as_of);
    const auto t1 = std::chrono::steady_clock::now();
    cpu_seconds.push_back(cpu_now() - c0);
    seconds.push_back(std::chrono::duration<double>(t1 - t0).count());
    approve = 0;
    trimmed = 0;
    for (const auto& e : evaluations) {
      approve += e.suggestion == Suggestion::Approve ? 1 : 0;
      trimmed += e.credit.trimmed_minutes > 0 ? 1 : 0;
    }
  }
  std::sort(seconds.begin(), seconds.end());
  std::sort(cpu_seconds.begin(), cpu_seconds.end());
  std::printf(
      "evaluate_pending: wall best %.3f s, median %.3f s; CPU best %.3f s, median %.3f s; %d runs (budget 2 s)\n",
      seconds.front(), seconds[seconds.size() / 2], cpu_seconds.front(), cpu_seconds[cpu_seconds.size() / 2], runs);
  std::printf("suggested for approval: %zu; trimmed by a cap: %zu\n", approve, trimmed);
  return seconds[seconds.size() / 2] <= 2.0 ? 0 : 1;
}
