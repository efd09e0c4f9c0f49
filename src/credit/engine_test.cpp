// The credit engine: a table of (policy, evidence, claims) -> outcome rows
// that read as the district's rules, then the engine's promises as
// properties over many generated districts (fixed seeds, so every run checks
// the same cases).
#include "credit/engine.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "core/calendar.hpp"
#include "core/json.hpp"

using namespace staffroom;
using namespace staffroom::credit;

namespace {

constexpr std::int64_t kEducator = 7;
constexpr std::int64_t kColleague = 8;
constexpr std::string_view kZone = "America/Chicago";

int day(std::string_view date) {
  return *parse_date(date);
}

// A wall time in the district's zone: "2012-08-07T19:00".
EpochMs at(std::string_view local) {
  return *local_to_utc(*parse_local_time(local), kZone);
}

EvidenceId P(std::int64_t id) {
  return {EvidenceKind::Participation, id};
}
EvidenceId S(std::int64_t id) {
  return {EvidenceKind::SelfReport, id};
}
EvidenceId SV(std::int64_t id) {
  return {EvidenceKind::Survey, id};
}
EvidenceId R(std::int64_t id) {
  return {EvidenceKind::Reflection, id};
}
EvidenceId A(std::int64_t id) {
  return {EvidenceKind::Artifact, id};
}
EvidenceId AT(std::int64_t id) {
  return {EvidenceKind::Attestation, id};
}

// A checked-in webinar session of its own activity, hosted by organization 12.
Evidence session(std::int64_t id, std::string_view when, std::int64_t minutes) {
  Evidence e;
  e.id = P(id);
  e.educator_id = kEducator;
  e.at = at(when);
  e.minutes = minutes;
  e.source = Source::CheckIn;
  e.activity_id = 100 + id;
  e.provider_id = 12;
  e.format = "webinar";
  e.themes = {"Digital citizenship"};
  return e;
}

// A social-media chat the educator logged, attested by a colleague.
Evidence self_report(std::int64_t id, std::string_view when, std::int64_t minutes) {
  Evidence e;
  e.id = S(id);
  e.educator_id = kEducator;
  e.at = at(when);
  e.minutes = minutes;
  e.format = "social_media_chat";
  e.words = 150;
  e.attestation = AttestationState::Attested;
  e.attester_id = kColleague;
  return e;
}

Evidence supporting(EvidenceId id, std::string_view when, int words = 0) {
  Evidence e;
  e.id = id;
  e.educator_id = kEducator;
  e.at = at(when);
  e.words = words;
  if (id.kind == EvidenceKind::Attestation) e.attester_id = kColleague;
  return e;
}

template <class Edit>
Evidence with(Evidence e, Edit edit) {
  edit(e);
  return e;
}

Claim claim(std::int64_t id, std::string_view submitted, std::string tier, std::vector<EvidenceId> evidence) {
  return {id, kEducator, at(submitted), std::move(tier), std::move(evidence)};
}

EvidenceOption option(EvidenceRule kind, int min_words = 0) {
  EvidenceOption o;
  o.kind = kind;
  o.min_words = min_words;
  return o;
}

// The district of the examples: Chicago time, school years from 1 July,
// 100 hours every five years, nearest quarter hour, presenting counts double,
// self-reported learning counts when a colleague attests it.
Policy district() {
  Policy p;
  p.name = "Springfield PD credit";
  p.version = 1;
  p.effective_on = day("2012-07-01");
  p.time_zone = std::string(kZone);
  p.counts.self_reported = {true, {}, true, 50};
  p.conversion = {Rounding::NearestQuarterHour, 600, 900, 200, 200};
  p.tiers = {
      {"knowledge",
       "Knowledge",
       1,
       30,
       0,
       {{{option(EvidenceRule::HostAttendance), option(EvidenceRule::Survey)}}},
       false},
      {"application",
       "Application",
       2,
       365,
       0,
       {{{option(EvidenceRule::Reflection, 300), option(EvidenceRule::Artifact)}}},
       false},
      {"impact",
       "Impact",
       3,
       1095,
       0,
       {{{option(EvidenceRule::Artifact)}}, {{option(EvidenceRule::ColleagueAttestation)}}},
       true},
  };
  p.renewal = {6000, 5, day("2010-07-01")};
  return p;
}

std::string failed_rules(const Evaluation& e) {
  std::string out;
  std::string last;
  for (const auto& r : e.rules) {
    if (r.passed || r.rule == last) continue;
    last = r.rule;
    out += (out.empty() ? "" : ", ") + r.rule;
  }
  return out;
}

std::string describe(const Evaluation& e) {
  std::string out = "claim " + std::to_string(e.claim_id) + ": " + std::string(to_string(e.suggestion)) + ", " +
                    std::to_string(e.credit.minutes) + " minutes";
  for (const auto& r : e.rules)
    out += std::string("\n    ") + (r.passed ? "pass " : "FAIL ") + r.rule + ": " + r.reason;
  for (const auto& m : e.missing) out += "\n    missing (" + m.rule + "): " + m.what;
  return out;
}

// Approves every claim the engine suggests approving, as an approver who
// agrees with it would.
std::vector<ApprovedClaim> approve_suggested(const std::vector<Evaluation>& evaluations) {
  std::vector<ApprovedClaim> out;
  for (const auto& e : evaluations) {
    if (e.suggestion == Suggestion::Approve || e.suggestion == Suggestion::Review) out.push_back(approved(e));
  }
  return out;
}

struct Outcome {
  std::int64_t claim = 0;
  Suggestion suggestion = Suggestion::Deny;
  std::int64_t minutes = 0;  // credited clock minutes
  std::string failed;        // the rules that did not pass, in the order listed
};

struct Row {
  std::string spec;
  std::function<void(Policy&)> policy;
  std::vector<Evidence> evidence;
  std::vector<Claim> earlier;  // judged first, and approved where the engine suggests it
  std::vector<Claim> pending;
  std::vector<Outcome> expect;  // in (submitted_at, id) order
  std::string as_of = "2012-09-01T12:00";
};

const Suggestion kApprove = Suggestion::Approve;
const Suggestion kReview = Suggestion::Review;
const Suggestion kNeeds = Suggestion::NeedsEvidence;
const Suggestion kDeny = Suggestion::Deny;

std::vector<Row> rows() {
  const auto aug7 = [](std::int64_t id, std::int64_t minutes) { return session(id, "2012-08-07T19:00", minutes); };
  return {
      // What counts and how much
      {"an hour of host-verified attendance earns an hour",
       nullptr,
       {aug7(1, 60)},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{1, kApprove, 60, ""}}},
      {"each session is rounded on its own to the nearest quarter hour: 52 minutes to 45, 53 to 60",
       nullptr,
       {aug7(1, 52), session(2, "2012-08-08T19:00", 53)},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1), P(2)})},
       {{1, kApprove, 105, ""}}},
      {"without rounding every minute counts",
       [](Policy& p) { p.conversion.rounding = Rounding::None; },
       {aug7(1, 52)},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{1, kApprove, 52, ""}}},
      {"presenting counts double",
       nullptr,
       {with(aug7(1, 60), [](Evidence& e) { e.role = Role::Presenter; })},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{1, kApprove, 120, ""}}},
      {"facilitating counts as the policy says: one and a half times",
       [](Policy& p) { p.conversion.facilitator_percent = 150; },
       {with(aug7(1, 60), [](Evidence& e) { e.role = Role::Facilitator; })},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{1, kApprove, 90, ""}}},
      {"learning in a format the policy does not count earns nothing",
       [](Policy& p) {
         p.counts.formats = {false, {"webinar"}};
       },
       {with(aug7(1, 60), [](Evidence& e) { e.format = "social_media_chat"; })},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{1, kDeny, 0, "learning.format"}}},
      {"learning that does not count is left out and the rest is credited",
       [](Policy& p) {
         p.counts.formats = {false, {"webinar"}};
       },
       {aug7(1, 60), with(session(2, "2012-08-09T19:00", 60), [](Evidence& e) { e.format = "live_chat"; })},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1), P(2)})},
       {{1, kApprove, 60, "learning.format"}}},
      {"an activity hosted by a provider not on the approved list earns nothing",
       [](Policy& p) {
         p.counts.providers = {false, {40}};
       },
       {aug7(1, 60)},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{1, kDeny, 0, "learning.provider"}}},
      {"themes match ignoring case",
       [](Policy& p) {
         p.counts.themes = {false, {"digital CITIZENSHIP"}};
       },
       {aug7(1, 60)},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{1, kApprove, 60, ""}}},
      {"an activity without a theme that counts earns nothing",
       [](Policy& p) {
         p.counts.themes = {false, {"Equity"}};
       },
       {aug7(1, 60)},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{1, kDeny, 0, "learning.theme"}}},
      {"learning that shows no minutes earns nothing",
       nullptr,
       {aug7(1, 0)},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{1, kDeny, 0, "learning.minutes"}}},
      {"learning rounded away earns nothing",
       nullptr,
       {aug7(1, 5)},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{1, kDeny, 0, "credit.earned"}}},

      // Self-reported learning
      {"attested self-reported learning with a survey meets the knowledge tier",
       nullptr,
       {self_report(2, "2012-08-10T20:00", 60), supporting(SV(3), "2012-08-12T09:00")},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {S(2), SV(3)})},
       {{1, kApprove, 60, ""}}},
      {"self-reported learning is not host-verified: without a survey it needs evidence",
       nullptr,
       {self_report(2, "2012-08-10T20:00", 60)},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {S(2)})},
       {{1, kNeeds, 60, "tier.requirements[0]"}}},
      {"self-reported learning waits for the attestation a colleague was asked for",
       nullptr,
       {with(self_report(2, "2012-08-10T20:00", 60), [](Evidence& e) { e.attestation = AttestationState::Requested; }),
        supporting(SV(3), "2012-08-12T09:00")},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {S(2), SV(3)})},
       {{1, kNeeds, 0, "learning.self_reported"}}},
      {"a declined attestation leaves nothing to credit",
       nullptr,
       {with(self_report(2, "2012-08-10T20:00", 60), [](Evidence& e) { e.attestation = AttestationState::Declined; }),
        supporting(SV(3), "2012-08-12T09:00")},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {S(2), SV(3)})},
       {{1, kDeny, 0, "learning.self_reported"}}},
      {"an educator cannot attest their own learning",
       nullptr,
       {with(self_report(2, "2012-08-10T20:00", 60), [](Evidence& e) { e.attester_id = kEducator; }),
        supporting(SV(3), "2012-08-12T09:00")},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {S(2), SV(3)})},
       {{1, kNeeds, 0, "learning.self_reported"}}},
      {"a reflection shorter than the policy asks keeps self-reported learning waiting",
       nullptr,
       {with(self_report(2, "2012-08-10T20:00", 60), [](Evidence& e) { e.words = 20; }),
        supporting(SV(3), "2012-08-12T09:00")},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {S(2), SV(3)})},
       {{1, kNeeds, 0, "learning.self_reported"}}},
      {"self-reported learning does not count where the policy says so",
       [](Policy& p) { p.counts.self_reported = {}; },
       {self_report(2, "2012-08-10T20:00", 60), supporting(SV(3), "2012-08-12T09:00")},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {S(2), SV(3)})},
       {{1, kDeny, 0, "learning.self_reported"}}},
      {"without attestation required, a colleague's word is not needed",
       [](Policy& p) { p.counts.self_reported.requires_attestation = false; },
       {with(self_report(2, "2012-08-10T20:00", 60), [](Evidence& e) { e.attestation = AttestationState::None; }),
        supporting(SV(3), "2012-08-12T09:00")},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {S(2), SV(3)})},
       {{1, kApprove, 60, ""}}},
      {"self-reported learning has its own cap",
       [](Policy& p) {
         p.caps = {{CapScope::SelfReported, "", 0, CapPeriod::Cycle, 60}};
       },
       {self_report(2, "2012-08-10T20:00", 90), supporting(SV(3), "2012-08-12T09:00")},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {S(2), SV(3)})},
       {{1, kApprove, 60, "caps[0]"}}},

      // Deadlines
      {"learning claimed after the tier's 30 days earns nothing",
       nullptr,
       {aug7(1, 60)},
       {},
       {claim(1, "2012-09-10T10:00", "knowledge", {P(1)})},
       {{1, kDeny, 0, "learning.deadline"}},
       "2012-09-15T12:00"},
      {"30 days are counted in local days: the 30th day after is still in time",
       nullptr,
       {aug7(1, 60)},
       {},
       {claim(1, "2012-09-06T23:59", "knowledge", {P(1)})},
       {{1, kApprove, 60, ""}},
       "2012-09-15T12:00"},
      {"learning dated after the claim was submitted is left out",
       nullptr,
       {self_report(2, "2012-08-25T20:00", 60), supporting(SV(3), "2012-08-26T09:00")},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {S(2), SV(3)})},
       {{1, kDeny, 0, "learning.deadline"}}},

      // Tiers and their evidence
      {"the application tier needs a reflection or an artifact: until it is due, it needs evidence",
       nullptr,
       {aug7(1, 60)},
       {},
       {claim(1, "2012-08-20T10:00", "application", {P(1)})},
       {{1, kNeeds, 60, "tier.requirements[0]"}}},
      {"once the evidence is overdue, the claim is denied",
       nullptr,
       {aug7(1, 60)},
       {},
       {claim(1, "2012-08-20T10:00", "application", {P(1)})},
       {{1, kDeny, 60, "tier.requirements[0], evidence.due"}},
       "2013-09-01T12:00"},
      {"a reflection of 300 words, written after the claim was submitted, meets the application tier",
       nullptr,
       {aug7(1, 60), supporting(R(4), "2012-09-15T12:00", 320)},
       {},
       {claim(1, "2012-08-20T10:00", "application", {P(1), R(4)})},
       {{1, kApprove, 60, ""}},
       "2012-10-01T12:00"},
      {"a reflection of 250 words does not",
       nullptr,
       {aug7(1, 60), supporting(R(4), "2012-09-15T12:00", 250)},
       {},
       {claim(1, "2012-08-20T10:00", "application", {P(1), R(4)})},
       {{1, kNeeds, 60, "tier.requirements[0]"}},
       "2012-10-01T12:00"},
      {"an artifact dated after the evidence was due does not count",
       nullptr,
       {aug7(1, 60), supporting(A(5), "2013-09-01T12:00")},
       {},
       {claim(1, "2012-08-20T10:00", "application", {P(1), A(5)})},
       {{1, kDeny, 60, "tier.requirements[0], evidence.due"}},
       "2013-09-02T12:00"},
      {"impact evidence meets every rule but is left to an approver's judgement",
       nullptr,
       {aug7(1, 60), supporting(A(5), "2013-03-01T12:00"), supporting(AT(6), "2013-03-02T12:00")},
       {},
       {claim(1, "2012-08-20T10:00", "impact", {P(1), A(5), AT(6)})},
       {{1, kReview, 60, ""}},
       "2013-04-01T12:00"},
      {"an attestation the educator wrote is not a colleague's",
       nullptr,
       {aug7(1, 60), supporting(A(5), "2013-03-01T12:00"),
        with(supporting(AT(6), "2013-03-02T12:00"), [](Evidence& e) { e.attester_id = kEducator; })},
       {},
       {claim(1, "2012-08-20T10:00", "impact", {P(1), A(5), AT(6)})},
       {{1, kNeeds, 60, "tier.requirements[1]"}},
       "2013-04-01T12:00"},
      {"learning short of the tier's minimum needs more learning",
       [](Policy& p) { p.tiers[1].min_minutes = 120; },
       {aug7(1, 60), supporting(R(4), "2012-08-15T12:00", 320)},
       {},
       {claim(1, "2012-08-20T10:00", "application", {P(1), R(4)})},
       {{1, kNeeds, 60, "tier.min_hours"}}},
      {"a tier the policy does not have",
       nullptr,
       {aug7(1, 60)},
       {},
       {claim(1, "2012-08-20T10:00", "mastery", {P(1)})},
       {{1, kDeny, 0, "tier.exists"}}},
      {"a claim submitted before any version of the policy was in force",
       nullptr,
       {session(1, "2012-06-10T19:00", 60)},
       {},
       {claim(1, "2012-06-15T10:00", "knowledge", {P(1)})},
       {{1, kDeny, 0, "policy.in_force"}}},

      // Evidence counts once
      {"evidence that is not the educator's is not on record for the claim",
       nullptr,
       {with(aug7(1, 60), [](Evidence& e) { e.educator_id = 99; })},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{1, kDeny, 0, "evidence.found, learning.present"}}},
      {"a session recorded by check-in and by xAPI counts once, the way that shows more minutes",
       nullptr,
       {aug7(1, 60), with(aug7(2, 45),
                          [](Evidence& e) {
                            e.source = Source::Xapi;
                            e.activity_id = 101;
                          })},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1), P(2)})},
       {{1, kApprove, 60, "evidence.unused"}}},
      {"several xAPI rows of one session add up (left and came back)",
       nullptr,
       {aug7(1, 60),
        with(aug7(2, 30),
             [](Evidence& e) {
               e.source = Source::Xapi;
               e.activity_id = 101;
             }),
        with(aug7(3, 40),
             [](Evidence& e) {
               e.source = Source::Xapi;
               e.activity_id = 101;
             })},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1), P(2), P(3)})},
       {{1, kApprove, 75, "evidence.unused"}}},
      {"evidence that backs an approved claim backs no other",
       nullptr,
       {aug7(1, 60)},
       {claim(1, "2012-08-10T10:00", "knowledge", {P(1)})},
       {claim(2, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{2, kDeny, 0, "evidence.unused, learning.present"}}},
      {"a session already counted through another of its records counts no more",
       nullptr,
       {aug7(1, 60), with(aug7(2, 60),
                          [](Evidence& e) {
                            e.source = Source::Xapi;
                            e.activity_id = 101;
                          })},
       {claim(1, "2012-08-10T10:00", "knowledge", {P(1)})},
       {claim(2, "2012-08-20T10:00", "knowledge", {P(2)})},
       {{2, kDeny, 0, "evidence.unused"}}},
      {"two pending claims name one record: the one submitted first gets it",
       nullptr,
       {aug7(1, 60)},
       {},
       {claim(5, "2012-08-20T12:00", "knowledge", {P(1)}), claim(4, "2012-08-20T10:00", "knowledge", {P(1)})},
       {{4, kApprove, 60, ""}, {5, kDeny, 0, "evidence.unused, learning.present"}}},
      {"a claim the engine would deny reserves nothing for later claims",
       nullptr,
       {aug7(1, 60)},
       {},
       {claim(4, "2012-08-20T10:00", "mastery", {P(1)}), claim(5, "2012-08-20T12:00", "knowledge", {P(1)})},
       {{4, kDeny, 0, "tier.exists"}, {5, kApprove, 60, ""}}},

      // Caps
      {"a yearly format cap trims a claim to what is left of it",
       [](Policy& p) {
         p.caps = {{CapScope::Format, "webinar", 0, CapPeriod::Year, 120}};
       },
       {session(1, "2012-08-01T19:00", 90), aug7(2, 60)},
       {claim(1, "2012-08-05T10:00", "knowledge", {P(1)})},
       {claim(2, "2012-08-20T10:00", "knowledge", {P(2)})},
       {{2, kApprove, 30, "caps[0]"}}},
      {"a cap with nothing left denies the claim",
       [](Policy& p) {
         p.caps = {{CapScope::Format, "webinar", 0, CapPeriod::Year, 60}};
       },
       {session(1, "2012-08-01T19:00", 60), aug7(2, 60)},
       {claim(1, "2012-08-05T10:00", "knowledge", {P(1)})},
       {claim(2, "2012-08-20T10:00", "knowledge", {P(2)})},
       {{2, kDeny, 0, "caps[0]"}}},
      {"a cap trims in whole rounding steps, never past the cap",
       [](Policy& p) {
         p.caps = {{CapScope::All, "", 0, CapPeriod::Year, 100}};
         p.renewal.required_minutes = 300;
       },
       {session(1, "2012-08-01T19:00", 60), aug7(2, 60)},
       {claim(1, "2012-08-05T10:00", "knowledge", {P(1)})},
       {claim(2, "2012-08-20T10:00", "knowledge", {P(2)})},
       {{2, kApprove, 30, "caps[0]"}}},
      {"each provider has its own cap",
       [](Policy& p) {
         p.caps = {{CapScope::EachProvider, "", 0, CapPeriod::Year, 60}};
       },
       {aug7(1, 60), with(session(2, "2012-08-08T19:00", 60), [](Evidence& e) { e.provider_id = 40; }),
        session(3, "2012-08-09T19:00", 60)},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1), P(2), P(3)})},
       {{1, kApprove, 120, "caps[0]"}}},
      {"pending claims judged earlier take their share of a cap first",
       [](Policy& p) {
         p.caps = {{CapScope::Format, "webinar", 0, CapPeriod::Year, 90}};
       },
       {aug7(1, 60), session(2, "2012-08-08T19:00", 60)},
       {},
       {claim(1, "2012-08-20T10:00", "knowledge", {P(1)}), claim(2, "2012-08-21T10:00", "knowledge", {P(2)})},
       {{1, kApprove, 60, ""}, {2, kApprove, 30, "caps[0]"}}},
      {"years are counted in the district's time zone: 23:30 on 30 June is the year before",
       [](Policy& p) {
         p.caps = {{CapScope::All, "", 0, CapPeriod::Year, 60}};
         p.renewal.required_minutes = 300;
       },
       {session(1, "2012-06-30T23:30", 60), session(2, "2012-07-02T19:00", 60)},
       {claim(1, "2012-07-05T10:00", "knowledge", {P(1)})},
       {claim(2, "2012-07-10T10:00", "knowledge", {P(2)})},
       {{2, kApprove, 60, ""}},
       "2012-07-15T12:00"},
      {"and 00:30 on 1 July is the same year as the next day",
       [](Policy& p) {
         p.caps = {{CapScope::All, "", 0, CapPeriod::Year, 60}};
         p.renewal.required_minutes = 300;
       },
       {session(1, "2012-07-01T00:30", 60), session(2, "2012-07-02T19:00", 60)},
       {claim(1, "2012-07-05T10:00", "knowledge", {P(1)})},
       {claim(2, "2012-07-10T10:00", "knowledge", {P(2)})},
       {{2, kDeny, 0, "caps[0]"}},
       "2012-07-15T12:00"},
      {"a claim the caps cut below its tier's minimum is denied",
       [](Policy& p) {
         p.caps = {{CapScope::All, "", 0, CapPeriod::Year, 180}};
         p.tiers[1].min_minutes = 120;
         p.renewal.required_minutes = 600;
       },
       {session(1, "2012-08-01T19:00", 120), session(2, "2012-08-07T19:00", 120),
        supporting(R(4), "2012-08-15T12:00", 320)},
       {claim(1, "2012-08-05T10:00", "knowledge", {P(1)})},
       {claim(2, "2012-08-20T10:00", "application", {P(2), R(4)})},
       {{2, kDeny, 60, "caps[0], tier.min_hours"}}},
  };
}

}  // namespace

