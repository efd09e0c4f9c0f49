// All SQL of the credit module: policy versions, self-reported learning,
// supporting evidence, claims, decisions, the credit they gave, the audit
// trail, and the participation records the engine reads.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "credit/engine.hpp"
#include "credit/learning.hpp"
#include "credit/policy.hpp"
#include "db/database.hpp"

namespace staffroom::credit::store {

// ---- Policy versions
struct PolicyRecord {
  int version = 0;
  int effective_on = 0;
  std::string body;  // import/export JSON
  std::optional<std::int64_t> created_by;
  std::string created_by_name;
  EpochMs created_at = 0;
};
Status insert_policy(db::Connection& c, std::int64_t district_id, int version, int effective_on,
                     const std::string& body, std::int64_t created_by, EpochMs now);
// Newest version first.
Result<std::vector<PolicyRecord>> policy_versions(db::Connection& c, std::int64_t district_id);

// ---- Self-reported learning
Result<std::int64_t> insert_self_report(db::Connection& c, const SelfReport& r, EpochMs now);
Status update_self_report(db::Connection& c, const SelfReport& r, EpochMs now);
Status delete_self_report(db::Connection& c, std::int64_t id);
Result<std::optional<SelfReport>> find_self_report(db::Connection& c, std::int64_t id);
Result<std::vector<SelfReport>> self_reports_of(db::Connection& c, std::int64_t user_id);
Status request_attestation(db::Connection& c, std::int64_t id, const std::string& email, const std::string& token_hash,
                           EpochMs now);
Result<std::optional<SelfReport>> find_by_attestation_token(db::Connection& c, const std::string& token_hash);
Status record_attestation(db::Connection& c, std::int64_t id, AttestationState state, std::int64_t attester_id,
                          const std::string& note, EpochMs now);

// ---- Supporting evidence
Result<std::int64_t> insert_support(db::Connection& c, const SupportingEvidence& e, const std::string& content_base64,
                                    EpochMs now);
Result<std::optional<SupportingEvidence>> find_support(db::Connection& c, std::int64_t id);
Result<std::optional<std::string>> support_content(db::Connection& c, std::int64_t id);  // base64
Result<std::vector<SupportingEvidence>> supports_of(db::Connection& c, std::int64_t user_id);
Status delete_support(db::Connection& c, std::int64_t id);

// ---- Participation (attendance records) as the engine reads them
struct Participation {
  Evidence evidence;
  std::string activity_title;
  std::string host_name;
};
Result<std::vector<Participation>> participation_of(db::Connection& c, std::int64_t user_id);
// Every piece of evidence of the educators with a pending claim in the
// district (or of one educator when user_id is set).
Result<std::vector<Evidence>> evidence_for_pending(db::Connection& c, std::int64_t district_id,
                                                   std::optional<std::int64_t> user_id);

// ---- Claims
enum class ClaimStatus { Pending, Approved, Denied, Withdrawn };
std::string_view to_string(ClaimStatus s);
std::optional<ClaimStatus> parse_claim_status(std::string_view s);

struct ClaimRecord {
  Claim claim;
  std::int64_t district_id = 0;
  std::string note;
  ClaimStatus status = ClaimStatus::Pending;
  int policy_version = 0;
  std::optional<std::int64_t> decided_by;
  std::string decided_by_name;
  std::optional<EpochMs> decided_at;
  std::string reason;
  Credit credit;  // approved claims
  EpochMs completed_at = 0;
  std::string educator_name, educator_email, school;
};

Result<std::int64_t> insert_claim(db::Connection& c, std::int64_t district_id, const Claim& claim,
                                  const std::string& note);
Result<std::optional<ClaimRecord>> find_claim(db::Connection& c, std::int64_t district_id, std::int64_t claim_id);
struct ClaimFilter {
  std::optional<ClaimStatus> status;
  std::optional<std::int64_t> user_id;
  std::string tier, school;
  std::int64_t after_id = 0;
  int limit = 50;
};
Result<std::vector<ClaimRecord>> list_claims(db::Connection& c, std::int64_t district_id, const ClaimFilter& f);
// Pending claims (all, or one educator's), for the engine.
// Educators of the district with a renewal cycle of their own: user id ->
// days since 1970-01-01 of its start.
Result<std::unordered_map<std::int64_t, int>> cycle_starts(db::Connection& c, std::int64_t district_id,
                                                           std::optional<std::int64_t> user_id);
Result<std::vector<Claim>> pending_claims(db::Connection& c, std::int64_t district_id,
                                          std::optional<std::int64_t> user_id);
// Approved claims with their backing and allocations, of the educators
// with a pending claim (or of one educator).
Result<std::vector<ApprovedClaim>> approved_claims(db::Connection& c, std::int64_t district_id,
                                                   std::optional<std::int64_t> user_id, bool only_pending_educators);
// Marks the claim approved with its credit; writes backing (Conflict when a
// piece already backs another approved claim) and allocations.
Status approve_claim(db::Connection& c, std::int64_t district_id, const ApprovedClaim& approved, const Credit& credit,
                     int policy_version, std::int64_t decided_by, const std::string& reason, EpochMs now);
Status close_claim(db::Connection& c, std::int64_t claim_id, ClaimStatus status, int policy_version,
                   std::optional<std::int64_t> decided_by, const std::string& reason, EpochMs now);
// Whether the piece is named by a pending or approved claim (it may then
// not change).
Result<bool> evidence_in_use(db::Connection& c, EvidenceKind kind, std::int64_t evidence_id);
// Whether the user is an approver or admin of a district where a claim names
// the piece (and so may open it).
Result<bool> approver_of_claim_naming(db::Connection& c, std::int64_t user_id, EvidenceKind kind,
                                      std::int64_t evidence_id);

// ---- Audit
struct AuditEntry {
  std::int64_t id = 0;
  std::optional<std::int64_t> claim_id;
  std::optional<std::int64_t> actor_id;
  std::string actor_name, action, detail;
  int policy_version = 0;
  EpochMs at = 0;
};
Status audit(db::Connection& c, std::int64_t district_id, std::optional<std::int64_t> claim_id, std::int64_t actor_id,
             const std::string& action, int policy_version, const std::string& detail, EpochMs now);
Result<std::vector<AuditEntry>> audit_trail(db::Connection& c, std::int64_t district_id,
                                            std::optional<std::int64_t> claim_id, std::int64_t before_id, int limit);

// ---- Reports: approved credit by school, format, theme and provider
struct ReportRow {
  std::string dimension, key;  // "school" / "Lincoln Elementary"
  std::int64_t claims = 0, educators = 0, minutes = 0;
};
Result<std::vector<ReportRow>> credit_report(db::Connection& c, std::int64_t district_id);

}  // namespace staffroom::credit::store
