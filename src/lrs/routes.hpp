// HTTP routes of the LRS module: client management under /api/v1 and the
// xAPI resources under /xapi/.
#pragma once

#include "http/router.hpp"
#include "lrs/service.hpp"

namespace staffroom::lrs {

void add_routes(http::Router& router, LrsService& service, const std::string& public_url);

}  // namespace staffroom::lrs