TEST(CreditEngine, RulesOfTheDistrict) {
  for (const Row& row : rows()) {
    SCOPED_TRACE(row.spec);
    Policy policy = district();
    if (row.policy) row.policy(policy);
    ASSERT_TRUE(check_policy(policy).empty()) << "the row's policy must be valid: " << validate(policy).error().detail;
    Batch batch;
    batch.versions = {policy};
    batch.evidence = row.evidence;
    if (!row.earlier.empty()) {
      batch.pending = row.earlier;
      batch.approved = approve_suggested(evaluate_pending(batch, at(row.as_of)));
      ASSERT_EQ(batch.approved.size(), row.earlier.size()) << "every earlier claim must be approved";
    }
    batch.pending = row.pending;
    const auto evaluations = evaluate_pending(batch, at(row.as_of));
    ASSERT_EQ(evaluations.size(), row.expect.size());
    for (std::size_t i = 0; i < evaluations.size(); ++i) {
      const auto& e = evaluations[i];
      const auto& x = row.expect[i];
      EXPECT_EQ(e.claim_id, x.claim);
      EXPECT_EQ(e.suggestion, x.suggestion) << describe(e);
      EXPECT_EQ(e.credit.minutes, x.minutes) << describe(e);
      EXPECT_EQ(failed_rules(e), x.failed) << describe(e);
    }
  }
}

