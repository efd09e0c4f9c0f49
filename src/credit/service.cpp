#include "credit/service.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "accounts/model.hpp"
#include "accounts/store.hpp"
#include "core/calendar.hpp"
#include "core/crypto.hpp"
#include "core/csv.hpp"
#include "core/log.hpp"
#include "core/pdf.hpp"
#include "districts/store.hpp"

namespace staffroom::credit {

using districts::MemberRole;

namespace {

// The latest calendar date anywhere (UTC+14): an educator logs learning
// by their own local date, which may already be tomorrow in UTC.
std::string latest_date_anywhere() {
  return format_date(static_cast<int>((now_ms() + 14 * 3'600'000LL) / 86'400'000));
}

// The day `t` falls on in `zone` (days since 1970-01-01).
int local_day(EpochMs t, const std::string& zone) {
  if (auto l = utc_to_local(t, zone)) return l->days;
  return static_cast<int>(t / 86'400'000);
}

const PolicyVersion* in_force(const std::vector<PolicyVersion>& versions, EpochMs at) {
  const PolicyVersion* best = nullptr;
  for (const auto& v : versions) {
    if (v.policy.effective_on > local_day(at, v.policy.time_zone)) continue;
    if (!best ||
        std::tie(v.policy.effective_on, v.policy.version) > std::tie(best->policy.effective_on, best->policy.version))
      best = &v;
  }
  return best;
}

Error not_yours(std::string_view what) {
  return Error::not_found("you have no " + std::string(what) + " with that id");
}

// Approvers decide; nobody decides their own claim.
Status may_decide(const districts::DistrictView& v, const store::ClaimRecord& k, const Identity& who) {
  if (!v.can_decide) return Error::forbidden("deciding claims needs an approver or admin of the district");
  if (k.claim.educator_id == who.user_id)
    return Error::forbidden("you cannot decide your own claim; another approver must");
  return {};
}

}  // namespace

// ---------------------------------------------------------------------------
// Policy

Result<std::vector<PolicyVersion>> CreditService::load_versions(db::Connection& c, std::int64_t district_id) {
  SR_ASSIGN(auto records, store::policy_versions(c, district_id));
  std::vector<PolicyVersion> out;
  for (auto& r : records) {
    boost::system::error_code ec;
    auto json = boost::json::parse(r.body, ec);
    if (ec) return Error::internal("policy version " + std::to_string(r.version) + " is not readable");
    auto parsed = parse_policy(json);
    if (!parsed.ok()) return Error::internal("policy version " + std::to_string(r.version) + " is not readable");
    parsed->district_id = district_id;
    parsed->version = r.version;
    out.push_back({std::move(parsed).value(), std::move(r)});
  }
  return out;
}

Result<std::vector<PolicyVersion>> CreditService::policy_versions(const std::string& district, const Identity& who) {
  return db_.transaction<std::vector<PolicyVersion>>(
      [&](db::Connection& c) -> Result<std::vector<PolicyVersion>> {
        SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Educator));
        return load_versions(c, v.district.id);
      },
      false);
}

Result<std::optional<PolicyVersion>> CreditService::current_policy(const std::string& district, const Identity& who) {
  SR_ASSIGN(auto versions, policy_versions(district, who));
  if (const auto* p = in_force(versions, now_ms())) return std::optional(*p);
  return std::optional<PolicyVersion>();
}

Result<PolicyVersion> CreditService::save_policy(const std::string& district, const Identity& who,
                                                 const boost::json::value& body) {
  SR_ASSIGN(auto policy, parse_policy(body));
  return db_.transaction<PolicyVersion>([&](db::Connection& c) -> Result<PolicyVersion> {
    SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Admin));
    SR_ASSIGN(auto versions, store::policy_versions(c, v.district.id));
    policy.version = versions.empty() ? 1 : versions.front().version + 1;
    policy.district_id = v.district.id;
    const auto text = boost::json::serialize(to_json(policy));
    const EpochMs now = now_ms();
    SR_TRY(store::insert_policy(c, v.district.id, policy.version, policy.effective_on, text, who.user_id, now));
    SR_TRY(store::audit(
        c, v.district.id, std::nullopt, who.user_id, "policy_saved", policy.version,
        "version " + std::to_string(policy.version) + " in force from " + format_date(policy.effective_on), now));
    log::info("credit policy saved", {{"district", district}, {"version", std::to_string(policy.version)}});
    SR_ASSIGN(auto saved, store::policy_versions(c, v.district.id));
    return PolicyVersion{policy, saved.front()};
  });
}

// ---------------------------------------------------------------------------
// What educators record

