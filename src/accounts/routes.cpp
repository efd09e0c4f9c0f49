#include "accounts/routes.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "core/json.hpp"
#include "http/pagination.hpp"

namespace staffroom::accounts {

namespace json = boost::json;
using http::Access;
using http::Context;
using http::HandlerResult;
using http::Response;

namespace {

json::object grant_json(const Grant& g) {
  return {{"id", g.id},
          {"role", g.role},
          {"scope_type", g.scope_type.empty() ? json::value(nullptr) : json::value(g.scope_type)},
          {"scope_id", g.scope_id.empty() ? json::value(nullptr) : json::value(g.scope_id)}};
}

json::object user_json(const User& u) {
  json::array roles;
  for (const auto& g : u.grants) roles.push_back(grant_json(g));
  return {{"id", u.id},
          {"email", u.email},
          {"display_name", u.display_name},
          {"created_at", format_rfc3339(u.created_at)},
          {"roles", std::move(roles)}};
}

json::object token_json(const ApiToken& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"created_at", format_rfc3339(t.created_at)},
          {"last_used_at", t.last_used_at ? json::value(format_rfc3339(*t.last_used_at)) : json::value(nullptr)}};
}

json::object mail_json(const MailMessage& m) {
  return {{"id", m.id},
          {"to", m.recipient},
          {"subject", m.subject},
          {"body", m.body},
          {"created_at", format_rfc3339(m.created_at)}};
}

Result<std::int64_t> id_param(const Context& ctx, std::string_view name) {
  return http::id_param(ctx.request, name, name == "grant_id" ? "role grant" : "record");
}

Response signed_in_response(int status, const SignedIn& s, const RouteOptions& opt) {
  Response r = Response::json(status, json::object{{"user", user_json(s.user)}, {"csrf_token", s.csrf_token}});
  http::CookieOptions session{true, -1, "Lax", opt.secure_cookies};
  http::CookieOptions csrf{false, -1, "Lax", opt.secure_cookies};
  r.add_header("set-cookie", http::set_cookie_value(kSessionCookie, s.session_token, session));
  r.add_header("set-cookie", http::set_cookie_value(kCsrfCookie, s.csrf_token, csrf));
  r.set_header("cache-control", "no-store");
  return r;
}

}  // namespace

