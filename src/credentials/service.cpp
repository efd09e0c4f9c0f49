#include "credentials/service.hpp"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <algorithm>
#include <set>

#include "accounts/model.hpp"
#include "accounts/store.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "credentials/issue.hpp"
#include "credentials/jwt.hpp"
#include "ld/contexts.hpp"

namespace staffroom::credentials {

namespace json = boost::json;
using districts::MemberRole;

namespace {

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

constexpr std::int64_t kDayMs = 86400000;
// How long a signed status list may be cached by verifiers, and by us.
constexpr std::int64_t kStatusListTtlMs = 300000;

std::string owner_path(OwnerType t) {
  switch (t) {
    case OwnerType::Campaign:
      return "/campaigns/";
    case OwnerType::Organization:
      return "/organizations/";
    case OwnerType::District:
      return "/districts/";
  }
  return "/";
}

}  // namespace

CredentialService::CredentialService(db::Database& db, districts::DistrictService& districts, IssuerKeys keys,
                                     std::string public_url)
    : db_(db),
      districts_(districts),
      keys_(std::move(keys)),
      resolver_(keys_.resolver()),
      public_url_(std::move(public_url)) {}

CredentialService::~CredentialService() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (awarder_.joinable()) awarder_.join();
}

std::string CredentialService::status_list_url(std::int64_t list) const {
  return public_url_ + "/credentials/status/" + std::to_string(list);
}

Result<bool> CredentialService::can_manage(db::Connection& c, const Identity& who, const Achievement& a) {
  if (who.has_role("site_admin")) return true;
  switch (a.owner_type) {
    case OwnerType::Campaign:
      return who.has_scoped_role("campaign_organizer", "campaign", a.owner);
    case OwnerType::Organization:
      return who.has_scoped_role("org_staff", "organization", a.owner);
    case OwnerType::District: {
      if (who.has_scoped_role("district_admin", "district", a.owner)) return true;
      auto v = districts_.require(c, a.owner, who, MemberRole::Admin);
      if (v.ok()) return true;
      if (v.error().code == ErrorCode::Forbidden || v.error().code == ErrorCode::NotFound) return false;
      return std::move(v).error();
    }
  }
  return false;
}

Result<AchievementView> CredentialService::view(db::Connection& c, Achievement a, const Identity* who) {
  SR_ASSIGN(auto name, store::owner_name(c, a.owner_type, a.owner));
  a.owner_name = name.value_or(a.owner);
  AchievementView v;
  if (who != nullptr) {
    SR_ASSIGN(v.can_manage, can_manage(c, *who, a));
  }
  if (v.can_manage) {
    SR_ASSIGN(v.awarded, store::count_awards(c, a.id));
  }
  v.achievement = std::move(a);
  return v;
}

Result<AchievementView> CredentialService::create_achievement(const Identity& who, const json::object& body) {
  SR_ASSIGN(auto a, achievement_from_json(body));
  return db_.transaction<AchievementView>([&](db::Connection& c) -> Result<AchievementView> {
    SR_ASSIGN(auto owner, store::owner_name(c, a.owner_type, a.owner));
    if (!owner)
      return Error::validation("owner", "there is no " + std::string(to_string(a.owner_type)) + " '" + a.owner + "'");
    SR_ASSIGN(bool allowed, can_manage(c, who, a));
    if (!allowed)
      return Error::forbidden("only the staff of the " + std::string(to_string(a.owner_type)) + " '" + a.owner +
                              "' define its achievements");
    const EpochMs now = now_ms();
    SR_ASSIGN(a.id, store::insert_achievement(c, a, who.user_id, now));
    a.created_at = a.updated_at = now;
    return view(c, std::move(a), &who);
  });
}