Result<EvidenceList> CreditService::evidence(const Identity& who) {
  return db_.transaction<EvidenceList>(
      [&](db::Connection& c) -> Result<EvidenceList> {
        EvidenceList out;
        SR_ASSIGN(out.participation, store::participation_of(c, who.user_id));
        SR_ASSIGN(out.self_reports, store::self_reports_of(c, who.user_id));
        SR_ASSIGN(out.supporting, store::supports_of(c, who.user_id));
        return out;
      },
      false);
}

Result<SelfReport> CreditService::log_learning(const Identity& who, SelfReport r) {
  r.user_id = who.user_id;
  r.reflection_words = count_words(r.reflection);
  if (auto errors = check_self_report(r, latest_date_anywhere()); !errors.empty())
    return Error::validation(std::move(errors));
  return db_.transaction<SelfReport>([&](db::Connection& c) -> Result<SelfReport> {
    SR_ASSIGN(r.id, store::insert_self_report(c, r, now_ms()));
    SR_ASSIGN(auto saved, store::find_self_report(c, r.id));
    return std::move(*saved);
  });
}

Result<SelfReport> CreditService::update_learning(const Identity& who, std::int64_t id, SelfReport ch) {
  return db_.transaction<SelfReport>([&](db::Connection& c) -> Result<SelfReport> {
    SR_ASSIGN(auto found, store::find_self_report(c, id));
    if (!found || found->user_id != who.user_id) return not_yours("logged learning");
    SR_ASSIGN(bool used, store::evidence_in_use(c, EvidenceKind::SelfReport, id));
    if (used) return Error::conflict("a claim rests on this learning; withdraw the claim to change it");
    ch.id = id;
    ch.user_id = who.user_id;
    ch.reflection_words = count_words(ch.reflection);
    if (auto errors = check_self_report(ch, latest_date_anywhere()); !errors.empty())
      return Error::validation(std::move(errors));
    SR_TRY(store::update_self_report(c, ch, now_ms()));
    SR_ASSIGN(auto saved, store::find_self_report(c, id));
    return std::move(*saved);
  });
}

Status CreditService::delete_learning(const Identity& who, std::int64_t id) {
  return db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto found, store::find_self_report(c, id));
    if (!found || found->user_id != who.user_id) return not_yours("logged learning");
    SR_ASSIGN(bool used, store::evidence_in_use(c, EvidenceKind::SelfReport, id));
    if (used) return Error::conflict("a claim rests on this learning; withdraw the claim to delete it");
    return store::delete_self_report(c, id);
  });
}

Result<SelfReport> CreditService::request_attestation(const Identity& who, std::int64_t id,
                                                      const std::string& email_text) {
  const auto email = accounts::normalize_email(email_text);
  if (auto problem = accounts::check_email(email)) return Error::validation("email", *problem);
  if (email == who.email) return Error::validation("email", "must be a colleague's address, not your own");
  return db_.transaction<SelfReport>([&](db::Connection& c) -> Result<SelfReport> {
    SR_ASSIGN(auto found, store::find_self_report(c, id));
    if (!found || found->user_id != who.user_id) return not_yours("logged learning");
    if (found->attestation == AttestationState::Attested)
      return Error::conflict(found->attester_email + " has attested this already");
    const std::string token = crypto::random_token();
    const EpochMs now = now_ms();
    SR_TRY(store::request_attestation(c, id, email, crypto::sha256_hex(token), now));
    const std::string link = public_url_ + "/attest?token=" + token;
    SR_TRY(accounts::store::insert_mail(
        c, email, who.display_name + " asks you to confirm their learning",
        "Hello,\n\n" + who.display_name + " (" + who.email + ") logged this learning on Staffroom and asks you, as a " +
            "colleague, to confirm that they took part:\n\n  " + found->title + "\n  on " + found->learned_on + ", " +
            hours_text(found->minutes) + "\n\nConfirm or decline here (sign in with " + email + "):\n" + link + "\n",
        now));
    SR_ASSIGN(auto saved, store::find_self_report(c, id));
    return std::move(*saved);
  });
}

Result<CreditService::AttestationRequest> CreditService::attestation(const std::string& token, const Identity& who) {
  return db_.transaction<AttestationRequest>(
      [&](db::Connection& c) -> Result<AttestationRequest> {
        SR_ASSIGN(auto found, store::find_by_attestation_token(c, crypto::sha256_hex(token)));
        if (!found) return Error::not_found("this attestation link is not valid any more; it may have been answered");
        if (found->attester_email != who.email)
          return Error::forbidden("this request went to " + found->attester_email + "; sign in with that address");
        SR_ASSIGN(auto educator, accounts::store::find_user(c, found->user_id));
        return AttestationRequest{std::move(*found), educator ? educator->user.display_name : std::string()};
      },
      false);
}