TEST(CreditEngine, ReasonsAndMissingEvidenceTellWhatToDo) {
  Policy p = district();
  p.caps = {{CapScope::Format, "webinar", 0, CapPeriod::Year, 120}};
  p.counts.formats = {false, {"webinar"}};
  p.counts.self_reported.formats = {false, {"webinar"}};
  Batch b;
  b.versions = {p};
  b.evidence = {session(1, "2012-08-01T19:00", 90), session(2, "2012-08-07T19:00", 60),
                with(session(3, "2012-08-08T19:00", 60), [](Evidence& e) { e.format = "live_chat"; }),
                supporting(R(4), "2012-08-15T12:00", 120)};
  b.pending = {claim(1, "2012-08-05T10:00", "knowledge", {P(1)})};
  b.approved = approve_suggested(evaluate_pending(b, at("2012-09-01T12:00")));
  b.pending = {claim(2, "2012-08-20T10:00", "application", {P(2), P(3), R(4), P(9)})};
  const auto e = evaluate_pending(b, at("2012-09-01T12:00")).at(0);

  const auto rule = [&](const std::string& id) -> const RuleResult& {
    for (const auto& r : e.rules)
      if (r.rule == id) return r;
    throw std::runtime_error("no rule " + id);
  };
  EXPECT_EQ(rule("policy.in_force").reason,
            "judged under version 1 of \"Springfield PD credit\", in force from 2012-07-01");
  EXPECT_EQ(rule("tier.exists").reason, "asks for the Application tier (level 2)");
  EXPECT_EQ(rule("evidence.found").evidence, P(9));
  EXPECT_EQ(rule("learning.format").reason, "participation:3 is a live_chat activity; this policy counts webinar");
  EXPECT_EQ(rule("tier.requirements[0]").reason,
            "needs a reflection of at least 300 words or an uploaded artifact by 2013-08-07; reflection:4 has 120 "
            "words, fewer than 300");
  EXPECT_EQ(rule("caps[0]").reason,
            "trimmed 0.5 hours to stay within the cap of 2 hours a year of webinar learning in the year from "
            "2012-07-01 to 2013-06-30");
  ASSERT_EQ(e.missing.size(), 1u);
  EXPECT_EQ(e.missing[0].rule, "tier.requirements[0]");
  EXPECT_EQ(e.missing[0].what, "a reflection of at least 300 words or an uploaded artifact");
  EXPECT_EQ(e.missing[0].due_on, day("2013-08-07"));
  EXPECT_EQ(e.suggestion, Suggestion::NeedsEvidence);
  EXPECT_EQ(e.credit.trimmed_minutes, 30);
  EXPECT_EQ(e.backing, (std::vector<EvidenceId>{P(2)}));  // the short reflection stays free
}

