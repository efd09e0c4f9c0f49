#include "districts/routes.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "http/pagination.hpp"

namespace staffroom::districts {

namespace json = boost::json;
using http::Access;
using http::Context;
using http::HandlerResult;
using http::Response;

namespace {

json::object district_json(const DistrictView& v) {
  const auto& d = v.district;
  json::array schools, domains;
  for (const auto& s : d.schools) schools.push_back(json::object{{"id", s.id}, {"name", s.name}});
  for (const auto& m : d.domains) domains.push_back(json::value(m));
  json::object o{{"slug", d.slug},
                 {"name", d.name},
                 {"state", d.state},
                 {"time_zone", d.time_zone},
                 {"schools", std::move(schools)},
                 {"domains", std::move(domains)},
                 {"my_role", v.me ? json::value(to_string(v.me->role)) : json::value(nullptr)},
                 {"can_manage", v.can_manage},
                 {"can_decide", v.can_decide},
                 {"created_at", format_rfc3339(d.created_at)}};
  if (v.can_manage) o["join_code"] = d.join_code;
  return o;
}

json::object member_json(const Member& m) {
  return {{"id", m.id},
          {"user_id", m.user_id ? json::value(*m.user_id) : json::value(nullptr)},
          {"email", m.email},
          {"display_name", m.display_name},
          {"school", m.school},
          {"role", to_string(m.role)},
          {"joined_via", to_string(m.joined_via)},
          {"joined_at", format_rfc3339(m.joined_at)},
          {"cycle_starts_on", m.cycle_starts_on.empty() ? json::value(nullptr) : json::value(m.cycle_starts_on)},
          {"has_account", m.user_id.has_value()}};
}

json::object membership_json(const store::Membership& m) {
  return {{"district", json::object{{"slug", m.district_slug}, {"name", m.district_name}}},
          {"member", member_json(m.member)}};
}

// "schools": ["name", ...] when present.
std::vector<std::string> read_school_names(const json::object& body, staffroom::json::FieldReader& f) {
  std::vector<std::string> out;
  auto it = body.find("schools");
  if (it == body.end() || it->value().is_null()) return out;
  if (!it->value().is_array()) {
    f.add_error("schools", "must be a list of school names");
    return out;
  }
  const auto& arr = it->value().as_array();
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (!arr[i].is_string()) {
      f.add_error("schools[" + std::to_string(i) + "]", "must be a school's name");
      continue;
    }
    out.push_back(staffroom::json::trim(arr[i].as_string()));
  }
  return out;
}

Result<std::optional<MemberRole>> role_filter(const http::Request& r) {
  const auto text = r.query_param("role").value_or("");
  if (text.empty()) return std::optional<MemberRole>();
  auto role = parse_member_role(text);
  if (!role) return Error::validation("role", "must be educator, approver or admin");
  return role;
}

}  // namespace