Result<SelfReport> CreditService::attest(const std::string& token, const Identity& who, bool attested,
                                         const std::string& note) {
  return db_.transaction<SelfReport>([&](db::Connection& c) -> Result<SelfReport> {
    SR_ASSIGN(auto found, store::find_by_attestation_token(c, crypto::sha256_hex(token)));
    if (!found) return Error::not_found("this attestation link is not valid any more; it may have been answered");
    if (found->attester_email != who.email)
      return Error::forbidden("this request went to " + found->attester_email + "; sign in with that address");
    SR_ASSIGN(auto verified, accounts::store::email_verified_at(c, who.user_id));
    if (!verified) return Error::forbidden("confirm your email address first (see your account page)");
    SR_TRY(store::record_attestation(c, found->id, attested ? AttestationState::Attested : AttestationState::Declined,
                                     who.user_id, note, now_ms()));
    SR_ASSIGN(auto saved, store::find_self_report(c, found->id));
    return std::move(*saved);
  });
}

Result<SupportingEvidence> CreditService::add_support(const Identity& who, SupportingEvidence e,
                                                      const std::string& content) {
  e.user_id = who.user_id;
  std::vector<FieldError> errors;
  if (e.title.empty()) errors.push_back({"title", "is required"});
  if (e.title.size() > 200) errors.push_back({"title", "must be at most 200 characters"});
  if (e.body.size() > kMaxReflectionChars) errors.push_back({"body", "must be at most 20000 characters"});
  if (e.kind == SupportKind::Artifact) {
    if (content.empty()) errors.push_back({"content_base64", "is required for an artifact: the file, in base64"});
    if (content.size() > kMaxArtifactBytes)
      errors.push_back({"content_base64", "the file must be at most 512 KiB; link larger work from a reflection"});
    if (e.file_name.empty()) errors.push_back({"file_name", "is required for an artifact"});
  } else if (e.body.empty()) {
    errors.push_back({"body", e.kind == SupportKind::Survey ? "holds the survey's answers" : "is the reflection"});
  }
  if (!errors.empty()) return Error::validation(std::move(errors));
  e.words = count_words(e.body);
  e.size = static_cast<std::int64_t>(content.size());
  return db_.transaction<SupportingEvidence>([&](db::Connection& c) -> Result<SupportingEvidence> {
    const EpochMs now = now_ms();
    SR_ASSIGN(e.id, store::insert_support(c, e, crypto::base64(content), now));
    SR_ASSIGN(auto saved, store::find_support(c, e.id));
    return std::move(*saved);
  });
}

Status CreditService::delete_support(const Identity& who, std::int64_t id) {
  return db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto found, store::find_support(c, id));
    if (!found || found->user_id != who.user_id) return not_yours("evidence");
    const auto kind = evidence_of(*found).id.kind;
    SR_ASSIGN(bool used, store::evidence_in_use(c, kind, id));
    if (used) return Error::conflict("a claim rests on this evidence; withdraw the claim to delete it");
    return store::delete_support(c, id);
  });
}

Result<std::pair<SupportingEvidence, std::string>> CreditService::support_content(const Identity& who,
                                                                                  std::int64_t id) {
  return db_.transaction<std::pair<SupportingEvidence, std::string>>(
      [&](db::Connection& c) -> Result<std::pair<SupportingEvidence, std::string>> {
        SR_ASSIGN(auto found, store::find_support(c, id));
        if (!found) return not_yours("evidence");
        if (found->user_id != who.user_id && !who.has_role("site_admin")) {
          // An approver of a district where one of the owner's claims names it.
          SR_ASSIGN(bool allowed, store::approver_of_claim_naming(c, who.user_id, evidence_of(*found).id.kind, id));
          if (!allowed) return not_yours("evidence");
        }
        SR_ASSIGN(auto b64, store::support_content(c, id));
        auto bytes = crypto::base64_decode(b64.value_or(""));
        return std::pair{std::move(*found), bytes.value_or("")};
      },
      false);
}

// ---------------------------------------------------------------------------
// Claims

Result<std::vector<Evaluation>> CreditService::evaluate(db::Connection& c, std::int64_t district_id,
                                                        std::optional<std::int64_t> educator, EpochMs as_of) {
  Batch batch;
  SR_ASSIGN(auto versions, load_versions(c, district_id));
  for (auto& v : versions) batch.versions.push_back(std::move(v.policy));
  SR_ASSIGN(batch.evidence, store::evidence_for_pending(c, district_id, educator));
  SR_ASSIGN(batch.approved, store::approved_claims(c, district_id, educator, !educator.has_value()));
  SR_ASSIGN(batch.pending, store::pending_claims(c, district_id, educator));
  SR_ASSIGN(batch.cycle_starts, store::cycle_starts(c, district_id, educator));
  return evaluate_pending(batch, as_of);
}

Result<std::vector<Evaluation>> CreditService::evaluate_district(std::int64_t district_id, EpochMs as_of) {
  return db_.transaction<std::vector<Evaluation>>(
      [&](db::Connection& c) { return evaluate(c, district_id, std::nullopt, as_of); }, false);
}

