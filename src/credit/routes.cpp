#include "credit/routes.hpp"

#include <boost/json.hpp>

#include "core/calendar.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "http/pagination.hpp"

namespace staffroom::credit {

namespace json = boost::json;
using http::Access;
using http::Context;
using http::HandlerResult;
using http::Response;

namespace {

json::value opt_time(const std::optional<EpochMs>& t) {
  return t ? json::value(format_rfc3339(*t)) : json::value(nullptr);
}

json::object policy_json(const PolicyVersion& v) {
  // Exactly the import/export format, so an export imports again as it is.
  json::object o = to_json(v.policy).as_object();
  o["version"] = v.record.version;
  return o;
}

json::object self_report_json(const SelfReport& r) {
  return {{"id", r.id},
          {"evidence", to_string(EvidenceId{EvidenceKind::SelfReport, r.id})},
          {"title", r.title},
          {"format", r.format},
          {"learned_on", r.learned_on},
          {"minutes", r.minutes},
          {"url", r.url},
          {"reflection", r.reflection},
          {"reflection_words", r.reflection_words},
          {"attestation",
           json::object{{"state", to_string(r.attestation)},
                        {"email", r.attester_email},
                        {"note", r.attestation_note},
                        {"at", opt_time(r.attested_at)},
                        {"evidence", r.attestation == AttestationState::Attested
                                         ? json::value(to_string(EvidenceId{EvidenceKind::Attestation, r.id}))
                                         : json::value(nullptr)}}},
          {"created_at", format_rfc3339(r.created_at)},
          {"updated_at", format_rfc3339(r.updated_at)}};
}

json::object support_json(const SupportingEvidence& e) {
  return {{"id", e.id},
          {"evidence", to_string(evidence_of(e).id)},
          {"kind", to_string(e.kind)},
          {"title", e.title},
          {"body", e.body},
          {"words", e.words},
          {"file_name", e.file_name},
          {"content_type", e.content_type},
          {"size", e.size},
          {"created_at", format_rfc3339(e.created_at)}};
}

json::object participation_json(const store::Participation& p) {
  const auto& e = p.evidence;
  json::array themes;
  for (const auto& t : e.themes) themes.push_back(json::value(t));
  return {{"id", e.id.id},
          {"evidence", to_string(e.id)},
          {"activity_id", e.activity_id},
          {"activity_title", p.activity_title},
          {"host", p.host_name},
          {"format", e.format},
          {"themes", std::move(themes)},
          {"source", to_string(e.source)},
          {"role", to_string(e.role)},
          {"session_starts_at", format_rfc3339(e.at)},
          {"minutes", e.minutes}};
}

json::object credit_json(const Credit& c) {
  return {{"verified_hours", json::value(static_cast<double>(c.verified_minutes) / 60.0)},
          {"clock_hours", json::value(static_cast<double>(c.minutes) / 60.0)},
          {"trimmed_hours", json::value(static_cast<double>(c.trimmed_minutes) / 60.0)},
          {"ceus", json::value(static_cast<double>(c.ceu_hundredths) / 100.0)},
          {"semester_credits", json::value(static_cast<double>(c.semester_credit_hundredths) / 100.0)}};
}

json::object claim_json(const ClaimView& v) {
  const auto& k = v.record;
  json::array evidence;
  for (const auto& e : k.claim.evidence) evidence.push_back(json::value(to_string(e)));
  json::object o{
      {"id", k.claim.id},
      {"educator",
       json::object{
           {"id", k.claim.educator_id}, {"name", k.educator_name}, {"email", k.educator_email}, {"school", k.school}}},
      {"tier", k.claim.tier},
      {"note", k.note},
      {"evidence", std::move(evidence)},
      {"submitted_at", format_rfc3339(k.claim.submitted_at)},
      {"status", store::to_string(k.status)},
      {"policy_version", k.policy_version},
      {"decided_by", k.decided_by_name},
      {"decided_at", opt_time(k.decided_at)},
      {"reason", k.reason},
      {"credit", k.status == store::ClaimStatus::Approved ? json::value(credit_json(k.credit)) : json::value(nullptr)},
      {"evaluation", v.evaluation ? to_json(*v.evaluation) : json::value(nullptr)}};
  return o;
}

json::object audit_json(const store::AuditEntry& a) {
  return {{"id", a.id},
          {"claim_id", a.claim_id ? json::value(*a.claim_id) : json::value(nullptr)},
          {"actor", a.actor_name},
          {"action", a.action},
          {"policy_version", a.policy_version},
          {"detail", a.detail},
          {"at", format_rfc3339(a.at)}};
}

// {"title", "format", "learned_on", "minutes", "url", "reflection"}
Result<SelfReport> read_self_report(const json::object& body) {
  staffroom::json::FieldReader f(body);
  SelfReport r;
  // Checked with the model's rules, which name every problem at once.
  r.title = f.optional_string("title", 200).value_or("");
  r.format = f.optional_string("format", 40).value_or("");
  r.learned_on = f.optional_string("learned_on", 10).value_or("");
  r.minutes = f.optional_int("minutes").value_or(0);
  if (!f.has("minutes")) f.add_error("minutes", "is required: how long the learning took");
  r.url = f.optional_string("url", 2000).value_or("");
  r.reflection = f.optional_raw_string("reflection").value_or("");
  SR_TRY(f.finish());
  return r;
}

Result<std::vector<EvidenceId>> read_evidence_ids(const json::object& body) {
  auto it = body.find("evidence");
  if (it == body.end() || !it->value().is_array())
    return Error::validation("evidence", "must be a list like [\"participation:12\", \"reflection:3\"]");
  std::vector<EvidenceId> out;
  std::vector<FieldError> errors;
  const auto& arr = it->value().as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string at = "evidence[" + std::to_string(i) + "]";
    if (!arr[i].is_string()) {
      errors.push_back({at, "must be a string like \"participation:12\""});
      continue;
    }
    const std::string_view s = arr[i].as_string();
    const auto colon = s.find(':');
    std::optional<EvidenceKind> kind;
    std::int64_t id = 0;
    if (colon != std::string_view::npos) {
      kind = parse_evidence_kind(s.substr(0, colon));
      const auto digits = s.substr(colon + 1);
      bool ok = !digits.empty() && digits.size() < 18;
      for (char ch : digits) ok = ok && ch >= '0' && ch <= '9';
      if (ok) id = static_cast<std::int64_t>(std::stoll(std::string(digits)));
      if (!ok) kind.reset();
    }
    if (!kind) {
      errors.push_back({at, "'" + std::string(s) +
                                "' is not an evidence reference; use kind:id with kind one of "
                                "participation, self_report, survey, reflection, artifact, "
                                "attestation"});
      continue;
    }
    out.push_back({*kind, id});
  }
  if (!errors.empty()) return Error::validation(std::move(errors));
  return out;
}

Result<std::optional<std::int64_t>> optional_id(const http::Request& r, std::string_view name) {
  const auto text = r.query_param(name);
  if (!text || text->empty()) return std::optional<std::int64_t>();
  bool ok = text->size() < 18;
  for (char ch : *text) ok = ok && ch >= '0' && ch <= '9';
  if (!ok) return Error::validation(std::string(name), "must be a number");
  return std::optional<std::int64_t>(std::stoll(*text));
}

Response csv_response(std::string body, const std::string& filename) {
  Response r = Response::text(200, std::move(body), "text/csv; charset=utf-8");
  r.set_header("content-disposition", "attachment; filename=\"" + filename + "\"");
  return r;
}

}  // namespace

