#include "lrs/routes.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "http/pagination.hpp"

namespace staffroom::lrs {

namespace json = boost::json;
using http::Access;
using http::Context;
using http::HandlerResult;
using http::Response;

namespace {

json::object client_json(const Client& c) {
  json::array scopes;
  for (const auto& s : c.scopes) scopes.emplace_back(s);
  auto when = [](const std::optional<EpochMs>& t) {
    return t ? json::value(format_rfc3339(*t)) : json::value(nullptr);
  };
  return {{"id", c.id},
          {"name", c.name},
          {"key", c.key},
          {"scopes", std::move(scopes)},
          {"created_at", format_rfc3339(c.created_at)},
          {"last_used_at", when(c.last_used_at)},
          {"revoked_at", when(c.revoked_at)}};
}

}  // namespace

void add_routes(http::Router& router, LrsService& svc, const std::string& public_url) {
  const auto staff = Access::scoped("org_staff", "organization", "organization");
  const std::string endpoint = public_url + "/xapi/";

  router.add("GET", "/api/v1/organizations/{organization}/lrs-clients", staff,
             {"listLrsClients", "The organization's LRS clients", "lrs", false, {200, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto list, svc.list_clients(ctx.request.param("organization")));
               json::array items;
               for (const auto& c : list) items.push_back(client_json(c));
               return Response::json(200, http::list_body(std::move(items), std::nullopt));
             });

  router.add(
      "POST", "/api/v1/organizations/{organization}/lrs-clients", staff,
      {"createLrsClient", "A key and secret for a platform that reports xAPI statements", "lrs", true, {201, 404, 422}},
      [&svc, endpoint](Context& ctx) -> HandlerResult {
        SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
        staffroom::json::FieldReader f(body);
        const auto name = f.optional_string("name", 200).value_or("");
        std::vector<std::string> scopes = default_scopes();
        if (auto it = body.find("scopes"); it != body.end() && !it->value().is_null()) {
          scopes.clear();
          if (!it->value().is_array()) {
            f.add_error("scopes", "must be a list like [\"statements/write\"]");
          } else {
            for (const auto& v : it->value().as_array()) {
              if (v.is_string() && v.as_string().size() < 100) {
                scopes.emplace_back(v.as_string());
              } else {
                f.add_error("scopes", "must be a list of scope names");
                break;
              }
            }
          }
        }
        SR_TRY(f.finish());
        SR_ASSIGN(auto created,
                  svc.create_client(ctx.request.param("organization"), name, std::move(scopes), ctx.identity->user_id));
        auto out = client_json(created.client);
        out["secret"] = created.secret;
        out["endpoint"] = endpoint;
        return Response::json(201, out);
      });

  router.add("DELETE", "/api/v1/organizations/{organization}/lrs-clients/{id}", staff,
             {"revokeLrsClient", "Revoke an LRS client's key", "lrs", false, {204, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, http::id_param(ctx.request, "id", "LRS client"));
               SR_TRY(svc.revoke_client(ctx.request.param("organization"), id));
               return Response::no_content();
             });
}

}  // namespace staffroom::lrs