Status CreditService::check_owned(db::Connection& c, const Identity& who, const std::vector<EvidenceId>& evidence) {
  SR_ASSIGN(auto participation, store::participation_of(c, who.user_id));
  SR_ASSIGN(auto reports, store::self_reports_of(c, who.user_id));
  SR_ASSIGN(auto supports, store::supports_of(c, who.user_id));
  std::set<EvidenceId> own;
  for (const auto& p : participation) own.insert(p.evidence.id);
  for (const auto& r : reports) {
    own.insert({EvidenceKind::SelfReport, r.id});
    if (r.attestation == AttestationState::Attested) own.insert({EvidenceKind::Attestation, r.id});
  }
  for (const auto& s : supports) own.insert(evidence_of(s).id);
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < evidence.size(); ++i) {
    if (!own.contains(evidence[i]))
      errors.push_back({"evidence[" + std::to_string(i) + "]",
                        to_string(evidence[i]) + " is not among your records; claim only your own learning"});
  }
  if (!errors.empty()) {
    Error e = Error::validation(std::move(errors));
    e.code = ErrorCode::Forbidden;
    e.detail = "a claim may rest only on your own records";
    return e;
  }
  return {};
}

Result<ClaimView> CreditService::submit_claim(const std::string& district, const Identity& who, const std::string& tier,
                                              const std::vector<EvidenceId>& evidence, const std::string& note) {
  std::int64_t district_id = 0;
  auto submitted = db_.transaction<std::int64_t>([&](db::Connection& c) -> Result<std::int64_t> {
    SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Educator));
    if (!v.me) return Error::forbidden("join the district to claim credit there");
    if (evidence.empty()) return Error::validation("evidence", "name the learning this claim is for");
    if (evidence.size() > 200) return Error::validation("evidence", "a claim may name at most 200 pieces of evidence");
    district_id = v.district.id;
    const EpochMs now = now_ms();
    if (auto owned = check_owned(c, who, evidence); !owned.ok()) {
      log::warn("claim on records that are not the claimant's",
                {{"district", district}, {"user_id", std::to_string(who.user_id)}});
      return owned.error();
    }
    Claim k{0, who.user_id, now, tier, evidence};
    SR_ASSIGN(auto id, store::insert_claim(c, v.district.id, k, note));
    SR_TRY(store::audit(c, v.district.id, id, who.user_id, "submitted", 0, "tier " + tier, now));
    return id;
  });
  // A refused claim is recorded in the audit trail too, in its own
  // transaction since the claim's was rolled back.
  if (!submitted.ok()) {
    if (submitted.error().code == ErrorCode::Forbidden && district_id != 0) {
      (void)db_.transaction([&](db::Connection& c) -> Status {
        return store::audit(c, district_id, std::nullopt, who.user_id, "refused", 0, submitted.error().detail,
                            now_ms());
      });
    }
    return std::move(submitted).error();
  }
  return claim(district, who, *submitted);
}

Result<std::vector<ClaimView>> CreditService::my_claims(const std::string& district, const Identity& who) {
  return db_.transaction<std::vector<ClaimView>>(
      [&](db::Connection& c) -> Result<std::vector<ClaimView>> {
        SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Educator));
        store::ClaimFilter f;
        f.user_id = who.user_id;
        f.limit = 1000;
        SR_ASSIGN(auto records, store::list_claims(c, v.district.id, f));
        SR_ASSIGN(auto evaluations, evaluate(c, v.district.id, who.user_id, now_ms()));
        std::map<std::int64_t, Evaluation> by_id;
        for (auto& e : evaluations) by_id.emplace(e.claim_id, std::move(e));
        std::vector<ClaimView> out;
        for (auto& r : records) {
          ClaimView cv{std::move(r), std::nullopt};
          if (auto it = by_id.find(cv.record.claim.id); it != by_id.end()) cv.evaluation = it->second;
          out.push_back(std::move(cv));
        }
        std::reverse(out.begin(), out.end());  // newest first
        return out;
      },
      false);
}

Status CreditService::withdraw_claim(const std::string& district, const Identity& who, std::int64_t claim_id) {
  return db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Educator));
    SR_ASSIGN(auto k, store::find_claim(c, v.district.id, claim_id));
    if (!k || k->claim.educator_id != who.user_id) return not_yours("claim");
    const EpochMs now = now_ms();
    if (k->status != store::ClaimStatus::Pending) {
      return Error::conflict("the claim is " + std::string(store::to_string(k->status)) +
                             "; decided claims stay as "
                             "they are");
    }
    SR_TRY(store::close_claim(c, claim_id, store::ClaimStatus::Withdrawn, 0, who.user_id, "", now));
    return store::audit(c, v.district.id, claim_id, who.user_id, "withdrawn", 0, "", now);
  });
}