TEST(CreditEngine, CreditConvertsToCeusAndSemesterCredits) {
  Batch b;
  b.versions = {district()};
  b.evidence = {session(1, "2012-08-07T19:00", 150)};
  b.pending = {claim(1, "2012-08-20T10:00", "knowledge", {P(1)})};
  const auto e = evaluate_pending(b, at("2012-09-01T12:00")).at(0);
  EXPECT_EQ(e.credit.verified_minutes, 150);
  EXPECT_EQ(e.credit.minutes, 150);
  EXPECT_EQ(e.credit.ceu_hundredths, 25);              // 2.5 hours at 10 hours a CEU
  EXPECT_EQ(e.credit.semester_credit_hundredths, 16);  // 2.5 of 15 hours, rounded down
  EXPECT_EQ(hundredths_text(e.credit.semester_credit_hundredths), "0.16");
  ASSERT_EQ(e.allocations.size(), 1u);
  EXPECT_EQ(e.allocations[0].activity_id, 101);
  EXPECT_EQ(e.completed_at, at("2012-08-07T19:00"));
}

TEST(CreditEngine, EachClaimIsJudgedUnderTheVersionInForceWhenItWasSubmitted) {
  Policy v1 = district();
  Policy v2 = district();
  v2.version = 2;
  v2.effective_on = day("2012-08-15");
  v2.conversion.rounding = Rounding::None;
  Batch b;
  b.versions = {v2, v1};
  b.evidence = {session(1, "2012-08-07T19:00", 52), session(2, "2012-08-14T19:00", 52)};
  b.pending = {claim(1, "2012-08-14T23:59", "knowledge", {P(1)}), claim(2, "2012-08-15T00:01", "knowledge", {P(2)})};
  const auto e = evaluate_pending(b, at("2012-09-01T12:00"));
  EXPECT_EQ(e[0].policy_version, 1);
  EXPECT_EQ(e[0].credit.minutes, 45);
  EXPECT_EQ(e[1].policy_version, 2);
  EXPECT_EQ(e[1].credit.minutes, 52);
}