Result<AchievementView> CredentialService::update_achievement(const std::string& slug, const Identity& who,
                                                              const json::object& body) {
  SR_ASSIGN(auto changed, achievement_from_json(body));
  return db_.transaction<AchievementView>([&](db::Connection& c) -> Result<AchievementView> {
    SR_ASSIGN(auto found, store::find_achievement(c, slug));
    if (!found) return Error::not_found("there is no achievement '" + slug + "'");
    SR_ASSIGN(bool allowed, can_manage(c, who, *found));
    if (!allowed)
      return Error::forbidden("only the staff of its " + std::string(to_string(found->owner_type)) +
                              " change the achievement '" + slug + "'");
    if (changed.owner_type != found->owner_type || changed.owner != found->owner)
      return Error::validation("owner", "an achievement keeps its owner; define a new one for another owner");
    if (changed.slug != found->slug && body.contains("slug"))
      return Error::validation("slug", "an achievement keeps its address; credentials link to it");
    changed.id = found->id;
    changed.slug = found->slug;
    changed.created_at = found->created_at;
    changed.updated_at = now_ms();
    SR_TRY(store::update_achievement(c, changed, changed.updated_at));
    return view(c, std::move(changed), &who);
  });
}

Result<AchievementView> CredentialService::achievement(const std::string& slug, const Identity* who) {
  return db_.transaction<AchievementView>(
      [&](db::Connection& c) -> Result<AchievementView> {
        SR_ASSIGN(auto found, store::find_achievement(c, slug));
        if (!found) return Error::not_found("there is no achievement '" + slug + "'");
        return view(c, std::move(*found), who);
      },
      false);
}

Result<std::vector<AchievementView>> CredentialService::achievements(const store::AchievementFilter& filter,
                                                                     const Identity* who) {
  return db_.transaction<std::vector<AchievementView>>(
      [&](db::Connection& c) -> Result<std::vector<AchievementView>> {
        SR_ASSIGN(auto found, store::list_achievements(c, filter));
        std::vector<AchievementView> out;
        for (auto& a : found) {
          SR_ASSIGN(auto v, view(c, std::move(a), who));
          out.push_back(std::move(v));
        }
        return out;
      },
      false);
}

Result<store::IssuedCredential> CredentialService::issue(db::Connection& c, const Achievement& a,
                                                         const AwardRequest& request, store::Source source,
                                                         std::optional<std::int64_t> by,
                                                         std::vector<EvidenceItem> evidence) {
  const std::string email = accounts::normalize_email(request.email);
  if (auto problem = accounts::check_email(email))
    return Error::validation("recipient_email", email.empty() ? "is required" : "'" + email + "' " + *problem);
  if (request.narrative.size() > 8000) return Error::validation("narrative", "is longer than 2000 characters");
  if (!request.evidence_url.empty() && !is_web_url(request.evidence_url))
    return Error::validation("evidence_url", "must be an http or https address");
  SR_ASSIGN(bool held, store::holds(c, a.id, email));
  if (held) return Error::conflict(email + " already holds '" + a.name + "'");
  SR_ASSIGN(auto owner, store::owner_name(c, a.owner_type, a.owner));
  SR_ASSIGN(auto who, store::recipient(c, email));
  const auto& key = keys_.current();
  const EpochMs now = now_ms();
  SR_ASSIGN(auto slot, store::allocate_status(c, key.id, kStatusListCapacity, now));

  CredentialInput in;
  in.uuid = crypto::uuid_v7();
  in.achievement = a;
  in.achievement_url = achievement_url(a.slug);
  in.issuer_id = keys_.did(key);
  in.issuer_name = owner.value_or(a.owner);
  in.issuer_url = public_url_ + owner_path(a.owner_type) + a.owner;
  in.recipient_email = email;
  in.salt = crypto::hex(crypto::random_bytes(16));
  in.narrative = request.narrative;
  in.valid_from = now - now % 1000;
  if (a.valid_days) in.valid_until = in.valid_from + *a.valid_days * kDayMs;
  if (!request.evidence_url.empty())
    evidence.insert(evidence.begin(), EvidenceItem{request.evidence_url, "Evidence", request.narrative});
  in.evidence = std::move(evidence);
  in.status_list_url = status_list_url(slot.first);
  in.status_index = slot.second;
  SR_ASSIGN(auto signed_doc, sign(build_credential(in), keys_.verification_method(key), key.ed25519, in.valid_from));

  store::IssuedCredential k;
  k.id = in.uuid;
  k.achievement_id = a.id;
  k.achievement_slug = a.slug;
  k.achievement_name = a.name;
  k.achievement_image = a.image_url;
  k.recipient_email = email;
  k.recipient_user_id = who.user_id;
  k.recipient_name = who.name;
  k.source = source;
  k.document = json::serialize(signed_doc);
  k.key_id = key.id;
  k.issued_at = in.valid_from;
  k.valid_until = in.valid_until;
  k.status_list = slot.first;
  k.status_index = slot.second;
  k.awarded_by = by;
  SR_TRY(store::insert_credential(c, k));
  // The holder learns of it, in the same transaction: no credential without
  // its mail, no mail without its credential.
  SR_TRY(accounts::store::insert_mail(
      c, email, "You earned \"" + a.name + "\"",
      "Hello" + (who.name.empty() ? std::string() : " " + who.name) + ",\n\n" + in.issuer_name + " awarded you \"" +
          a.name + "\": " + a.description + "\n\n" +
          (request.narrative.empty() ? std::string() : "Why: " + request.narrative + "\n\n") +
          "It is an Open Badges 3.0 credential that anyone can verify. See it, download it or add it to your "
          "LinkedIn profile here:\n" +
          credential_url(k.id) + "\n\n" +
          (who.user_id
               ? "It is also in your backpack: " + public_url_ + "/backpack\n"
               : "Sign up with this address (" + email + ") to keep it in your backpack: " + public_url_ + "/signup\n"),
      now));
  log::info("credential issued", {{"credential", k.id}, {"achievement", a.slug}, {"source", to_string(source)}});
  return k;
}

