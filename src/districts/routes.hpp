// HTTP routes of the districts module. Thin: parse, call the service, answer.
#pragma once

#include "districts/service.hpp"
#include "http/router.hpp"

namespace staffroom::districts {

void add_routes(http::Router& router, DistrictService& service);

}  // namespace staffroom::districts