TEST(CreditEngine, AnEducatorsOwnCycleStartSetsTheirYears) {
  Policy p = district();
  p.caps = {{CapScope::All, "", 0, CapPeriod::Year, 60}};
  p.renewal.required_minutes = 300;
  Batch b;
  b.versions = {p};
  b.evidence = {session(1, "2012-08-07T19:00", 60), session(2, "2012-08-20T19:00", 60)};
  b.pending = {claim(1, "2012-08-10T10:00", "knowledge", {P(1)})};
  b.approved = approve_suggested(evaluate_pending(b, at("2012-09-01T12:00")));
  b.pending = {claim(2, "2012-08-25T10:00", "knowledge", {P(2)})};
  EXPECT_EQ(evaluate_pending(b, at("2012-09-01T12:00")).at(0).credit.minutes, 0);
  // A license issued on 15 August starts a new year between the sessions.
  b.cycle_starts[kEducator] = day("2011-08-15");
  EXPECT_EQ(evaluate_pending(b, at("2012-09-01T12:00")).at(0).credit.minutes, 60);
}

TEST(CreditEngine, TranscriptTotalsApprovedCreditByCycleAndTier) {
  Policy p = district();
  Batch b;
  b.versions = {p};
  b.evidence = {session(1, "2012-08-07T19:00", 600), session(2, "2012-08-08T19:00", 90),
                supporting(R(3), "2012-09-01T12:00", 400), session(4, "2015-08-07T19:00", 120)};
  b.pending = {claim(1, "2012-08-20T10:00", "knowledge", {P(1)}),
               claim(2, "2012-08-20T11:00", "application", {P(2), R(3)}),
               claim(3, "2015-08-20T10:00", "knowledge", {P(4)})};
  const auto approved_claims = approve_suggested(evaluate_pending(b, at("2015-09-01T12:00")));
  ASSERT_EQ(approved_claims.size(), 3u);
  const auto t = transcript(p, kEducator, approved_claims, std::nullopt, at("2016-01-01T12:00"));
  EXPECT_EQ(t.current, 1);
  ASSERT_EQ(t.cycles.size(), 2u);
  const auto& first = t.cycles[0];
  EXPECT_EQ(first.number, 0);
  EXPECT_EQ(format_date(first.starts_on), "2010-07-01");
  EXPECT_EQ(format_date(first.ends_on), "2015-06-30");
  ASSERT_EQ(first.tiers.size(), 2u);
  EXPECT_EQ(first.tiers[0].tier, "application");
  EXPECT_EQ(first.tiers[0].credit.minutes, 90);
  EXPECT_EQ(first.tiers[1].tier, "knowledge");
  EXPECT_EQ(first.tiers[1].credit.minutes, 600);
  EXPECT_EQ(first.total.minutes, 690);
  EXPECT_EQ(first.total.ceu_hundredths, 115);
  EXPECT_EQ(first.remaining_minutes, 6000 - 690);
  EXPECT_EQ(first.percent, 11);
  EXPECT_FALSE(first.met);
  const auto& second = t.cycles[1];
  EXPECT_EQ(format_date(second.starts_on), "2015-07-01");
  EXPECT_EQ(second.total.minutes, 120);
  // Another educator's claims are not theirs; an educator without credit
  // still sees the current cycle and what it asks for.
  const auto other = transcript(p, 99, approved_claims, day("2012-01-15"), at("2016-01-01T12:00"));
  ASSERT_EQ(other.cycles.size(), 1u);
  EXPECT_EQ(format_date(other.cycles[0].starts_on), "2012-01-15");
  EXPECT_EQ(other.cycles[0].remaining_minutes, 6000);
  const auto j = to_json(t).as_object();
  EXPECT_EQ(j.at("cycles").at(0).at("total").at("clock_hours").as_double(), 11.5);
  EXPECT_EQ(j.at("cycles").at(1).at("current").as_bool(), true);
  EXPECT_EQ(j.at("cycles").at(0).at("required_hours").as_double(), 100.0);
}