Result<store::IssuedCredential> CredentialService::award(const std::string& slug, const Identity& who,
                                                         const AwardRequest& request) {
  return db_.transaction<store::IssuedCredential>([&](db::Connection& c) -> Result<store::IssuedCredential> {
    SR_ASSIGN(auto a, store::find_achievement(c, slug));
    if (!a) return Error::not_found("there is no achievement '" + slug + "'");
    SR_ASSIGN(bool allowed, can_manage(c, who, *a));
    if (!allowed)
      return Error::forbidden("only the staff of its " + std::string(to_string(a->owner_type)) +
                              " award the achievement '" + slug + "'");
    return issue(c, *a, request, store::Source::Manual, who.user_id, {});
  });
}

Result<store::IssuedCredential> CredentialService::award_as_system(const std::string& slug,
                                                                   const AwardRequest& request) {
  return db_.transaction<store::IssuedCredential>([&](db::Connection& c) -> Result<store::IssuedCredential> {
    SR_ASSIGN(auto a, store::find_achievement(c, slug));
    if (!a) return Error::not_found("there is no achievement '" + slug + "'");
    return issue(c, *a, request, store::Source::Manual, std::nullopt, {});
  });
}

Result<BulkAward> CredentialService::award_file(const std::string& slug, const Identity& who, std::string_view csv_text,
                                                bool dry_run) {
  return db_.transaction<BulkAward>([&](db::Connection& c) -> Result<BulkAward> {
    SR_ASSIGN(auto a, store::find_achievement(c, slug));
    if (!a) return Error::not_found("there is no achievement '" + slug + "'");
    SR_ASSIGN(bool allowed, can_manage(c, who, *a));
    if (!allowed)
      return Error::forbidden("only the staff of its " + std::string(to_string(a->owner_type)) +
                              " award the achievement '" + slug + "'");
    auto file = parse_award_file(csv_text);
    for (const auto& row : file.rows) {
      SR_ASSIGN(bool held, store::holds(c, a->id, row.email));
      if (held)
        file.problems.push_back(
            {"line " + std::to_string(row.line) + ", email", "'" + row.email + "' already holds this achievement"});
    }
    if (!file.problems.empty()) {
      Error e = Error::validation(std::move(file.problems));
      e.detail = "the file has problems; nothing was awarded. Fix the lines named and send it again";
      return e;
    }
    BulkAward out;
    out.dry_run = dry_run;
    out.would_award = static_cast<std::int64_t>(file.rows.size());
    if (dry_run) return out;
    // One transaction: a failure on any row rolls back every credential.
    for (const auto& row : file.rows) {
      SR_ASSIGN(auto k,
                issue(c, *a, {row.email, row.narrative, row.evidence_url}, store::Source::Bulk, who.user_id, {}));
      out.credentials.push_back(std::move(k));
    }
    return out;
  });
}

