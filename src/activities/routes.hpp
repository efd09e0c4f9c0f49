// HTTP routes of the activities module. Thin: parse, call the service, answer.
#pragma once

#include "activities/service.hpp"
#include "http/router.hpp"

namespace staffroom::activities {

void add_routes(http::Router& router, ActivityService& service);

}  // namespace staffroom::activities
