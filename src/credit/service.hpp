// Credit use cases: a district's policy versions; the learning and evidence
// educators record; claims, the engine's evaluation of them, approvers'
// decisions with their audit trail; transcripts and district reports. Owns
// the transactions and every authorization decision about credit.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/identity.hpp"
#include "core/page.hpp"
#include "credit/engine.hpp"
#include "credit/learning.hpp"
#include "credit/policy.hpp"
#include "credit/store.hpp"
#include "db/database.hpp"
#include "districts/service.hpp"

namespace staffroom::credit {

struct PolicyVersion {
  Policy policy;
  store::PolicyRecord record;
};

struct ClaimView {
  store::ClaimRecord record;
  std::optional<Evaluation> evaluation;  // pending claims: the engine's judgement now
};

struct EvidenceList {
  std::vector<store::Participation> participation;
  std::vector<SelfReport> self_reports;
  std::vector<SupportingEvidence> supporting;
};

struct TranscriptView {
  Transcript transcript;
  int policy_version = 0;
  std::string policy_name, time_zone;
  std::string educator_name, educator_email, district_name;
  std::vector<store::ClaimRecord> claims;  // approved, with their evidence
};

struct BulkOutcome {
  std::int64_t claim_id = 0;
  bool ok = false;
  std::string detail;
};

class CreditService {
 public:
  CreditService(db::Database& db, districts::DistrictService& districts, std::string public_url)
      : db_(db), districts_(districts), public_url_(std::move(public_url)) {}

  // ---- Policy (members read; admins write a new version)
  Result<std::vector<PolicyVersion>> policy_versions(const std::string& district, const Identity& who);
  // The version in force today, if any.
  Result<std::optional<PolicyVersion>> current_policy(const std::string& district, const Identity& who);
  // Saves the policy as the next version; its "version" field is ignored.
  Result<PolicyVersion> save_policy(const std::string& district, const Identity& who, const boost::json::value& body);

  // ---- What educators record (their own)
  Result<EvidenceList> evidence(const Identity& who);
  Result<SelfReport> log_learning(const Identity& who, SelfReport report);
  Result<SelfReport> update_learning(const Identity& who, std::int64_t id, SelfReport changes);
  Status delete_learning(const Identity& who, std::int64_t id);
  // Mails the colleague a link; answers the item (its state "requested").
  Result<SelfReport> request_attestation(const Identity& who, std::int64_t id, const std::string& email);
  struct AttestationRequest {
    SelfReport report;
    std::string educator_name;
  };
  // For the colleague signed in with the address the request went to.
  Result<AttestationRequest> attestation(const std::string& token, const Identity& who);
  Result<SelfReport> attest(const std::string& token, const Identity& who, bool attested, const std::string& note);

  Result<SupportingEvidence> add_support(const Identity& who, SupportingEvidence e, const std::string& content);
  Status delete_support(const Identity& who, std::int64_t id);
  // The bytes of an artifact, for its owner or an approver of a district
  // where a claim names it.
  Result<std::pair<SupportingEvidence, std::string>> support_content(const Identity& who, std::int64_t id);

  // ---- Claims
  Result<ClaimView> submit_claim(const std::string& district, const Identity& who, const std::string& tier,
                                 const std::vector<EvidenceId>& evidence, const std::string& note);
  Result<std::vector<ClaimView>> my_claims(const std::string& district, const Identity& who);
  Status withdraw_claim(const std::string& district, const Identity& who, std::int64_t claim_id);
  // Approvers: claims with the engine's evaluation of the pending ones.
  struct QueueFilter {
    store::ClaimFilter claims;
    std::optional<Suggestion> suggestion;
  };
  Result<Page<ClaimView>> queue(const std::string& district, const Identity& who, QueueFilter filter);
  Result<ClaimView> claim(const std::string& district, const Identity& who, std::int64_t claim_id);
  // What a claim rests on, in full (its educator, or approvers).
  struct ClaimEvidence {
    std::vector<store::Participation> participation;
    std::vector<SelfReport> self_reports;
    std::vector<SupportingEvidence> supporting;
  };
  Result<ClaimEvidence> claim_evidence(const std::string& district, const Identity& who, std::int64_t claim_id);
  Result<ClaimView> decide(const std::string& district, const Identity& who, std::int64_t claim_id, bool approve,
                           const std::string& reason);
  Result<std::vector<BulkOutcome>> decide_many(const std::string& district, const Identity& who,
                                               const std::vector<std::int64_t>& claim_ids, const std::string& reason);
  Result<std::vector<store::AuditEntry>> audit_trail(const std::string& district, const Identity& who,
                                                     std::optional<std::int64_t> claim_id, std::int64_t before,
                                                     int limit);

  // ---- Transcripts and reports
  // The caller's own, or (approvers) any member's by account id.
  Result<TranscriptView> transcript(const std::string& district, const Identity& who,
                                    std::optional<std::int64_t> educator_id);
  std::string transcript_csv(const TranscriptView& t) const;
  // The printable transcript as a PDF (Letter, page numbers, the evidence of
  // every approved claim).
  Result<std::string> transcript_pdf(const TranscriptView& t) const;
  struct Report {
    std::vector<store::ReportRow> rows;
    std::int64_t pending = 0;
  };
  Result<Report> report(const std::string& district, const Identity& who);
  // One row per approved claim, in the columns state licensure systems take.
  Result<std::string> licensure_csv(const std::string& district, const Identity& who);

  // Every pending claim of the district, judged now (the benchmark's unit).
  Result<std::vector<Evaluation>> evaluate_district(std::int64_t district_id, EpochMs as_of);

 private:
  Result<std::vector<PolicyVersion>> load_versions(db::Connection& c, std::int64_t district_id);
  Result<std::vector<Evaluation>> evaluate(db::Connection& c, std::int64_t district_id,
                                           std::optional<std::int64_t> educator, EpochMs as_of);
  Status check_owned(db::Connection& c, const Identity& who, const std::vector<EvidenceId>& evidence);
  db::Database& db_;
  districts::DistrictService& districts_;
  std::string public_url_;
};

}  // namespace staffroom::credit
