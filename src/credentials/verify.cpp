#include "credentials/verify.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace staffroom::credentials {

namespace json = boost::json;

namespace {

constexpr std::string_view kCredentialsV2 = "https://www.w3.org/ns/credentials/v2";
constexpr std::string_view kCredentialsV1 = "https://www.w3.org/2018/credentials/v1";
constexpr std::string_view kObContextPrefix = "https://purl.imsglobal.org/spec/ob/v3p0/context";

bool has_type(const json::value& node, std::string_view type) {
  if (!node.is_object()) return false;
  const auto* t = node.as_object().if_contains("type");
  if (t == nullptr) return false;
  if (t->is_string()) return t->as_string() == type;
  if (t->is_array()) {
    return std::any_of(t->as_array().begin(), t->as_array().end(),
                       [&](const json::value& x) { return x.is_string() && x.as_string() == type; });
  }
  return false;
}

std::string id_of(const json::value* node) {
  if (node == nullptr) return {};
  if (node->is_string()) return std::string(node->as_string());
  if (node->is_object()) {
    if (const auto* id = node->as_object().if_contains("id"); id && id->is_string())
      return std::string(id->as_string());
  }
  return {};
}

std::string string_at(const json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string()) return std::string(v->as_string());
  return {};
}

// The problems that keep a document from being an Open Badges 3.0
// credential, as a reader of the spec would list them.
std::vector<std::string> shape_problems(const json::object& doc) {
  std::vector<std::string> out;
  const auto* ctx = doc.if_contains("@context");
  if (ctx == nullptr || !ctx->is_array() || ctx->as_array().empty()) {
    out.emplace_back("@context must be a list starting with " + std::string(kCredentialsV2));
  } else {
    const auto& list = ctx->as_array();
    if (!list[0].is_string() || (list[0].as_string() != kCredentialsV2 && list[0].as_string() != kCredentialsV1))
      out.emplace_back("@context must start with " + std::string(kCredentialsV2));
    const bool ob = std::any_of(list.begin(), list.end(), [](const json::value& c) {
      return c.is_string() && std::string_view(c.as_string()).starts_with(kObContextPrefix);
    });
    if (!ob) out.emplace_back("@context must include the Open Badges 3.0 context");
  }
  if (!has_type(json::value(doc), "VerifiableCredential")) out.emplace_back("type must include VerifiableCredential");
  if (!has_type(json::value(doc), "OpenBadgeCredential") && !has_type(json::value(doc), "AchievementCredential"))
    out.emplace_back("type must include OpenBadgeCredential");
  if (id_of(doc.if_contains("id")).empty()) out.emplace_back("id is required (a URI)");
  const auto* issuer = doc.if_contains("issuer");
  if (issuer == nullptr || id_of(issuer).empty()) {
    out.emplace_back("issuer is required, with an id");
  } else if (issuer->is_object() && !has_type(*issuer, "Profile")) {
    out.emplace_back("issuer.type must include Profile");
  }
  if (string_at(doc, "validFrom").empty() && string_at(doc, "issuanceDate").empty())
    out.emplace_back("validFrom is required");
  const auto* subject = doc.if_contains("credentialSubject");
  if (subject == nullptr || !subject->is_object()) {
    out.emplace_back("credentialSubject is required (an AchievementSubject)");
    return out;
  }
  const auto& s = subject->as_object();
  if (!has_type(*subject, "AchievementSubject"))
    out.emplace_back("credentialSubject.type must include AchievementSubject");
  if (id_of(s.if_contains("id")).empty() && s.if_contains("identifier") == nullptr)
    out.emplace_back("credentialSubject needs an id or an identifier");
  const auto* achievement = s.if_contains("achievement");
  if (achievement == nullptr || !achievement->is_object()) {
    out.emplace_back("credentialSubject.achievement is required");
    return out;
  }
  const auto& a = achievement->as_object();
  if (id_of(a.if_contains("id")).empty()) out.emplace_back("credentialSubject.achievement.id is required");
  if (!has_type(*achievement, "Achievement"))
    out.emplace_back("credentialSubject.achievement.type must include Achievement");
  if (string_at(a, "name").empty()) out.emplace_back("credentialSubject.achievement.name is required");
  if (string_at(a, "description").empty()) out.emplace_back("credentialSubject.achievement.description is required");
  if (const auto* c = a.if_contains("criteria"); c == nullptr || !c->is_object())
    out.emplace_back("credentialSubject.achievement.criteria is required");
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

}  // namespace