Result<std::vector<store::IssuedCredential>> CredentialService::awards(const std::string& slug, const Identity& who) {
  return db_.transaction<std::vector<store::IssuedCredential>>(
      [&](db::Connection& c) -> Result<std::vector<store::IssuedCredential>> {
        SR_ASSIGN(auto a, store::find_achievement(c, slug));
        if (!a) return Error::not_found("there is no achievement '" + slug + "'");
        SR_ASSIGN(bool allowed, can_manage(c, who, *a));
        if (!allowed)
          return Error::forbidden("only the staff of its " + std::string(to_string(a->owner_type)) +
                                  " see who holds the achievement '" + slug + "'");
        return store::credentials_of_achievement(c, a->id);
      },
      false);
}

Result<CredentialView> CredentialService::credential(const std::string& id, const Identity* who) {
  if (!is_uuid(id)) return Error::not_found("there is no credential '" + id + "'");
  auto found = db_.transaction<CredentialView>(
      [&](db::Connection& c) -> Result<CredentialView> {
        SR_ASSIGN(auto k, store::find_credential(c, id));
        if (!k) return Error::not_found("there is no credential '" + id + "'");
        CredentialView v;
        if (who != nullptr) {
          SR_ASSIGN(auto a, store::find_achievement_by_id(c, k->achievement_id));
          if (a) {
            SR_ASSIGN(v.can_revoke, can_manage(c, *who, *a));
          }
        }
        v.record = std::move(*k);
        return v;
      },
      false);
  if (!found.ok()) return found;
  auto doc = staffroom::json::parse_exact(found->record.document);
  if (!doc.ok() || !doc->is_object()) return Error::internal("a stored credential does not read back");
  found->document = std::move(doc->as_object());
  found->verification = verify(found->document);
  return found;
}

Result<store::IssuedCredential> CredentialService::revoke(const std::string& id, const Identity& who,
                                                          const std::string& reason) {
  const auto why = staffroom::json::trim(reason);
  if (!is_uuid(id)) return Error::not_found("there is no credential '" + id + "'");
  return db_.transaction<store::IssuedCredential>([&](db::Connection& c) -> Result<store::IssuedCredential> {
    SR_ASSIGN(auto k, store::find_credential(c, id));
    if (!k) return Error::not_found("there is no credential '" + id + "'");
    SR_ASSIGN(auto a, store::find_achievement_by_id(c, k->achievement_id));
    SR_ASSIGN(bool allowed, a ? can_manage(c, who, *a) : Result<bool>(who.has_role("site_admin")));
    if (!allowed) return Error::forbidden("only the staff who award the achievement revoke its credentials");
    if (why.empty()) return Error::validation("reason", "say why the credential is revoked; its page shows it");
    if (staffroom::json::utf8_length(why) > 1000) return Error::validation("reason", "is at most 1000 characters");
    const EpochMs now = now_ms();
    SR_TRY(store::revoke(c, id, who.user_id, why, now));
    k->revoked_at = now;
    k->revoked_reason = why;
    log::info("credential revoked", {{"credential", id}});
    return std::move(*k);
  });
}

Result<std::vector<store::IssuedCredential>> CredentialService::backpack(const Identity& who) {
  return db_.transaction<std::vector<store::IssuedCredential>>(
      [&](db::Connection& c) { return store::credentials_of_user(c, who.user_id); }, false);
}

Result<json::object> CredentialService::status_list(std::int64_t list_id) {
  return db_.transaction<json::object>(
      [&](db::Connection& c) -> Result<json::object> {
        SR_ASSIGN(auto key_id, store::status_list_key(c, list_id));
        if (!key_id) return Error::not_found("there is no status list " + std::to_string(list_id));
        SR_ASSIGN(auto revision, store::list_revision(c, list_id));
        const EpochMs now = now_ms();
        {
          std::lock_guard lock(cache_mutex_);
          if (auto it = lists_.find(list_id); it != lists_.end() && it->second.revision == revision &&
                                              now - it->second.signed_at < kStatusListTtlMs / 2)
            return it->second.document;
        }
        const auto* key = keys_.find(*key_id);
        if (key == nullptr)
          return Error::unavailable("the key that signs status list " + std::to_string(list_id) +
                                    " is no longer held; its credentials cannot be checked");
        SR_ASSIGN(auto revoked, store::revoked_indexes(c, list_id));
        SR_ASSIGN(auto encoded, encode_status_list(revoked, kStatusListCapacity));
        const EpochMs from = now - now % 1000;
        SR_ASSIGN(auto doc, sign(build_status_list_credential(status_list_url(list_id), keys_.did(*key), encoded, from,
                                                              from + kStatusListTtlMs),
                                 keys_.verification_method(*key), key->ed25519, from));
        std::lock_guard lock(cache_mutex_);
        lists_[list_id] = {revision, now, doc};
        return doc;
      },
      false);
}

