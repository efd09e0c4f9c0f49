#include "credit/engine.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <tuple>

#include "activities/model.hpp"
#include "core/calendar.hpp"
#include "core/json.hpp"

namespace staffroom::credit {

// ---------------------------------------------------------------------------
// Names

std::string_view to_string(EvidenceKind k) {
  switch (k) {
    case EvidenceKind::Participation:
      return "participation";
    case EvidenceKind::SelfReport:
      return "self_report";
    case EvidenceKind::Survey:
      return "survey";
    case EvidenceKind::Reflection:
      return "reflection";
    case EvidenceKind::Artifact:
      return "artifact";
    case EvidenceKind::Attestation:
      return "attestation";
  }
  return "participation";
}

std::optional<EvidenceKind> parse_evidence_kind(std::string_view s) {
  for (EvidenceKind k : {EvidenceKind::Participation, EvidenceKind::SelfReport, EvidenceKind::Survey,
                         EvidenceKind::Reflection, EvidenceKind::Artifact, EvidenceKind::Attestation}) {
    if (to_string(k) == s) return k;
  }
  return std::nullopt;
}

std::string to_string(EvidenceId id) {
  std::string out(to_string(id.kind));
  out += ':';
  out += std::to_string(id.id);
  return out;
}

std::string_view to_string(AttestationState s) {
  switch (s) {
    case AttestationState::None:
      return "none";
    case AttestationState::Requested:
      return "requested";
    case AttestationState::Attested:
      return "attested";
    case AttestationState::Declined:
      return "declined";
  }
  return "none";
}

std::string_view to_string(Suggestion s) {
  switch (s) {
    case Suggestion::Approve:
      return "approve";
    case Suggestion::Review:
      return "review";
    case Suggestion::NeedsEvidence:
      return "needs_evidence";
    case Suggestion::Deny:
      return "deny";
  }
  return "deny";
}

std::string hundredths_text(std::int64_t hundredths) {
  const char* sign = hundredths < 0 ? "-" : "";
  const std::int64_t a = hundredths < 0 ? -hundredths : hundredths;
  return fmt::format("{}{}.{:02}", sign, a / 100, a % 100);
}

namespace {

constexpr EpochMs kDayMs = 24LL * 3600 * 1000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// Calendar dates from day numbers and back (H. Hinnant's civil algorithms),
// for the years of a cycle: pure arithmetic, no time zone involved.
struct Ymd {
  int y = 1970;
  int m = 1;
  int d = 1;
};

Ymd civil_from_days(int z) {
  const int shifted = z + 719468;
  const int era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
  const int doe = shifted - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

int days_from_civil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Whole years from `anchor` to `day` (negative before it). An anchor on
// 29 February has its anniversary on 1 March in other years, the same day
// anniversary() gives.
int years_since(int anchor, int day) {
  const Ymd a = civil_from_days(anchor);
  const Ymd d = civil_from_days(day);
  int years = d.y - a.y;
  if (std::tie(d.m, d.d) < std::tie(a.m, a.d)) --years;
  return years;
}

int anniversary(int anchor, int years) {
  const Ymd a = civil_from_days(anchor);
  return days_from_civil(a.y + years, a.m, a.d);
}

// The local day of an instant in one time zone, from a table of the zone's
// UTC offsets over the batch's time span: the tz database is asked once per
// batch, not once per piece of evidence.
class LocalDays {
 public:
  LocalDays(std::string_view zone, EpochMs from, EpochMs to) {
    if (auto h = zone_history(zone, from - kDayMs, to + kDayMs)) {
      initial_ = h->initial_offset_min;
      for (const auto& t : h->transitions) changes_.push_back({t.at, t.offset_to_min});
    }
  }
  int day(EpochMs t) const {
    int offset = initial_;
    auto it =
        std::upper_bound(changes_.begin(), changes_.end(), t, [](EpochMs v, const Change& c) { return v < c.at; });
    if (it != changes_.begin()) offset = std::prev(it)->offset_min;
    return static_cast<int>(floor_div(t + std::int64_t{offset} * 60000, kDayMs));
  }

 private:
  struct Change {
    EpochMs at = 0;
    int offset_min = 0;
  };
  int initial_ = 0;
  std::vector<Change> changes_;
};

// YYYY-MM-DD, like format_date but without the date library: reasons name
// dates on every claim, so this is on the hot path.
std::string date_text(int day) {
  const Ymd d = civil_from_days(day);
  std::string out = "0000-00-00";
  int y = d.y;
  for (int i = 3; i >= 0; --i, y /= 10) out[static_cast<std::size_t>(i)] = static_cast<char>('0' + y % 10);
  out[5] = static_cast<char>('0' + d.m / 10);
  out[6] = static_cast<char>('0' + d.m % 10);
  out[8] = static_cast<char>('0' + d.d / 10);
  out[9] = static_cast<char>('0' + d.d % 10);
  return out;
}

std::string lower(std::string_view s) {
  return json::lower_ascii(json::trim(s));
}

bool selected(const Selection<std::string>& s, const std::string& value) {
  return s.all || std::find(s.only.begin(), s.only.end(), value) != s.only.end();
}

std::string selection_text(const Selection<std::string>& s) {
  std::string out;
  for (const auto& x : s.only) {
    if (!out.empty()) out += ", ";
    out += x;
  }
  return out;
}

bool is_learning(EvidenceKind k) {
  return k == EvidenceKind::Participation || k == EvidenceKind::SelfReport;
}

Credit credit_of(std::int64_t verified, std::int64_t minutes, std::int64_t trimmed, const Conversion& c) {
  Credit out;
  out.verified_minutes = verified;
  out.minutes = minutes;
  out.trimmed_minutes = trimmed;
  // Rounded down: a transcript never shows a fraction of a CEU that the
  // hours do not fully make.
  out.ceu_hundredths = c.minutes_per_ceu > 0 ? minutes * 100 / c.minutes_per_ceu : 0;
  out.semester_credit_hundredths =
      c.minutes_per_semester_credit > 0 ? minutes * 100 / c.minutes_per_semester_credit : 0;
  return out;
}

// A format as a small number, so caps can be counted without strings:
// its place in activities::kFormats, or past it for a name outside it.
class FormatCodes {
 public:
  int code(std::string_view format) {
    for (std::size_t i = 0; i < std::size(activities::kFormats); ++i)
      if (activities::kFormats[i] == format) return static_cast<int>(i);
    for (std::size_t i = 0; i < others_.size(); ++i)
      if (others_[i] == format) return static_cast<int>(std::size(activities::kFormats) + i);
    others_.emplace_back(format);
    return static_cast<int>(std::size(activities::kFormats) + others_.size() - 1);
  }

 private:
  std::vector<std::string> others_;
};

// One policy version, prepared for judging claims.
struct Plan {
  const Policy* policy = nullptr;
  std::size_t index = 0;  // in Engine::plans_
  EpochMs in_force_from = 0;
  const LocalDays* days = nullptr;
  std::vector<std::string> themes;  // lower-case
  std::vector<int> cap_format;      // the format code of each CapScope::Format cap
  int step = 1;                     // rounding step in minutes
  int cycle_years = 1;
  std::string in_force_reason;
  std::vector<std::string> cap_rules;          // "caps[0]", ...
  std::vector<std::string> requirement_rules;  // "tier.requirements[0]", ...
};

// What an approved (or suggested) claim spent of the caps: all a tally needs.
struct Spent {
  EpochMs completed_at = 0;
  int format = 0;
  std::int64_t provider = 0;
  bool self_reported = false;
  std::int64_t minutes = 0;
};

// Where a cap's running total is kept: the cap, the period, and for caps on
// "each" format or provider, which one.
struct TallyKey {
  std::size_t cap = 0;
  std::int64_t period = 0;
  std::int64_t bucket = 0;
  bool operator==(const TallyKey&) const = default;
  bool operator<(const TallyKey& o) const {
    return std::tie(cap, period, bucket) < std::tie(o.cap, o.period, o.bucket);
  }
};

// Running totals as a sorted vector: an educator has a few dozen at most,
// and a vector costs one allocation where a map costs one per total.
class Tally {
 public:
  std::int64_t get(const TallyKey& k) const {
    auto it = std::lower_bound(totals_.begin(), totals_.end(), k,
                               [](const auto& e, const TallyKey& v) { return e.first < v; });
    return it != totals_.end() && it->first == k ? it->second : 0;
  }
  void add(const TallyKey& k, std::int64_t minutes) {
    auto it = std::lower_bound(totals_.begin(), totals_.end(), k,
                               [](const auto& e, const TallyKey& v) { return e.first < v; });
    if (it != totals_.end() && it->first == k) {
      it->second += minutes;
    } else {
      totals_.insert(it, {k, minutes});
    }
  }

 private:
  std::vector<std::pair<TallyKey, std::int64_t>> totals_;
};

bool cap_applies(const Plan& plan, std::size_t j, const Spent& s) {
  const Cap& c = plan.policy->caps[j];
  switch (c.applies_to) {
    case CapScope::All:
    case CapScope::EachFormat:
      return true;
    case CapScope::Format:
      return s.format == plan.cap_format[j];
    case CapScope::Provider:
      return !s.self_reported && s.provider == c.provider;
    case CapScope::EachProvider:
      return !s.self_reported;
    case CapScope::SelfReported:
      return s.self_reported;
  }
  return false;
}

struct Periods {
  int year = 0;   // years since the cycle start
  int cycle = 0;  // cycle number
};

TallyKey tally_key(std::size_t j, const Cap& c, const Spent& s, Periods p) {
  TallyKey k;
  k.cap = j;
  k.period = c.period == CapPeriod::Year ? p.year : p.cycle;
  if (c.applies_to == CapScope::EachFormat) k.bucket = s.format;
  if (c.applies_to == CapScope::EachProvider) k.bucket = s.provider;
  return k;
}

std::string cap_text(const Cap& c) {
  std::string amount = hours_text(c.max_minutes) + (c.period == CapPeriod::Year ? " a year" : " a cycle");
  switch (c.applies_to) {
    case CapScope::All:
      return amount + " of all learning";
    case CapScope::Format:
      return amount + " of " + c.format + " learning";
    case CapScope::EachFormat:
      return amount + " in any one format";
    case CapScope::Provider:
      return amount + " from organization " + std::to_string(c.provider);
    case CapScope::EachProvider:
      return amount + " from any one provider";
    case CapScope::SelfReported:
      return amount + " of self-reported learning";
  }
  return amount;
}

std::string option_text(const EvidenceOption& o) {
  switch (o.kind) {
    case EvidenceRule::HostAttendance: {
      std::string sources;
      for (std::size_t i = 0; i < o.sources.size(); ++i) {
        if (i > 0) sources += i + 1 == o.sources.size() ? " or " : ", ";
        sources += to_string(o.sources[i]);
      }
      return "attendance verified by the host (" + sources + ") for all of the learning";
    }
    case EvidenceRule::Survey:
      return "a short survey about the learning";
    case EvidenceRule::Reflection:
      return fmt::format("a reflection of at least {} words", o.min_words);
    case EvidenceRule::Artifact:
      return "an uploaded artifact";
    case EvidenceRule::ColleagueAttestation:
      return "a colleague's attestation";
  }
  return "";
}

// The rules about pieces of evidence, in the order they are listed.
enum Slot : std::size_t {
  kFound,
  kUnused,
  kPresent,
  kFormat,
  kProvider,
  kTheme,
  kSelfReported,
  kMinutes,
  kDeadline,
  kSlots
};
constexpr std::array<std::string_view, kSlots> kSlotRule = {
    "evidence.found", "evidence.unused",        "learning.present", "learning.format",  "learning.provider",
    "learning.theme", "learning.self_reported", "learning.minutes", "learning.deadline"};

// A piece of learning named by a claim, as the rules see it.
struct Piece {
  const Evidence* e = nullptr;
  std::size_t position = 0;  // in the educator's evidence
  int day = 0;
  bool excluded = false;           // failed a rule nothing can fix
  bool waiting = false;            // held back by evidence that can still come
  std::int64_t credit = 0;         // after the role multiplier and rounding
  std::vector<std::string> needs;  // what it waits for
  bool counted() const { return !excluded && !waiting; }
};

using SessionKey = std::pair<std::int64_t, EpochMs>;  // (activity, start)

struct EvidenceKey {
  std::int64_t educator_id = 0;
  EvidenceId id;
  const Evidence* evidence = nullptr;
};

// What earlier claims of one educator (approved, or suggested for approval
// in this batch) have taken.
struct EducatorState {
  std::int64_t educator_id = 0;
  std::vector<std::optional<std::int64_t>> used;              // by evidence position: the claim it backs
  std::vector<std::pair<SessionKey, std::int64_t>> sessions;  // sorted: session -> claim
  std::vector<Spent> ledger;
  std::vector<std::optional<Tally>> tallies;  // per plan, built when first needed

  // Scratch space for judging one claim, kept so its buffers are reused.
  std::vector<EvidenceId> ids;
  std::vector<Piece> learning;
  std::vector<const Evidence*> supporting;
  std::vector<Piece*> attended, counted;
  std::vector<std::pair<TallyKey, std::int64_t>> added;
  std::vector<std::int64_t> trimmed_by;
  std::vector<bool> applied;

  const std::int64_t* session_claim(const SessionKey& k) const {
    auto it = std::lower_bound(sessions.begin(), sessions.end(), k,
                               [](const auto& e, const SessionKey& v) { return e.first < v; });
    return it != sessions.end() && it->first == k ? &it->second : nullptr;
  }
  void add_session(const SessionKey& k, std::int64_t claim) {
    auto it = std::lower_bound(sessions.begin(), sessions.end(), k,
                               [](const auto& e, const SessionKey& v) { return e.first < v; });
    if (it == sessions.end() || it->first != k) sessions.insert(it, {k, claim});
  }
};

class Engine {
 public:
  Engine(const Batch& batch, EpochMs as_of) : batch_(batch), as_of_(as_of) { prepare(); }

  std::vector<Evaluation> run() {
    // Evidence, approved and pending claims grouped by educator; every
    // ordering below is total, so the input's order never shows.
    // The evidence is sorted as compact keys: a million of them sort several
    // times faster than pointers that must be followed to compare.
    std::vector<EvidenceKey> evidence;
    evidence.reserve(batch_.evidence.size());
    for (const auto& e : batch_.evidence) evidence.push_back({e.educator_id, e.id, &e});
    std::sort(evidence.begin(), evidence.end(), [](const EvidenceKey& a, const EvidenceKey& b) {
      return std::tie(a.educator_id, a.id) < std::tie(b.educator_id, b.id);
    });
    std::vector<const ApprovedClaim*> approved;
    approved.reserve(batch_.approved.size());
    for (const auto& a : batch_.approved) approved.push_back(&a);
    std::sort(approved.begin(), approved.end(), [](const ApprovedClaim* a, const ApprovedClaim* b) {
      return std::tie(a->educator_id, a->completed_at, a->claim_id) <
             std::tie(b->educator_id, b->completed_at, b->claim_id);
    });
    std::vector<const Claim*> pending;
    pending.reserve(batch_.pending.size());
    for (const auto& c : batch_.pending) pending.push_back(&c);
    std::sort(pending.begin(), pending.end(), [](const Claim* a, const Claim* b) {
      return std::tie(a->educator_id, a->submitted_at, a->id) < std::tie(b->educator_id, b->submitted_at, b->id);
    });

    std::vector<Evaluation> out;
    out.reserve(pending.size());
    auto ev = evidence.begin();
    auto ap = approved.begin();
    EducatorState state;
    for (auto pc = pending.begin(); pc != pending.end();) {
      const std::int64_t educator = (*pc)->educator_id;
      auto pc_end = pc;
      while (pc_end != pending.end() && (*pc_end)->educator_id == educator) ++pc_end;
      while (ev != evidence.end() && ev->educator_id < educator) ++ev;
      auto ev_end = ev;
      while (ev_end != evidence.end() && ev_end->educator_id == educator) ++ev_end;
      while (ap != approved.end() && (*ap)->educator_id < educator) ++ap;
      auto ap_end = ap;
      while (ap_end != approved.end() && (*ap_end)->educator_id == educator) ++ap_end;

      // One state, cleared for each educator, so its buffers are reused.
      own_ = std::span<const EvidenceKey>(ev, ev_end);
      state.educator_id = educator;
      state.used.assign(own_.size(), std::nullopt);
      state.sessions.clear();
      state.ledger.clear();
      state.tallies.assign(plans_.size(), std::nullopt);
      for (auto a = ap; a != ap_end; ++a)
        take(state, (*a)->claim_id, (*a)->backing, (*a)->allocations, (*a)->completed_at);
      for (auto c = pc; c != pc_end; ++c) out.push_back(judge(state, **c));
      pc = pc_end;
      ev = ev_end;
      ap = ap_end;
    }
    std::sort(out.begin(), out.end(), [](const Evaluation& a, const Evaluation& b) {
      return std::tie(a.submitted_at, a.claim_id) < std::tie(b.submitted_at, b.claim_id);
    });
    return out;
  }

 private:
  void prepare() {
    EpochMs from = as_of_, to = as_of_;
    const auto span = [&](EpochMs t) {
      from = std::min(from, t);
      to = std::max(to, t);
    };
    for (const auto& e : batch_.evidence) span(e.at);
    for (const auto& c : batch_.pending) span(c.submitted_at);
    for (const auto& a : batch_.approved) span(a.completed_at);

    for (const Policy& p : batch_.versions) {
      if (zones_.find(p.time_zone) == zones_.end()) {
        zones_.emplace(p.time_zone, std::make_unique<LocalDays>(p.time_zone, from, to));
      }
    }
    for (const Policy& p : batch_.versions) {
      Plan plan;
      plan.policy = &p;
      plan.in_force_from =
          local_to_utc(LocalTime{p.effective_on, 0}, p.time_zone).value_or(std::int64_t{p.effective_on} * kDayMs);
      plan.days = zones_.at(p.time_zone).get();
      for (const auto& t : p.counts.themes.only) plan.themes.push_back(lower(t));
      for (const auto& c : p.caps)
        plan.cap_format.push_back(c.applies_to == CapScope::Format ? formats_.code(c.format) : -1);
      plan.step = rounding_step_minutes(p.conversion.rounding);
      plan.cycle_years = std::max(1, p.renewal.cycle_years);
      for (std::size_t j = 0; j < p.caps.size(); ++j) plan.cap_rules.push_back("caps[" + std::to_string(j) + "]");
      std::size_t most = 0;
      for (const auto& t : p.tiers) most = std::max(most, t.requirements.size());
      for (std::size_t i = 0; i < most; ++i) {
        plan.requirement_rules.push_back("tier.requirements[" + std::to_string(i) + "]");
      }
      plan.in_force_reason = fmt::format("judged under version {} of \"{}\", in force from {}", p.version, p.name,
                                         date_text(p.effective_on));
      plans_.push_back(std::move(plan));
    }
    std::sort(plans_.begin(), plans_.end(), [](const Plan& a, const Plan& b) {
      return std::tie(a.in_force_from, a.policy->version) < std::tie(b.in_force_from, b.policy->version);
    });
    for (std::size_t i = 0; i < plans_.size(); ++i) plans_[i].index = i;
  }

  // The version in force at `t`: the latest to come into force, and of
  // those the highest version.
  const Plan* plan_at(EpochMs t) const {
    auto it =
        std::upper_bound(plans_.begin(), plans_.end(), t, [](EpochMs v, const Plan& p) { return v < p.in_force_from; });
    if (it == plans_.begin()) return nullptr;
    return &*std::prev(it);
  }

  // The position of an educator's own evidence, if it is on record.
  std::optional<std::size_t> find(EvidenceId id) const {
    auto it =
        std::lower_bound(own_.begin(), own_.end(), id, [](const EvidenceKey& e, EvidenceId v) { return e.id < v; });
    if (it == own_.end() || it->id != id) return std::nullopt;
    return static_cast<std::size_t>(it - own_.begin());
  }

  int anchor(const Plan& plan, std::int64_t educator) const {
    auto it = batch_.cycle_starts.find(educator);
    return it != batch_.cycle_starts.end() ? it->second : plan.policy->renewal.starts_on;
  }

  Periods periods(const Plan& plan, int anchor_day, EpochMs completed_at) const {
    const int years = years_since(anchor_day, plan.days->day(completed_at));
    return {years, static_cast<int>(floor_div(years, plan.cycle_years))};
  }

  void add_to_tally(const Plan& plan, int anchor_day, Tally& tally, const Spent& s) const {
    const Periods p = periods(plan, anchor_day, s.completed_at);
    const auto& caps = plan.policy->caps;
    for (std::size_t j = 0; j < caps.size(); ++j) {
      if (cap_applies(plan, j, s)) tally.add(tally_key(j, caps[j], s, p), s.minutes);
    }
  }

  Tally& tally(EducatorState& state, const Plan& plan) const {
    auto& slot = state.tallies[plan.index];
    if (!slot) {
      slot.emplace();
      const int anchor_day = anchor(plan, state.educator_id);
      for (const auto& s : state.ledger) add_to_tally(plan, anchor_day, *slot, s);
    }
    return *slot;
  }

  Spent spent(const Allocation& a, EpochMs completed_at) const {
    return {completed_at, formats_.code(a.format), a.provider_id, a.self_reported, a.minutes};
  }

  // Reserves what a claim rests on, for the claims judged after it.
  void take(EducatorState& state, std::int64_t claim_id, const std::vector<EvidenceId>& backing,
            const std::vector<Allocation>& allocations, EpochMs completed_at) const {
    for (const auto& id : backing) {
      if (auto at = find(id); at && !state.used[*at]) state.used[*at] = claim_id;
    }
    for (const auto& a : allocations) {
      if (auto at = find(a.evidence); at && !state.used[*at]) state.used[*at] = claim_id;
      if (!a.self_reported) state.add_session({a.activity_id, a.learned_at}, claim_id);
      const Spent s = spent(a, completed_at);
      for (std::size_t i = 0; i < plans_.size(); ++i) {
        if (state.tallies[i]) add_to_tally(plans_[i], anchor(plans_[i], state.educator_id), *state.tallies[i], s);
      }
      state.ledger.push_back(s);
    }
  }

  // "within the cap of ... in the year from ... to ...": the same text for
  // every claim of a period, so it is written once.
  const std::string& cap_period_text(const Plan& plan, std::size_t j, int anchor_day, int period) const {
    auto key = std::make_tuple(plan.index, j, anchor_day, period);
    auto it = cap_texts_.find(key);
    if (it != cap_texts_.end()) return it->second;
    const Cap& cap = plan.policy->caps[j];
    const bool year = cap.period == CapPeriod::Year;
    const int years = year ? period : period * plan.cycle_years;
    const int length = year ? 1 : plan.cycle_years;
    const std::string text = "the cap of " + cap_text(cap) + " in the " + (year ? "year" : "cycle") + " from " +
                             date_text(anniversary(anchor_day, years)) + " to " +
                             date_text(anniversary(anchor_day, years + length) - 1);
    return cap_texts_.emplace(key, text).first->second;
  }

  Evaluation judge(EducatorState& state, const Claim& claim) const;

  const Batch& batch_;
  EpochMs as_of_;
  std::map<std::string, std::unique_ptr<LocalDays>> zones_;
  std::vector<Plan> plans_;
  mutable FormatCodes formats_;
  mutable std::map<std::tuple<std::size_t, std::size_t, int, int>, std::string> cap_texts_;
  std::span<const EvidenceKey> own_;  // the current educator's evidence, sorted by id
};

Evaluation Engine::judge(EducatorState& state, const Claim& claim) const {
  Evaluation ev;
  ev.claim_id = claim.id;
  ev.educator_id = claim.educator_id;
  ev.submitted_at = claim.submitted_at;
  ev.tier = claim.tier;
  ev.suggestion = Suggestion::Deny;
  ev.rules.reserve(16);
  const auto rule = [&](std::string_view id, bool passed, std::string reason) {
    ev.rules.push_back({std::string(id), passed, std::move(reason), std::nullopt});
  };

  const Plan* plan = plan_at(claim.submitted_at);
  if (!plan) {
    rule("policy.in_force", false,
         "no version of the district's credit policy was in force when the claim was submitted on " +
             format_rfc3339(claim.submitted_at));
    return ev;
  }
  const Policy& policy = *plan->policy;
  const LocalDays& days = *plan->days;
  ev.policy_version = policy.version;
  rule("policy.in_force", true, plan->in_force_reason);

  const Tier* tier = policy.tier(claim.tier);
  if (!tier) {
    std::string tiers;
    for (const auto& t : policy.tiers) tiers += (tiers.empty() ? "" : ", ") + t.id;
    rule("tier.exists", false, "the policy has no tier \"" + claim.tier + "\"; its tiers are " + tiers);
    return ev;
  }
  rule("tier.exists", true, "asks for the " + tier->name + " tier (level " + std::to_string(tier->level) + ")");

  std::array<std::vector<RuleResult>, kSlots> fails;
  const auto fail = [&](Slot slot, const Evidence& e, std::string reason) {
    fails[slot].push_back({std::string(kSlotRule[slot]), false, std::move(reason), e.id});
  };

  // evidence.found, evidence.unused (claims before this one)
  auto& ids = state.ids;
  ids.assign(claim.evidence.begin(), claim.evidence.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  auto& learning = state.learning;
  auto& supporting = state.supporting;
  learning.clear();
  supporting.clear();
  for (const auto& id : ids) {
    const auto position = find(id);
    if (!position) {
      fails[kFound].push_back({std::string(kSlotRule[kFound]), false,
                               to_string(id) + " is not on record for this educator; it may have been removed (a "
                                               "voided xAPI statement) or belong to someone else",
                               id});
      continue;
    }
    const Evidence* e = own_[*position].evidence;
    if (const auto& used = state.used[*position]) {
      fail(kUnused, *e, fmt::format("{} already backs claim {}; evidence backs one claim only", to_string(id), *used));
      continue;
    }
    if (is_learning(e->id.kind)) {
      Piece piece;
      piece.e = e;
      piece.position = *position;
      piece.day = days.day(e->at);
      learning.push_back(std::move(piece));
    } else {
      supporting.push_back(e);
    }
  }

  const int submitted_day = days.day(claim.submitted_at);
  const auto& counts = policy.counts;
  const auto& self = counts.self_reported;
  bool any_participation = false, any_self_reported = false;
  for (auto& piece : learning) {
    const Evidence& e = *piece.e;
    // Names are written only for the messages that need them.
    const auto name = [&] { return to_string(e.id); };
    if (e.id.kind == EvidenceKind::Participation) {
      any_participation = true;
      if (!selected(counts.formats, e.format)) {
        fail(kFormat, e,
             name() + " is a " + e.format + " activity; this policy counts " + selection_text(counts.formats));
        piece.excluded = true;
      }
      if (!counts.providers.all && std::find(counts.providers.only.begin(), counts.providers.only.end(),
                                             e.provider_id) == counts.providers.only.end()) {
        fail(kProvider, e,
             fmt::format("{} was hosted by organization {}, which is not one of the approved providers", name(),
                         e.provider_id));
        piece.excluded = true;
      }
      if (!counts.themes.all) {
        const bool match = std::any_of(e.themes.begin(), e.themes.end(), [&](const std::string& t) {
          const std::string l = lower(t);
          return std::find(plan->themes.begin(), plan->themes.end(), l) != plan->themes.end();
        });
        if (!match) {
          std::string themes;
          for (const auto& t : e.themes) themes += (themes.empty() ? "" : ", ") + t;
          fail(kTheme, e,
               name() + (themes.empty() ? " has no theme" : " is about " + themes) + "; this policy counts " +
                   selection_text(counts.themes));
          piece.excluded = true;
        }
      }
    } else {
      any_self_reported = true;
      if (!self.counts) {
        fail(kSelfReported, e, name() + " is self-reported learning, which this policy does not count");
        piece.excluded = true;
      } else {
        if (!selected(self.formats, e.format)) {
          fail(kFormat, e,
               name() + " is a self-reported " + e.format + "; this policy counts self-reported " +
                   selection_text(self.formats));
          piece.excluded = true;
        }
        const bool attested =
            e.attestation == AttestationState::Attested && e.attester_id != 0 && e.attester_id != claim.educator_id;
        if (self.requires_attestation && !attested) {
          if (e.attestation == AttestationState::Declined) {
            fail(kSelfReported, e, "the colleague asked to attest " + name() + " declined");
            piece.excluded = true;
          } else {
            fail(kSelfReported, e,
                 name() + (e.attestation == AttestationState::Requested
                               ? " awaits the attestation a colleague was asked for"
                               : " needs a colleague who took part to attest it"));
            piece.waiting = true;
            piece.needs.push_back("a colleague's attestation of " + name());
          }
        }
        if (e.words < self.min_reflection_words) {
          fail(kSelfReported, e,
               fmt::format("{}'s reflection has {} words; the policy asks for at least {}", name(), e.words,
                           self.min_reflection_words));
          piece.waiting = true;
          piece.needs.push_back(
              fmt::format("a reflection of at least {} words on {}", self.min_reflection_words, name()));
        }
      }
    }
    if (e.minutes <= 0) {
      fail(kMinutes, e, name() + " shows no minutes");
      piece.excluded = true;
    }
    if (piece.day > submitted_day) {
      fail(kDeadline, e,
           name() + " is dated " + date_text(piece.day) + ", after the claim was submitted on " +
               date_text(submitted_day));
      piece.excluded = true;
    } else if (submitted_day > piece.day + tier->deadline_days) {
      fail(kDeadline, e,
           fmt::format("{} on {} was claimed on {}, more than the {} days the {} tier allows", name(),
                       date_text(piece.day), date_text(submitted_day), tier->deadline_days, tier->name));
      piece.excluded = true;
    }
  }

  // One session counts once: when the host recorded it more than one way
  // (check-in and xAPI), the way that shows the most minutes counts (xAPI
  // may hold several rows for one session: a person who left and came back).
  {
    auto& attended = state.attended;
    attended.clear();
    for (auto& piece : learning) {
      if (piece.e->id.kind == EvidenceKind::Participation && !piece.excluded) attended.push_back(&piece);
    }
    const auto key_of = [](const Piece* p) { return SessionKey{p->e->activity_id, p->e->at}; };
    std::sort(attended.begin(), attended.end(), [&](const Piece* a, const Piece* b) {
      return std::tie(a->e->activity_id, a->e->at, a->e->source, a->e->id) <
             std::tie(b->e->activity_id, b->e->at, b->e->source, b->e->id);
    });
    for (std::size_t first = 0; first < attended.size();) {
      const SessionKey key = key_of(attended[first]);
      std::size_t last = first;
      while (last < attended.size() && key_of(attended[last]) == key) ++last;
      const auto when = [&] {
        return fmt::format("the session of activity {} on {}", key.first, date_text(attended[first]->day));
      };
      if (const std::int64_t* used = state.session_claim(key)) {
        for (std::size_t i = first; i < last; ++i) {
          const Evidence& e = *attended[i]->e;
          fail(kUnused, e, fmt::format("{} is {}, which already counts in claim {}", to_string(e.id), when(), *used));
          attended[i]->excluded = true;
        }
      } else if (last - first > 1) {
        // Sorted by source within the session: sum each source's rows and
        // keep the source with the most minutes (the first, on a tie).
        Source best = attended[first]->e->source;
        std::int64_t best_minutes = -1;
        for (std::size_t i = first; i < last;) {
          const Source source = attended[i]->e->source;
          std::int64_t minutes = 0;
          for (; i < last && attended[i]->e->source == source; ++i) minutes += attended[i]->e->minutes;
          if (minutes > best_minutes) {
            best = source;
            best_minutes = minutes;
          }
        }
        const Piece* kept = *std::find_if(attended.begin() + static_cast<std::ptrdiff_t>(first),
                                          attended.begin() + static_cast<std::ptrdiff_t>(last),
                                          [&](const Piece* p) { return p->e->source == best; });
        for (std::size_t i = first; i < last; ++i) {
          const Evidence& e = *attended[i]->e;
          if (e.source == best) continue;
          fail(kUnused, e,
               to_string(e.id) + " is " + when() + ", also recorded as " + to_string(kept->e->id) +
                   "; a session counts once");
          attended[i]->excluded = true;
        }
      }
      first = last;
    }
  }

  // The claim's dates: its credit falls in the period of its latest counted
  // learning, and its evidence is due deadline_days after that.
  std::optional<int> latest_day;
  bool any_counted = false, any_waiting = false;
  std::size_t counted_n = 0;
  for (const auto& piece : learning) {
    if (piece.excluded) continue;
    if (piece.counted()) {
      any_counted = true;
      ++counted_n;
      ev.completed_at = counted_n == 1 ? piece.e->at : std::max(ev.completed_at, piece.e->at);
    } else {
      any_waiting = true;
    }
    if (!latest_day || piece.day > *latest_day) latest_day = piece.day;
  }
  std::optional<int> due_on;
  if (latest_day) due_on = *latest_day + tier->deadline_days;
  const bool open = due_on && days.day(as_of_) <= *due_on;

  // Summaries for the rules that passed for every piece. Provider and theme
  // rules are listed only when the policy limits them.
  const auto pass_text = [&](Slot slot) -> std::optional<std::string> {
    switch (slot) {
      case kFound:
        return "all " + std::to_string(ids.size()) + " pieces of evidence named are on record";
      case kUnused:
        return std::string("none of it backs another claim");
      case kPresent:
        return std::to_string(learning.size()) + (learning.size() == 1 ? " piece" : " pieces") +
               " of learning named, " + std::to_string(counted_n) + " counted";
      case kFormat:
        return std::string("all of the learning is in formats that count");
      case kProvider:
        if (!any_participation || counts.providers.all) return std::nullopt;
        return std::string("every activity was hosted by an approved provider");
      case kTheme:
        if (!any_participation || counts.themes.all) return std::nullopt;
        return std::string("every activity has a theme that counts");
      case kSelfReported:
        if (!any_self_reported) return std::nullopt;
        return std::string("the self-reported learning is attested and reflected on as the policy asks");
      case kMinutes:
        return std::string("all of the learning shows minutes");
      case kDeadline:
        return "all of the learning was claimed within the " + std::to_string(tier->deadline_days) + " days the " +
               tier->name + " tier allows";
      case kSlots:
        break;
    }
    return std::nullopt;
  };
  if (learning.empty()) {
    fails[kPresent].push_back({std::string(kSlotRule[kPresent]), false,
                               "the claim names no learning to credit; add the participation records or "
                               "self-reported learning it is for",
                               std::nullopt});
  }
  for (std::size_t slot = 0; slot < kSlots; ++slot) {
    if (!fails[slot].empty()) {
      for (auto& f : fails[slot]) ev.rules.push_back(std::move(f));
      continue;
    }
    if (learning.empty() && slot > kPresent) continue;
    if (auto text = pass_text(static_cast<Slot>(slot))) rule(kSlotRule[slot], true, std::move(*text));
  }

  // tier.requirements[i]: moot when no learning is left to credit.
  bool requirements_met = true;
  std::vector<EvidenceId> backing;
  const std::size_t requirement_count = any_counted || any_waiting ? tier->requirements.size() : 0;
  for (std::size_t i = 0; i < requirement_count; ++i) {
    const Requirement& req = tier->requirements[i];
    const std::string& id = plan->requirement_rules[i];
    std::string met_by;  // "met by survey:4, reflection:7"
    std::vector<std::string> notes;
    for (const auto& option : req.any_of) {
      if (option.kind == EvidenceRule::HostAttendance) {
        bool all_verified = true;
        for (const auto& piece : learning) {
          if (piece.excluded) continue;
          const Evidence& e = *piece.e;
          if (e.id.kind != EvidenceKind::Participation) {
            all_verified = false;
            notes.push_back(to_string(e.id) + " was not verified by a host");
          } else if (std::find(option.sources.begin(), option.sources.end(), e.source) == option.sources.end()) {
            all_verified = false;
            notes.push_back(to_string(e.id) + " was recorded by " + std::string(to_string(e.source)) +
                            ", which this requirement does not accept");
          }
        }
        if (all_verified)
          met_by += met_by.empty() ? "met by attendance verified by the host" : ", attendance verified by the host";
        continue;
      }
      for (const Evidence* e : supporting) {
        const bool kind_fits =
            (option.kind == EvidenceRule::Survey && e->id.kind == EvidenceKind::Survey) ||
            (option.kind == EvidenceRule::Reflection && e->id.kind == EvidenceKind::Reflection) ||
            (option.kind == EvidenceRule::Artifact && e->id.kind == EvidenceKind::Artifact) ||
            (option.kind == EvidenceRule::ColleagueAttestation && e->id.kind == EvidenceKind::Attestation);
        if (!kind_fits) continue;
        const std::string name = to_string(e->id);
        const int day = days.day(e->at);
        if (due_on && day > *due_on) {
          notes.push_back(name + " is dated " + date_text(day) + ", after the evidence was due on " +
                          date_text(*due_on));
          continue;
        }
        if (option.kind == EvidenceRule::Reflection && e->words < option.min_words) {
          notes.push_back(fmt::format("{} has {} words, fewer than {}", name, e->words, option.min_words));
          continue;
        }
        if (option.kind == EvidenceRule::ColleagueAttestation &&
            (e->attester_id == 0 || e->attester_id == claim.educator_id)) {
          notes.push_back(name + " is not from a colleague");
          continue;
        }
        met_by += met_by.empty() ? "met by " : ", ";
        met_by += name;
        if (std::find(backing.begin(), backing.end(), e->id) == backing.end()) backing.push_back(e->id);
      }
    }
    if (!met_by.empty()) {
      rule(id, true, std::move(met_by));
      continue;
    }
    std::string options;
    for (std::size_t k = 0; k < req.any_of.size(); ++k) {
      if (k > 0) options += k + 1 == req.any_of.size() ? " or " : ", ";
      options += option_text(req.any_of[k]);
    }
    requirements_met = false;
    std::string reason = "needs " + options;
    if (due_on) reason += " by " + date_text(*due_on);
    for (const auto& n : notes) reason += "; " + n;
    rule(id, false, std::move(reason));
    ev.missing.push_back({id, options, due_on});
  }
  for (const auto& piece : learning) {
    if (piece.excluded) continue;
    for (const auto& what : piece.needs) ev.missing.push_back({std::string(kSlotRule[kSelfReported]), what, due_on});
  }

  // Credit: each counted piece on its own, then the caps, in the order the
  // learning happened.
  auto& counted = state.counted;
  counted.clear();
  for (auto& piece : learning)
    if (piece.counted()) counted.push_back(&piece);
  std::sort(counted.begin(), counted.end(),
            [](const Piece* a, const Piece* b) { return std::tie(a->e->at, a->e->id) < std::tie(b->e->at, b->e->id); });
  const Conversion& conv = policy.conversion;
  std::int64_t before_caps = 0;
  for (Piece* p : counted) {
    const Evidence& e = *p->e;
    int percent = 100;
    if (e.id.kind == EvidenceKind::Participation && e.role == Role::Presenter) percent = conv.presenter_percent;
    if (e.id.kind == EvidenceKind::Participation && e.role == Role::Facilitator) percent = conv.facilitator_percent;
    p->credit = round_minutes(e.minutes * percent / 100, conv.rounding);
    before_caps += p->credit;
  }

  const auto& caps = policy.caps;
  const int anchor_day = anchor(*plan, claim.educator_id);
  const Periods periods_now = counted.empty() ? Periods{} : periods(*plan, anchor_day, ev.completed_at);
  const Tally* before = counted.empty() || caps.empty() ? nullptr : &tally(state, *plan);
  auto& added = state.added;  // this claim's own use of the caps
  added.clear();
  const auto added_to = [&](const TallyKey& k) -> std::int64_t& {
    for (auto& [key, minutes] : added)
      if (key == k) return minutes;
    return added.emplace_back(k, 0).second;
  };
  auto& trimmed_by = state.trimmed_by;
  auto& applied = state.applied;
  trimmed_by.assign(caps.size(), 0);
  applied.assign(caps.size(), false);
  std::int64_t verified = 0, credited = 0;
  ev.allocations.reserve(counted.size());
  backing.reserve(backing.size() + counted.size());
  for (Piece* p : counted) {
    const Evidence& e = *p->e;
    const bool attended = e.id.kind == EvidenceKind::Participation;
    const Spent s{ev.completed_at, caps.empty() ? 0 : formats_.code(e.format), attended ? e.provider_id : 0, !attended,
                  0};
    std::int64_t allowed = p->credit;
    for (std::size_t j = 0; j < caps.size(); ++j) {
      if (!cap_applies(*plan, j, s)) continue;
      applied[j] = true;
      const TallyKey key = tally_key(j, caps[j], s, periods_now);
      // Whole rounding steps only, so the credit stays on the policy's grid.
      std::int64_t left = std::max<std::int64_t>(0, caps[j].max_minutes - before->get(key) - added_to(key));
      left -= left % plan->step;
      if (left < allowed) {
        trimmed_by[j] += allowed - left;
        allowed = left;
      }
    }
    for (std::size_t j = 0; j < caps.size(); ++j) {
      if (cap_applies(*plan, j, s)) added_to(tally_key(j, caps[j], s, periods_now)) += allowed;
    }
    if (allowed <= 0) continue;  // nothing credited: the evidence stays free for another claim
    Allocation a;
    a.evidence = e.id;
    a.activity_id = attended ? e.activity_id : 0;
    a.learned_at = e.at;
    a.format = e.format;
    a.provider_id = attended ? e.provider_id : 0;
    a.self_reported = !attended;
    a.verified_minutes = e.minutes;
    a.minutes = allowed;
    verified += e.minutes;
    credited += allowed;
    backing.push_back(e.id);
    ev.allocations.push_back(std::move(a));
  }
  ev.credit = credit_of(verified, credited, before_caps - credited, conv);

  // caps[j]
  for (std::size_t j = 0; j < caps.size(); ++j) {
    if (!applied[j]) continue;
    const int period = caps[j].period == CapPeriod::Year ? periods_now.year : periods_now.cycle;
    const std::string& text = cap_period_text(*plan, j, anchor_day, period);
    if (trimmed_by[j] == 0) {
      rule(plan->cap_rules[j], true, "within " + text);
    } else {
      rule(plan->cap_rules[j], false, "trimmed " + hours_text(trimmed_by[j]) + " to stay within " + text);
    }
  }

  // tier.min_hours
  bool short_by_caps = false, short_of_learning = false;
  if (tier->min_minutes > 0 && (any_counted || any_waiting)) {
    if (credited >= tier->min_minutes) {
      rule("tier.min_hours", true,
           "earns " + hours_text(credited) + "; the " + tier->name + " tier asks for at least " +
               hours_text(tier->min_minutes));
    } else if (before_caps >= tier->min_minutes) {
      short_by_caps = true;
      rule("tier.min_hours", false,
           "the caps leave " + hours_text(credited) + ", less than the " + hours_text(tier->min_minutes) + " the " +
               tier->name + " tier asks for");
    } else {
      short_of_learning = true;
      rule("tier.min_hours", false,
           "the learning comes to " + hours_text(before_caps) + "; the " + tier->name + " tier asks for at least " +
               hours_text(tier->min_minutes));
      ev.missing.push_back({"tier.min_hours", hours_text(tier->min_minutes - before_caps) + " more learning", due_on});
    }
  }

  std::sort(backing.begin(), backing.end());
  ev.backing = std::move(backing);

  const bool fixable = !requirements_met || any_waiting || short_of_learning;
  if (!any_counted && !any_waiting) {
    ev.suggestion = Suggestion::Deny;
  } else if ((credited == 0 && before_caps > 0) || short_by_caps) {
    ev.suggestion = Suggestion::Deny;
  } else if (fixable) {
    ev.suggestion = open ? Suggestion::NeedsEvidence : Suggestion::Deny;
    if (!open) {
      rule("evidence.due", false,
           "the missing evidence was due by " + date_text(*due_on) + "; it can no longer be added");
    }
  } else if (credited == 0) {
    rule("credit.earned", false,
         "the learning earns no credit once rounded (" + std::string(to_string(conv.rounding)) + ")");
    ev.suggestion = Suggestion::Deny;
  } else {
    ev.suggestion = tier->approver_review ? Suggestion::Review : Suggestion::Approve;
  }

  if (ev.suggestion == Suggestion::Approve || ev.suggestion == Suggestion::Review) {
    take(state, ev.claim_id, ev.backing, ev.allocations, ev.completed_at);
  }
  return ev;
}

}  // namespace

std::vector<Evaluation> evaluate_pending(const Batch& batch, EpochMs as_of) {
  return Engine(batch, as_of).run();
}

ApprovedClaim approved(const Evaluation& evaluation) {
  ApprovedClaim a;
  a.claim_id = evaluation.claim_id;
  a.educator_id = evaluation.educator_id;
  a.tier = evaluation.tier;
  a.completed_at = evaluation.completed_at;
  a.backing = evaluation.backing;
  a.allocations = evaluation.allocations;
  return a;
}

// ---------------------------------------------------------------------------
// Transcripts

Transcript transcript(const Policy& policy, std::int64_t educator_id, const std::vector<ApprovedClaim>& approved,
                      std::optional<int> cycle_starts_on, EpochMs as_of) {
  Transcript t;
  t.educator_id = educator_id;
  t.cycle_starts_on = cycle_starts_on.value_or(policy.renewal.starts_on);
  const int cycle_years = std::max(1, policy.renewal.cycle_years);

  EpochMs from = as_of, to = as_of;
  for (const auto& a : approved) {
    if (a.educator_id != educator_id) continue;
    from = std::min(from, a.completed_at);
    to = std::max(to, a.completed_at);
  }
  const LocalDays days(policy.time_zone, from, to);
  const auto cycle_of = [&](EpochMs at) {
    return static_cast<int>(floor_div(years_since(t.cycle_starts_on, days.day(at)), cycle_years));
  };

  struct Sum {
    std::int64_t verified = 0, minutes = 0;
  };
  std::map<int, std::map<std::string, Sum>> by_cycle;
  for (const auto& a : approved) {
    if (a.educator_id != educator_id) continue;
    Sum& s = by_cycle[cycle_of(a.completed_at)][a.tier];
    for (const auto& alloc : a.allocations) {
      s.verified += alloc.verified_minutes;
      s.minutes += alloc.minutes;
    }
  }
  t.current = cycle_of(as_of);
  by_cycle[t.current];

  for (const auto& [number, tiers] : by_cycle) {
    CycleProgress c;
    c.number = number;
    c.starts_on = anniversary(t.cycle_starts_on, number * cycle_years);
    c.ends_on = anniversary(t.cycle_starts_on, (number + 1) * cycle_years) - 1;
    Sum total;
    for (const auto& [tier, sum] : tiers) {
      c.tiers.push_back({tier, credit_of(sum.verified, sum.minutes, 0, policy.conversion)});
      total.verified += sum.verified;
      total.minutes += sum.minutes;
    }
    c.total = credit_of(total.verified, total.minutes, 0, policy.conversion);
    c.required_minutes = policy.renewal.required_minutes;
    c.remaining_minutes = std::max<std::int64_t>(0, c.required_minutes - total.minutes);
    c.met = c.required_minutes > 0 && total.minutes >= c.required_minutes;
    c.percent = c.required_minutes > 0
                    ? static_cast<int>(std::min<std::int64_t>(100, total.minutes * 100 / c.required_minutes))
                    : 0;
    t.cycles.push_back(std::move(c));
  }
  return t;
}

// ---------------------------------------------------------------------------
// JSON

namespace {

namespace bj = boost::json;

bj::value evidence_json(EvidenceId id) {
  return bj::object{{"kind", to_string(id.kind)}, {"id", id.id}};
}

bj::value credit_json(const Credit& c) {
  return bj::object{
      {"verified_minutes", c.verified_minutes},
      {"minutes", c.minutes},
      {"clock_hours", static_cast<double>(c.minutes) / 60.0},
      {"trimmed_minutes", c.trimmed_minutes},
      {"ceus", static_cast<double>(c.ceu_hundredths) / 100.0},
      {"semester_credits", static_cast<double>(c.semester_credit_hundredths) / 100.0},
  };
}

}  // namespace

boost::json::value to_json(const Evaluation& e) {
  bj::array rules;
  for (const auto& r : e.rules) {
    bj::object o{{"rule", r.rule}, {"passed", r.passed}, {"reason", r.reason}};
    if (r.evidence) o["evidence"] = evidence_json(*r.evidence);
    rules.emplace_back(std::move(o));
  }
  bj::array missing;
  for (const auto& m : e.missing) {
    bj::object o{{"rule", m.rule}, {"what", m.what}};
    o["due_on"] = m.due_on ? bj::value(format_date(*m.due_on)) : bj::value(nullptr);
    missing.emplace_back(std::move(o));
  }
  bj::array allocations;
  for (const auto& a : e.allocations) {
    bj::object o{
        {"evidence", evidence_json(a.evidence)}, {"learned_at", format_rfc3339(a.learned_at)}, {"format", a.format},
        {"self_reported", a.self_reported},      {"verified_minutes", a.verified_minutes},     {"minutes", a.minutes}};
    if (!a.self_reported) {
      o["activity_id"] = a.activity_id;
      o["provider_id"] = a.provider_id;
    }
    allocations.emplace_back(std::move(o));
  }
  bj::array backing;
  for (const auto& id : e.backing) backing.emplace_back(evidence_json(id));
  bj::object out;
  out["claim_id"] = e.claim_id;
  out["educator_id"] = e.educator_id;
  out["submitted_at"] = format_rfc3339(e.submitted_at);
  out["tier"] = e.tier;
  out["policy_version"] = e.policy_version;
  out["suggestion"] = to_string(e.suggestion);
  out["rules"] = std::move(rules);
  out["missing"] = std::move(missing);
  out["credit"] = credit_json(e.credit);
  out["allocations"] = std::move(allocations);
  out["backing"] = std::move(backing);
  out["completed_at"] = e.allocations.empty() ? bj::value(nullptr) : bj::value(format_rfc3339(e.completed_at));
  return out;
}

boost::json::value to_json(const Transcript& t) {
  bj::array cycles;
  for (const auto& c : t.cycles) {
    bj::array tiers;
    for (const auto& tc : c.tiers)
      tiers.emplace_back(bj::object{{"tier", tc.tier}, {"credit", credit_json(tc.credit)}});
    cycles.emplace_back(bj::object{{"number", c.number},
                                   {"starts_on", format_date(c.starts_on)},
                                   {"ends_on", format_date(c.ends_on)},
                                   {"current", c.number == t.current},
                                   {"tiers", std::move(tiers)},
                                   {"total", credit_json(c.total)},
                                   {"required_hours", static_cast<double>(c.required_minutes) / 60.0},
                                   {"remaining_hours", static_cast<double>(c.remaining_minutes) / 60.0},
                                   {"percent", c.percent},
                                   {"met", c.met}});
  }
  return bj::object{{"educator_id", t.educator_id},
                    {"cycle_starts_on", format_date(t.cycle_starts_on)},
                    {"cycles", std::move(cycles)}};
}

}  // namespace staffroom::credit