TEST(CreditEngine, EvaluationsAsJson) {
  Batch b;
  b.versions = {district()};
  b.evidence = {session(1, "2012-08-07T19:00", 90)};
  b.pending = {claim(1, "2012-08-20T10:00", "application", {P(1)})};
  const auto j = to_json(evaluate_pending(b, at("2012-09-01T12:00")).at(0));
  const auto text = json::serialize(j);
  const auto& o = j.as_object();
  EXPECT_EQ(o.at("suggestion").as_string(), "needs_evidence");
  EXPECT_EQ(o.at("policy_version").as_int64(), 1);
  EXPECT_EQ(o.at("credit").at("clock_hours").as_double(), 1.5);
  EXPECT_EQ(o.at("credit").at("ceus").as_double(), 0.15);
  EXPECT_EQ(o.at("missing").at(0).at("due_on").as_string(), "2013-08-07");
  EXPECT_EQ(o.at("allocations").at(0).at("evidence").at("kind").as_string(), "participation");
  EXPECT_EQ(o.at("backing").at(0).at("id").as_int64(), 1);
  EXPECT_NE(text.find("\"ceus\":0.15"), std::string::npos) << text;
}

// ---------------------------------------------------------------------------
// Properties over generated districts

namespace {

constexpr std::int64_t kEducators = 6;

struct Generator {
  explicit Generator(std::uint64_t seed) : rng(seed) {}
  std::mt19937_64 rng;

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
  bool chance(int percent) { return uniform(1, 100) <= percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(uniform(0, static_cast<int>(v.size()) - 1))];
  }

  // A valid policy with random rounding, multipliers, minimums and caps.
  Policy policy(int version, std::string_view effective_on) {
    for (;;) {
      Policy p = district();
      p.version = version;
      p.effective_on = day(effective_on);
      p.conversion.rounding = pick(std::vector<Rounding>{Rounding::None, Rounding::NearestQuarterHour,
                                                         Rounding::DownToHalfHour, Rounding::NearestHour});
      p.conversion.presenter_percent = pick(std::vector<int>{100, 150, 200});
      p.counts.self_reported.counts = chance(80);
      p.counts.self_reported.requires_attestation = chance(50);
      p.tiers[1].min_minutes = pick(std::vector<std::int64_t>{0, 60, 120});
      p.renewal.required_minutes = 60;
      const std::vector<Cap> caps = {
          {CapScope::All, "", 0, CapPeriod::Year, 60L * uniform(2, 8)},
          {CapScope::All, "", 0, CapPeriod::Cycle, 60L * uniform(3, 20)},
          {CapScope::Format, "webinar", 0, CapPeriod::Year, 15L * uniform(1, 12)},
          {CapScope::EachFormat, "", 0, CapPeriod::Cycle, 30L * uniform(2, 10)},
          {CapScope::Provider, "", 11, CapPeriod::Year, 45L * uniform(1, 4)},
          {CapScope::EachProvider, "", 0, CapPeriod::Year, 60L * uniform(1, 5)},
          {CapScope::SelfReported, "", 0, CapPeriod::Cycle, 20L * uniform(1, 6)},
      };
      for (const auto& c : caps)
        if (chance(40)) p.caps.push_back(c);
      if (check_policy(p).empty()) return p;
    }
  }

