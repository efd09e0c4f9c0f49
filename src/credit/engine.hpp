// The credit engine: given a district's policy versions, its educators'
// evidence and claims, it says for every pending claim which rules pass, what
// evidence is missing, how much credit the claim would earn and what an
// approver should do; and it totals approved credit into transcripts. Pure
// code: no I/O, no clock (the caller passes `as_of`), no randomness.
//
// What it promises (pinned by engine_test.cpp):
// - The same inputs give the same outcome, whatever order the vectors are in.
// - Pending claims are judged one educator at a time in submission order
//   (submitted_at, then id). A claim the engine suggests approving (Approve or
//   Review) reserves its credit and evidence before the next claim is judged,
//   so approving every suggestion never exceeds a cap and never counts
//   evidence twice. After a decision that differs (a denial), run it again.
// - Caps are never exceeded: a claim that would pass a cap is trimmed to what
//   is left of it (partial credit), and the cap's rule says so.
// - No evidence is counted twice: evidence that backs an approved claim, or an
//   earlier claim suggested for approval, backs no other; one session of an
//   activity counts once even when the host recorded it several ways
//   (check-in and xAPI).
// - A later policy version never changes an earlier decision: each claim is
//   judged under the version in force when it was submitted, and only claims
//   submitted earlier can affect it.
//
// How a claim is judged, in the order its rules are listed:
//   policy.in_force        a version of the policy was in force when it was submitted
//   tier.exists            the tier it asks for is one of that version's tiers
//   evidence.found         each piece of evidence it names is on record and the educator's own
//   evidence.unused        none backs another claim; each session counts once
//   learning.present       it names learning (participation or self-reported) to credit
//   learning.format        each piece of learning is in a format that counts
//   learning.provider      each activity's host is an approved provider (listed when the
//                          policy names providers and the claim has participation)
//   learning.theme         each activity has a theme that counts (likewise, for themes)
//   learning.self_reported self-reported learning counts, is attested if the policy asks,
//                          and has a long enough reflection (when the claim has any)
//   learning.minutes       each piece of learning shows minutes
//   learning.deadline      it was claimed within the tier's deadline_days after the learning,
//                          and not before it
//   tier.requirements[i]   each of the tier's evidence requirements is met, by evidence
//                          dated no later than the due date (the latest learning's local
//                          day + deadline_days); not listed when no learning is left
//   caps[j]                for each cap that applies: passed = nothing trimmed
//   tier.min_hours         the credit reaches the tier's minimum (when it has one)
//   evidence.due           listed, failed, when missing evidence can no longer be added
//   credit.earned          listed, failed, when rounding leaves the learning no credit
// A rule about pieces of evidence is listed once per failing piece (with its
// id) or once as passed. Learning that fails a rule is left out and the claim
// goes on with the rest; learning that waits for something that can still
// come (a colleague's attestation, a longer reflection) is not counted yet.
//
// The suggestion: Deny when nothing is left to credit, when caps leave no
// credit or less than the tier's minimum; NeedsEvidence when a requirement,
// an attestation, a reflection or more learning is missing and the due date
// (in `as_of`'s local day) has not passed, else Deny; otherwise Review when
// the tier asks for an approver's judgement, else Approve.
//
// Credit: each counted piece of learning's minutes, times the role multiplier
// (presenter, facilitator), rounded on its own by the policy's rule, trimmed
// by caps in whole rounding steps. A claim's credit falls in the year and the
// renewal cycle of its latest counted learning (`completed_at`), in the local
// days of the policy's time zone. CEUs and semester credits are hundredths,
// rounded down, from the clock minutes.
#pragma once

#include <boost/json/fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/time.hpp"
#include "credit/policy.hpp"

