// HTTP routes of the catalog module. Thin: parse, call the service, answer.
#pragma once

#include "catalog/service.hpp"
#include "http/router.hpp"

namespace staffroom::catalog {

void add_routes(http::Router& router, CatalogService& service);

}  // namespace staffroom::catalog