Result<std::string> CredentialService::credential_jwt(const std::string& id) {
  if (!is_uuid(id)) return Error::not_found("there is no credential '" + id + "'");
  auto k = db_.transaction<std::optional<store::IssuedCredential>>(
      [&](db::Connection& c) { return store::find_credential(c, id); }, false);
  if (!k.ok()) return std::move(k).error();
  if (!*k) return Error::not_found("there is no credential '" + id + "'");
  const auto* key = keys_.find((*k)->key_id);
  if (key == nullptr) return Error::unavailable("the key that signed this credential is no longer held");
  auto doc = staffroom::json::parse_exact((*k)->document);
  if (!doc.ok() || !doc->is_object()) return Error::internal("a stored credential does not read back");
  auto credential = doc->as_object();
  credential.erase("proof");
  SR_ASSIGN(auto rsa, jwt::RsaKey::from_pem(key->rsa_private_pem));
  jwt::SignOptions options;
  options.embed_public_key = !keys_.did_web();
  return jwt::sign_vc_jwt(credential, rsa, keys_.rsa_key_id(*key), options);
}

Result<json::object> CredentialService::learner_record(const Identity& who, EpochMs from, EpochMs to) {
  if (to <= from) return Error::validation("to", "must be after from");
  struct Gathered {
    std::optional<store::UserAddress> user;
    std::vector<store::IssuedCredential> badges;
    std::vector<store::ApprovedCredit> credit;
  };
  SR_ASSIGN(auto g, db_.transaction<Gathered>(
                        [&](db::Connection& c) -> Result<Gathered> {
                          Gathered out;
                          SR_ASSIGN(out.user, store::confirmed_user(c, who.user_id));
                          SR_ASSIGN(out.badges, store::credentials_of_user(c, who.user_id));
                          SR_ASSIGN(out.credit, store::approved_credit(c, who.user_id, from, to));
                          return out;
                        },
                        false));
  if (!g.user) return Error::conflict("confirm your email address first: a learner record names its holder by it");
  const auto& key = keys_.current();
  const auto issuer = keys_.did(key);
  const auto method = keys_.verification_method(key);
  const std::string salt = crypto::hex(crypto::random_bytes(16));
  const EpochMs now = now_ms();
  ClrInput clr;
  clr.uuid = crypto::uuid_v7();
  clr.issuer_id = issuer;
  clr.issuer_name = "Staffroom";
  clr.issuer_url = public_url_;
  clr.learner_name = g.user->name;
  clr.recipient_email = g.user->email;
  clr.salt = salt;
  const auto last_day = format_rfc3339(to - 1).substr(0, 10);
  clr.period = from == 0 ? "up to " + last_day : format_rfc3339(from).substr(0, 10) + " to " + last_day;
  clr.issued = now;
  for (const auto& credit : g.credit) {
    CreditInput in;
    in.uuid = crypto::uuid_v7();
    in.claim_url = public_url_ + "/districts/" + credit.district_slug + "/claims/" + std::to_string(credit.claim_id);
    in.issuer_id = issuer;
    in.district_name = credit.district_name;
    in.district_url = public_url_ + "/districts/" + credit.district_slug;
    in.tier = credit.tier;
    in.policy_version = credit.policy_version;
    in.decided_at = credit.decided_at;
    in.minutes = credit.minutes;
    in.ceu_hundredths = credit.ceu_hundredths;
    in.semester_credit_hundredths = credit.semester_credit_hundredths;
    in.recipient_email = g.user->email;
    in.salt = salt;
    SR_ASSIGN(auto signed_credit, sign(build_credit_credential(in), method, key.ed25519, now));
    clr.credentials.push_back(std::move(signed_credit));
  }
  for (const auto& badge : g.badges) {
    if (badge.revoked_at || badge.issued_at < from || badge.issued_at >= to) continue;
    auto doc = staffroom::json::parse_exact(badge.document);
    if (doc.ok() && doc->is_object()) clr.credentials.push_back(std::move(doc->as_object()));
  }
  return sign(build_clr(clr), method, key.ed25519, now);
}