Result<Page<ClaimView>> CreditService::queue(const std::string& district, const Identity& who, QueueFilter filter) {
  return db_.transaction<Page<ClaimView>>(
      [&](db::Connection& c) -> Result<Page<ClaimView>> {
        SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Approver));
        const int limit = filter.claims.limit;
        const EpochMs now = now_ms();
        // The engine judges one educator's claims together, so a page needs
        // only its educators judged, not the whole district (seconds for a
        // large one).
        std::map<std::int64_t, Evaluation> by_id;
        std::set<std::int64_t> judged;
        auto judge = [&](std::int64_t educator) -> Status {
          if (!judged.insert(educator).second) return {};
          SR_ASSIGN(auto evaluations, evaluate(c, v.district.id, educator, now));
          for (auto& e : evaluations) by_id.emplace(e.claim_id, std::move(e));
          return {};
        };
        std::vector<ClaimView> out;
        // A suggestion filter drops rows after the query: read on until the
        // page is full.
        auto f = filter.claims;
        f.limit = limit + 1;
        while (true) {
          SR_ASSIGN(auto records, store::list_claims(c, v.district.id, f));
          const bool more = static_cast<int>(records.size()) == f.limit;
          for (auto& r : records) {
            f.after_id = r.claim.id;
            if (r.status == store::ClaimStatus::Pending) SR_TRY(judge(r.claim.educator_id));
            ClaimView cv{std::move(r), std::nullopt};
            if (auto it = by_id.find(cv.record.claim.id); it != by_id.end()) cv.evaluation = it->second;
            if (filter.suggestion && (!cv.evaluation || cv.evaluation->suggestion != *filter.suggestion)) continue;
            out.push_back(std::move(cv));
          }
          if (!more || static_cast<int>(out.size()) > limit) break;
        }
        return make_page(std::move(out), limit, [](const ClaimView& k) { return k.record.claim.id; });
      },
      false);
}

Result<ClaimView> CreditService::claim(const std::string& district, const Identity& who, std::int64_t claim_id) {
  return db_.transaction<ClaimView>(
      [&](db::Connection& c) -> Result<ClaimView> {
        SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Educator));
        SR_ASSIGN(auto k, store::find_claim(c, v.district.id, claim_id));
        if (!k || (k->claim.educator_id != who.user_id && !v.can_decide)) return not_yours("claim");
        ClaimView cv{std::move(*k), std::nullopt};
        if (cv.record.status == store::ClaimStatus::Pending) {
          SR_ASSIGN(auto evaluations, evaluate(c, v.district.id, cv.record.claim.educator_id, now_ms()));
          for (auto& e : evaluations)
            if (e.claim_id == claim_id) cv.evaluation = std::move(e);
        }
        return cv;
      },
      false);
}

Result<CreditService::ClaimEvidence> CreditService::claim_evidence(const std::string& district, const Identity& who,
                                                                   std::int64_t claim_id) {
  return db_.transaction<ClaimEvidence>(
      [&](db::Connection& c) -> Result<ClaimEvidence> {
        SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Educator));
        SR_ASSIGN(auto k, store::find_claim(c, v.district.id, claim_id));
        if (!k || (k->claim.educator_id != who.user_id && !v.can_decide)) return not_yours("claim");
        ClaimEvidence out;
        std::set<EvidenceId> named(k->claim.evidence.begin(), k->claim.evidence.end());
        SR_ASSIGN(auto participation, store::participation_of(c, k->claim.educator_id));
        for (auto& p : participation)
          if (named.contains(p.evidence.id)) out.participation.push_back(std::move(p));
        for (const auto& e : k->claim.evidence) {
          if (e.kind == EvidenceKind::SelfReport || e.kind == EvidenceKind::Attestation) {
            SR_ASSIGN(auto r, store::find_self_report(c, e.id));
            const bool listed = std::any_of(out.self_reports.begin(), out.self_reports.end(),
                                            [&](const SelfReport& x) { return x.id == e.id; });
            if (r && r->user_id == k->claim.educator_id && !listed) out.self_reports.push_back(std::move(*r));
          } else if (e.kind != EvidenceKind::Participation) {
            SR_ASSIGN(auto s, store::find_support(c, e.id));
            if (s && s->user_id == k->claim.educator_id && evidence_of(*s).id == e)
              out.supporting.push_back(std::move(*s));
          }
        }
        return out;
      },
      false);
}