namespace staffroom::credit {

// ---------------------------------------------------------------------------
// Inputs

enum class EvidenceKind {
  Participation,  // "participation": an attendance row (check-in, attendance list, xAPI)
  SelfReport,     // "self_report": informal learning the educator logged
  Survey,         // "survey": a short survey about the learning
  Reflection,     // "reflection": a written reflection
  Artifact,       // "artifact": an uploaded artifact
  Attestation,    // "attestation": a colleague's attestation
};
std::string_view to_string(EvidenceKind k);
std::optional<EvidenceKind> parse_evidence_kind(std::string_view s);

// Each kind keeps its own ids (they are rows of different tables).
struct EvidenceId {
  EvidenceKind kind = EvidenceKind::Participation;
  std::int64_t id = 0;
  bool operator==(const EvidenceId&) const = default;
  bool operator<(const EvidenceId& o) const { return kind != o.kind ? kind < o.kind : id < o.id; }
};
std::string to_string(EvidenceId id);  // "participation:12"

enum class AttestationState { None, Requested, Attested, Declined };
std::string_view to_string(AttestationState s);  // "none", "requested", "attested", "declined"

// One piece of evidence. The fields a kind does not use keep their defaults.
struct Evidence {
  EvidenceId id;
  std::int64_t educator_id = 0;
  // When: the session's start (participation), the day of the learning
  // (self_report), when it was completed, written, uploaded or attested.
  EpochMs at = 0;
  std::int64_t minutes = 0;  // participation, self_report
  // participation: the attendance row and its activity
  Source source = Source::CheckIn;
  std::int64_t activity_id = 0;
  std::int64_t provider_id = 0;  // the host organization
  Role role = Role::Attendee;
  std::vector<std::string> themes;
  std::string format;                                     // participation, self_report: activities::kFormats
  int words = 0;                                          // self_report (its own reflection), reflection
  AttestationState attestation = AttestationState::None;  // self_report
  std::int64_t attester_id = 0;                           // self_report: who attested; attestation: the colleague
};

struct Claim {
  std::int64_t id = 0;
  std::int64_t educator_id = 0;
  EpochMs submitted_at = 0;
  std::string tier;                  // Tier::id
  std::vector<EvidenceId> evidence;  // learning and supporting evidence it rests on
};

// Credit given for one piece of learning. It carries what caps are counted
// by, so an approved claim keeps its credit when its evidence later changes
// (a voided xAPI statement) or a new policy version comes into force.
struct Allocation {
  EvidenceId evidence;
  std::int64_t activity_id = 0;  // participation; 0 for self-reported learning
  EpochMs learned_at = 0;        // Evidence::at
  std::string format;
  std::int64_t provider_id = 0;
  bool self_reported = false;
  std::int64_t verified_minutes = 0;  // the minutes the evidence shows
  std::int64_t minutes = 0;           // credited: after the role multiplier, rounding and caps
  bool operator==(const Allocation&) const = default;
};

// An approved claim as the engine needs it. Build it with approved() from
// the evaluation the approver accepted, and keep it as it is.
struct ApprovedClaim {
  std::int64_t claim_id = 0;
  std::int64_t educator_id = 0;
  std::string tier;
  EpochMs completed_at = 0;
  std::vector<EvidenceId> backing;  // every piece of evidence it rests on
  std::vector<Allocation> allocations;
  bool operator==(const ApprovedClaim&) const = default;
};

// One district's state, as the engine reads it.
struct Batch {
  std::vector<Policy> versions;  // any order; each valid (see validate())
  std::vector<Evidence> evidence;
  std::vector<ApprovedClaim> approved;
  std::vector<Claim> pending;
  // Educators whose renewal cycle starts on their own date (days since
  // 1970-01-01, like a license's issue date); the others start on the
  // policy's renewal.starts_on.
  std::unordered_map<std::int64_t, int> cycle_starts;
};

// ---------------------------------------------------------------------------
// Outputs

struct Credit {
  std::int64_t verified_minutes = 0;  // the minutes the counted learning shows
  std::int64_t minutes = 0;           // clock minutes credited: clock hours x 60
  std::int64_t trimmed_minutes = 0;   // what caps took off
  std::int64_t ceu_hundredths = 0;    // 125: 1.25 CEUs
  std::int64_t semester_credit_hundredths = 0;
  bool operator==(const Credit&) const = default;
};

struct RuleResult {
  std::string rule;  // "learning.format", "tier.requirements[0]", "caps[2]"
  bool passed = false;
  std::string reason;                  // for the educator and the approver
  std::optional<EvidenceId> evidence;  // the piece the rule failed for
  bool operator==(const RuleResult&) const = default;
};

struct MissingEvidence {
  std::string rule;           // the rule it would make pass
  std::string what;           // "a reflection of at least 300 words, or an artifact"
  std::optional<int> due_on;  // local day, days since 1970-01-01
  bool operator==(const MissingEvidence&) const = default;
};

enum class Suggestion {
  Approve,        // every rule is met: approve for the credit shown
  Review,         // every rule is met, but the tier asks an approver to judge the evidence
  NeedsEvidence,  // evidence is missing that can still be added before it is due
  Deny,           // nothing can make it pass: not eligible, too late, or no credit left
};
std::string_view to_string(Suggestion s);  // "approve", "review", "needs_evidence", "deny"

struct Evaluation {
  std::int64_t claim_id = 0;
  std::int64_t educator_id = 0;
  EpochMs submitted_at = 0;
  std::string tier;
  int policy_version = 0;  // 0 when no version was in force
  std::vector<RuleResult> rules;
  std::vector<MissingEvidence> missing;
  Credit credit;
  std::vector<Allocation> allocations;  // the learning that earns credit, in (learned_at, id) order
  std::vector<EvidenceId> backing;      // what the claim rests on if approved, sorted
  EpochMs completed_at = 0;             // the latest counted learning
  Suggestion suggestion = Suggestion::Deny;
  bool operator==(const Evaluation&) const = default;
};

// Judges every pending claim of `batch` as of `as_of` (which decides whether
// missing evidence can still be added). The result is in (submitted_at, id)
// order, one Evaluation per pending claim. To preview a claim being written,
// add it to `pending` with submitted_at = now. Linear in the evidence and
// claims (plus sorting them): a district of 20,000 educators and a million
// participation records takes about a second of one core
// (bench/credit_engine.cpp).
std::vector<Evaluation> evaluate_pending(const Batch& batch, EpochMs as_of);

// The approved claim to keep when an approver accepts `evaluation`.
ApprovedClaim approved(const Evaluation& evaluation);

// ---------------------------------------------------------------------------
// Transcripts

struct TierCredit {
  std::string tier;
  Credit credit;
  bool operator==(const TierCredit&) const = default;
};

struct CycleProgress {
  int number = 0;                 // 0: the cycle that starts on the cycle start; -1 the one before
  int starts_on = 0;              // local days
  int ends_on = 0;                // the last day of the cycle
  std::vector<TierCredit> tiers;  // by tier id
  Credit total;
  std::int64_t required_minutes = 0;
  std::int64_t remaining_minutes = 0;
  int percent = 0;  // of the requirement, rounded down, at most 100
  bool met = false;
  bool operator==(const CycleProgress&) const = default;
};

struct Transcript {
  std::int64_t educator_id = 0;
  int cycle_starts_on = 0;
  std::vector<CycleProgress> cycles;  // every cycle with credit, and the current one, in order
  int current = 0;                    // the number of the cycle `as_of` falls in
  bool operator==(const Transcript&) const = default;
};

// Approved credit of one educator by cycle and tier under `policy` (the
// version in force now: its time zone, cycle, requirement and conversions;
// the credit itself is what was approved). Claims of other educators are
// ignored.
Transcript transcript(const Policy& policy, std::int64_t educator_id, const std::vector<ApprovedClaim>& approved,
                      std::optional<int> cycle_starts_on, EpochMs as_of);

// ---------------------------------------------------------------------------
// JSON for the API (snake_case, dates as YYYY-MM-DD, instants as RFC 3339,
// hours as numbers).

boost::json::value to_json(const Evaluation& evaluation);
boost::json::value to_json(const Transcript& transcript);

// "1.25" for 125 hundredths.
std::string hundredths_text(std::int64_t hundredths);

}  // namespace staffroom::credit
