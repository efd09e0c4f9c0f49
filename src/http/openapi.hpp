// Builds the OpenAPI 3.1 document from the router's own route table.
#pragma once

#include <boost/json/value.hpp>
#include <string>

#include "http/router.hpp"

namespace staffroom::http {

boost::json::value openapi_document(const Router& router, const std::string& version);

}  // namespace staffroom::http
