// HTTP routes of the credit module. Thin: parse, call the service, answer.
#pragma once

#include "credit/service.hpp"
#include "http/router.hpp"

namespace staffroom::credit {

void add_routes(http::Router& router, CreditService& service);

}  // namespace staffroom::credit