Result<ClaimView> CreditService::decide(const std::string& district, const Identity& who, std::int64_t claim_id,
                                        bool approve, const std::string& reason) {
  std::int64_t district_id = 0;
  auto decided = db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Approver));
    district_id = v.district.id;
    SR_ASSIGN(auto k, store::find_claim(c, v.district.id, claim_id));
    if (!k) return Error::not_found("the district has no claim " + std::to_string(claim_id));
    SR_TRY(may_decide(v, *k, who));
    if (k->status != store::ClaimStatus::Pending)
      return Error::conflict("the claim is " + std::string(store::to_string(k->status)) +
                             " already; a decided claim is not changed");
    SR_ASSIGN(auto evaluations, evaluate(c, v.district.id, k->claim.educator_id, now_ms()));
    const Evaluation* ev = nullptr;
    for (const auto& e : evaluations)
      if (e.claim_id == claim_id) ev = &e;
    if (ev == nullptr) return Error::internal("the claim could not be evaluated");
    const EpochMs now = now_ms();
    if (approve) {
      if (ev->suggestion != Suggestion::Approve && ev->suggestion != Suggestion::Review) {
        std::string failing;
        for (const auto& r : ev->rules)
          if (!r.passed) failing += (failing.empty() ? "" : "; ") + r.rule + ": " + r.reason;
        return Error::conflict("the claim does not meet the policy (" + failing +
                               "); deny it with a reason, or "
                               "wait for the missing evidence");
      }
      SR_TRY(store::approve_claim(c, v.district.id, approved(*ev), ev->credit, ev->policy_version, who.user_id, reason,
                                  now));
      SR_TRY(accounts::store::insert_mail(
          c, k->educator_email, "Your credit claim was approved",
          "Hello " + k->educator_name + ",\n\n" + who.display_name + " approved your " + k->claim.tier + " claim in " +
              v.district.name + " for " + hours_text(ev->credit.minutes) + "." +
              (reason.empty() ? "" : "\n\n" + reason) + "\n\nYour transcript: " + public_url_ + "/districts/" +
              v.district.slug + "/transcript\n",
          now));
      return store::audit(c, v.district.id, claim_id, who.user_id, "approved", ev->policy_version,
                          hours_text(ev->credit.minutes) + (reason.empty() ? "" : ": " + reason), now);
    }
    if (reason.empty()) return Error::validation("reason", "tell the educator why the claim is denied");
    SR_TRY(store::close_claim(c, claim_id, store::ClaimStatus::Denied, ev->policy_version, who.user_id, reason, now));
    SR_TRY(accounts::store::insert_mail(c, k->educator_email, "Your credit claim was not approved",
                                        "Hello " + k->educator_name + ",\n\n" + who.display_name +
                                            " did not approve your " + k->claim.tier + " claim in " + v.district.name +
                                            ":\n\n" + reason + "\n\nYour district: " + public_url_ + "/districts/" +
                                            v.district.slug + "\n",
                                        now));
    return store::audit(c, v.district.id, claim_id, who.user_id, "denied", ev->policy_version, reason, now);
  });
  if (!decided.ok()) {
    const auto code = decided.error().code;
    if (district_id != 0 && (code == ErrorCode::Forbidden || code == ErrorCode::Conflict)) {
      log::warn(
          "claim decision refused",
          {{"district", district}, {"claim_id", std::to_string(claim_id)}, {"user_id", std::to_string(who.user_id)}});
      (void)db_.transaction([&](db::Connection& c) -> Status {
        return store::audit(c, district_id, claim_id, who.user_id, "refused", 0, decided.error().detail, now_ms());
      });
    }
    return std::move(decided).error();
  }
  log::info(
      "claim decided",
      {{"district", district}, {"claim_id", std::to_string(claim_id)}, {"decision", approve ? "approved" : "denied"}});
  return claim(district, who, claim_id);
}

Result<std::vector<BulkOutcome>> CreditService::decide_many(const std::string& district, const Identity& who,
                                                            const std::vector<std::int64_t>& claim_ids,
                                                            const std::string& reason) {
  {
    // Fail fast, before any decision, when the caller may not decide here.
    auto allowed = db_.transaction<districts::DistrictView>(
        [&](db::Connection& c) { return districts_.require(c, district, who, MemberRole::Approver); }, false);
    if (!allowed.ok()) return std::move(allowed).error();
  }
  if (claim_ids.empty()) return Error::validation("claims", "name the claims to approve");
  if (claim_ids.size() > 500) return Error::validation("claims", "approve at most 500 claims at once");
  // In submission order, so earlier claims take cap room first, as the
  // engine assumed when it suggested them.
  std::vector<std::int64_t> ordered = claim_ids;
  std::sort(ordered.begin(), ordered.end());
  ordered.erase(std::unique(ordered.begin(), ordered.end()), ordered.end());
  std::vector<BulkOutcome> out;
  for (auto id : ordered) {
    auto r = decide(district, who, id, true, reason);
    out.push_back({id, r.ok(), r.ok() ? hours_text(r->record.credit.minutes) : r.error().detail});
  }
  return out;
}