void add_routes(http::Router& router, AccountsService& svc, RouteOptions opt) {
  router.add("POST", "/api/v1/accounts", Access::open(),
             {"createAccount", "Sign up: create an account and start a session", "accounts", true, {201, 409, 422}},
             [&svc, opt](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               // Only types are checked here; the service judges every field
               // at once, so one answer names all that needs fixing.
               auto email = f.optional_string("email", kMaxEmailChars).value_or("");
               auto password = f.optional_raw_string("password").value_or("");
               auto name = f.optional_string("display_name", kMaxDisplayNameChars).value_or("");
               SR_TRY(f.finish());
               SR_ASSIGN(auto s, svc.sign_up(email, password, name));
               return signed_in_response(201, s, opt);
             });

  router.add("POST", "/api/v1/sessions", Access::open(),
             {"createSession", "Sign in with email and password", "accounts", true, {200, 401, 429}},
             [&svc, opt](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               auto email = f.required_string("email", kMaxEmailChars);
               auto password = f.required_raw_string("password", kMaxPasswordChars);
               SR_TRY(f.finish());
               SR_ASSIGN(auto s, svc.sign_in(email, password, ctx.request.remote_address));
               return signed_in_response(200, s, opt);
             });

  router.add(
      "DELETE", "/api/v1/sessions/current", Access::signed_in(),
      {"deleteCurrentSession", "Sign out of this session", "accounts", false, {204}},
      [&svc, opt](Context& ctx) -> HandlerResult {
        SR_TRY(svc.sign_out(*ctx.identity));
        Response r = Response::no_content();
        r.add_header("set-cookie", http::set_cookie_value(kSessionCookie, "", {true, 0, "Lax", opt.secure_cookies}));
        r.add_header("set-cookie", http::set_cookie_value(kCsrfCookie, "", {false, 0, "Lax", opt.secure_cookies}));
        return r;
      });

  router.add("GET", "/api/v1/me", Access::signed_in(), {"getMe", "The signed-in account", "accounts", false, {200}},
             [&svc](Context& ctx) -> HandlerResult {
               // The identity was read fresh for this request; no second query.
               const Identity& who = *ctx.identity;
               const User user{who.user_id, who.email, who.display_name, who.created_at, who.grants};
               SR_ASSIGN(auto verified, svc.email_verified_at(who.user_id));
               json::object u = user_json(user);
               u["email_verified_at"] = verified ? json::value(format_rfc3339(*verified)) : json::value(nullptr);
               json::object body{{"user", std::move(u)},
                                 {"csrf_token", who.via_cookie ? json::value(who.csrf_token) : json::value(nullptr)}};
               Response r = Response::json(200, body);
               r.set_header("cache-control", "no-store");
               return r;
             });

  router.add("PATCH", "/api/v1/me", Access::signed_in(),
             {"updateMe", "Change the display name", "accounts", true, {200, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               auto name = f.required_string("display_name", kMaxDisplayNameChars);
               SR_TRY(f.finish());
               SR_ASSIGN(auto user, svc.update_display_name(*ctx.identity, name));
               return Response::json(200, json::object{{"user", user_json(user)}});
             });

  router.add("PUT", "/api/v1/me/password", Access::signed_in(),
             {"changePassword", "Change the password; other sessions end", "accounts", true, {204, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               auto current = f.required_raw_string("current_password", kMaxPasswordChars);
               auto next = f.required_raw_string("new_password", kMaxPasswordChars);
               SR_TRY(f.finish());
               SR_TRY(svc.change_password(*ctx.identity, current, next));
               return Response::no_content();
             });

  router.add("GET", "/api/v1/tokens", Access::signed_in(),
             {"listTokens", "Personal API tokens of the signed-in account", "accounts", false, {200}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto page_req, http::parse_page(ctx.request));
               SR_ASSIGN(auto page, svc.list_tokens(*ctx.identity, page_req.position, page_req.limit));
               return http::page_response(page, token_json);
             });

  router.add("POST", "/api/v1/tokens", Access::signed_in(),
             {"createToken", "Create a personal API token (shown once)", "accounts", true, {201, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               auto name = f.required_string("name", 100);
               SR_TRY(f.finish());
               SR_ASSIGN(auto t, svc.create_token(*ctx.identity, name));
               auto o = token_json(t.token);
               o["token"] = t.secret;
               Response r = Response::json(201, o);
               r.set_header("cache-control", "no-store");
               return r;
             });

  router.add("DELETE", "/api/v1/tokens/{id}", Access::signed_in(),
             {"revokeToken", "Revoke a personal API token", "accounts", false, {204, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, id_param(ctx, "id"));
               SR_TRY(svc.revoke_token(*ctx.identity, id));
               return Response::no_content();
             });

  router.add("POST", "/api/v1/me/email-verification", Access::signed_in(),
             {"sendEmailVerification",
              "Mail a new link that confirms the account's email address",
              "accounts",
              false,
              {202, 409, 429}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_TRY(svc.send_email_verification(*ctx.identity, ctx.request.remote_address));
               return Response::json(202, json::object{{"sent_to", ctx.identity->email}});
             });

  router.add("POST", "/api/v1/email-verifications", Access::open(),
             {"confirmEmail",
              "Confirm an email address with the token from the mailed link",
              "accounts",
              true,
              {200, 400, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               auto token = f.required_raw_string("token", 200);
               SR_TRY(f.finish());
               SR_ASSIGN(auto email, svc.confirm_email(token));
               return Response::json(200, json::object{{"email", email}, {"verified", true}});
             });

  router.add("POST", "/api/v1/password-resets", Access::open(),
             {"requestPasswordReset", "Mail a one-time password reset link", "accounts", true, {202, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               auto email = f.required_string("email", kMaxEmailChars);
               SR_TRY(f.finish());
               SR_TRY(svc.request_password_reset(email, ctx.request.remote_address));
               return Response::json(202, json::object{});
             });

  router.add("POST", "/api/v1/password-resets/confirm", Access::open(),
             {"confirmPasswordReset", "Set a new password with a reset token", "accounts", true, {204, 400, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               auto token = f.required_raw_string("token", 200);
               auto next = f.required_raw_string("new_password", kMaxPasswordChars);
               SR_TRY(f.finish());
               SR_TRY(svc.confirm_password_reset(token, next));
               return Response::no_content();
             });

  router.add("GET", "/api/v1/users", Access::site_admin(),
             {"listUsers", "All accounts with their roles", "administration", false, {200}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto page_req, http::parse_page(ctx.request));
               SR_ASSIGN(auto page, svc.list_users(page_req.position, page_req.limit));
               return http::page_response(page, user_json);
             });

  router.add("POST", "/api/v1/users/{id}/roles", Access::site_admin(),
             {"grantRole", "Grant a role to an account", "administration", true, {201, 404, 409, 422}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, id_param(ctx, "id"));
               SR_ASSIGN(auto body, staffroom::json::parse_object(ctx.request.body));
               staffroom::json::FieldReader f(body);
               auto role = f.required_string("role", 40);
               auto scope_type = f.optional_string("scope_type", 40).value_or("");
               auto scope_id = f.optional_string("scope_id", 200).value_or("");
               SR_TRY(f.finish());
               SR_ASSIGN(auto grant, svc.grant_role(id, role, scope_type, scope_id));
               return Response::json(201, grant_json(grant));
             });

  router.add("DELETE", "/api/v1/users/{id}/roles/{grant_id}", Access::site_admin(),
             {"revokeRole", "Take a role grant away", "administration", false, {204, 404}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto id, id_param(ctx, "id"));
               SR_ASSIGN(auto grant_id, id_param(ctx, "grant_id"));
               SR_TRY(svc.revoke_grant(id, grant_id));
               return Response::no_content();
             });

  router.add("GET", "/api/v1/mail", Access::site_admin(),
             {"listMail", "Mail waiting in the outbox, newest first", "administration", false, {200}},
             [&svc](Context& ctx) -> HandlerResult {
               SR_ASSIGN(auto page_req, http::parse_page(ctx.request));
               SR_ASSIGN(auto page, svc.list_mail(page_req.position, page_req.limit));
               return http::page_response(page, mail_json);
             });
}

}  // namespace staffroom::accounts