void add_routes(http::Router& router, DistrictService& svc) {
  const auto member = Access::signed_in();  // the service checks the district role

  router.add("POST", "/api/v1/districts", member,
             {"createDistrict", "Create a district; its creator becomes its admin", "districts", true, {201, 403, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               District d;
               // The model's checks name every problem at once.
               d.slug = f.optional_string("slug", 80).value_or("");
               d.name = f.optional_string("name", 200).value_or("");
               d.state = f.optional_string("state", 2).value_or("");
               d.time_zone = f.optional_string("time_zone", 64).value_or("");
               for (auto& name : read_school_names(body, f)) d.schools.push_back({0, std::move(name)});
               SR_TRY(f.finish());
               SR_ASSIGN(auto v, svc.create(*ctx.identity, std::move(d)));
               Response r = Response::json(201, district_json(v));
               r.set_header("location", "/api/v1/districts/" + v.district.slug);
               return r;
             });

  router.add("GET", "/api/v1/districts/{district}", member,
             {"getDistrict", "A district, for its members", "districts", false, {200, 403, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto v, svc.get(ctx.request.param("district"), *ctx.identity));
               return Response::json(200, district_json(v));
             });

  router.add("PATCH", "/api/v1/districts/{district}", member,
             {"updateDistrict",
              "Rename a district, set its zone, add schools (admins)",
              "districts",
              true,
              {200, 403, 404, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               DistrictChanges ch;
               ch.name = f.optional_string("name", 200);
               ch.state = f.optional_raw_string("state");
               ch.time_zone = f.optional_string("time_zone", 64);
               ch.add_schools = read_school_names(body, f);
               SR_TRY(f.finish());
               SR_ASSIGN(auto v, svc.update(ctx.request.param("district"), *ctx.identity, ch));
               return Response::json(200, district_json(v));
             });

  router.add("POST", "/api/v1/districts/{district}/join-code", member,
             {"rotateJoinCode", "Replace the district's join code (admins)", "districts", false, {200, 403, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto v, svc.rotate_join_code(ctx.request.param("district"), *ctx.identity));
               return Response::json(200, district_json(v));
             });

  router.add("POST", "/api/v1/districts/{district}/domains", member,
             {"addDistrictDomain",
              "Let confirmed addresses at a domain join (admins at that domain)",
              "districts",
              true,
              {200, 403, 404, 409, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               const auto domain = f.required_string("domain", 253);
               SR_TRY(f.finish());
               SR_ASSIGN(auto v, svc.add_domain(ctx.request.param("district"), *ctx.identity, domain));
               return Response::json(200, district_json(v));
             });

  router.add(
      "DELETE", "/api/v1/districts/{district}/domains/{domain}", member,
      {"removeDistrictDomain", "Stop a domain's addresses joining (admins)", "districts", false, {204, 403, 404}},
      [&svc](Context& ctx) -> HandlerResult {
        SR_TRY(svc.remove_domain(ctx.request.param("district"), *ctx.identity, ctx.request.param("domain")));
        return Response::no_content();
      });

  router.add("GET", "/api/v1/districts/{district}/members", member,
             {"listDistrictMembers", "A district's people (approvers and admins)", "districts", false, {200, 403, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto page_req, http::parse_page(ctx.request));
               SR_ASSIGN(auto role, role_filter(ctx.request));
               SR_ASSIGN(auto page,
                         svc.members(ctx.request.param("district"), *ctx.identity, role,
                                     ctx.request.query_param("q").value_or(""), page_req.position, page_req.limit));
               return http::page_response(page, member_json);
             });

  router.add("PATCH", "/api/v1/districts/{district}/members/{id}", member,
             {"updateDistrictMember",
              "Change a member's role or school (admins)",
              "districts",
              true,
              {200, 403, 404, 409, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "member"));
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               MemberChanges ch;
               if (auto role = f.optional_string("role", 20)) {
                 ch.role = parse_member_role(*role);
                 if (!ch.role) f.add_error("role", "must be educator, approver or admin");
               }
               if (f.has("school")) ch.school = f.optional_string("school", 200).value_or("");
               if (f.has("cycle_starts_on")) ch.cycle_starts_on = f.optional_string("cycle_starts_on", 10).value_or("");
               SR_TRY(f.finish());
               SR_ASSIGN(auto m, svc.update_member(ctx.request.param("district"), *ctx.identity, id, ch));
               return Response::json(200, member_json(m));
             });

  router.add("DELETE", "/api/v1/districts/{district}/members/{id}", member,
             {"removeDistrictMember",
              "Remove a member (admins), or leave the district",
              "districts",
              false,
              {204, 403, 404, 409}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "member"));
               SR_TRY(svc.remove_member(ctx.request.param("district"), *ctx.identity, id));
               return Response::no_content();
             });

  router.add("POST", "/api/v1/districts/{district}/roster", member,
             {"importRoster",
              "Import people from CSV (email,name,school,role); all or nothing (admins)",
              "districts",
              false,
              {200, 403, 404, 415, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_TRY(http::require_csv(ctx.request, "the roster"));
               const auto dry = ctx.request.query_param("dry_run").value_or("false");
               if (dry != "true" && dry != "false") return Error::validation("dry_run", "must be true or false");
               SR_ASSIGN(auto report, svc.import_roster(ctx.request.param("district"), *ctx.identity, ctx.request.body,
                                                        dry == "true"));
               json::array schools;
               for (const auto& s : report.new_schools) schools.push_back(json::value(s));
               return Response::json(200, json::object{{"added", report.added},
                                                       {"updated", report.updated},
                                                       {"unchanged", report.unchanged},
                                                       {"new_schools", std::move(schools)},
                                                       {"applied", report.applied}});
             });

  router.add("GET", "/api/v1/districts/{district}/roster", member,
             {"exportRoster",
              "The roster as CSV, in the import format (admins)",
              "districts",
              false,
              {200, 403, 404},
              "text/csv"},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto text, svc.export_roster(ctx.request.param("district"), *ctx.identity));
               Response r = Response::text(200, std::move(text), "text/csv; charset=utf-8");
               r.set_header("content-disposition",
                            "attachment; filename=\"" + ctx.request.param("district") + "-roster.csv\"");
               return r;
             });

  router.add("POST", "/api/v1/district-memberships", member,
             {"joinDistrict",
              "Join a district with its code, or by a confirmed address at its domain",
              "districts",
              true,
              {201, 403, 404, 409, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               const auto code = f.optional_string("code", 40);
               const auto district = f.optional_string("district", 80);
               if (!code && !district)
                 f.add_error("code", "send the district's join code, or \"district\" to join by your address");
               SR_TRY(f.finish());
               SR_ASSIGN(auto m,
                         code ? svc.join_by_code(*ctx.identity, *code) : svc.join_by_domain(*ctx.identity, *district));
               return Response::json(201, membership_json(m));
             });

  router.add(
      "GET", "/api/v1/me/districts", member,
      {"myDistricts", "The districts I belong to, and the one my address lets me join", "districts", false, {200}},
      [&svc](Context& ctx) -> HandlerResult {
        SR_ASSIGN(auto list, svc.memberships(*ctx.identity));
        SR_ASSIGN(auto joinable, svc.joinable_by_domain(*ctx.identity));
        json::array items;
        for (const auto& m : list) items.push_back(membership_json(m));
        json::value j = nullptr;
        if (joinable) j = json::object{{"slug", joinable->slug}, {"name", joinable->name}};
        return Response::json(200, json::object{{"memberships", std::move(items)}, {"joinable", j}});
      });
}

}  // namespace staffroom::districts
