// HTTP routes of the credentials module. Thin: parse, call, answer.
#pragma once

#include "http/router.hpp"

namespace staffroom::credentials {

void add_routes(http::Router& router);

}  // namespace staffroom::credentials