Verification verify_credential(const json::value& document, const VerifyInput& input) {
  Verification v;
  auto add = [&](std::string_view name, ld::CheckStatus status, std::string detail) {
    v.checks.push_back({std::string(name), status, std::move(detail)});
  };
  if (!document.is_object()) {
    add(kCheckSchema, ld::CheckStatus::Failed, "a credential is a JSON object");
    for (auto name : {kCheckProof, kCheckIssuer, kCheckDates, kCheckStatus})
      add(name, ld::CheckStatus::Skipped, "not a credential");
    return v;
  }
  const auto& doc = document.as_object();
  v.issuer = id_of(doc.if_contains("issuer"));
  if (const auto* s = doc.if_contains("credentialSubject"); s && s->is_object()) {
    if (const auto* a = s->as_object().if_contains("achievement"); a && a->is_object())
      v.name = string_at(a->as_object(), "name");
  }

  const auto problems = shape_problems(doc);
  add(kCheckSchema, problems.empty() ? ld::CheckStatus::Passed : ld::CheckStatus::Failed,
      problems.empty() ? "an Open Badges 3.0 credential" : join(problems));

  ld::VerifyOptions options;
  options.loader = input.loader;
  options.resolver = input.resolver;
  options.now = input.now;
  v.proof = ld::verify_proof(document, options);
  add(kCheckProof, v.proof.verified ? ld::CheckStatus::Passed : ld::CheckStatus::Failed,
      v.proof.verified ? "the eddsa-rdfc-2022 signature is valid for this exact content" : v.proof.summary());

  // The key must be the issuer's: a valid signature by someone else's key
  // proves nothing about the issuer.
  if (v.issuer.empty()) {
    add(kCheckIssuer, ld::CheckStatus::Failed, "the credential names no issuer");
  } else if (v.proof.proofs.empty()) {
    add(kCheckIssuer, ld::CheckStatus::Failed, "there is no proof to tie the issuer to a key");
  } else {
    std::string mismatch;
    for (const auto& p : v.proof.proofs) {
      if (p.controller != v.issuer)
        mismatch = "the key " + p.verification_method + " is controlled by " +
                   (p.controller.empty() ? std::string("nobody known") : p.controller) + ", not by the issuer " +
                   v.issuer;
    }
    add(kCheckIssuer, mismatch.empty() ? ld::CheckStatus::Passed : ld::CheckStatus::Failed,
        mismatch.empty() ? "signed with a key of " + v.issuer : mismatch);
  }

  const auto from_text =
      string_at(doc, "validFrom").empty() ? string_at(doc, "issuanceDate") : string_at(doc, "validFrom");
  const auto until_text = string_at(doc, "validUntil");
  const auto from = ld::parse_xsd_date_time(from_text);
  const auto until = until_text.empty() ? std::nullopt : ld::parse_xsd_date_time(until_text);
  if (!from) {
    add(kCheckDates, ld::CheckStatus::Failed, "validFrom is not a date and time like 2026-08-01T00:00:00Z");
  } else if (!until_text.empty() && !until) {
    add(kCheckDates, ld::CheckStatus::Failed, "validUntil is not a date and time like 2031-08-01T00:00:00Z");
  } else if (*from > input.now) {
    add(kCheckDates, ld::CheckStatus::Failed, "not valid before " + from_text);
  } else if (until && *until <= input.now) {
    add(kCheckDates, ld::CheckStatus::Failed, "expired on " + until_text);
  } else {
    add(kCheckDates, ld::CheckStatus::Passed,
        "valid from " + from_text + (until ? ", until " + until_text : std::string(", with no end")));
  }

  const auto* status = doc.if_contains("credentialStatus");
  if (status == nullptr) {
    add(kCheckStatus, ld::CheckStatus::Skipped, "the credential has no status entry, so it cannot be revoked");
  } else if (!status->is_object()) {
    add(kCheckStatus, ld::CheckStatus::Failed, "credentialStatus must be an object");
  } else if (auto state = input.status ? input.status(status->as_object()) : std::nullopt; state) {
    add(kCheckStatus, state->revoked ? ld::CheckStatus::Failed : ld::CheckStatus::Passed,
        state->revoked ? "revoked: " + state->reason : "not revoked");
  } else {
    add(kCheckStatus, ld::CheckStatus::Skipped,
        "the status list is another issuer's; it is not fetched (" +
            string_at(status->as_object(), "statusListCredential") + ")");
  }

  v.verified = std::all_of(v.checks.begin(), v.checks.end(),
                           [](const Check& c) { return c.status != ld::CheckStatus::Failed; }) &&
               v.proof.verified;
  return v;
}

json::object to_json(const Verification& v) {
  json::array checks;
  for (const auto& c : v.checks)
    checks.push_back(json::object{{"check", c.name}, {"status", ld::to_string(c.status)}, {"detail", c.detail}});
  return {{"verified", v.verified},
          {"issuer", v.issuer},
          {"achievement", v.name},
          {"checks", std::move(checks)},
          {"proof", ld::to_json(v.proof)}};
}

}  // namespace staffroom::credentials
