// HTTP routes of the accounts module. Thin: parse, call the service, answer.
#pragma once

#include "accounts/service.hpp"
#include "http/router.hpp"

namespace staffroom::accounts {

inline constexpr const char* kSessionCookie = "sr_session";
inline constexpr const char* kCsrfCookie = "sr_csrf";

struct RouteOptions {
  bool secure_cookies = false;  // true when served over https
};

void add_routes(http::Router& router, AccountsService& service, RouteOptions options);

}  // namespace staffroom::accounts
