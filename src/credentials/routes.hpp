// HTTP routes of the credentials module. Thin: parse, call, answer.
#pragma once

#include <functional>

#include "credentials/service.hpp"
#include "http/router.hpp"

namespace staffroom::credentials {

// `page` answers a browser's GET with the web app (its index.html), for the
// addresses that are both a document and a page (/credentials/{id}).
void add_routes(http::Router& router, CredentialService& svc,
                const std::function<http::Response(const http::Request&)>& page);

}  // namespace staffroom::credentials
