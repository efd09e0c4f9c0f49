#include "activities/routes.hpp"

#include "activities/csv_format.hpp"

#include <boost/json.hpp>

#include <cmath>

#include "core/json.hpp"
#include "http/pagination.hpp"

namespace staffroom::activities {

namespace json = boost::json;
using http::Access;
using http::Context;
using http::HandlerResult;
using http::Response;

namespace {

// Whole numbers as JSON integers; others rounded to `places` decimals.
json::value number(double v, int places) {
  const double scale = std::pow(10.0, places);
  const double r = std::round(v * scale) / scale;
  if (r == std::floor(r) && std::abs(r) < 1e15) return static_cast<std::int64_t>(r);
  return r;
}

json::array strings(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

json::object org_json(const OrgRef& o) {
  return {{"slug", o.slug}, {"name", o.name}};
}

json::array sessions_json(const std::vector<Session>& sessions) {
  json::array out;
  for (const auto& s : sessions) {
    out.push_back(json::object{{"starts_at", format_rfc3339(s.starts_at)}, {"ends_at", format_rfc3339(s.ends_at)}});
  }
  return out;
}

json::object activity_json(const Activity& a) {
  json::array co_hosts, facilitators, resources;
  for (const auto& o : a.co_hosts) {
    auto j = org_json(o);
    j["confirmed"] = o.confirmed;
    co_hosts.push_back(std::move(j));
  }
  for (const auto& f : a.facilitators) {
    facilitators.push_back(json::object{
        {"slug", f.slug}, {"name", f.name}, {"affiliation", f.affiliation}, {"bio", f.bio}, {"role", f.role}});
  }
  for (const auto& r : a.resources) {
    resources.push_back(json::object{
        {"kind", r.kind}, {"title", r.title}, {"url", r.url}, {"created_at", format_rfc3339(r.created_at)}});
  }
  auto opt_text = [](const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); };
  json::value seats_left = nullptr;
  if (a.capacity) seats_left = std::max(0, *a.capacity - a.registered);
  return {{"id", a.id},
          {"campaign", a.campaign_slug},
          {"title", a.title},
          {"description", a.description},
          {"description_html", a.description_html},
          {"format", a.format},
          {"time_zone", a.time_zone},
          {"start", opt_text(a.start)},
          {"duration_minutes", a.duration_minutes},
          {"recurrence", opt_text(a.recurrence)},
          {"available_from", opt_text(a.available_from)},
          {"available_until", opt_text(a.available_until)},
          {"self_paced", a.self_paced()},
          {"sessions", sessions_json(a.sessions)},
          {"join_url", a.join_url},
          {"capacity", a.capacity ? json::value(*a.capacity) : json::value(nullptr)},
          {"pd_hours", number(a.pd_minutes / 60.0, 2)},
          {"audience", json::object{{"roles", strings(a.audience.roles)},
                                    {"grade_bands", strings(a.audience.grade_bands)},
                                    {"subjects", strings(a.audience.subjects)}}},
          {"themes", strings(a.themes)},
          {"language", a.language},
          {"accessibility", json::object{{"captions", a.accessibility.captions},
                                         {"transcripts", a.accessibility.transcripts},
                                         {"notes", a.accessibility.notes}}},
          {"host", org_json(a.host)},
          {"co_hosts", std::move(co_hosts)},
          {"co_hosted", a.co_hosted()},
          {"facilitators", std::move(facilitators)},
          {"resources", std::move(resources)},
          {"status", to_string(a.status)},
          {"reason", a.reason},
          {"registered", a.registered},
          {"waitlisted", a.waitlisted},
          {"seats_left", seats_left},
          {"sequence", a.sequence},
          {"url", "/activities/" + std::to_string(a.id)},
          {"created_at", format_rfc3339(a.created_at)},
          {"updated_at", format_rfc3339(a.updated_at)}};
}

json::object attendance_json(const store::Attendance& a) {
  return {{"id", a.id},
          {"activity", json::object{{"id", a.activity_id}, {"title", a.activity_title}}},
          {"email", a.email},
          {"user_id", a.user_id ? json::value(*a.user_id) : json::value(nullptr)},
          {"source", a.source},
          {"statement_id", a.statement_id.empty() ? json::value(nullptr) : json::value(a.statement_id)},
          {"minutes", a.minutes},
          {"session_starts_at", format_rfc3339(a.session_starts_at)},
          {"recorded_at", format_rfc3339(a.recorded_at)}};
}

json::object list_of(json::array items) {
  return http::list_body(std::move(items), std::nullopt);
}

template <class T, class F>
json::array map_json(const std::vector<T>& list, F f) {
  json::array out;
  out.reserve(list.size());
  for (const auto& x : list) out.push_back(f(x));
  return out;
}

Result<std::int64_t> activity_id(const http::Request& r) {
  return http::id_param(r, "activity", "activity");
}

std::optional<std::vector<std::string>> string_list(const json::object& body, std::string_view name,
                                                    staffroom::json::FieldReader& f, std::size_t max_len = 200) {
  auto it = body.find(name);
  if (it == body.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_array()) {
    f.add_error(std::string(name), "must be a list of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  const auto& arr = it->value().as_array();
  for (std::size_t i = 0; i < arr.size() && i < 100; ++i) {
    if (!arr[i].is_string() || arr[i].as_string().size() > max_len) {
      f.add_error(std::string(name) + "[" + std::to_string(i) + "]",
                  "must be a string of at most " + std::to_string(max_len) + " characters");
      continue;
    }
    out.emplace_back(arr[i].as_string());
  }
  if (arr.size() > 100) f.add_error(std::string(name), "is too long");
  return out;
}

// The ActivityInput fields of a request body; types only, the rules are the
// model's.
Result<ActivityInput> read_input(const json::object& body) {
  staffroom::json::FieldReader f(body);
  ActivityInput in;
  in.title = f.optional_string("title", 300);
  in.description = f.optional_raw_string("description");
  if (in.description && in.description->size() > 20000) f.add_error("description", "can be at most 20,000 characters");
  in.format = f.optional_string("format", 40);
  in.time_zone = f.optional_string("time_zone", 64);
  in.recurrence = f.optional_string("recurrence", 200);
  in.available_from = f.optional_string("available_from", 10);
  in.available_until = f.optional_string("available_until", 10);
  in.join_url = f.optional_string("join_url", 1000);
  in.language = f.optional_string("language", 35);
  in.end = f.optional_string("end", 19);
  // start: null or "" makes the activity self-paced.
  if (auto it = body.find("start"); it != body.end()) {
    if (it->value().is_null()) {
      in.start = std::string();
    } else {
      in.start = f.optional_string("start", 19).value_or("");
    }
  }
  if (auto d = f.optional_int("duration_minutes")) {
    in.duration_minutes = static_cast<int>(std::clamp<std::int64_t>(*d, -1, 1000000));
  }
  if (auto it = body.find("capacity"); it != body.end()) {
    if (it->value().is_null()) {
      in.capacity = std::optional<int>();
    } else if (auto n = f.optional_int("capacity")) {
      in.capacity = std::optional(static_cast<int>(std::clamp<std::int64_t>(*n, -1, 10000000)));
    }
  }
  if (auto it = body.find("pd_hours"); it != body.end() && !it->value().is_null()) {
    if (it->value().is_number()) {
      in.pd_hours = it->value().to_number<double>();
    } else {
      f.add_error("pd_hours", "must be a number of hours, like 1.5");
    }
  }
  if (auto it = body.find("audience"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_object()) {
      f.add_error("audience", "must be an object {roles, grade_bands, subjects}");
    } else {
      const auto& o = it->value().as_object();
      staffroom::json::FieldReader af(o);
      Audience a;
      a.roles = string_list(o, "roles", af, 40).value_or(std::vector<std::string>{});
      a.grade_bands = string_list(o, "grade_bands", af, 40).value_or(std::vector<std::string>{});
      a.subjects = string_list(o, "subjects", af, 80).value_or(std::vector<std::string>{});
      if (auto s = af.finish(); !s.ok()) {
        for (const auto& e : s.error().fields) f.add_error("audience." + e.field, e.message);
      }
      in.audience = std::move(a);
    }
  }
  in.themes = string_list(body, "themes", f);
  in.co_hosts = string_list(body, "co_hosts", f, 80);
  if (auto it = body.find("accessibility"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_object()) {
      f.add_error("accessibility", "must be an object {captions, transcripts, notes}");
    } else {
      const auto& o = it->value().as_object();
      Accessibility acc;
      for (const char* key : {"captions", "transcripts"}) {
        auto k = o.find(key);
        if (k == o.end() || k->value().is_null()) continue;
        if (!k->value().is_bool()) {
          f.add_error(std::string("accessibility.") + key, "must be true or false");
          continue;
        }
        (std::string_view(key) == "captions" ? acc.captions : acc.transcripts) = k->value().as_bool();
      }
      if (auto n = o.find("notes"); n != o.end() && n->value().is_string()) acc.notes = n->value().as_string();
      in.accessibility = std::move(acc);
    }
  }
  if (auto it = body.find("facilitators"); it != body.end() && !it->value().is_null()) {
    if (!it->value().is_array()) {
      f.add_error("facilitators", "must be a list of {name, affiliation, bio, role} or {person, role}");
    } else {
      std::vector<FacilitatorInput> people;
      const auto& arr = it->value().as_array();
      for (std::size_t i = 0; i < arr.size() && i < 100; ++i) {
        const std::string at = "facilitators[" + std::to_string(i) + "]";
        if (!arr[i].is_object()) {
          f.add_error(at, "must be an object {name, affiliation, bio, role} or {person, role}");
          continue;
        }
        staffroom::json::FieldReader pf(arr[i].as_object());
        FacilitatorInput p;
        p.person = pf.optional_string("person", 80).value_or("");
        p.name = pf.optional_string("name", 300).value_or("");
        p.affiliation = pf.optional_string("affiliation", 300).value_or("");
        p.bio = pf.optional_string("bio", 3000).value_or("");
        p.email = pf.optional_string("email", 254).value_or("");
        p.role = pf.optional_string("role", 20).value_or("facilitator");
        if (auto s = pf.finish(); !s.ok()) {
          for (const auto& e : s.error().fields) f.add_error(at + "." + e.field, e.message);
        }
        people.push_back(std::move(p));
      }
      if (arr.size() > 100) f.add_error("facilitators", "is too long");
      in.facilitators = std::move(people);
    }
  }
  SR_TRY(f.finish());
  return in;
}

// Values of a repeated or comma-separated query parameter.
std::vector<std::string> multi(const http::Request& r, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& v : r.query_params(name)) {
    std::size_t start = 0;
    while (start <= v.size()) {
      auto comma = v.find(',', start);
      if (comma == std::string::npos) comma = v.size();
      auto item = staffroom::json::trim(std::string_view(v).substr(start, comma - start));
      if (!item.empty() && out.size() < 20) out.push_back(item.substr(0, 200));
      start = comma + 1;
    }
  }
  return out;
}

Result<Search> read_search(const http::Request& r) {
  Search s;
  s.text = r.query_param("q").value_or("");
  if (s.text.size() > 500) return Error::bad_request("q can be at most 500 characters");
  for (const char* name : {"from", "to"}) {
    auto v = r.query_param(name);
    if (!v || v->empty()) continue;
    const bool is_from = std::string_view(name) == "from";
    if (parse_date(*v)) {
      (is_from ? s.from_date : s.to_date) = *v;
    } else if (auto t = parse_rfc3339(*v)) {
      (is_from ? s.from : s.to) = *t;
    } else {
      return Error::bad_request(std::string(name) + " must be a date (2012-08-01) or an RFC 3339 time");
    }
  }
  s.formats = multi(r, "format");
  s.themes = multi(r, "theme");
  s.roles = multi(r, "role");
  s.grades = multi(r, "grade");
  s.subjects = multi(r, "subject");
  for (auto& v : s.subjects) v = staffroom::json::lower_ascii(v);
  s.organizations = multi(r, "organization");
  s.languages = multi(r, "language");
  const auto hours = r.query_param("offers_hours").value_or("");
  if (!hours.empty() && hours != "true" && hours != "false")
    return Error::bad_request("offers_hours must be true or false");
  s.offers_hours = hours == "true";
  s.sort = r.query_param("sort").value_or("start");
  if (s.sort != "start" && s.sort != "title" && s.sort != "relevance") {
    return Error::bad_request("sort must be start, title or relevance");
  }
  if (s.sort == "relevance" && staffroom::json::trim(s.text).empty()) {
    return Error::bad_request("sort=relevance needs words to search for in q");
  }
  auto known = [](const std::vector<std::string>& values, auto is_known, const char* name,
                  const char* example) -> Status {
    for (const auto& v : values) {
      if (!is_known(v))
        return Error::bad_request(std::string(name) + " '" + v + "' is unknown; for example " + example);
    }
    return {};
  };
  SR_TRY(known(s.formats, is_format, "format", "webinar or live_chat"));
  SR_TRY(known(
      s.roles,
      [](const std::string& v) { return std::find(std::begin(kRoles), std::end(kRoles), v) != std::end(kRoles); },
      "role", "teacher"));
  SR_TRY(known(
      s.grades,
      [](const std::string& v) {
        return std::find(std::begin(kGradeBands), std::end(kGradeBands), v) != std::end(kGradeBands);
      },
      "grade", "6-8"));
  const auto status = r.query_param("status").value_or("approved");
  if (status == "approved" || status == "cancelled") {
    s.statuses = {status};
  } else if (status == "all") {
    s.statuses = {"approved", "cancelled"};
  } else {
    return Error::bad_request("status must be approved, cancelled or all");
  }
  return s;
}

Response calendar(std::string body, const std::string& filename) {
  Response r = Response::text(200, std::move(body), "text/calendar; charset=utf-8");
  r.set_header("content-disposition", "inline; filename=\"" + filename + "\"");
  r.set_header("cache-control", "public, max-age=300");
  return r;
}

std::string webcal(const std::string& url) {
  const auto pos = url.find("://");
  return "webcal://" + (pos == std::string::npos ? url : url.substr(pos + 3));
}

}  // namespace

void add_routes(http::Router& router, ActivityService& svc) {
  const auto staff = Access::scoped("org_staff", "organization", "organization");
  const auto organizer = Access::scoped("campaign_organizer", "campaign", "campaign");

  router.add("POST", "/api/v1/organizations/{organization}/activities", staff,
             {"createActivity", "Offer an activity in a campaign (host staff)", "activities", true, {201, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               std::string campaign;
               if (auto it = body.find("campaign"); it != body.end() && it->value().is_string()) {
                 campaign = it->value().as_string();
               }
               SR_ASSIGN(auto input, read_input(body));
               if (!input.title) return Error::validation("title", "is required, at most 200 characters");
               if (!input.format) return Error::validation("format", "is required, like webinar");
               SR_ASSIGN(auto a, svc.create(ctx.request.param("organization"), campaign, input, *ctx.identity));
               Response r = Response::json(201, activity_json(a));
               r.set_header("location", "/api/v1/activities/" + std::to_string(a.id));
               return r;
             });

  router.add("GET", "/api/v1/organizations/{organization}/activities", staff,
             {"listOrganizationActivities", "The organization's activities, every status", "activities", false, {200}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto list, svc.organization_activities(ctx.request.param("organization"),
                                                                ctx.request.query_param("campaign").value_or("")));
               return Response::json(200, list_of(map_json(list, activity_json)));
             });

  router.add(
      "POST", "/api/v1/organizations/{organization}/activities/import", staff,
      {"importActivities", "Import activities from CSV as drafts", "activities", false, {201, 415, 422}},
      [&svc](Context& ctx) -> HandlerResult {
        SR_TRY(http::require_csv(ctx.request, "the file"));
        SR_ASSIGN(auto list,
                  svc.import_csv(ctx.request.param("organization"), ctx.request.query_param("campaign").value_or(""),
                                 ctx.request.body, *ctx.identity));
        return Response::json(201, json::object{{"imported", list.size()}, {"items", map_json(list, activity_json)}});
      });

  router.add("GET", "/api/v1/activities/{activity}", Access::open(),
             {"getActivity", "One activity", "activities", false, {200, 404}}, [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_ASSIGN(auto a, svc.get(id, ctx.identity));
               return Response::json(200, activity_json(a));
             });

  router.add("PATCH", "/api/v1/activities/{activity}", Access::signed_in(),
             {"updateActivity", "Change an activity (host staff)", "activities", true, {200, 403, 404, 409, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               if (body.contains("campaign"))
                 return Error::validation("campaign", "cannot change; offer a new activity");
               SR_ASSIGN(auto input, read_input(body));
               SR_ASSIGN(auto a, svc.update(id, input, *ctx.identity));
               return Response::json(200, activity_json(a));
             });

  router.add("POST", "/api/v1/activities/{activity}/submit", Access::signed_in(),
             {"submitActivity", "Submit an activity for review (host staff)", "activities", false, {200, 403, 409}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_ASSIGN(auto a, svc.submit(id, *ctx.identity));
               return Response::json(200, activity_json(a));
             });

  router.add("POST", "/api/v1/activities/{activity}/cancel", Access::signed_in(),
             {"cancelActivity", "Cancel an activity (host staff)", "activities", true, {200, 403, 409}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               const auto reason = f.optional_string("reason", 2000).value_or("");
               SR_TRY(f.finish());
               SR_ASSIGN(auto a, svc.cancel(id, reason, *ctx.identity));
               return Response::json(200, activity_json(a));
             });

  router.add("POST", "/api/v1/activities/{activity}/co-hosts/{organization}/confirm", staff,
             {"confirmCoHost", "Confirm co-hosting (the co-host's staff)", "activities", false, {200, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_ASSIGN(auto a, svc.confirm_cohost(id, ctx.request.param("organization"), *ctx.identity));
               return Response::json(200, activity_json(a));
             });

  router.add("POST", "/api/v1/activities/{activity}/resources", Access::signed_in(),
             {"addResource", "Attach a recording or resource (host staff)", "activities", true, {201, 403, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               Resource r;
               r.kind = f.required_string("kind", 20);
               r.title = f.required_string("title", 300);
               r.url = f.required_string("url", 1000);
               SR_TRY(f.finish());
               SR_ASSIGN(auto a, svc.add_resource(id, std::move(r), *ctx.identity));
               return Response::json(201, activity_json(a));
             });

  router.add("GET", "/api/v1/campaigns/{campaign}/activities", Access::open(),
             {"searchActivities", "Search the campaign's catalog", "activities", false, {200, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto page_req, http::parse_page(ctx.request));
               SR_ASSIGN(auto search, read_search(ctx.request));
               SR_ASSIGN(auto page,
                         svc.search(ctx.request.param("campaign"), search, page_req.position, page_req.limit));
               return http::page_response(page, activity_json);
             });

  router.add("GET", "/api/v1/campaigns/{campaign}/activities/export", Access::open(),
             {"exportActivities", "Every approved activity as CSV or JSON", "activities", false, {200, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               const auto format = ctx.request.query_param("format").value_or("json");
               if (format != "csv" && format != "json") return Error::bad_request("format must be csv or json");
               const auto& slug = ctx.request.param("campaign");
               SR_ASSIGN(auto list, svc.export_all(slug));
               Response r = format == "csv" ? Response::text(200, csv_format::export_csv(list, svc.config().public_url),
                                                             "text/csv; charset=utf-8")
                                            : Response::json(200, map_json(list, activity_json));
               r.set_header("content-disposition", "attachment; filename=\"" + slug + "-activities." + format + "\"");
               return r;
             });

  router.add("GET", "/api/v1/campaigns/{campaign}/submissions", organizer,
             {"listSubmissions", "Activities waiting for review (organizers)", "activities", false, {200}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto page_req, http::parse_page(ctx.request));
               const auto status = ctx.request.query_param("status").value_or("submitted");
               if (!parse_status(status)) {
                 return Error::bad_request("status must be draft, submitted, approved, declined or cancelled");
               }
               Search s;
               s.statuses = {status};
               SR_ASSIGN(auto page, svc.search(ctx.request.param("campaign"), s, page_req.position, page_req.limit));
               return http::page_response(page, activity_json);
             });

  router.add("POST", "/api/v1/campaigns/{campaign}/activities/{activity}/decision", organizer,
             {"decideActivity", "Approve or decline a submitted activity", "activities", true, {200, 404, 409, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               const auto decision = f.required_string("decision", 20);
               const auto reason = f.optional_string("reason", 2000).value_or("");
               SR_TRY(f.finish());
               if (decision != "approve" && decision != "decline") {
                 return Error::validation("decision", "must be \"approve\" or \"decline\"");
               }
               SR_ASSIGN(auto a,
                         svc.decide(ctx.request.param("campaign"), id, decision == "approve", reason, *ctx.identity));
               return Response::json(200, activity_json(a));
             });

  router.add("GET", "/api/v1/campaigns/{campaign}/partnerships", Access::open(),
             {"listPartnerships", "Pairs of organizations co-hosting in the campaign", "activities", false, {200, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto list, svc.partnerships(ctx.request.param("campaign")));
               return Response::json(200, list_of(map_json(list, [](const Partnership& p) {
                                       return json::object{{"organizations", json::array{org_json(p.a), org_json(p.b)}},
                                                           {"activities", p.activities},
                                                           {"new", p.is_new}};
                                     })));
             });

  router.add("GET", "/api/v1/campaigns/{campaign}/impact", Access::open(),
             {"getImpact", "The campaign's figures, computed from its data", "activities", false, {200, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto m, svc.impact(ctx.request.param("campaign")));
               return Response::json(200, json::object{
                                              {"organizations", m.organizations},
                                              {"activities", m.activities},
                                              {"facilitators", m.facilitators},
                                              {"co_hosted_activities", m.co_hosted_activities},
                                              {"new_partnership_activities", m.new_partnership_activities},
                                              {"new_partnership_share", number(m.new_partnership_share, 3)},
                                              {"registrations", m.registrations},
                                              {"attendees", m.attendees},
                                              {"pd_hours", number(m.pd_hours, 1)},
                                          });
             });

  router.add("GET", "/api/v1/people/{person}", Access::open(),
             {"getPerson", "A facilitator or speaker and their activities", "activities", false, {200, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto p, svc.person(ctx.request.param("person")));
               return Response::json(200, json::object{{"slug", p.person.slug},
                                                       {"name", p.person.name},
                                                       {"affiliation", p.person.affiliation},
                                                       {"bio", p.person.bio},
                                                       {"activities", map_json(p.activities, activity_json)}});
             });

  router.add("POST", "/api/v1/activities/{activity}/registration", Access::signed_in(),
             {"register", "Register, or join the waiting list", "activities", false, {201, 409, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_ASSIGN(auto r, svc.register_for(id, *ctx.identity));
               return Response::json(
                   201, json::object{{"status", r.seat == Seat::Registered ? "registered" : "waitlisted"},
                                     {"waitlist_position", r.seat == Seat::Waitlisted ? json::value(r.waitlist_position)
                                                                                      : json::value(nullptr)}});
             });

  router.add("DELETE", "/api/v1/activities/{activity}/registration", Access::signed_in(),
             {"cancelRegistration", "Give up a seat or a place on the waiting list", "activities", false, {204, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_TRY(svc.cancel_registration(id, *ctx.identity));
               return Response::no_content();
             });

  router.add("GET", "/api/v1/me/schedule", Access::signed_in(),
             {"mySchedule", "The caller's registrations, by start", "activities", false, {200}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto list, svc.schedule(*ctx.identity));
               return Response::json(200, list_of(map_json(list, [](const ScheduleItem& s) {
                                       return json::object{{"activity", activity_json(s.activity)},
                                                           {"status", s.status},
                                                           {"waitlist_position", s.status == "waitlisted"
                                                                                     ? json::value(s.waitlist_position)
                                                                                     : json::value(nullptr)},
                                                           {"registered_at", format_rfc3339(s.registered_at)}};
                                     })));
             });

  router.add("GET", "/api/v1/activities/{activity}/check-in-code", Access::signed_in(),
             {"getCheckInCode", "The check-in code hosts show (host staff)", "activities", false, {200, 403}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_ASSIGN(auto info, svc.check_in_code(id, *ctx.identity));
               return Response::json(200, json::object{{"code", info.code},
                                                       {"check_in_url", info.check_in_url},
                                                       {"sessions", sessions_json(info.sessions)}});
             });

  router.add("POST", "/api/v1/activities/{activity}/check-ins", Access::signed_in(),
             {"checkIn", "Check in to a session with its code", "activities", true, {201, 409, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               const auto code = f.required_string("code", 40);
               SR_TRY(f.finish());
               SR_ASSIGN(auto rec, svc.check_in(id, code, *ctx.identity));
               return Response::json(201, attendance_json(rec));
             });

  router.add("POST", "/api/v1/activities/{activity}/attendance", Access::signed_in(),
             {"uploadAttendance",
              "Upload the attendance list, CSV email,minutes (host staff)",
              "activities",
              false,
              {200, 403, 415, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_TRY(http::require_csv(ctx.request, "the file"));
               SR_ASSIGN(auto n, svc.upload_attendance(id, ctx.request.body, *ctx.identity));
               return Response::json(200, json::object{{"recorded", n}});
             });

  router.add("GET", "/api/v1/activities/{activity}/attendance", Access::signed_in(),
             {"listAttendance", "Attendance records of an activity (host staff)", "activities", false, {200, 403}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_ASSIGN(auto list, svc.attendance(id, *ctx.identity));
               return Response::json(200, list_of(map_json(list, attendance_json)));
             });

  router.add("GET", "/api/v1/me/attendance", Access::signed_in(),
             {"myAttendance", "The caller's attendance records", "activities", false, {200}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto list, svc.my_attendance(*ctx.identity));
               return Response::json(200, list_of(map_json(list, attendance_json)));
             });

  router.add("POST", "/api/v1/me/calendar-token", Access::signed_in(),
             {"newCalendarToken", "A new personal calendar feed link", "activities", false, {201}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto token, svc.new_calendar_token(*ctx.identity));
               const auto url = svc.config().public_url + "/calendars/" + token + "/schedule.ics";
               return Response::json(201, json::object{{"url", url}, {"webcal_url", webcal(url)}});
             });

  router.add("DELETE", "/api/v1/me/calendar-token", Access::signed_in(),
             {"revokeCalendarToken", "Turn off the personal calendar feed link", "activities", false, {204, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_TRY(svc.revoke_calendar_token(*ctx.identity));
               return Response::no_content();
             });

  router.add("GET", "/campaigns/{campaign}/calendar.ics", Access::open(),
             {"campaignCalendar", "The campaign's iCalendar feed", "calendars", false, {200, 404}, "text/calendar"},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, svc.campaign_calendar(ctx.request.param("campaign")));
               return calendar(std::move(body), ctx.request.param("campaign") + ".ics");
             });

  router.add(
      "GET", "/organizations/{organization}/calendar.ics", Access::open(),
      {"organizationCalendar", "An organization's iCalendar feed", "calendars", false, {200, 404}, "text/calendar"},
      [&svc](Context& ctx) -> HandlerResult {
        SR_ASSIGN(auto body, svc.organization_calendar(ctx.request.param("organization")));
        return calendar(std::move(body), ctx.request.param("organization") + ".ics");
      });

  router.add("GET", "/activities/{activity}/event.ics", Access::open(),
             {"activityCalendar", "One activity as an iCalendar file", "calendars", false, {200, 404}, "text/calendar"},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, activity_id(ctx.request));
               SR_ASSIGN(auto body, svc.activity_calendar(id));
               Response r = calendar(std::move(body), "activity-" + std::to_string(id) + ".ics");
               r.set_header("content-disposition", "attachment; filename=\"activity-" + std::to_string(id) + ".ics\"");
               return r;
             });

  router.add("GET", "/calendars/{token}/schedule.ics", Access::open(),
             {"personalCalendar",
              "A personal iCalendar feed, behind its secret link",
              "calendars",
              false,
              {200, 404},
              "text/calendar"},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, svc.personal_calendar(ctx.request.param("token")));
               Response r = calendar(std::move(body), "schedule.ics");
               r.set_header("cache-control", "private, max-age=300");
               return r;
             });
}

}  // namespace staffroom::activities
