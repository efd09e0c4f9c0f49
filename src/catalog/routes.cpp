#include "catalog/routes.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "http/pagination.hpp"

namespace staffroom::catalog {

namespace json = boost::json;
using http::Access;
using http::Context;
using http::HandlerResult;
using http::Response;

namespace {

json::object campaign_json(const Campaign& c) {
  json::array themes;
  for (const auto& t : c.themes) {
    themes.push_back(
        json::object{{"title", t.title}, {"summary", t.summary}, {"starts_on", t.starts_on}, {"ends_on", t.ends_on}});
  }
  json::array tags;
  for (const auto& h : c.hashtags) tags.push_back(json::value(h));
  return {{"id", c.id},
          {"slug", c.slug},
          {"name", c.name},
          {"description", c.description},
          {"starts_on", c.starts_on},
          {"ends_on", c.ends_on},
          {"time_zone", c.time_zone},
          {"themes", std::move(themes)},
          {"hashtags", std::move(tags)},
          {"created_at", format_rfc3339(c.created_at)},
          {"updated_at", format_rfc3339(c.updated_at)}};
}

json::object organization_json(const Organization& o) {
  return {{"id", o.id},
          {"slug", o.slug},
          {"name", o.name},
          {"kind", o.kind},
          {"website", o.website},
          {"logo_url", o.logo_url},
          {"description", o.description},
          {"created_at", format_rfc3339(o.created_at)}};
}

json::object application_json(const Application& a, bool with_contact) {
  auto org = organization_json(a.organization);
  if (with_contact) org["contact_email"] = a.organization.contact_email;
  return {{"organization", std::move(org)},
          {"status", to_string(a.status)},
          {"reason", a.reason},
          {"applied_at", format_rfc3339(a.applied_at)},
          {"decided_at", a.decided_at ? json::value(format_rfc3339(*a.decided_at)) : json::value(nullptr)}};
}

// Reads "themes": [{title, summary, starts_on, ends_on}] when present.
std::optional<std::vector<Theme>> read_themes(const json::object& body, staffroom::json::FieldReader& f) {
  auto it = body.find("themes");
  if (it == body.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_array()) {
    f.add_error("themes", "must be a list of {title, summary, starts_on, ends_on}");
    return std::nullopt;
  }
  std::vector<Theme> out;
  const auto& arr = it->value().as_array();
  if (arr.size() > 20) f.add_error("themes", "can have at most 20 themes");
  for (std::size_t i = 0; i < arr.size() && i < 20; ++i) {
    const std::string at = "themes[" + std::to_string(i) + "]";
    if (!arr[i].is_object()) {
      f.add_error(at, "must be an object with title, summary, starts_on and ends_on");
      continue;
    }
    staffroom::json::FieldReader t(arr[i].as_object());
    Theme theme;
    theme.title = t.required_string("title", 200);
    theme.summary = t.optional_string("summary", 2000).value_or("");
    theme.starts_on = t.required_string("starts_on", 10);
    theme.ends_on = t.required_string("ends_on", 10);
    if (auto s = t.finish(); !s.ok()) {
      for (const auto& e : s.error().fields) f.add_error(at + "." + e.field, e.message);
    }
    out.push_back(std::move(theme));
  }
  return out;
}

std::optional<std::vector<std::string>> read_hashtags(const json::object& body, staffroom::json::FieldReader& f) {
  auto it = body.find("hashtags");
  if (it == body.end() || it->value().is_null()) return std::nullopt;
  if (!it->value().is_array()) {
    f.add_error("hashtags", "must be a list of hashtags like [\"#CE12\"]");
    return std::nullopt;
  }
  std::vector<std::string> out;
  const auto& arr = it->value().as_array();
  if (arr.size() > 20) f.add_error("hashtags", "can have at most 20 hashtags");
  for (std::size_t i = 0; i < arr.size() && i < 20; ++i) {
    if (!arr[i].is_string()) {
      f.add_error("hashtags[" + std::to_string(i) + "]", "must be a string");
      continue;
    }
    out.emplace_back(arr[i].as_string());
  }
  return out;
}

Result<std::optional<PartnerStatus>> status_filter(const http::Request& r) {
  auto s = r.query_param("status");
  if (!s || s->empty()) return std::optional<PartnerStatus>();
  auto st = parse_partner_status(*s);
  if (!st) return Error::bad_request("status must be pending, approved or declined");
  return std::optional(*st);
}

}  // namespace

void add_routes(http::Router& router, CatalogService& svc) {
  const auto organizer = Access::scoped("campaign_organizer", "campaign", "campaign");

  router.add("GET", "/api/v1/campaigns", Access::open(), {"listCampaigns", "All campaigns", "catalog", false, {200}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto page_req, http::parse_page(ctx.request));
               SR_ASSIGN(auto page, svc.list_campaigns(page_req.position, page_req.limit));
               return http::page_response(page, campaign_json);
             });

