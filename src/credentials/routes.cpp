#include "credentials/routes.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"

namespace staffroom::credentials {

namespace json = boost::json;
using http::Access;
using http::Context;
using http::HandlerResult;
using http::Response;

namespace {

json::object achievement_json(const AchievementView& v, const CredentialService& svc) {
  const auto& a = v.achievement;
  json::array tags;
  for (const auto& t : a.tags) tags.emplace_back(t);
  json::object o{{"slug", a.slug},
                 {"owner_type", to_string(a.owner_type)},
                 {"owner", a.owner},
                 {"owner_name", a.owner_name},
                 {"name", a.name},
                 {"description", a.description},
                 {"criteria", a.criteria},
                 {"image_url", a.image_url.empty() ? json::value(nullptr) : json::value(a.image_url)},
                 {"hours", a.minutes ? json::value(static_cast<double>(*a.minutes) / 60.0) : json::value(nullptr)},
                 {"tags", std::move(tags)},
                 {"alignments", alignments_to_json(a.alignments)},
                 {"valid_days", a.valid_days ? json::value(*a.valid_days) : json::value(nullptr)},
                 {"rule", a.rule ? json::value(rule_to_json(*a.rule)) : json::value(nullptr)},
                 {"url", svc.achievement_url(a.slug)},
                 {"can_manage", v.can_manage},
                 {"created_at", format_rfc3339(a.created_at)},
                 {"updated_at", format_rfc3339(a.updated_at)}};
  if (v.awarded) o["awarded"] = *v.awarded;
  return o;
}

json::object summary_json(const store::IssuedCredential& k, const CredentialService& svc, bool with_email) {
  json::object o{
      {"id", k.id},
      {"url", svc.credential_url(k.id)},
      {"achievement", json::object{{"slug", k.achievement_slug},
                                   {"name", k.achievement_name},
                                   {"image_url", k.achievement_image.empty() ? json::value(nullptr)
                                                                             : json::value(k.achievement_image)}}},
      {"recipient_name", k.recipient_name.empty() ? json::value(nullptr) : json::value(k.recipient_name)},
      {"issued_at", format_rfc3339(k.issued_at)},
      {"valid_until", k.valid_until ? json::value(format_rfc3339(*k.valid_until)) : json::value(nullptr)},
      {"revoked", k.revoked_at
                      ? json::value(json::object{{"at", format_rfc3339(*k.revoked_at)}, {"reason", k.revoked_reason}})
                      : json::value(nullptr)},
      {"source", store::to_string(k.source)}};
  if (with_email) o["recipient_email"] = k.recipient_email;
  return o;
}

json::object items(json::array a) {
  return json::object{{"items", std::move(a)}};
}

// What a request for /credentials/{id} asks for.
enum class Wants { Page, JsonLd, Jwt };
Wants negotiate(const http::Request& r) {
  const std::string accept = staffroom::json::lower_ascii(r.header("accept").value_or(""));
  // The first media type the client names that we serve wins; browsers name
  // text/html first.
  std::size_t best = std::string::npos;
  Wants wants = Wants::Page;
  auto consider = [&](std::string_view type, Wants w) {
    if (auto at = accept.find(type); at != std::string::npos && (best == std::string::npos || at < best)) {
      best = at;
      wants = w;
    }
  };
  consider("text/html", Wants::Page);
  consider("application/vc+ld+json", Wants::JsonLd);
  consider("application/ld+json", Wants::JsonLd);
  consider("application/vc+jwt", Wants::Jwt);
  consider("application/jwt", Wants::Jwt);
  return wants;
}

}  // namespace

void add_routes(http::Router& router, CredentialService& svc,
                const std::function<Response(const http::Request&)>& page) {
  const auto signed_in = Access::signed_in();  // the service checks the owner's roles

  router.add("GET", "/api/v1/achievements", Access::open(),
             {"listAchievements", "Achievements, filtered by owner or words", "credentials", false, {200}},
             [&svc](Context& ctx) -> HandlerResult {
               store::AchievementFilter f;
               if (auto t = ctx.request.query_param("owner_type"); t && !t->empty()) {
                 f.owner_type = parse_owner_type(*t);
                 if (!f.owner_type)
                   return Error::validation("owner_type", "must be campaign, organization or district");
               }
               f.owner = ctx.request.query_param("owner").value_or("");
               f.q = staffroom::json::trim(ctx.request.query_param("q").value_or(""));
               if (f.q.size() > 200) return Error::validation("q", "is at most 200 characters");
               SR_ASSIGN(auto list, svc.achievements(f, ctx.identity));
               json::array out;
               for (const auto& v : list) out.push_back(achievement_json(v, svc));
               return Response::json(200, items(std::move(out)));
             });

  router.add("POST", "/api/v1/achievements", signed_in,
             {"createAchievement",
              "Define an achievement (staff of its campaign, organization or district)",
              "credentials",
              true,
              {201, 403, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               SR_ASSIGN(auto v, svc.create_achievement(*ctx.identity, body));
               return Response::json(201, achievement_json(v, svc));
             });

  router.add("GET", "/api/v1/achievements/{slug}", Access::open(),
             {"getAchievement", "An achievement", "credentials", false, {200, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto v, svc.achievement(ctx.request.param("slug"), ctx.identity));
               return Response::json(200, achievement_json(v, svc));
             });

  router.add("PUT", "/api/v1/achievements/{slug}", signed_in,
             {"updateAchievement", "Change an achievement (its staff)", "credentials", true, {200, 403, 404, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               SR_ASSIGN(auto v, svc.update_achievement(ctx.request.param("slug"), *ctx.identity, body));
               return Response::json(200, achievement_json(v, svc));
             });

  router.add("POST", "/api/v1/achievements/{slug}/awards", signed_in,
             {"awardAchievement",
              "Award by hand (JSON: recipient_email, narrative, evidence_url) or from CSV (email,narrative,evidence; "
              "dry_run=true previews; all or nothing)",
              "credentials",
              false,
              {200, 201, 403, 404, 409, 415, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               const std::string slug = ctx.request.param("slug");
               const std::string type = staffroom::json::lower_ascii(ctx.request.header("content-type").value_or(""));
               if (type.starts_with("text/csv")) {
                 const auto dry = ctx.request.query_param("dry_run").value_or("false");
                 if (dry != "true" && dry != "false") return Error::validation("dry_run", "must be true or false");
                 SR_ASSIGN(auto report, svc.award_file(slug, *ctx.identity, ctx.request.body, dry == "true"));
                 json::array list;
                 for (const auto& k : report.credentials) list.push_back(summary_json(k, svc, true));
                 return Response::json(200, json::object{{"dry_run", report.dry_run},
                                                         {"awarded", report.dry_run ? 0 : report.would_award},
                                                         {"would_award", report.would_award},
                                                         {"credentials", std::move(list)}});
               }
               if (!type.starts_with("application/json"))
                 return Error{ErrorCode::UnsupportedMediaType,
                              "send application/json for one award or text/csv for a file of them",
                              {},
                              0,
                              {}};
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               AwardRequest r;
               r.email = f.required_string("recipient_email", 320);
               r.narrative = f.optional_string("narrative", 2000).value_or("");
               r.evidence_url = f.optional_string("evidence_url", 2000).value_or("");
               SR_TRY(f.finish());
               SR_ASSIGN(auto k, svc.award(slug, *ctx.identity, r));
               return Response::json(201, summary_json(k, svc, true));
             });

  router.add("GET", "/api/v1/achievements/{slug}/awards", signed_in,
             {"listAwards", "Who holds an achievement (its staff)", "credentials", false, {200, 403, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto list, svc.awards(ctx.request.param("slug"), *ctx.identity));
               json::array out;
               for (const auto& k : list) out.push_back(summary_json(k, svc, true));
               return Response::json(200, items(std::move(out)));
             });

  router.add(
      "GET", "/api/v1/credentials/{id}", Access::open(),
      {"getCredential", "A credential with its live verification", "credentials", false, {200, 404}},
      [&svc](Context& ctx) -> HandlerResult {
        SR_ASSIGN(auto v, svc.credential(ctx.request.param("id"), ctx.identity));
        auto o = summary_json(v.record, svc, false);
        std::string issuer_id, issuer_name;
        if (const auto* i = v.document.if_contains("issuer"); i && i->is_object()) {
          if (const auto* x = i->as_object().if_contains("id"); x && x->is_string()) issuer_id = x->as_string();
          if (const auto* x = i->as_object().if_contains("name"); x && x->is_string()) issuer_name = x->as_string();
        }
        o["issuer"] = json::object{{"id", issuer_id}, {"name", issuer_name}};
        json::array evidence;
        if (const auto* e = v.document.if_contains("evidence"); e && e->is_array()) {
          for (const auto& x : e->as_array()) {
            if (!x.is_object()) continue;
            const auto& eo = x.as_object();
            auto str = [&](std::string_view k) -> json::value {
              const auto* s = eo.if_contains(k);
              return s && s->is_string() ? *s : json::value(nullptr);
            };
            evidence.push_back(json::object{{"id", str("id")}, {"name", str("name")}, {"narrative", str("narrative")}});
          }
        }
        json::object achievement = o["achievement"].as_object();
        if (const auto* s = v.document.if_contains("credentialSubject"); s && s->is_object()) {
          if (const auto* a = s->as_object().if_contains("achievement"); a && a->is_object()) {
            for (std::string_view k : {"description", "criteria", "creditsAvailable", "tag", "alignment"})
              if (const auto* x = a->as_object().if_contains(k)) achievement[k] = *x;
          }
          if (const auto* n = s->as_object().if_contains("narrative")) o["narrative"] = *n;
        }
        o["achievement"] = std::move(achievement);
        o["evidence"] = std::move(evidence);
        o["credential"] = v.document;
        o["verification"] = to_json(v.verification);
        o["linkedin_url"] = svc.linkedin_url(v.record, issuer_name);
        o["can_revoke"] = v.can_revoke;
        return Response::json(200, o);
      });

  router.add("POST", "/api/v1/credentials/{id}/revoke", signed_in,
             {"revokeCredential",
              "Revoke a credential, with the reason its page shows (its staff)",
              "credentials",
              true,
              {200, 403, 404, 409, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               const auto reason = f.optional_string("reason", 1000).value_or("");
               SR_TRY(f.finish());
               SR_ASSIGN(auto k, svc.revoke(ctx.request.param("id"), *ctx.identity, reason));
               return Response::json(200, summary_json(k, svc, true));
             });

  router.add("GET", "/api/v1/me/credentials", signed_in,
             {"myCredentials", "The signed-in educator's credentials (the backpack)", "credentials", false, {200}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto list, svc.backpack(*ctx.identity));
               json::array out;
               for (const auto& k : list) out.push_back(summary_json(k, svc, true));
               return Response::json(200, items(std::move(out)));
             });

  router.add("GET", "/api/v1/me/learner-record", signed_in,
             {"myLearnerRecord",
              "The signed-in educator's Comprehensive Learner Record (CLR 2.0 ClrCredential) for a period: approved "
              "credit and badges; from and to are dates (YYYY-MM-DD, UTC; to included)",
              "credentials",
              false,
              {200, 409, 422},
              "application/vc+ld+json"},
             [&svc](Context& ctx) -> HandlerResult {
               auto day = [&](std::string_view name, const std::string& fallback) -> Result<EpochMs> {
                 const auto text = ctx.request.query_param(name).value_or(fallback);
                 auto ms = ld::parse_xsd_date_time(text + "T00:00:00Z");
                 if (text.size() != 10 || !ms) return Error::validation(std::string(name), "is a date like 2026-08-01");
                 return *ms;
               };
               SR_ASSIGN(const EpochMs from, day("from", "1970-01-01"));
               SR_ASSIGN(const EpochMs to_day, day("to", format_rfc3339(now_ms()).substr(0, 10)));
               SR_ASSIGN(auto clr, svc.learner_record(*ctx.identity, from, to_day + 86400000));
               Response r = Response::text(200, json::serialize(clr), "application/vc+ld+json");
               if (ctx.request.query_param("download").value_or("") == "true")
                 r.set_header("content-disposition", "attachment; filename=\"learner-record.jsonld\"");
               return r;
             });

  router.add("GET", "/api/v1/issuer", Access::open(),
             {"getIssuer", "The issuer's DID and keys (public parts)", "credentials", false, {200}},
             [&svc](Context&) -> HandlerResult {
               const auto& keys = svc.keys();
               json::array list;
               for (const auto& k : keys.all()) {
                 list.push_back(json::object{
                     {"id", k.id},
                     {"did", keys.did(k)},
                     {"verification_method", keys.verification_method(k)},
                     {"created_at", format_rfc3339(k.created_at)},
                     {"retired_at", k.retired_at ? json::value(format_rfc3339(*k.retired_at)) : json::value(nullptr)}});
               }
               return Response::json(200, json::object{{"did", keys.did(keys.current())},
                                                       {"method", keys.did_web() ? "web" : "key"},
                                                       {"keys", std::move(list)}});
             });

  router.add("GET", "/.well-known/did.json", Access::open(),
             {"didDocument",
              "The issuer's did:web DID document (when the server issues as did:web)",
              "credentials",
              false,
              {200, 404},
              "application/did+json"},
             [&svc](Context&) -> HandlerResult {
               SR_ASSIGN(auto doc, svc.keys().did_document());
               Response r = Response::json(200, doc);
               r.set_header("content-type", "application/did+json");
               r.set_header("cache-control", "public, max-age=300");
               return r;
             });

  router.add("GET", "/credentials/status/{list}", Access::open(),
             {"statusList",
              "A signed BitstringStatusListCredential: which credentials are revoked",
              "credentials",
              false,
              {200, 404},
              "application/vc+ld+json"},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "list", "status list"));
               SR_ASSIGN(auto doc, svc.status_list(id));
               Response r = Response::json(200, doc);
               r.set_header("content-type", "application/vc+ld+json");
               r.set_header("cache-control", "public, max-age=60");
               return r;
             });

  router.add("GET", "/credentials/{id}", Access::open(),
             {"credentialDocument",
              "The signed credential (Accept: application/ld+json or application/vc+ld+json), its VC-JWT "
              "(application/vc+jwt or application/jwt), or its page; {id}.jsonld downloads it",
              "credentials",
              false,
              {200, 404},
              "application/vc+ld+json"},
             [&svc, page](Context& ctx) -> HandlerResult {
               std::string id = ctx.request.param("id");
               const bool download = id.ends_with(".jsonld");
               if (download) id.resize(id.size() - 7);
               const auto wants = download ? Wants::JsonLd : negotiate(ctx.request);
               if (wants == Wants::Page) {
                 Response r = page(ctx.request);
                 r.set_header("vary", "Accept");
                 return r;
               }
               if (wants == Wants::Jwt) {
                 SR_ASSIGN(auto token, svc.credential_jwt(id));
                 Response r = Response::text(200, std::move(token), "application/vc+jwt");
                 r.set_header("vary", "Accept");
                 return r;
               }
               SR_ASSIGN(auto v, svc.credential(id, nullptr));
               Response r = Response::text(200, json::serialize(v.document), "application/vc+ld+json");
               r.set_header("vary", "Accept");
               if (download)
                 r.set_header("content-disposition", "attachment; filename=\"credential-" + id + ".jsonld\"");
               return r;
             });

  router.add("POST", "/api/v1/verify", Access::open(),
             {"verifyCredential",
              "Check any Open Badges 3.0 credential: proof, issuer key, dates, status, shape",
              "credentials",
              true,
              {200, 400}},
             [&svc](Context& ctx) -> HandlerResult {
               // Numbers read exactly: a credential signed elsewhere must say
               // here what it said there.
               auto doc = staffroom::json::parse_exact(ctx.request.body);
               if (!doc.ok()) return Error::bad_request(doc.error().detail + "; paste the credential as it was issued");
               // An answer, not an error, whatever the credential holds: the
               // checks say what is wrong with it.
               return Response::json(200, to_json(svc.verify(*doc)));
             });
}

}  // namespace staffroom::credentials