  Batch district_batch() {
    Batch b;
    b.versions = {policy(1, "2012-07-01")};
    std::int64_t next_id = 1;
    const std::vector<std::string> formats = {"webinar", "live_chat", "online_course", "social_media_chat"};
    const std::vector<Source> sources = {Source::CheckIn, Source::AttendanceList, Source::Xapi};
    const EpochMs start = at("2012-07-01T00:00");
    for (std::int64_t educator = 1; educator <= kEducators; ++educator) {
      std::vector<EvidenceId> learning, support;
      std::vector<EpochMs> when;
      for (int i = uniform(4, 14); i > 0; --i) {
        Evidence e;
        e.id = P(next_id++);
        e.educator_id = educator;
        e.activity_id = uniform(1, 6);
        // Few sessions per activity, so the same session is often recorded
        // more than one way.
        e.at = start + (e.activity_id * 37 + std::int64_t{uniform(0, 3)} * 101) * 6LL * 3600 * 1000;
        e.minutes = pick(std::vector<std::int64_t>{0, 5, 30, 45, 52, 60, 90, 120});
        e.source = pick(sources);
        e.role = chance(15) ? Role::Presenter : Role::Attendee;
        e.provider_id = 10 + e.activity_id % 3;
        e.format = formats[static_cast<std::size_t>(e.activity_id) % formats.size()];
        e.themes = {"Digital citizenship"};
        learning.push_back(e.id);
        b.evidence.push_back(std::move(e));
      }
      for (int i = uniform(0, 4); i > 0; --i) {
        Evidence e;
        e.id = S(next_id++);
        e.educator_id = educator;
        e.at = start + uniform(0, 700) * 24LL * 3600 * 1000;
        e.minutes = pick(std::vector<std::int64_t>{30, 60, 75, 120});
        e.format = pick(formats);
        e.words = uniform(0, 200);
        e.attestation = pick(std::vector<AttestationState>{AttestationState::None, AttestationState::Requested,
                                                           AttestationState::Attested, AttestationState::Attested});
        e.attester_id = e.attestation == AttestationState::Attested ? 1000 + educator : 0;
        learning.push_back(e.id);
        b.evidence.push_back(std::move(e));
      }
      for (int i = uniform(1, 6); i > 0; --i) {
        const auto kind = pick(std::vector<EvidenceKind>{EvidenceKind::Survey, EvidenceKind::Reflection,
                                                         EvidenceKind::Artifact, EvidenceKind::Attestation});
        Evidence e;
        e.id = {kind, next_id++};
        e.educator_id = educator;
        e.at = start + uniform(0, 900) * 24LL * 3600 * 1000;
        e.words = uniform(100, 500);
        e.attester_id = chance(80) ? 1000 + educator : educator;
        support.push_back(e.id);
        b.evidence.push_back(std::move(e));
      }
      for (int i = uniform(3, 10); i > 0; --i) {
        Claim c;
        c.id = next_id++;
        c.educator_id = educator;
        c.tier = pick(std::vector<std::string>{"knowledge", "knowledge", "application", "impact", "mastery"});
        EpochMs latest = start;
        for (int k = uniform(1, 3); k > 0; --k) {
          const auto id = chance(3) ? P(uniform(1, static_cast<int>(next_id))) : pick(learning);
          c.evidence.push_back(id);
          for (const auto& e : b.evidence)
            if (e.id == id) latest = std::max(latest, e.at);
        }
        for (int k = uniform(0, 2); k > 0; --k) c.evidence.push_back(pick(support));
        c.submitted_at = latest + uniform(-2, 40) * 24LL * 3600 * 1000 + uniform(0, 86399) * 1000LL;
        b.pending.push_back(std::move(c));
      }
    }
    return b;
  }
};

// Approves every suggested claim in rounds of submission, as approvers who
// agree with the engine would; returns what was approved.
std::vector<ApprovedClaim> run_rounds(Batch b, EpochMs as_of, int rounds) {
  std::vector<Claim> all = b.pending;
  std::sort(all.begin(), all.end(), [](const Claim& x, const Claim& y) { return x.submitted_at < y.submitted_at; });
  b.approved.clear();
  for (int r = 0; r < rounds; ++r) {
    b.pending.clear();
    for (std::size_t i = all.size() * r / rounds; i < all.size() * (r + 1) / rounds; ++i) b.pending.push_back(all[i]);
    for (auto& a : approve_suggested(evaluate_pending(b, as_of))) b.approved.push_back(std::move(a));
  }
  return b.approved;
}

// The period a claim's credit falls in, worked out independently of the
// engine: the local date in the policy's zone against 1 July anniversaries.
std::pair<int, int> year_and_cycle(const Policy& p, EpochMs completed_at) {
  const int local = utc_to_local(completed_at, p.time_zone)->days;
  const std::string date = format_date(local);
  const int y = std::stoi(date.substr(0, 4));
  const int year = (date.substr(5) >= "07-01" ? y : y - 1) - 2010;
  const int cycle =
      year >= 0 ? year / p.renewal.cycle_years : -((-year + p.renewal.cycle_years - 1) / p.renewal.cycle_years);
  return {year, cycle};
}

}  // namespace

TEST(CreditEngineProperties, TheSameInputsGiveTheSameOutcomeInAnyOrder) {
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    Generator g(seed);
    Batch b = g.district_batch();
    const EpochMs as_of = at("2014-01-01T00:00");
    b.approved = run_rounds(b, as_of, 2);
    const auto first = evaluate_pending(b, as_of);
    EXPECT_EQ(evaluate_pending(b, as_of), first) << "seed " << seed;
    std::shuffle(b.evidence.begin(), b.evidence.end(), g.rng);
    std::shuffle(b.pending.begin(), b.pending.end(), g.rng);
    std::shuffle(b.approved.begin(), b.approved.end(), g.rng);
    for (auto& c : b.pending) std::shuffle(c.evidence.begin(), c.evidence.end(), g.rng);
    EXPECT_EQ(evaluate_pending(b, as_of), first) << "seed " << seed;
  }
}

