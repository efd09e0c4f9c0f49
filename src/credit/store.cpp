#include "credit/store.hpp"

#include <map>
#include <memory>
#include <mutex>

#include "core/calendar.hpp"

namespace staffroom::credit::store {

using db::Sql;
using db::Value;

namespace {
Value opt(const std::optional<std::int64_t>& v) {
  return v ? Value(*v) : Value();
}

constexpr Sql kInsertPolicy{
    "INSERT INTO credit_policies (district_id, version, effective_on, body, created_by, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)"};
constexpr Sql kPolicyVersions{
    "SELECT p.version, p.effective_on, p.body, p.created_by, COALESCE(u.display_name, ''), p.created_at "
    "FROM credit_policies p LEFT JOIN users u ON u.id = p.created_by WHERE p.district_id = $1 "
    "ORDER BY p.version DESC"};

#define SR_SELF_REPORT_COLUMNS                                                                               \
  "SELECT id, user_id, title, format, learned_on, minutes, url, reflection, reflection_words, attestation, " \
  "attester_email, attester_id, attestation_note, attested_at, created_at, updated_at FROM self_reports "
constexpr Sql kInsertSelfReport{
    "INSERT INTO self_reports (user_id, title, format, learned_on, minutes, url, reflection, reflection_words, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id"};
constexpr Sql kUpdateSelfReport{
    "UPDATE self_reports SET title = $2, format = $3, learned_on = $4, minutes = $5, url = $6, reflection = $7, "
    "reflection_words = $8, updated_at = $9 WHERE id = $1"};
constexpr Sql kDeleteSelfReport{"DELETE FROM self_reports WHERE id = $1"};
constexpr Sql kFindSelfReport{SR_SELF_REPORT_COLUMNS "WHERE id = $1"};
constexpr Sql kSelfReportsOf{SR_SELF_REPORT_COLUMNS "WHERE user_id = $1 ORDER BY learned_on DESC, id DESC"};
constexpr Sql kRequestAttestation{
    "UPDATE self_reports SET attestation = 'requested', attester_email = $2, attestation_token = $3, "
    "attester_id = NULL, attestation_note = '', attested_at = NULL, updated_at = $4 WHERE id = $1"};
constexpr Sql kByAttestationToken{SR_SELF_REPORT_COLUMNS "WHERE attestation_token = $1 AND attestation = 'requested'"};
constexpr Sql kRecordAttestation{
    "UPDATE self_reports SET attestation = $2, attester_id = $3, attestation_note = $4, attested_at = $5, "
    "attestation_token = NULL, updated_at = $5 WHERE id = $1"};
#undef SR_SELF_REPORT_COLUMNS

constexpr Sql kInsertSupport{
    "INSERT INTO credit_evidence (user_id, kind, title, body, words, file_name, content_type, size, content, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"};
constexpr Sql kFindSupport{
    "SELECT id, user_id, kind, title, body, words, file_name, content_type, size, created_at "
    "FROM credit_evidence WHERE id = $1"};
constexpr Sql kSupportsOf{
    "SELECT id, user_id, kind, title, body, words, file_name, content_type, size, created_at "
    "FROM credit_evidence WHERE user_id = $1 ORDER BY id DESC"};
constexpr Sql kSupportContent{"SELECT content FROM credit_evidence WHERE id = $1"};
constexpr Sql kDeleteSupport{"DELETE FROM credit_evidence WHERE id = $1"};

// Attendance rows with what the policy asks about them: the activity's
// format and host, and whether the educator facilitated or spoke at it
// (by the address the facilitator is listed with).
#define SR_PARTICIPATION_COLUMNS                                                                              \
  "SELECT a.id, a.user_id, a.session_starts_at, a.minutes, a.source, a.activity_id, act.host_id, "            \
  "act.format, act.title, o.name, COALESCE((SELECT MIN(f.role) FROM activity_facilitators f JOIN people p "   \
  "ON p.id = f.person_id JOIN users u ON u.email = p.email WHERE f.activity_id = a.activity_id AND "          \
  "u.id = a.user_id AND p.email <> ''), '') FROM attendance a JOIN activities act ON act.id = a.activity_id " \
  "JOIN organizations o ON o.id = act.host_id "
constexpr Sql kParticipationOf{SR_PARTICIPATION_COLUMNS "WHERE a.user_id = $1 ORDER BY a.session_starts_at DESC"};
// The engine's reading of a district: only what it judges by, and the
// facilitator roles in a query of their own (a subquery per row made
// reading a million records three times slower).
constexpr Sql kParticipationPending{
    "SELECT a.id, a.user_id, a.session_starts_at, a.minutes, a.source, a.activity_id, act.host_id, act.format "
    "FROM attendance a JOIN activities act ON act.id = a.activity_id WHERE a.user_id IN (SELECT user_id FROM "
    "credit_claims WHERE district_id = $1 AND status = 'pending' AND ($2 = 0 OR user_id = $2))",
    {},
    false,
    true};
constexpr Sql kRolesPending{
    "SELECT u.id, f.activity_id, MIN(f.role) FROM activity_facilitators f JOIN people p ON p.id = f.person_id "
    "JOIN users u ON u.email = p.email WHERE p.email <> '' AND u.id IN (SELECT user_id FROM credit_claims WHERE "
    "district_id = $1 AND status = 'pending' AND ($2 = 0 OR user_id = $2)) GROUP BY u.id, f.activity_id"};
#undef SR_PARTICIPATION_COLUMNS
constexpr Sql kThemesPending{
    "SELECT t.activity_id, t.value FROM activity_tags t WHERE t.kind = 'theme' AND t.activity_id IN "
    "(SELECT a.activity_id FROM attendance a WHERE a.user_id IN (SELECT user_id FROM credit_claims WHERE "
    "district_id = $1 AND status = 'pending' AND ($2 = 0 OR user_id = $2)))"};
constexpr Sql kThemesOfUser{
    "SELECT t.activity_id, t.value FROM activity_tags t WHERE t.kind = 'theme' AND t.activity_id IN "
    "(SELECT a.activity_id FROM attendance a WHERE a.user_id = $1)"};
constexpr Sql kSelfReportsPending{
    "SELECT id, user_id, learned_on, minutes, format, reflection_words, attestation, attester_id, attested_at "
    "FROM self_reports "
    "WHERE user_id IN (SELECT user_id FROM credit_claims WHERE district_id = $1 AND status = 'pending' AND "
    "($2 = 0 OR user_id = $2))"};
constexpr Sql kSupportsPending{
    "SELECT id, user_id, kind, words, created_at FROM credit_evidence WHERE user_id IN (SELECT user_id FROM "
    "credit_claims WHERE district_id = $1 AND status = 'pending' AND ($2 = 0 OR user_id = $2))"};

constexpr Sql kCycleStarts{
    "SELECT user_id, cycle_starts_on FROM district_members WHERE district_id = $1 AND user_id IS NOT NULL AND "
    "cycle_starts_on <> ''"};
constexpr Sql kCycleStartOf{
    "SELECT user_id, cycle_starts_on FROM district_members WHERE district_id = $1 AND user_id = $2 AND "
    "cycle_starts_on <> ''"};

constexpr Sql kInsertClaim{
    "INSERT INTO credit_claims (district_id, user_id, tier, note, submitted_at, status) "
    "VALUES ($1, $2, $3, $4, $5, 'pending') RETURNING id"};
constexpr Sql kInsertClaimItem{"INSERT INTO credit_claim_items (claim_id, kind, evidence_id) VALUES ($1, $2, $3)"};
#define SR_CLAIM_COLUMNS                                                                                    \
  "SELECT c.id, c.user_id, c.submitted_at, c.tier, c.district_id, c.note, c.status, c.policy_version, "     \
  "c.decided_by, COALESCE(d.display_name, ''), c.decided_at, c.reason, c.verified_minutes, c.minutes, "     \
  "c.trimmed_minutes, c.ceu_hundredths, c.semester_credit_hundredths, c.completed_at, u.display_name, "     \
  "u.email, COALESCE((SELECT s.name FROM district_members m JOIN district_schools s ON s.id = m.school_id " \
  "WHERE m.district_id = c.district_id AND m.user_id = c.user_id), '') FROM credit_claims c "               \
  "JOIN users u ON u.id = c.user_id LEFT JOIN users d ON d.id = c.decided_by "
constexpr Sql kFindClaim{SR_CLAIM_COLUMNS "WHERE c.district_id = $1 AND c.id = $2"};
constexpr Sql kListClaims{
    SR_CLAIM_COLUMNS
    "WHERE c.district_id = $1 AND ($2 = '' OR c.status = $2) AND ($3 = 0 OR c.user_id = $3) AND "
    "($4 = '' OR c.tier = $4) AND c.id > $5 AND ($6 = '' OR EXISTS (SELECT 1 FROM district_members m JOIN "
    "district_schools s ON s.id = m.school_id WHERE m.district_id = c.district_id AND m.user_id = c.user_id AND "
    "s.name = $6)) ORDER BY c.id LIMIT $7",
    SR_CLAIM_COLUMNS
    "WHERE c.district_id = $1 AND ($2::text = '' OR c.status = $2::text) AND ($3::bigint = 0 OR c.user_id = "
    "$3::bigint) AND ($4::text = '' OR c.tier = $4::text) AND c.id > $5 AND ($6::text = '' OR EXISTS (SELECT 1 "
    "FROM district_members m JOIN district_schools s ON s.id = m.school_id WHERE m.district_id = c.district_id "
    "AND m.user_id = c.user_id AND s.name = $6::text)) ORDER BY c.id LIMIT $7"};
#undef SR_CLAIM_COLUMNS
constexpr Sql kClaimItemsBetween{
    "SELECT claim_id, kind, evidence_id FROM credit_claim_items WHERE claim_id >= $1 AND claim_id <= $2 "
    "ORDER BY claim_id, kind, evidence_id"};
constexpr Sql kClaimItems{
    "SELECT kind, evidence_id FROM credit_claim_items WHERE claim_id = $1 ORDER BY kind, evidence_id"};
constexpr Sql kPendingClaims{
    "SELECT c.id, c.user_id, c.submitted_at, c.tier, i.kind, i.evidence_id FROM credit_claims c "
    "LEFT JOIN credit_claim_items i ON i.claim_id = c.id WHERE c.district_id = $1 AND c.status = 'pending' AND "
    "($2 = 0 OR c.user_id = $2) ORDER BY c.id",
    "SELECT c.id, c.user_id, c.submitted_at, c.tier, i.kind, i.evidence_id FROM credit_claims c "
    "LEFT JOIN credit_claim_items i ON i.claim_id = c.id WHERE c.district_id = $1 AND c.status = 'pending' AND "
    "($2::bigint = 0 OR c.user_id = $2::bigint) ORDER BY c.id"};
constexpr Sql kApprovedClaims{
    "SELECT c.id, c.user_id, c.tier, c.completed_at FROM credit_claims c WHERE c.district_id = $1 AND "
    "c.status = 'approved' AND ($2 = 0 OR c.user_id = $2) AND ($3 = 0 OR c.user_id IN (SELECT user_id FROM "
    "credit_claims WHERE district_id = $1 AND status = 'pending')) ORDER BY c.id",
    "SELECT c.id, c.user_id, c.tier, c.completed_at FROM credit_claims c WHERE c.district_id = $1 AND "
    "c.status = 'approved' AND ($2::bigint = 0 OR c.user_id = $2::bigint) AND ($3::bigint = 0 OR c.user_id IN "
    "(SELECT user_id FROM credit_claims WHERE district_id = $1 AND status = 'pending')) ORDER BY c.id"};
constexpr Sql kBackingOf{
    "SELECT b.claim_id, b.kind, b.evidence_id FROM credit_backing b JOIN credit_claims c ON c.id = b.claim_id "
    "WHERE b.district_id = $1 AND ($2 = 0 OR c.user_id = $2) ORDER BY b.claim_id",
    "SELECT b.claim_id, b.kind, b.evidence_id FROM credit_backing b JOIN credit_claims c ON c.id = b.claim_id "
    "WHERE b.district_id = $1 AND ($2::bigint = 0 OR c.user_id = $2::bigint) ORDER BY b.claim_id"};
constexpr Sql kAllocationsOf{
    "SELECT l.claim_id, l.kind, l.evidence_id, l.activity_id, l.learned_at, l.format, l.provider_id, "
    "l.self_reported, l.verified_minutes, l.minutes FROM credit_allocations l JOIN credit_claims c ON "
    "c.id = l.claim_id WHERE c.district_id = $1 AND c.status = 'approved' AND ($2 = 0 OR c.user_id = $2) "
    "ORDER BY l.claim_id",
    "SELECT l.claim_id, l.kind, l.evidence_id, l.activity_id, l.learned_at, l.format, l.provider_id, "
    "l.self_reported, l.verified_minutes, l.minutes FROM credit_allocations l JOIN credit_claims c ON "
    "c.id = l.claim_id WHERE c.district_id = $1 AND c.status = 'approved' AND ($2::bigint = 0 OR c.user_id = "
    "$2::bigint) ORDER BY l.claim_id"};
constexpr Sql kApprove{
    "UPDATE credit_claims SET status = 'approved', policy_version = $2, decided_by = $3, decided_at = $4, "
    "reason = $5, verified_minutes = $6, minutes = $7, trimmed_minutes = $8, ceu_hundredths = $9, "
    "semester_credit_hundredths = $10, completed_at = $11 WHERE id = $1 AND status = 'pending'"};
constexpr Sql kInsertBacking{
    "INSERT INTO credit_backing (district_id, kind, evidence_id, claim_id) VALUES ($1, $2, $3, $4)"};
constexpr Sql kInsertAllocation{
    "INSERT INTO credit_allocations (claim_id, kind, evidence_id, activity_id, learned_at, format, provider_id, "
    "self_reported, verified_minutes, minutes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"};
constexpr Sql kClose{
    "UPDATE credit_claims SET status = $2, policy_version = $3, decided_by = $4, decided_at = $5, reason = $6 "
    "WHERE id = $1 AND status = 'pending'"};
constexpr Sql kEvidenceInUse{
    "SELECT 1 FROM credit_claim_items i JOIN credit_claims c ON c.id = i.claim_id WHERE i.kind = $1 AND "
    "i.evidence_id = $2 AND c.status IN ('pending', 'approved') LIMIT 1"};

constexpr Sql kApproverOfClaimNaming{
    "SELECT 1 FROM credit_claim_items i JOIN credit_claims c ON c.id = i.claim_id JOIN district_members m ON "
    "m.district_id = c.district_id WHERE i.kind = $1 AND i.evidence_id = $2 AND m.user_id = $3 AND "
    "m.role IN ('approver', 'admin') LIMIT 1"};
constexpr Sql kAudit{
    "INSERT INTO credit_audit (district_id, claim_id, actor_id, action, policy_version, detail, at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)"};
constexpr Sql kAuditTrail{
    "SELECT a.id, a.claim_id, a.actor_id, COALESCE(u.display_name, ''), a.action, a.detail, a.policy_version, a.at "
    "FROM credit_audit a LEFT JOIN users u ON u.id = a.actor_id WHERE a.district_id = $1 AND "
    "($2 = 0 OR a.claim_id = $2) AND ($3 = 0 OR a.id < $3) ORDER BY a.id DESC LIMIT $4",
    "SELECT a.id, a.claim_id, a.actor_id, COALESCE(u.display_name, ''), a.action, a.detail, a.policy_version, a.at "
    "FROM credit_audit a LEFT JOIN users u ON u.id = a.actor_id WHERE a.district_id = $1 AND "
    "($2::bigint = 0 OR a.claim_id = $2::bigint) AND ($3::bigint = 0 OR a.id < $3::bigint) ORDER BY a.id DESC "
    "LIMIT $4"};

constexpr Sql kReportSchool{
    "SELECT COALESCE(s.name, ''), COUNT(*), COUNT(DISTINCT c.user_id), SUM(c.minutes) FROM credit_claims c "
    "LEFT JOIN district_members m ON m.district_id = c.district_id AND m.user_id = c.user_id "
    "LEFT JOIN district_schools s ON s.id = m.school_id WHERE c.district_id = $1 AND c.status = 'approved' "
    "GROUP BY COALESCE(s.name, '') ORDER BY 1"};
constexpr Sql kReportFormat{
    "SELECT l.format, COUNT(DISTINCT c.id), COUNT(DISTINCT c.user_id), SUM(l.minutes) FROM credit_allocations l "
    "JOIN credit_claims c ON c.id = l.claim_id WHERE c.district_id = $1 AND c.status = 'approved' "
    "GROUP BY l.format ORDER BY 1"};
constexpr Sql kReportProvider{
    "SELECT CASE WHEN l.self_reported = 1 THEN '' ELSE COALESCE(o.name, '') END, COUNT(DISTINCT c.id), "
    "COUNT(DISTINCT c.user_id), SUM(l.minutes) FROM credit_allocations l JOIN credit_claims c ON c.id = l.claim_id "
    "LEFT JOIN organizations o ON o.id = l.provider_id WHERE c.district_id = $1 AND c.status = 'approved' "
    "GROUP BY 1 ORDER BY 1"};
constexpr Sql kReportTheme{
    "SELECT t.value, COUNT(DISTINCT c.id), COUNT(DISTINCT c.user_id), SUM(l.minutes) FROM credit_allocations l "
    "JOIN credit_claims c ON c.id = l.claim_id JOIN activity_tags t ON t.activity_id = l.activity_id AND "
    "t.kind = 'theme' WHERE c.district_id = $1 AND c.status = 'approved' GROUP BY t.value ORDER BY 1"};

AttestationState attestation_from(const std::string& s) {
  return s == "requested"  ? AttestationState::Requested
         : s == "attested" ? AttestationState::Attested
         : s == "declined" ? AttestationState::Declined
                           : AttestationState::None;
}

SelfReport self_report_from(const db::Row& r) {
  SelfReport s;
  s.id = r.int64(0);
  s.user_id = r.int64(1);
  s.title = r.text(2);
  s.format = r.text(3);
  s.learned_on = r.text(4);
  s.minutes = r.int64(5);
  s.url = r.text(6);
  s.reflection = r.text(7);
  s.reflection_words = static_cast<int>(r.int64(8));
  s.attestation = attestation_from(r.text(9));
  s.attester_email = r.text(10);
  s.attester_id = r.opt_int64(11);
  s.attestation_note = r.text(12);
  s.attested_at = r.opt_int64(13);
  s.created_at = r.int64(14);
  s.updated_at = r.int64(15);
  return s;
}

SupportingEvidence support_from(const db::Row& r) {
  SupportingEvidence e;
  e.id = r.int64(0);
  e.user_id = r.int64(1);
  e.kind = parse_support_kind(r.text(2)).value_or(SupportKind::Reflection);
  e.title = r.text(3);
  e.body = r.text(4);
  e.words = static_cast<int>(r.int64(5));
  e.file_name = r.text(6);
  e.content_type = r.text(7);
  e.size = r.int64(8);
  e.created_at = r.int64(9);
  return e;
}

Role role_from(const std::string& facilitator_role) {
  if (facilitator_role == "facilitator") return Role::Facilitator;
  if (facilitator_role == "speaker") return Role::Presenter;
  return Role::Attendee;
}

Participation participation_from(const db::Row& r) {
  Participation p;
  auto& e = p.evidence;
  e.id = {EvidenceKind::Participation, r.int64(0)};
  e.educator_id = r.int64(1);
  e.at = r.int64(2);
  e.minutes = r.int64(3);
  e.source = parse_source(r.text(4)).value_or(Source::CheckIn);
  e.activity_id = r.int64(5);
  e.provider_id = r.int64(6);
  e.format = r.text(7);
  p.activity_title = r.text(8);
  p.host_name = r.text(9);
  e.role = role_from(r.text(10));
  return p;
}

EvidenceId evidence_id_from(const std::string& kind, std::int64_t id) {
  return {parse_evidence_kind(kind).value_or(EvidenceKind::Participation), id};
}

// The district-wide queries filter by educator with "($2 = 0 OR user_id = $2)".
// A database plans that before it sees the value, so it cannot use the
// per-educator index: one educator's evaluation scanned every pending claim
// of the district (a quarter of a second at 20,000 educators). For one
// educator the same query names the user outright.
const Sql& scoped(const Sql& all, std::optional<std::int64_t> user_id) {
  if (!user_id) return all;
  struct Owned {
    std::string text, postgres;
    Sql sql;
  };
  static std::mutex mutex;
  static std::map<const void*, std::unique_ptr<Owned>> cache;
  std::lock_guard lock(mutex);
  auto& slot = cache[&all];
  if (!slot) {
    auto one = [](std::string_view in) {
      std::string out(in);
      for (std::string_view any : {"$2::bigint = 0 OR ", "$2 = 0 OR "}) {
        for (auto at = out.find(any); at != std::string::npos; at = out.find(any)) out.erase(at, any.size());
      }
      return out;
    };
    slot = std::make_unique<Owned>();
    slot->text = one(all.text);
    slot->postgres = all.postgres.empty() ? std::string() : one(all.postgres);
    // One educator's rows are few: no bulk read.
    slot->sql = Sql{slot->text, slot->postgres, all.plan_for_values, false};
  }
  return slot->sql;
}

Result<std::map<std::int64_t, std::vector<std::string>>> themes(db::Connection& c, const Sql& sql,
                                                                std::span<const Value> p) {
  SR_ASSIGN(auto rows, c.query(sql, p));
  std::map<std::int64_t, std::vector<std::string>> out;
  for (const auto& r : rows.rows) out[r.int64(0)].push_back(r.text(1));
  return out;
}

ClaimRecord claim_from(const db::Row& r) {
  ClaimRecord k;
  k.claim.id = r.int64(0);
  k.claim.educator_id = r.int64(1);
  k.claim.submitted_at = r.int64(2);
  k.claim.tier = r.text(3);
  k.district_id = r.int64(4);
  k.note = r.text(5);
  k.status = parse_claim_status(r.text(6)).value_or(ClaimStatus::Pending);
  k.policy_version = static_cast<int>(r.int64(7));
  k.decided_by = r.opt_int64(8);
  k.decided_by_name = r.text(9);
  k.decided_at = r.opt_int64(10);
  k.reason = r.text(11);
  k.credit.verified_minutes = r.int64(12);
  k.credit.minutes = r.int64(13);
  k.credit.trimmed_minutes = r.int64(14);
  k.credit.ceu_hundredths = r.int64(15);
  k.credit.semester_credit_hundredths = r.int64(16);
  k.completed_at = r.int64(17);
  k.educator_name = r.text(18);
  k.educator_email = r.text(19);
  k.school = r.text(20);
  return k;
}

Status load_items(db::Connection& c, ClaimRecord& k) {
  const Value p[] = {k.claim.id};
  SR_ASSIGN(auto rows, c.query(kClaimItems, p));
  for (const auto& r : rows.rows) k.claim.evidence.push_back(evidence_id_from(r.text(0), r.int64(1)));
  return {};
}
}  // namespace

// ---------------------------------------------------------------------------

Status insert_policy(db::Connection& c, std::int64_t district_id, int version, int effective_on,
                     const std::string& body, std::int64_t created_by, EpochMs now) {
  const Value p[] = {district_id, static_cast<std::int64_t>(version),       static_cast<std::int64_t>(effective_on),
                     body,        created_by ? Value(created_by) : Value(), now};
  auto rows = c.query(kInsertPolicy, p);
  if (!rows.ok()) {
    if (rows.error().code == ErrorCode::Conflict)
      return Error::conflict("someone saved version " + std::to_string(version) + " a moment ago; reload and retry");
    return std::move(rows).error();
  }
  return {};
}

Result<std::vector<PolicyRecord>> policy_versions(db::Connection& c, std::int64_t district_id) {
  const Value p[] = {district_id};
  SR_ASSIGN(auto rows, c.query(kPolicyVersions, p));
  std::vector<PolicyRecord> out;
  for (const auto& r : rows.rows) {
    out.push_back(
        {static_cast<int>(r.int64(0)), static_cast<int>(r.int64(1)), r.text(2), r.opt_int64(3), r.text(4), r.int64(5)});
  }
  return out;
}

Result<std::int64_t> insert_self_report(db::Connection& c, const SelfReport& s, EpochMs now) {
  const Value p[] = {s.user_id, s.title, s.format,     s.learned_on,
                     s.minutes, s.url,   s.reflection, static_cast<std::int64_t>(s.reflection_words),
                     now};
  SR_ASSIGN(auto rows, c.query(kInsertSelfReport, p));
  return rows.front().int64(0);
}

Status update_self_report(db::Connection& c, const SelfReport& s, EpochMs now) {
  const Value p[] = {s.id,      s.title, s.format,     s.learned_on,
                     s.minutes, s.url,   s.reflection, static_cast<std::int64_t>(s.reflection_words),
                     now};
  SR_TRY(c.query(kUpdateSelfReport, p));
  return {};
}

Status delete_self_report(db::Connection& c, std::int64_t id) {
  const Value p[] = {id};
  SR_TRY(c.query(kDeleteSelfReport, p));
  return {};
}

Result<std::optional<SelfReport>> find_self_report(db::Connection& c, std::int64_t id) {
  const Value p[] = {id};
  SR_ASSIGN(auto rows, c.query(kFindSelfReport, p));
  if (rows.empty()) return std::optional<SelfReport>();
  return std::optional(self_report_from(rows.front()));
}

Result<std::vector<SelfReport>> self_reports_of(db::Connection& c, std::int64_t user_id) {
  const Value p[] = {user_id};
  SR_ASSIGN(auto rows, c.query(kSelfReportsOf, p));
  std::vector<SelfReport> out;
  for (const auto& r : rows.rows) out.push_back(self_report_from(r));
  return out;
}

Status request_attestation(db::Connection& c, std::int64_t id, const std::string& email, const std::string& token_hash,
                           EpochMs now) {
  const Value p[] = {id, email, token_hash, now};
  SR_TRY(c.query(kRequestAttestation, p));
  return {};
}

Result<std::optional<SelfReport>> find_by_attestation_token(db::Connection& c, const std::string& token_hash) {
  const Value p[] = {token_hash};
  SR_ASSIGN(auto rows, c.query(kByAttestationToken, p));
  if (rows.empty()) return std::optional<SelfReport>();
  return std::optional(self_report_from(rows.front()));
}

Status record_attestation(db::Connection& c, std::int64_t id, AttestationState state, std::int64_t attester_id,
                          const std::string& note, EpochMs now) {
  const Value p[] = {id, std::string(to_string(state)), attester_id, note, now};
  SR_TRY(c.query(kRecordAttestation, p));
  return {};
}

Result<std::int64_t> insert_support(db::Connection& c, const SupportingEvidence& e, const std::string& content_base64,
                                    EpochMs now) {
  const Value p[] = {e.user_id,
                     std::string(to_string(e.kind)),
                     e.title,
                     e.body,
                     static_cast<std::int64_t>(e.words),
                     e.file_name,
                     e.content_type,
                     e.size,
                     content_base64,
                     now};
  SR_ASSIGN(auto rows, c.query(kInsertSupport, p));
  return rows.front().int64(0);
}

Result<std::optional<SupportingEvidence>> find_support(db::Connection& c, std::int64_t id) {
  const Value p[] = {id};
  SR_ASSIGN(auto rows, c.query(kFindSupport, p));
  if (rows.empty()) return std::optional<SupportingEvidence>();
  return std::optional(support_from(rows.front()));
}

Result<std::optional<std::string>> support_content(db::Connection& c, std::int64_t id) {
  const Value p[] = {id};
  SR_ASSIGN(auto rows, c.query(kSupportContent, p));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional(rows.front().text(0));
}

Result<std::vector<SupportingEvidence>> supports_of(db::Connection& c, std::int64_t user_id) {
  const Value p[] = {user_id};
  SR_ASSIGN(auto rows, c.query(kSupportsOf, p));
  std::vector<SupportingEvidence> out;
  for (const auto& r : rows.rows) out.push_back(support_from(r));
  return out;
}

Status delete_support(db::Connection& c, std::int64_t id) {
  const Value p[] = {id};
  SR_TRY(c.query(kDeleteSupport, p));
  return {};
}

Result<std::vector<Participation>> participation_of(db::Connection& c, std::int64_t user_id) {
  const Value p[] = {user_id};
  SR_ASSIGN(auto rows, c.query(kParticipationOf, p));
  SR_ASSIGN(auto by_activity, themes(c, kThemesOfUser, p));
  std::vector<Participation> out;
  for (const auto& r : rows.rows) {
    auto item = participation_from(r);
    if (auto it = by_activity.find(item.evidence.activity_id); it != by_activity.end())
      item.evidence.themes = it->second;
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::vector<Evidence>> evidence_for_pending(db::Connection& c, std::int64_t district_id,
                                                   std::optional<std::int64_t> user_id) {
  const Value p[] = {district_id, user_id.value_or(0)};
  std::vector<Evidence> out;
  SR_ASSIGN(auto rows, c.query(scoped(kParticipationPending, user_id), p));
  SR_ASSIGN(auto by_activity, themes(c, scoped(kThemesPending, user_id), p));
  SR_ASSIGN(auto role_rows, c.query(scoped(kRolesPending, user_id), p));
  std::map<std::pair<std::int64_t, std::int64_t>, Role> roles;
  for (const auto& r : role_rows.rows) roles[{r.int64(0), r.int64(1)}] = role_from(r.text(2));
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) {
    Evidence e;
    e.id = {EvidenceKind::Participation, r.int64(0)};
    e.educator_id = r.int64(1);
    e.at = r.int64(2);
    e.minutes = r.int64(3);
    e.source = parse_source(r.text(4)).value_or(Source::CheckIn);
    e.activity_id = r.int64(5);
    e.provider_id = r.int64(6);
    e.format = r.text(7);
    if (auto it = roles.find({e.educator_id, e.activity_id}); it != roles.end()) e.role = it->second;
    if (auto it = by_activity.find(e.activity_id); it != by_activity.end()) e.themes = it->second;
    out.push_back(std::move(e));
  }
  SR_ASSIGN(auto reports, c.query(scoped(kSelfReportsPending, user_id), p));
  for (const auto& r : reports.rows) {
    SelfReport s;
    s.id = r.int64(0);
    s.user_id = r.int64(1);
    s.learned_on = r.text(2);
    s.minutes = r.int64(3);
    s.format = r.text(4);
    s.reflection_words = static_cast<int>(r.int64(5));
    s.attestation = attestation_from(r.text(6));
    s.attester_id = r.opt_int64(7);
    s.attested_at = r.opt_int64(8);
    out.push_back(evidence_of(s));
    // A colleague's attestation can also meet a tier's colleague_attestation
    // requirement, as its own piece of evidence.
    if (s.attestation == AttestationState::Attested) {
      Evidence a;
      a.id = {EvidenceKind::Attestation, s.id};
      a.educator_id = s.user_id;
      a.at = s.attested_at.value_or(0);
      a.attester_id = s.attester_id.value_or(0);
      out.push_back(std::move(a));
    }
  }
  SR_ASSIGN(auto supports, c.query(scoped(kSupportsPending, user_id), p));
  for (const auto& r : supports.rows) {
    SupportingEvidence s;
    s.id = r.int64(0);
    s.user_id = r.int64(1);
    s.kind = parse_support_kind(r.text(2)).value_or(SupportKind::Reflection);
    s.words = static_cast<int>(r.int64(3));
    s.created_at = r.int64(4);
    out.push_back(evidence_of(s));
  }
  return out;
}

std::string_view to_string(ClaimStatus s) {
  switch (s) {
    case ClaimStatus::Pending:
      return "pending";
    case ClaimStatus::Approved:
      return "approved";
    case ClaimStatus::Denied:
      return "denied";
    case ClaimStatus::Withdrawn:
      return "withdrawn";
  }
  return "pending";
}

std::optional<ClaimStatus> parse_claim_status(std::string_view s) {
  if (s == "pending") return ClaimStatus::Pending;
  if (s == "approved") return ClaimStatus::Approved;
  if (s == "denied") return ClaimStatus::Denied;
  if (s == "withdrawn") return ClaimStatus::Withdrawn;
  return std::nullopt;
}

Result<std::int64_t> insert_claim(db::Connection& c, std::int64_t district_id, const Claim& claim,
                                  const std::string& note) {
  const Value p[] = {district_id, claim.educator_id, claim.tier, note, claim.submitted_at};
  SR_ASSIGN(auto rows, c.query(kInsertClaim, p));
  const auto id = rows.front().int64(0);
  for (const auto& e : claim.evidence) {
    const Value q[] = {id, std::string(to_string(e.kind)), e.id};
    auto added = c.query(kInsertClaimItem, q);
    if (!added.ok() && added.error().code != ErrorCode::Conflict) return std::move(added).error();
  }
  return id;
}

Result<std::optional<ClaimRecord>> find_claim(db::Connection& c, std::int64_t district_id, std::int64_t claim_id) {
  const Value p[] = {district_id, claim_id};
  SR_ASSIGN(auto rows, c.query(kFindClaim, p));
  if (rows.empty()) return std::optional<ClaimRecord>();
  auto k = claim_from(rows.front());
  SR_TRY(load_items(c, k));
  return std::optional(std::move(k));
}

Result<std::vector<ClaimRecord>> list_claims(db::Connection& c, std::int64_t district_id, const ClaimFilter& f) {
  const Value p[] = {district_id,
                     f.status ? std::string(to_string(*f.status)) : std::string(),
                     f.user_id.value_or(0),
                     f.tier,
                     f.after_id,
                     f.school,
                     static_cast<std::int64_t>(f.limit)};
  SR_ASSIGN(auto rows, c.query(kListClaims, p));
  std::vector<ClaimRecord> out;
  out.reserve(rows.rows.size());
  std::map<std::int64_t, std::size_t> index;
  for (const auto& r : rows.rows) {
    index[r.int64(0)] = out.size();
    out.push_back(claim_from(r));
  }
  if (out.empty()) return out;
  // One query for the evidence of the whole page (ids ascend).
  const Value range[] = {out.front().claim.id, out.back().claim.id};
  SR_ASSIGN(auto items, c.query(kClaimItemsBetween, range));
  for (const auto& r : items.rows) {
    if (auto it = index.find(r.int64(0)); it != index.end())
      out[it->second].claim.evidence.push_back(evidence_id_from(r.text(1), r.int64(2)));
  }
  return out;
}

Result<std::unordered_map<std::int64_t, int>> cycle_starts(db::Connection& c, std::int64_t district_id,
                                                           std::optional<std::int64_t> user_id) {
  const Value p[] = {district_id, user_id.value_or(0)};
  SR_ASSIGN(auto rows, user_id ? c.query(kCycleStartOf, p) : c.query(kCycleStarts, std::span<const Value>(p, 1)));
  std::unordered_map<std::int64_t, int> out;
  for (const auto& r : rows.rows)
    if (auto day = parse_date(r.text(1))) out[r.int64(0)] = *day;
  return out;
}

Result<std::vector<Claim>> pending_claims(db::Connection& c, std::int64_t district_id,
                                          std::optional<std::int64_t> user_id) {
  const Value p[] = {district_id, user_id.value_or(0)};
  SR_ASSIGN(auto rows, c.query(scoped(kPendingClaims, user_id), p));
  std::vector<Claim> out;
  for (const auto& r : rows.rows) {
    if (out.empty() || out.back().id != r.int64(0)) {
      out.push_back({r.int64(0), r.int64(1), r.int64(2), r.text(3), {}});
    }
    if (!r.is_null(4)) out.back().evidence.push_back(evidence_id_from(r.text(4), r.int64(5)));
  }
  return out;
}

Result<std::vector<ApprovedClaim>> approved_claims(db::Connection& c, std::int64_t district_id,
                                                   std::optional<std::int64_t> user_id, bool only_pending_educators) {
  const Value p[] = {district_id, user_id.value_or(0), static_cast<std::int64_t>(only_pending_educators ? 1 : 0)};
  SR_ASSIGN(auto rows, c.query(scoped(kApprovedClaims, user_id), p));
  std::vector<ApprovedClaim> out;
  std::map<std::int64_t, std::size_t> index;
  for (const auto& r : rows.rows) {
    index[r.int64(0)] = out.size();
    ApprovedClaim a;
    a.claim_id = r.int64(0);
    a.educator_id = r.int64(1);
    a.tier = r.text(2);
    a.completed_at = r.int64(3);
    out.push_back(std::move(a));
  }
  const Value q[] = {district_id, user_id.value_or(0)};
  SR_ASSIGN(auto backing, c.query(scoped(kBackingOf, user_id), q));
  for (const auto& r : backing.rows) {
    if (auto it = index.find(r.int64(0)); it != index.end())
      out[it->second].backing.push_back(evidence_id_from(r.text(1), r.int64(2)));
  }
  SR_ASSIGN(auto allocations, c.query(scoped(kAllocationsOf, user_id), q));
  for (const auto& r : allocations.rows) {
    auto it = index.find(r.int64(0));
    if (it == index.end()) continue;
    Allocation a;
    a.evidence = evidence_id_from(r.text(1), r.int64(2));
    a.activity_id = r.int64(3);
    a.learned_at = r.int64(4);
    a.format = r.text(5);
    a.provider_id = r.int64(6);
    a.self_reported = r.int64(7) != 0;
    a.verified_minutes = r.int64(8);
    a.minutes = r.int64(9);
    out[it->second].allocations.push_back(std::move(a));
  }
  return out;
}

Status approve_claim(db::Connection& c, std::int64_t district_id, const ApprovedClaim& a, const Credit& credit,
                     int policy_version, std::int64_t decided_by, const std::string& reason, EpochMs now) {
  const Value p[] = {a.claim_id,
                     static_cast<std::int64_t>(policy_version),
                     decided_by,
                     now,
                     reason,
                     credit.verified_minutes,
                     credit.minutes,
                     credit.trimmed_minutes,
                     credit.ceu_hundredths,
                     credit.semester_credit_hundredths,
                     a.completed_at};
  SR_ASSIGN(auto updated, c.query(kApprove, p));
  if (updated.affected == 0) return Error::conflict("the claim has been decided already");
  for (const auto& e : a.backing) {
    const Value q[] = {district_id, std::string(to_string(e.kind)), e.id, a.claim_id};
    auto added = c.query(kInsertBacking, q);
    if (!added.ok()) {
      if (added.error().code == ErrorCode::Conflict)
        return Error::conflict(to_string(e) + " already backs another approved claim; evidence counts once");
      return std::move(added).error();
    }
  }
  for (const auto& l : a.allocations) {
    const Value q[] = {a.claim_id,         std::string(to_string(l.evidence.kind)),
                       l.evidence.id,      l.activity_id,
                       l.learned_at,       l.format,
                       l.provider_id,      static_cast<std::int64_t>(l.self_reported ? 1 : 0),
                       l.verified_minutes, l.minutes};
    SR_TRY(c.query(kInsertAllocation, q));
  }
  return {};
}

Status close_claim(db::Connection& c, std::int64_t claim_id, ClaimStatus status, int policy_version,
                   std::optional<std::int64_t> decided_by, const std::string& reason, EpochMs now) {
  const Value p[] = {
      claim_id, std::string(to_string(status)), static_cast<std::int64_t>(policy_version), opt(decided_by), now,
      reason};
  SR_ASSIGN(auto updated, c.query(kClose, p));
  if (updated.affected == 0) return Error::conflict("the claim has been decided already");
  return {};
}

Result<bool> evidence_in_use(db::Connection& c, EvidenceKind kind, std::int64_t evidence_id) {
  const Value p[] = {std::string(to_string(kind)), evidence_id};
  SR_ASSIGN(auto rows, c.query(kEvidenceInUse, p));
  return !rows.empty();
}

Result<bool> approver_of_claim_naming(db::Connection& c, std::int64_t user_id, EvidenceKind kind,
                                      std::int64_t evidence_id) {
  const Value p[] = {std::string(to_string(kind)), evidence_id, user_id};
  SR_ASSIGN(auto rows, c.query(kApproverOfClaimNaming, p));
  return !rows.empty();
}

Status audit(db::Connection& c, std::int64_t district_id, std::optional<std::int64_t> claim_id, std::int64_t actor_id,
             const std::string& action, int policy_version, const std::string& detail, EpochMs now) {
  const Value p[] = {district_id,
                     opt(claim_id),
                     actor_id ? Value(actor_id) : Value(),
                     action,
                     static_cast<std::int64_t>(policy_version),
                     detail,
                     now};
  SR_TRY(c.query(kAudit, p));
  return {};
}

Result<std::vector<AuditEntry>> audit_trail(db::Connection& c, std::int64_t district_id,
                                            std::optional<std::int64_t> claim_id, std::int64_t before_id, int limit) {
  const Value p[] = {district_id, claim_id.value_or(0), before_id, static_cast<std::int64_t>(limit)};
  SR_ASSIGN(auto rows, c.query(kAuditTrail, p));
  std::vector<AuditEntry> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.int64(0), r.opt_int64(1), r.opt_int64(2), r.text(3), r.text(4), r.text(5),
                   static_cast<int>(r.int64(6)), r.int64(7)});
  }
  return out;
}

Result<std::vector<ReportRow>> credit_report(db::Connection& c, std::int64_t district_id) {
  const Value p[] = {district_id};
  std::vector<ReportRow> out;
  const std::pair<const char*, const Sql*> dims[] = {
      {"school", &kReportSchool}, {"format", &kReportFormat}, {"provider", &kReportProvider}, {"theme", &kReportTheme}};
  for (const auto& [name, sql] : dims) {
    SR_ASSIGN(auto rows, c.query(*sql, p));
    for (const auto& r : rows.rows)
      out.push_back({name, r.text(0), r.int64(1), r.int64(2), r.is_null(3) ? 0 : r.int64(3)});
  }
  return out;
}

}  // namespace staffroom::credit::store