std::optional<RevocationState> CredentialService::status_of(const json::object& entry) {
  const auto* url = entry.if_contains("statusListCredential");
  const auto* index = entry.if_contains("statusListIndex");
  if (url == nullptr || !url->is_string() || index == nullptr || !index->is_string()) return std::nullopt;
  const std::string prefix = public_url_ + "/credentials/status/";
  const std::string_view u = url->as_string();
  if (!u.starts_with(prefix)) return std::nullopt;
  std::int64_t list = 0, at = 0;
  try {
    list = std::stoll(std::string(u.substr(prefix.size())));
    at = std::stoll(std::string(index->as_string()));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  auto k = db_.transaction<std::optional<store::IssuedCredential>>(
      [&](db::Connection& c) { return store::find_by_status(c, list, at); }, false);
  if (!k.ok() || !*k) return RevocationState{true, "no credential of ours holds this status entry"};
  if ((*k)->revoked_at) return RevocationState{true, (*k)->revoked_reason};
  return RevocationState{false, ""};
}

Verification CredentialService::verify(const json::value& document) {
  static const ld::DocumentLoader loader = ld::bundled_contexts();
  VerifyInput in;
  in.loader = loader;
  in.resolver = resolver_;
  in.status = [this](const json::object& entry) { return status_of(entry); };
  in.now = now_ms();
  return verify_credential(document, in);
}

std::string CredentialService::linkedin_url(const store::IssuedCredential& k, const std::string& issuer_name) const {
  auto enc = [](std::string_view s) { return boost::urls::encode(s, boost::urls::unreserved_chars); };
  const auto days = k.issued_at / kDayMs;
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name=" + enc(k.achievement_name) +
         "&organizationName=" + enc(issuer_name) + "&issueYear=" + std::to_string(year) +
         "&issueMonth=" + std::to_string(month) + "&certUrl=" + enc(credential_url(k.id)) + "&certId=" + enc(k.id);
}

// ---- award rules -----------------------------------------------------------------

Result<bool> CredentialService::award_by_rule(db::Connection& c, const Achievement& a, std::int64_t user_id,
                                              std::vector<EvidenceItem> evidence) {
  SR_ASSIGN(auto user, store::confirmed_user(c, user_id));
  // A credential names its holder by a confirmed address; it waits for one.
  if (!user) return false;
  SR_ASSIGN(bool held, store::holds(c, a.id, user->email));
  if (held) return false;
  SR_TRY(issue(c, a, {user->email, "", ""}, store::Source::Rule, std::nullopt, std::move(evidence)));
  return true;
}

Result<int> CredentialService::sweep_attendance(db::Connection& c, const std::vector<Achievement>& rules) {
  SR_ASSIGN(auto mark, store::watermark(c, "attendance"));
  SR_ASSIGN(auto rows, store::attendance_after(c, mark, 2000));
  if (rows.empty()) return 0;
  int awarded = 0;
  std::set<std::int64_t> users;
  for (const auto& r : rows) users.insert(r.user_id);
  for (auto user : users) {
    // Read once per educator, whatever the number of rules.
    std::optional<std::set<std::int64_t>> attended;
    for (const auto& a : rules) {
      const auto& rule = *a.rule;
      std::vector<EvidenceItem> evidence;
      bool earned = false;
      if (rule.kind == RuleKind::AttendedActivity || rule.kind == RuleKind::Series) {
        if (!attended) {
          SR_ASSIGN(attended, store::attended(c, user));
        }
        earned = std::all_of(rule.activities.begin(), rule.activities.end(),
                             [&](std::int64_t id) { return attended->contains(id); });
        if (earned) {
          for (auto id : rule.activities)
            evidence.push_back({public_url_ + "/activities/" + std::to_string(id), "Participation record",
                                "Took part in activity " + std::to_string(id) + " (a participation record)"});
        }
      } else if (rule.kind == RuleKind::CampaignHours) {
        SR_ASSIGN(auto minutes, store::campaign_minutes(c, user, rule.campaign));
        earned = minutes >= rule.minutes;
        evidence.push_back({public_url_ + "/campaigns/" + rule.campaign, "Participation records",
                            std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) +
                                " min of verified participation in the campaign"});
      }
      if (!earned) continue;
      SR_ASSIGN(bool done, award_by_rule(c, a, user, std::move(evidence)));
      awarded += done ? 1 : 0;
    }
  }
  SR_TRY(store::set_watermark(c, "attendance", rows.back().id));
  return awarded;
}