Result<std::vector<store::AuditEntry>> CreditService::audit_trail(const std::string& district, const Identity& who,
                                                                  std::optional<std::int64_t> claim_id,
                                                                  std::int64_t before, int limit) {
  return db_.transaction<std::vector<store::AuditEntry>>(
      [&](db::Connection& c) -> Result<std::vector<store::AuditEntry>> {
        SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Approver));
        return store::audit_trail(c, v.district.id, claim_id, before, limit);
      },
      false);
}

// ---------------------------------------------------------------------------
// Transcripts and reports

Result<TranscriptView> CreditService::transcript(const std::string& district, const Identity& who,
                                                 std::optional<std::int64_t> educator_id) {
  return db_.transaction<TranscriptView>(
      [&](db::Connection& c) -> Result<TranscriptView> {
        SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Educator));
        const std::int64_t educator = educator_id.value_or(who.user_id);
        if (educator != who.user_id && !v.can_decide)
          return Error::forbidden("only approvers and admins see other educators' transcripts");
        SR_ASSIGN(auto member, districts::store::find_member_by_user(c, v.district.id, educator));
        if (!member) return Error::not_found("the district has no member with account " + std::to_string(educator));
        SR_ASSIGN(auto versions, load_versions(c, v.district.id));
        const PolicyVersion* p = in_force(versions, now_ms());
        if (p == nullptr) return Error::conflict("the district has no credit policy in force yet");
        SR_ASSIGN(auto approved_list, store::approved_claims(c, v.district.id, educator, false));
        TranscriptView t;
        t.transcript =
            credit::transcript(p->policy, educator, approved_list, parse_date(member->cycle_starts_on), now_ms());
        t.policy_version = p->policy.version;
        t.policy_name = p->policy.name;
        t.time_zone = p->policy.time_zone;
        t.educator_name = member->display_name;
        t.educator_email = member->email;
        t.district_name = v.district.name;
        store::ClaimFilter f;
        f.user_id = educator;
        f.status = store::ClaimStatus::Approved;
        f.limit = 10000;
        SR_ASSIGN(t.claims, store::list_claims(c, v.district.id, f));
        return t;
      },
      false);
}

std::string CreditService::transcript_csv(const TranscriptView& t) const {
  std::string out;
  csv::append_row(out, {"claim", "tier", "completed_on", "approved_on", "approved_by", "policy_version",
                        "verified_hours", "clock_hours", "ceus", "semester_credits", "evidence"});
  for (const auto& k : t.claims) {
    std::string evidence;
    for (const auto& e : k.claim.evidence) evidence += (evidence.empty() ? "" : " ") + to_string(e);
    csv::append_row(out, {std::to_string(k.claim.id), k.claim.tier, format_date(local_day(k.completed_at, t.time_zone)),
                          k.decided_at ? format_date(local_day(*k.decided_at, t.time_zone)) : "", k.decided_by_name,
                          std::to_string(k.policy_version), hundredths_text(k.credit.verified_minutes * 100 / 60),
                          hundredths_text(k.credit.minutes * 100 / 60), hundredths_text(k.credit.ceu_hundredths),
                          hundredths_text(k.credit.semester_credit_hundredths), evidence});
  }
  return out;
}