  router.add("POST", "/api/v1/campaigns", Access::site_admin(),
             {"createCampaign", "Create a campaign", "catalog", true, {201, 409, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               Campaign c;
               c.slug = f.required_string("slug", 80);
               c.name = f.required_string("name", 200);
               c.description = f.optional_string("description", 20000).value_or("");
               c.starts_on = f.required_string("starts_on", 10);
               c.ends_on = f.required_string("ends_on", 10);
               c.time_zone = f.required_string("time_zone", 64);
               c.themes = read_themes(body, f).value_or(std::vector<Theme>{});
               c.hashtags = read_hashtags(body, f).value_or(std::vector<std::string>{});
               SR_TRY(f.finish());
               SR_ASSIGN(auto created, svc.create_campaign(std::move(c)));
               Response r = Response::json(201, campaign_json(created));
               r.set_header("location", "/api/v1/campaigns/" + created.slug);
               return r;
             });

  router.add("GET", "/api/v1/campaigns/{campaign}", Access::open(),
             {"getCampaign", "One campaign with its themes and hashtags", "catalog", false, {200, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto c, svc.get_campaign(ctx.request.param("campaign")));
               return Response::json(200, campaign_json(c));
             });

  router.add("PATCH", "/api/v1/campaigns/{campaign}", organizer,
             {"updateCampaign", "Change a campaign (its organizers)", "catalog", true, {200, 404, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               CampaignChanges ch;
               ch.name = f.optional_string("name", 200);
               ch.description = f.optional_string("description", 20000);
               ch.starts_on = f.optional_string("starts_on", 10);
               ch.ends_on = f.optional_string("ends_on", 10);
               ch.time_zone = f.optional_string("time_zone", 64);
               ch.themes = read_themes(body, f);
               ch.hashtags = read_hashtags(body, f);
               SR_TRY(f.finish());
               SR_ASSIGN(auto c, svc.update_campaign(ctx.request.param("campaign"), ch));
               return Response::json(200, campaign_json(c));
             });

  router.add("POST", "/api/v1/campaigns/{campaign}/applications", Access::signed_in(),
             {"applyToCampaign", "Apply to take part as a partner organization", "catalog", true, {201, 403, 409, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               auto it = body.find("organization");
               if (it == body.end() || !it->value().is_object()) {
                 return Error::validation("organization",
                                          "is required: {slug, name, kind, website, logo_url, description, "
                                          "contact_email}");
               }
               staffroom::json::FieldReader f(it->value().as_object());
               Organization o;
               // Types here; the service judges every rule at once.
               o.slug = f.optional_string("slug", 80).value_or("");
               o.name = f.optional_string("name", 200).value_or("");
               o.kind = f.optional_string("kind", 40).value_or("");
               o.website = f.optional_string("website", 500).value_or("");
               o.logo_url = f.optional_string("logo_url", 500).value_or("");
               o.description = f.optional_string("description", 5000).value_or("");
               o.contact_email = f.optional_string("contact_email", 254).value_or("");
               if (auto s = f.finish(); !s.ok()) {
                 Error e = std::move(s).error();
                 for (auto& fe : e.fields) fe.field = "organization." + fe.field;
                 return Error::validation(std::move(e.fields));
               }
               SR_ASSIGN(auto app, svc.apply(ctx.request.param("campaign"), *ctx.identity, std::move(o)));
               return Response::json(201, application_json(app, true));
             });

  router.add("GET", "/api/v1/campaigns/{campaign}/applications", organizer,
             {"listApplications", "Partner applications, for the campaign's organizers", "catalog", false, {200}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto page_req, http::parse_page(ctx.request));
               SR_ASSIGN(auto status, status_filter(ctx.request));
               SR_ASSIGN(auto page, svc.list_applications(ctx.request.param("campaign"), status, page_req.position,
                                                          page_req.limit));
               return http::page_response(page, [](const auto& a) { return application_json(a, true); });
             });

  router.add("POST", "/api/v1/campaigns/{campaign}/applications/{organization}/decision", organizer,
             {"decideApplication", "Approve or decline a partner application", "catalog", true, {200, 404, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               const auto decision_text = f.required_string("decision", 20);
               const auto reason = f.optional_string("reason", 2000).value_or("");
               SR_TRY(f.finish());
               std::optional<PartnerStatus> decision;
               if (decision_text == "approve") decision = PartnerStatus::Approved;
               if (decision_text == "decline") decision = PartnerStatus::Declined;
               if (!decision) return Error::validation("decision", "must be \"approve\" or \"decline\"");
               SR_ASSIGN(auto app, svc.decide(ctx.request.param("campaign"), ctx.request.param("organization"),
                                              *decision, reason, *ctx.identity));
               return Response::json(200, application_json(app, true));
             });

  router.add("GET", "/api/v1/campaigns/{campaign}/organizations", Access::open(),
             {"listPartners", "The campaign's approved partner organizations", "catalog", false, {200, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto page_req, http::parse_page(ctx.request));
               SR_ASSIGN(auto page, svc.list_applications(ctx.request.param("campaign"), PartnerStatus::Approved,
                                                          page_req.position, page_req.limit));
               return http::page_response(page, [](const auto& a) { return organization_json(a.organization); });
             });

  router.add("GET", "/api/v1/organizations/{organization}", Access::open(),
             {"getOrganization", "One organization", "catalog", false, {200, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto o, svc.get_organization(ctx.request.param("organization")));
               return Response::json(200, organization_json(o));
             });

  const auto staff = Access::scoped("org_staff", "organization", "organization");
  auto invitation_json = [](const Invitation& i) {
    return json::object{{"id", i.id},
                        {"email", i.email},
                        {"created_at", format_rfc3339(i.created_at)},
                        {"expires_at", format_rfc3339(i.expires_at)}};
  };

  router.add(
      "GET", "/api/v1/organizations/{organization}/staff", staff,
      {"listStaff", "Staff of an organization and pending invitations", "catalog", false, {200, 404}},
      [&svc, invitation_json](Context& ctx) -> HandlerResult {
        SR_ASSIGN(auto list, svc.staff(ctx.request.param("organization")));
        json::array people, invitations;
        for (const auto& m : list.staff) {
          people.push_back(json::object{{"user_id", m.user_id}, {"email", m.email}, {"display_name", m.display_name}});
        }
        for (const auto& i : list.invitations) invitations.push_back(invitation_json(i));
        return Response::json(200, json::object{{"staff", std::move(people)}, {"invitations", std::move(invitations)}});
      });

  router.add("POST", "/api/v1/organizations/{organization}/invitations", staff,
             {"inviteStaff", "Invite a colleague to the organization's staff", "catalog", true, {201, 409, 422}},
             [&svc, invitation_json](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               const auto email = f.required_string("email", 254);
               SR_TRY(f.finish());
               SR_ASSIGN(auto inv, svc.invite(ctx.request.param("organization"), email, *ctx.identity));
               return Response::json(201, invitation_json(inv));
             });

  router.add("DELETE", "/api/v1/organizations/{organization}/invitations/{id}", staff,
             {"withdrawInvitation", "Withdraw a pending invitation", "catalog", false, {204, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "invitation"));
               SR_TRY(svc.withdraw_invitation(ctx.request.param("organization"), id));
               return Response::no_content();
             });

  router.add("DELETE", "/api/v1/organizations/{organization}/staff/{user_id}", staff,
             {"removeStaff", "Remove someone from the organization's staff", "catalog", false, {204, 404, 409}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "user_id", "staff member"));
               SR_TRY(svc.remove_staff(ctx.request.param("organization"), id, *ctx.identity));
               return Response::no_content();
             });

  router.add(
      "POST", "/api/v1/invitations/accept", Access::signed_in(),
      {"acceptInvitation", "Join an organization's staff with an invitation link", "catalog", true, {200, 400, 403}},
      [&svc](Context& ctx) -> HandlerResult {
        SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
        staffroom::json::FieldReader f(body);
        const auto token = f.required_string("token", 200);
        SR_TRY(f.finish());
        SR_ASSIGN(auto org, svc.accept_invitation(token, *ctx.identity));
        return Response::json(200, json::object{{"organization", organization_json(org)}, {"role", "org_staff"}});
      });
}

}  // namespace staffroom::catalog
