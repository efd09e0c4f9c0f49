// A district's credit policy: what learning counts, how minutes become clock
// hours, CEUs and semester credits, the tiers a claim can ask for with the
// evidence and deadlines each needs, caps, and the renewal cycle. Value types
// and pure rules, no I/O (except the system's time-zone rules, read through
// core/calendar like the activities model does).
//
// This unit promises:
// - parse_policy and to_json are the import/export format, "format":
//   "staffroom.credit-policy/1". Field names are stable; a change that
//   old files cannot be read under gets a new format number. to_json writes
//   every field, so parse_policy(to_json(p)) == p for every valid p.
// - validate() refuses a policy that contradicts itself with ONE Validation
//   error that lists every problem by field path ("tiers[1].deadline_days")
//   with a message that tells a district administrator what to change.
// - Amounts are integers: minutes (JSON says hours, in steps of one minute),
//   days, percent. Nothing here depends on floating-point rounding.
//
// A policy is one version. A district's versions share its id; a claim is
// judged under the version in force (latest effective_on, then highest
// version) at the moment it was submitted (see engine.hpp).
#pragma once

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace staffroom::credit {

// The one format name parse_policy reads and to_json writes.
inline constexpr std::string_view kPolicyFormat = "staffroom.credit-policy/1";

// How a host verified attendance (attendance.source).
enum class Source { CheckIn, AttendanceList, Xapi };
inline constexpr Source kSources[] = {Source::CheckIn, Source::AttendanceList, Source::Xapi};
std::string_view to_string(Source s);  // "check_in", "attendance_list", "xapi"
std::optional<Source> parse_source(std::string_view s);

// What the educator did in the activity.
enum class Role { Attendee, Presenter, Facilitator };
std::string_view to_string(Role r);  // "attendee", "presenter", "facilitator"
std::optional<Role> parse_role(std::string_view s);

// How a piece of learning's minutes become clock hours. Each piece (a
// session, a self-reported item) is rounded on its own, so a claim's hours
// never depend on how an educator grouped sessions into claims. Nearest
// rounds a half step up (7.5 minutes to the quarter hour).
enum class Rounding {
  None,                // "none": every minute counts
  NearestQuarterHour,  // "nearest_quarter_hour"
  DownToQuarterHour,   // "down_to_quarter_hour"
  NearestHalfHour,     // "nearest_half_hour"
  DownToHalfHour,      // "down_to_half_hour"
  NearestHour,         // "nearest_hour"
  DownToHour,          // "down_to_hour"
};
std::string_view to_string(Rounding r);
std::optional<Rounding> parse_rounding(std::string_view s);
int rounding_step_minutes(Rounding r);  // 1, 15, 30 or 60
std::int64_t round_minutes(std::int64_t minutes, Rounding r);

// "All" or a named list; an empty list is refused by validate() because it
// would make nothing count.
template <class T>
struct Selection {
  bool all = true;
  std::vector<T> only;  // when !all
  bool operator==(const Selection&) const = default;
};

// Informal learning an educator logs without a host (a social-media chat,
// a webinar elsewhere, a forum thread, an online course).
struct SelfReportedRule {
  bool counts = false;
  Selection<std::string> formats;     // from activities::kFormats
  bool requires_attestation = false;  // a colleague must attest the educator took part
  int min_reflection_words = 0;       // the item's own reflection
  bool operator==(const SelfReportedRule&) const = default;
};

// What counts at all. Providers and themes apply to host-verified
// participation (self-reported learning has neither); formats to both.
struct Eligibility {
  Selection<std::string> formats;     // activities::kFormats
  Selection<std::int64_t> providers;  // organization ids of approved providers
  Selection<std::string> themes;      // campaign theme titles, compared ignoring ASCII case
  SelfReportedRule self_reported;
  bool operator==(const Eligibility&) const = default;
};

struct Conversion {
  Rounding rounding = Rounding::None;
  std::int64_t minutes_per_ceu = 600;              // 1 CEU = 10 hours
  std::int64_t minutes_per_semester_credit = 900;  // 15 contact hours = 1 credit
  int presenter_percent = 100;                     // 200: presenting counts double
  int facilitator_percent = 100;
  bool operator==(const Conversion&) const = default;
};

// One kind of evidence that can meet a requirement.
enum class EvidenceRule {
  HostAttendance,        // "host_attendance": every piece of learning in the claim was verified by its host
  Survey,                // "survey": a short survey about the learning
  Reflection,            // "reflection": a reflection of at least min_words words
  Artifact,              // "artifact": an uploaded artifact (a lesson plan, student work)
  ColleagueAttestation,  // "colleague_attestation": a colleague attests to the learning or its use
};
std::string_view to_string(EvidenceRule k);
std::optional<EvidenceRule> parse_evidence_rule(std::string_view s);

struct EvidenceOption {
  EvidenceRule kind = EvidenceRule::HostAttendance;
  std::vector<Source> sources = {Source::CheckIn, Source::AttendanceList, Source::Xapi};  // host_attendance
  int min_words = 0;                                                                      // reflection
  bool operator==(const EvidenceOption&) const = default;
};

// Met when any one of its options is met.
struct Requirement {
  std::vector<EvidenceOption> any_of;
  bool operator==(const Requirement&) const = default;
};

// A level of credit: knowledge, application, impact. A claim asks for one.
struct Tier {
  std::string id;    // slug, "knowledge"
  std::string name;  // "Knowledge"
  int level = 1;     // 1, 2, 3...: higher tiers ask for more
  // The claim must be submitted, and its supporting evidence dated, within
  // this many days after the learning (local days in the policy's zone).
  int deadline_days = 30;
  std::int64_t min_minutes = 0;           // the least credit a claim at this tier may earn
  std::vector<Requirement> requirements;  // every one must be met
  bool approver_review = false;           // an approver must judge the evidence; never suggested for approval unseen
  bool operator==(const Tier&) const = default;
};

enum class CapScope {
  All,           // "all": all learning
  Format,        // "format": learning in `format`
  EachFormat,    // "each_format": learning in any one format
  Provider,      // "provider": participation hosted by `provider`
  EachProvider,  // "each_provider": participation hosted by any one provider
  SelfReported,  // "self_reported": self-reported learning
};
std::string_view to_string(CapScope s);
std::optional<CapScope> parse_cap_scope(std::string_view s);

// Years are counted from the educator's cycle start, so a cycle that starts
// on 1 July has school years.
enum class CapPeriod { Year, Cycle };
std::string_view to_string(CapPeriod p);  // "year", "cycle"
std::optional<CapPeriod> parse_cap_period(std::string_view s);

struct Cap {
  CapScope applies_to = CapScope::All;
  std::string format;         // CapScope::Format
  std::int64_t provider = 0;  // CapScope::Provider
  CapPeriod period = CapPeriod::Cycle;
  std::int64_t max_minutes = 0;
  bool operator==(const Cap&) const = default;
};

struct Renewal {
  std::int64_t required_minutes = 0;  // 6000: 100 hours
  int cycle_years = 5;
  int starts_on = 0;  // days since 1970-01-01: the default cycle start (educators may have their own)
  bool operator==(const Renewal&) const = default;
};

struct Policy {
  std::int64_t district_id = 0;  // set by the store; not part of the JSON format
  std::string name;
  int version = 1;
  int effective_on = 0;   // days since 1970-01-01, local midnight in time_zone
  std::string time_zone;  // IANA name; dates (deadlines, years, cycles) are its local days
  Eligibility counts;
  Conversion conversion;
  std::vector<Tier> tiers;
  std::vector<Cap> caps;
  Renewal renewal;

  const Tier* tier(std::string_view id) const;
  bool operator==(const Policy&) const = default;
};

// Reads the import format. Shape problems (a wrong type, a missing or
// unknown field, an unknown name such as a rounding rule) come first; a
// policy of the right shape is then checked with validate(). Either way the
// error lists every problem found.
Result<Policy> parse_policy(const boost::json::value& json);
boost::json::value to_json(const Policy& policy);

// Every problem of a policy that would make it contradict itself or mislead:
// unknown formats, negative or zero amounts, overlapping or duplicate tiers,
// a cap below a tier minimum or one that makes the renewal requirement
// impossible, rules that could never apply. Ok, or one Validation error.
Status validate(const Policy& policy);
std::vector<FieldError> check_policy(const Policy& policy);

// "1.5 hours", "1 hour", "7 minutes": how reasons and messages state amounts.
std::string hours_text(std::int64_t minutes);

}  // namespace staffroom::credit