Result<int> CredentialService::sweep_approvals(db::Connection& c, const std::vector<Achievement>& rules) {
  SR_ASSIGN(auto mark, store::watermark(c, "approvals"));
  SR_ASSIGN(auto rows, store::approvals_after(c, mark, 2000));
  if (rows.empty()) return 0;
  int awarded = 0;
  for (const auto& d : rows) {
    for (const auto& a : rules) {
      const auto& rule = *a.rule;
      if (rule.kind != RuleKind::ApprovedClaim || rule.district != d.district) continue;
      if (!rule.tier.empty() && rule.tier != d.tier) continue;
      SR_ASSIGN(bool done,
                award_by_rule(c, a, d.user_id,
                              {{public_url_ + "/districts/" + d.district + "/claims/" + std::to_string(d.claim_id),
                                "Approved credit claim",
                                "Credit claim " + std::to_string(d.claim_id) + " (tier " + d.tier +
                                    ") approved by the district"}}));
      awarded += done ? 1 : 0;
    }
  }
  SR_TRY(store::set_watermark(c, "approvals", rows.back().audit_id));
  return awarded;
}

Result<int> CredentialService::sweep() {
  std::lock_guard lock(sweep_mutex_);
  struct Step {
    int awarded = 0;
    bool moved = false;  // the watermarks advanced: there may be more
  };
  // A few batches a call, so catching up on a large backlog (the first start
  // with rules on a big database) never holds the database for long; the
  // next call goes on where this one stopped.
  constexpr int kBatchesPerSweep = 5;
  int total = 0;
  for (int batch = 0; batch < kBatchesPerSweep; ++batch) {
    SR_ASSIGN(auto step, db_.transaction<Step>([&](db::Connection& c) -> Result<Step> {
      SR_ASSIGN(auto rules, store::achievements_with_rules(c));
      SR_ASSIGN(auto before_a, store::watermark(c, "attendance"));
      SR_ASSIGN(auto before_b, store::watermark(c, "approvals"));
      Step s;
      if (rules.empty()) {
        // Nothing to award: move past what exists, so a rule looks at the
        // evidence that arrives after it is defined.
        SR_ASSIGN(auto last_a, store::last_attendance_id(c));
        SR_ASSIGN(auto last_b, store::last_approval_id(c));
        if (last_a != before_a) SR_TRY(store::set_watermark(c, "attendance", last_a));
        if (last_b != before_b) SR_TRY(store::set_watermark(c, "approvals", last_b));
        return s;
      }
      SR_ASSIGN(int a, sweep_attendance(c, rules));
      SR_ASSIGN(int b, sweep_approvals(c, rules));
      s.awarded = a + b;
      SR_ASSIGN(auto after_a, store::watermark(c, "attendance"));
      SR_ASSIGN(auto after_b, store::watermark(c, "approvals"));
      s.moved = after_a != before_a || after_b != before_b;
      return s;
    }));
    total += step.awarded;
    if (!step.moved) break;
  }
  return total;
}

void CredentialService::start_awarder(std::chrono::milliseconds every) {
  awarder_ = std::thread([this, every] {
    std::unique_lock lock(stop_mutex_);
    while (!stopping_) {
      lock.unlock();
      if (auto n = sweep(); !n.ok())
        log::warn("award rules could not run", {{"error", n.error().detail}});
      else if (*n > 0)
        log::info("credentials awarded by rule", {{"count", std::to_string(*n)}});
      lock.lock();
      stop_cv_.wait_for(lock, every, [this] { return stopping_; });
    }
  });
}

}  // namespace staffroom::credentials