Result<std::string> CreditService::transcript_pdf(const TranscriptView& t) const {
  pdf::Document doc;
  doc.title = "Professional learning transcript: " + t.educator_name;
  doc.author = t.district_name;
  doc.subject = "Approved professional learning credit under " + t.policy_name;
  doc.created = now_ms();
  doc.footer = t.district_name + " \u00b7 transcript of " + t.educator_name;
  doc.blocks.emplace_back(pdf::Heading{1, "Professional learning transcript"});
  doc.blocks.emplace_back(pdf::KeyValues{{{"Educator", t.educator_name + " (" + t.educator_email + ")"},
                                          {"District", t.district_name},
                                          {"Policy", t.policy_name + ", version " + std::to_string(t.policy_version)},
                                          {"Dates", "local days in " + t.time_zone},
                                          {"Issued", format_date(local_day(now_ms(), t.time_zone))}}});
  for (const auto& cycle : t.transcript.cycles) {
    doc.blocks.emplace_back(pdf::Spacer{});
    const bool current = cycle.number == t.transcript.current;
    doc.blocks.emplace_back(pdf::Heading{2, "Renewal cycle " + format_date(cycle.starts_on) + " to " +
                                                format_date(cycle.ends_on) + (current ? " (current)" : "")});
    doc.blocks.emplace_back(
        pdf::Paragraph{hours_text(cycle.total.minutes) + " of " + hours_text(cycle.required_minutes) + " required (" +
                           std::to_string(cycle.percent) + "%)" +
                           (cycle.met ? ": requirement met." : "; " + hours_text(cycle.remaining_minutes) + " to go."),
                       false, false});
    pdf::Table tiers;
    tiers.columns = {{"Tier", 3, pdf::Align::Left},
                     {"Clock hours", 1.2, pdf::Align::Right},
                     {"CEUs", 1, pdf::Align::Right},
                     {"Semester credits", 1.4, pdf::Align::Right}};
    for (const auto& tc : cycle.tiers) {
      tiers.rows.push_back({tc.tier, hundredths_text(tc.credit.minutes * 100 / 60),
                            hundredths_text(tc.credit.ceu_hundredths),
                            hundredths_text(tc.credit.semester_credit_hundredths)});
    }
    tiers.summary = {"Total", hundredths_text(cycle.total.minutes * 100 / 60),
                     hundredths_text(cycle.total.ceu_hundredths),
                     hundredths_text(cycle.total.semester_credit_hundredths)};
    doc.blocks.emplace_back(std::move(tiers));
  }
  doc.blocks.emplace_back(pdf::Spacer{});
  doc.blocks.emplace_back(pdf::Heading{2, "Approved claims and their evidence"});
  pdf::Table claims;
  claims.columns = {{"Claim", 0.8, pdf::Align::Right},    {"Tier", 1.4, pdf::Align::Left},
                    {"Completed", 1.3, pdf::Align::Left}, {"Approved", 1.3, pdf::Align::Left},
                    {"Hours", 0.9, pdf::Align::Right},    {"Evidence", 3.3, pdf::Align::Left}};
  for (const auto& k : t.claims) {
    std::string evidence;
    for (const auto& e : k.claim.evidence) evidence += (evidence.empty() ? "" : ", ") + to_string(e);
    claims.rows.push_back(
        {std::to_string(k.claim.id), k.claim.tier, format_date(local_day(k.completed_at, t.time_zone)),
         k.decided_at ? format_date(local_day(*k.decided_at, t.time_zone)) + " by " + k.decided_by_name : "",
         hundredths_text(k.credit.minutes * 100 / 60), evidence});
  }
  if (claims.rows.empty()) {
    doc.blocks.emplace_back(pdf::Paragraph{"No claim has been approved yet.", false, true});
  } else {
    doc.blocks.emplace_back(std::move(claims));
  }
  doc.blocks.emplace_back(pdf::Spacer{});
  doc.blocks.emplace_back(pdf::Paragraph{
      "Clock hours are the policy's rounding of the verified minutes; each approved claim keeps the credit it was "
      "approved for under the policy version in force when it was submitted.",
      true, true});
  return pdf::render_pdf(doc);
}

Result<CreditService::Report> CreditService::report(const std::string& district, const Identity& who) {
  return db_.transaction<Report>(
      [&](db::Connection& c) -> Result<Report> {
        SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Approver));
        Report r;
        SR_ASSIGN(r.rows, store::credit_report(c, v.district.id));
        SR_ASSIGN(auto pending, store::pending_claims(c, v.district.id, std::nullopt));
        r.pending = static_cast<std::int64_t>(pending.size());
        return r;
      },
      false);
}

Result<std::string> CreditService::licensure_csv(const std::string& district, const Identity& who) {
  return db_.transaction<std::string>(
      [&](db::Connection& c) -> Result<std::string> {
        SR_ASSIGN(auto v, districts_.require(c, district, who, MemberRole::Approver));
        SR_ASSIGN(auto versions, load_versions(c, v.district.id));
        const PolicyVersion* p = in_force(versions, now_ms());
        const std::string zone = p ? p->policy.time_zone : v.district.time_zone;
        store::ClaimFilter f;
        f.status = store::ClaimStatus::Approved;
        f.limit = 1000;
        std::string out;
        csv::append_row(out,
                        {"educator_email", "educator_name", "school", "district", "claim_id", "tier", "completed_on",
                         "approved_on", "clock_hours", "ceus", "semester_credits", "policy_version", "approved_by"});
        while (true) {
          SR_ASSIGN(auto claims, store::list_claims(c, v.district.id, f));
          for (const auto& k : claims) {
            csv::append_row(out,
                            {k.educator_email, k.educator_name, k.school, v.district.name, std::to_string(k.claim.id),
                             k.claim.tier, format_date(local_day(k.completed_at, zone)),
                             k.decided_at ? format_date(local_day(*k.decided_at, zone)) : "",
                             hundredths_text(k.credit.minutes * 100 / 60), hundredths_text(k.credit.ceu_hundredths),
                             hundredths_text(k.credit.semester_credit_hundredths), std::to_string(k.policy_version),
                             k.decided_by_name});
            f.after_id = k.claim.id;
          }
          if (static_cast<int>(claims.size()) < f.limit) break;
        }
        return out;
      },
      false);
}

}  // namespace staffroom::credit