TEST(CreditEngineProperties, ApprovingEverySuggestionNeverExceedsACap) {
  int trimmed = 0;
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    Generator g(seed);
    const Batch b = g.district_batch();
    const Policy& p = b.versions[0];
    const auto approved_claims = run_rounds(b, at("2014-01-01T00:00"), 3);
    std::map<std::tuple<std::int64_t, std::size_t, int, std::string, std::int64_t>, std::int64_t> totals;
    for (const auto& a : approved_claims) {
      const auto [year, cycle] = year_and_cycle(p, a.completed_at);
      for (const auto& alloc : a.allocations) {
        EXPECT_EQ(alloc.minutes % rounding_step_minutes(p.conversion.rounding), 0) << "seed " << seed;
        for (std::size_t j = 0; j < p.caps.size(); ++j) {
          const Cap& c = p.caps[j];
          const bool applies =
              c.applies_to == CapScope::All || c.applies_to == CapScope::EachFormat ||
              (c.applies_to == CapScope::Format && alloc.format == c.format) ||
              (c.applies_to == CapScope::Provider && !alloc.self_reported && alloc.provider_id == c.provider) ||
              (c.applies_to == CapScope::EachProvider && !alloc.self_reported) ||
              (c.applies_to == CapScope::SelfReported && alloc.self_reported);
          if (!applies) continue;
          const int period = c.period == CapPeriod::Year ? year : cycle;
          const std::string format = c.applies_to == CapScope::EachFormat ? alloc.format : "";
          const std::int64_t provider = c.applies_to == CapScope::EachProvider ? alloc.provider_id : 0;
          auto& total = totals[{a.educator_id, j, period, format, provider}];
          total += alloc.minutes;
          EXPECT_LE(total, c.max_minutes) << "seed " << seed << ", educator " << a.educator_id << ", caps[" << j << "]";
        }
      }
    }
    for (const auto& e : evaluate_pending(b, at("2014-01-01T00:00")))
      if (e.credit.trimmed_minutes > 0) ++trimmed;
  }
  EXPECT_GT(trimmed, 20) << "the generated districts must exercise the caps";
}

TEST(CreditEngineProperties, NoEvidenceIsCountedTwice) {
  int approved_count = 0;
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    Generator g(seed);
    const Batch b = g.district_batch();
    const auto approved_claims = run_rounds(b, at("2014-01-01T00:00"), 3);
    std::set<EvidenceId> backing;
    std::set<std::tuple<std::int64_t, std::int64_t, EpochMs>> sessions;
    for (const auto& a : approved_claims) {
      ++approved_count;
      std::int64_t sum = 0;
      for (const auto& id : a.backing)
        EXPECT_TRUE(backing.insert(id).second) << "seed " << seed << ": " << to_string(id);
      // Several xAPI rows of one session may add up within a claim (a person
      // who left and came back); no other claim may count that session.
      std::set<std::tuple<std::int64_t, std::int64_t, EpochMs>> claim_sessions;
      for (const auto& alloc : a.allocations) {
        sum += alloc.minutes;
        EXPECT_GT(alloc.minutes, 0);
        EXPECT_TRUE(std::binary_search(a.backing.begin(), a.backing.end(), alloc.evidence));
        if (!alloc.self_reported) claim_sessions.insert({a.educator_id, alloc.activity_id, alloc.learned_at});
      }
      for (const auto& s : claim_sessions) {
        EXPECT_TRUE(sessions.insert(s).second) << "seed " << seed << ": a session counted in two claims";
      }
      EXPECT_GT(sum, 0);
    }
  }
  EXPECT_GT(approved_count, 500) << "the generated districts must approve claims";
}

TEST(CreditEngineProperties, ALaterPolicyVersionNeverChangesAnEarlierDecision) {
  int unchanged = 0, changed = 0;
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    Generator g(seed);
    Batch b = g.district_batch();
    const EpochMs as_of = at("2014-01-01T00:00");
    b.approved = run_rounds(b, as_of, 2);
    const auto before = evaluate_pending(b, as_of);
    const std::string effective = format_date(day("2012-09-01") + g.uniform(0, 500));
    Policy later = g.policy(2, effective);
    later.tiers[0].deadline_days = g.uniform(1, 30);
    later.counts.formats = {false, {"webinar", "online_course"}};
    for (auto& c : later.caps)
      if (c.applies_to == CapScope::Format && c.format != "webinar") c.format = "webinar";
    ASSERT_TRUE(check_policy(later).empty()) << validate(later).error().detail;
    b.versions.push_back(later);
    const auto after = evaluate_pending(b, as_of);
    ASSERT_EQ(before.size(), after.size());
    const EpochMs in_force = *local_to_utc({day(effective), 0}, kZone);
    for (std::size_t i = 0; i < before.size(); ++i) {
      if (before[i].submitted_at < in_force) {
        EXPECT_EQ(before[i], after[i]) << "seed " << seed << "\n" << describe(before[i]) << "\n" << describe(after[i]);
        ++unchanged;
      } else if (!(before[i] == after[i])) {
        ++changed;
      }
    }
  }
  EXPECT_GT(unchanged, 300);
  EXPECT_GT(changed, 100) << "the later versions must change later decisions, or the test proves nothing";
}

TEST(CreditEngineProperties, SuggestionsAgreeWithTheirRules) {
  for (std::uint64_t seed = 1; seed <= 100; ++seed) {
    Generator g(seed);
    const Batch b = g.district_batch();
    for (const auto& e : evaluate_pending(b, at("2014-01-01T00:00"))) {
      std::int64_t sum = 0;
      for (const auto& a : e.allocations) sum += a.minutes;
      EXPECT_EQ(e.credit.minutes, sum);
      if (e.suggestion == Suggestion::Approve || e.suggestion == Suggestion::Review) {
        EXPECT_TRUE(e.missing.empty()) << describe(e);
        EXPECT_GT(e.credit.minutes, 0) << describe(e);
        for (const auto& r : e.rules) {
          // Only pieces left out and caps that trimmed may fail in a claim
          // that is suggested for approval.
          const bool may_fail = r.evidence.has_value() || r.rule.rfind("caps[", 0) == 0;
          EXPECT_TRUE(r.passed || may_fail) << describe(e);
        }
      }
      if (e.suggestion == Suggestion::NeedsEvidence) {
        EXPECT_FALSE(e.missing.empty()) << describe(e);
      }
    }
  }
}