void add_routes(http::Router& router, CreditService& svc) {
  const auto member = Access::signed_in();  // the service checks district roles and ownership

  // ---- Policy
  router.add(
      "GET", "/api/v1/districts/{district}/policy", member,
      {"getCreditPolicy", "The credit policy in force today, and every version", "credit", false, {200, 403, 404}},
      [&svc](Context& ctx) -> HandlerResult {
        SR_ASSIGN(auto versions, svc.policy_versions(ctx.request.param("district"), *ctx.identity));
        SR_ASSIGN(auto current, svc.current_policy(ctx.request.param("district"), *ctx.identity));
        json::array list;
        for (const auto& v : versions) {
          list.push_back(json::object{{"version", v.record.version},
                                      {"name", v.policy.name},
                                      {"effective_on", format_date(v.policy.effective_on)},
                                      {"saved_at", format_rfc3339(v.record.created_at)},
                                      {"saved_by", v.record.created_by_name}});
        }
        return Response::json(
            200, json::object{{"current", current ? json::value(policy_json(*current)) : json::value(nullptr)},
                              {"versions", std::move(list)}});
      });

  router.add("GET", "/api/v1/districts/{district}/policy/versions/{version}", member,
             {"getCreditPolicyVersion",
              "One version of the credit policy, in its import/export format",
              "credit",
              false,
              {200, 403, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto n, http::id_param(ctx.request, "version", "policy version"));
               SR_ASSIGN(auto versions, svc.policy_versions(ctx.request.param("district"), *ctx.identity));
               for (const auto& v : versions) {
                 if (v.record.version == n) {
                   Response r = Response::json(200, policy_json(v));
                   if (ctx.request.query_param("download").value_or("") == "true")
                     r.set_header("content-disposition", "attachment; filename=\"" + ctx.request.param("district") +
                                                             "-policy-v" + std::to_string(n) + ".json\"");
                   return r;
                 }
               }
               return Error::not_found("the district has no policy version " + std::to_string(n));
             });

  router.add("POST", "/api/v1/districts/{district}/policy/versions", member,
             {"saveCreditPolicy",
              "Save (or import) the policy as its next version (admins)",
              "credit",
              true,
              {201, 403, 404, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               boost::system::error_code ec;
               auto body = json::parse(ctx.request.body, ec);
               if (ec) return Error::bad_request("the body is not JSON: " + ec.message());
               SR_ASSIGN(auto saved, svc.save_policy(ctx.request.param("district"), *ctx.identity, body));
               return Response::json(201, policy_json(saved));
             });

  // ---- My learning and evidence
  router.add(
      "GET", "/api/v1/me/evidence", member,
      {"myEvidence", "My participation records, logged learning and supporting evidence", "credit", false, {200}},
      [&svc](Context& ctx) -> HandlerResult {
        SR_ASSIGN(auto list, svc.evidence(*ctx.identity));
        json::array participation, reports, supporting;
        for (const auto& p : list.participation) participation.push_back(participation_json(p));
        for (const auto& r : list.self_reports) reports.push_back(self_report_json(r));
        for (const auto& s : list.supporting) supporting.push_back(support_json(s));
        return Response::json(200, json::object{{"participation", std::move(participation)},
                                                {"self_reports", std::move(reports)},
                                                {"supporting", std::move(supporting)}});
      });

  router.add("POST", "/api/v1/me/learning", member,
             {"logLearning", "Log informal online learning", "credit", true, {201, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               SR_ASSIGN(auto r, read_self_report(body));
               SR_ASSIGN(auto saved, svc.log_learning(*ctx.identity, std::move(r)));
               return Response::json(201, self_report_json(saved));
             });

  router.add("PUT", "/api/v1/me/learning/{id}", member,
             {"updateLearning", "Change logged learning no claim rests on", "credit", true, {200, 404, 409, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "logged learning"));
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               SR_ASSIGN(auto r, read_self_report(body));
               SR_ASSIGN(auto saved, svc.update_learning(*ctx.identity, id, std::move(r)));
               return Response::json(200, self_report_json(saved));
             });

  router.add("DELETE", "/api/v1/me/learning/{id}", member,
             {"deleteLearning", "Delete logged learning no claim rests on", "credit", false, {204, 404, 409}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "logged learning"));
               SR_TRY(svc.delete_learning(*ctx.identity, id));
               return Response::no_content();
             });

  router.add(
      "POST", "/api/v1/me/learning/{id}/attestation", member,
      {"requestAttestation", "Ask a colleague to attest that you took part", "credit", true, {200, 404, 409, 422}},
      [&svc](Context& ctx) -> HandlerResult {
        SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "logged learning"));
        SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
        staffroom::json::FieldReader f(body);
        const auto email = f.required_string("email", 254);
        SR_TRY(f.finish());
        SR_ASSIGN(auto saved, svc.request_attestation(*ctx.identity, id, email));
        return Response::json(200, self_report_json(saved));
      });

  router.add(
      "GET", "/api/v1/attestations/{token}", member,
      {"getAttestation", "What a colleague is asked to attest (the addressee only)", "credit", false, {200, 403, 404}},
      [&svc](Context& ctx) -> HandlerResult {
        SR_ASSIGN(auto a, svc.attestation(ctx.request.param("token"), *ctx.identity));
        return Response::json(200, json::object{{"educator", a.educator_name},
                                                {"title", a.report.title},
                                                {"format", a.report.format},
                                                {"learned_on", a.report.learned_on},
                                                {"minutes", a.report.minutes},
                                                {"url", a.report.url}});
      });

  router.add("POST", "/api/v1/attestations/{token}", member,
             {"answerAttestation",
              "Attest, or decline to attest, a colleague's learning",
              "credit",
              true,
              {200, 403, 404, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               const auto decision = f.required_string("decision", 20);
               const auto note = f.optional_string("note", 2000).value_or("");
               if (decision != "attest" && decision != "decline")
                 f.add_error("decision", "must be \"attest\" or \"decline\"");
               SR_TRY(f.finish());
               SR_ASSIGN(auto r, svc.attest(ctx.request.param("token"), *ctx.identity, decision == "attest", note));
               return Response::json(200, json::object{{"state", to_string(r.attestation)}});
             });

  router.add("POST", "/api/v1/me/evidence", member,
             {"addEvidence",
              "Add a survey, a reflection or an artifact (base64, at most 512 KiB)",
              "credit",
              true,
              {201, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               SupportingEvidence e;
               const auto kind = f.required_string("kind", 20);
               if (auto k = parse_support_kind(kind))
                 e.kind = *k;
               else
                 f.add_error("kind", "must be survey, reflection or artifact");
               e.title = f.required_string("title", 200);
               e.body = f.optional_raw_string("body").value_or("");
               e.file_name = f.optional_string("file_name", 200).value_or("");
               e.content_type = f.optional_string("content_type", 100).value_or("application/octet-stream");
               std::string content;
               if (auto b64 = f.optional_raw_string("content_base64"); b64 && !b64->empty()) {
                 auto bytes = crypto::base64_decode(*b64);
                 if (!bytes)
                   f.add_error("content_base64", "is not valid base64");
                 else
                   content = std::move(*bytes);
               }
               SR_TRY(f.finish());
               SR_ASSIGN(auto saved, svc.add_support(*ctx.identity, std::move(e), content));
               return Response::json(201, support_json(saved));
             });

  router.add("DELETE", "/api/v1/me/evidence/{id}", member,
             {"deleteEvidence", "Delete supporting evidence no claim rests on", "credit", false, {204, 404, 409}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "evidence"));
               SR_TRY(svc.delete_support(*ctx.identity, id));
               return Response::no_content();
             });

  router.add("GET", "/api/v1/evidence/{id}/content", member,
             {"getEvidenceContent",
              "An artifact's file (its owner, or approvers of a claim that names it)",
              "credit",
              false,
              {200, 404},
              "application/octet-stream"},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "evidence"));
               SR_ASSIGN(auto found, svc.support_content(*ctx.identity, id));
               // Served as a download, never rendered here: an uploaded file is
               // someone else's content. Surveys and reflections have no file:
               // their text is the content.
               const bool file = found.first.kind == SupportKind::Artifact;
               Response r = Response::text(200, file ? std::move(found.second) : found.first.body,
                                           file ? "application/octet-stream" : "text/plain; charset=utf-8");
               if (!file && found.first.file_name.empty())
                 found.first.file_name =
                     std::string(to_string(found.first.kind)) + "-" + std::to_string(found.first.id) + ".txt";
               std::string name;
               for (char ch : found.first.file_name)
                 if (ch != '"' && ch != '\\' && static_cast<unsigned char>(ch) >= 0x20) name += ch;
               r.set_header("content-disposition", "attachment; filename=\"" + name + "\"");
               r.set_header("x-content-type-options", "nosniff");
               return r;
             });

  // ---- Claims
  router.add("POST", "/api/v1/districts/{district}/claims", member,
             {"submitClaim", "Claim credit for your own records", "credit", true, {201, 403, 404, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               const auto tier = f.required_string("tier", 80);
               const auto note = f.optional_string("note", 2000).value_or("");
               SR_TRY(f.finish());
               SR_ASSIGN(auto evidence, read_evidence_ids(body));
               SR_ASSIGN(auto v, svc.submit_claim(ctx.request.param("district"), *ctx.identity, tier, evidence, note));
               return Response::json(201, claim_json(v));
             });

  router.add("GET", "/api/v1/districts/{district}/my-claims", member,
             {"myClaims",
              "My claims in the district, newest first, pending ones with their evaluation",
              "credit",
              false,
              {200, 403, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto list, svc.my_claims(ctx.request.param("district"), *ctx.identity));
               json::array items;
               for (const auto& v : list) items.push_back(claim_json(v));
               return Response::json(200, json::object{{"items", std::move(items)}});
             });

  router.add("GET", "/api/v1/districts/{district}/claims", member,
             {"listClaims",
              "The approvers' queue: claims with filters, pending ones evaluated",
              "credit",
              false,
              {200, 403, 404, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto page_req, http::parse_page(ctx.request));
               CreditService::QueueFilter q;
               q.claims.after_id = page_req.position;
               q.claims.limit = page_req.limit;
               const auto status = ctx.request.query_param("status").value_or("pending");
               if (status != "all") {
                 q.claims.status = store::parse_claim_status(status);
                 if (!q.claims.status)
                   return Error::validation("status", "must be pending, approved, denied, withdrawn or all");
               }
               q.claims.tier = ctx.request.query_param("tier").value_or("");
               q.claims.school = ctx.request.query_param("school").value_or("");
               SR_ASSIGN(q.claims.user_id, optional_id(ctx.request, "educator"));
               if (auto s = ctx.request.query_param("suggestion"); s && !s->empty()) {
                 for (auto k : {Suggestion::Approve, Suggestion::Review, Suggestion::NeedsEvidence, Suggestion::Deny})
                   if (to_string(k) == *s) q.suggestion = k;
                 if (!q.suggestion)
                   return Error::validation("suggestion", "must be approve, review, needs_evidence or deny");
               }
               SR_ASSIGN(auto page, svc.queue(ctx.request.param("district"), *ctx.identity, std::move(q)));
               return http::page_response(page, claim_json);
             });

  router.add("GET", "/api/v1/districts/{district}/claims/{id}", member,
             {"getClaim", "One claim (its educator, or approvers)", "credit", false, {200, 403, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "claim"));
               SR_ASSIGN(auto v, svc.claim(ctx.request.param("district"), *ctx.identity, id));
               return Response::json(200, claim_json(v));
             });

  router.add("GET", "/api/v1/districts/{district}/claims/{id}/evidence", member,
             {"getClaimEvidence",
              "Everything a claim rests on, in full (its educator, or approvers)",
              "credit",
              false,
              {200, 403, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "claim"));
               SR_ASSIGN(auto e, svc.claim_evidence(ctx.request.param("district"), *ctx.identity, id));
               json::array participation, reports, supporting;
               for (const auto& p : e.participation) participation.push_back(participation_json(p));
               for (const auto& r : e.self_reports) reports.push_back(self_report_json(r));
               for (const auto& s : e.supporting) supporting.push_back(support_json(s));
               return Response::json(200, json::object{{"participation", std::move(participation)},
                                                       {"self_reports", std::move(reports)},
                                                       {"supporting", std::move(supporting)}});
             });

  router.add("DELETE", "/api/v1/districts/{district}/claims/{id}", member,
             {"withdrawClaim", "Withdraw your pending claim", "credit", false, {204, 404, 409}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "claim"));
               SR_TRY(svc.withdraw_claim(ctx.request.param("district"), *ctx.identity, id));
               return Response::no_content();
             });

  router.add(
      "POST", "/api/v1/districts/{district}/claims/{id}/decision", member,
      {"decideClaim", "Approve or deny a claim (approvers; not your own)", "credit", true, {200, 403, 404, 409, 422}},
      [&svc](Context& ctx) -> HandlerResult {
        SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "claim"));
        SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
        staffroom::json::FieldReader f(body);
        const auto decision = f.required_string("decision", 20);
        const auto reason = f.optional_string("reason", 2000).value_or("");
        if (decision != "approve" && decision != "deny") f.add_error("decision", "must be \"approve\" or \"deny\"");
        SR_TRY(f.finish());
        SR_ASSIGN(auto v, svc.decide(ctx.request.param("district"), *ctx.identity, id, decision == "approve", reason));
        return Response::json(200, claim_json(v));
      });

  router.add("POST", "/api/v1/districts/{district}/claim-approvals", member,
             {"approveClaims",
              "Approve several claims, each only if it meets the policy (approvers)",
              "credit",
              true,
              {200, 403, 404, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               const auto reason = f.optional_string("reason", 2000).value_or("");
               std::vector<std::int64_t> ids;
               auto it = body.find("claims");
               if (it == body.end() || !it->value().is_array()) {
                 f.add_error("claims", "must be a list of claim ids");
               } else {
                 for (const auto& v : it->value().as_array()) {
                   if (v.is_int64())
                     ids.push_back(v.as_int64());
                   else
                     f.add_error("claims", "must hold claim ids (numbers)");
                 }
               }
               SR_TRY(f.finish());
               SR_ASSIGN(auto outcomes, svc.decide_many(ctx.request.param("district"), *ctx.identity, ids, reason));
               json::array items;
               for (const auto& o : outcomes)
                 items.push_back(json::object{{"claim_id", o.claim_id}, {"approved", o.ok}, {"detail", o.detail}});
               return Response::json(200, json::object{{"items", std::move(items)}});
             });

  router.add("GET", "/api/v1/districts/{district}/audit", member,
             {"creditAudit",
              "Who decided what, when, under which policy version (approvers)",
              "credit",
              false,
              {200, 403, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto claim_id, optional_id(ctx.request, "claim"));
               SR_ASSIGN(auto before, optional_id(ctx.request, "before"));
               SR_ASSIGN(auto entries, svc.audit_trail(ctx.request.param("district"), *ctx.identity, claim_id,
                                                       before.value_or(0), 200));
               json::array items;
               for (const auto& a : entries) items.push_back(audit_json(a));
               return Response::json(200, json::object{{"items", std::move(items)}});
             });

  // ---- Transcripts and reports
  router.add("GET", "/api/v1/districts/{district}/transcript", member,
             {"getTranscript",
              "Approved credit by cycle and tier (yours; approvers: ?educator=ID); ?format=csv",
              "credit",
              false,
              {200, 403, 404, 409}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto educator, optional_id(ctx.request, "educator"));
               const auto format = ctx.request.query_param("format").value_or("json");
               if (format != "json" && format != "csv" && format != "pdf")
                 return Error::bad_request("format must be json, csv or pdf");
               SR_ASSIGN(auto t, svc.transcript(ctx.request.param("district"), *ctx.identity, educator));
               if (format == "csv")
                 return csv_response(svc.transcript_csv(t), ctx.request.param("district") + "-transcript.csv");
               if (format == "pdf") {
                 SR_ASSIGN(auto bytes, svc.transcript_pdf(t));
                 Response r = Response::text(200, std::move(bytes), "application/pdf");
                 r.set_header("content-disposition",
                              "attachment; filename=\"" + ctx.request.param("district") + "-transcript.pdf\"");
                 return r;
               }
               json::array claims;
               for (const auto& k : t.claims) claims.push_back(claim_json({k, std::nullopt}));
               return Response::json(
                   200, json::object{{"educator", json::object{{"name", t.educator_name}, {"email", t.educator_email}}},
                                     {"district", t.district_name},
                                     {"policy", json::object{{"version", t.policy_version},
                                                             {"name", t.policy_name},
                                                             {"time_zone", t.time_zone}}},
                                     {"transcript", to_json(t.transcript)},
                                     {"claims", std::move(claims)}});
             });

  router.add("GET", "/api/v1/districts/{district}/reports/credit", member,
             {"creditReport",
              "Approved hours by school, format, theme and provider; pending work (approvers)",
              "credit",
              false,
              {200, 403, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto r, svc.report(ctx.request.param("district"), *ctx.identity));
               json::object dims{{"school", json::array{}},
                                 {"format", json::array{}},
                                 {"provider", json::array{}},
                                 {"theme", json::array{}}};
               for (const auto& row : r.rows) {
                 dims[row.dimension].as_array().push_back(
                     json::object{{"key", row.key},
                                  {"claims", row.claims},
                                  {"educators", row.educators},
                                  {"clock_hours", json::value(static_cast<double>(row.minutes) / 60.0)}});
               }
               return Response::json(200, json::object{{"by", std::move(dims)}, {"pending_claims", r.pending}});
             });

  router.add("GET", "/api/v1/districts/{district}/reports/licensure.csv", member,
             {"licensureExport",
              "Approved credit, one row per claim, for state licensure systems (approvers)",
              "credit",
              false,
              {200, 403, 404},
              "text/csv"},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto text, svc.licensure_csv(ctx.request.param("district"), *ctx.identity));
               return csv_response(std::move(text), ctx.request.param("district") + "-licensure.csv");
             });
}

}  // namespace staffroom::credit
