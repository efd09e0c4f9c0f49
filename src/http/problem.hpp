// The one place where an Error becomes an HTTP answer: RFC 9457
// application/problem+json with the status from core/error.hpp.
#pragma once

#include "core/error.hpp"
#include "http/message.hpp"

namespace staffroom::http {

Response problem_response(const Error& error, std::string_view instance, std::string_view request_id);

}  // namespace staffroom::http
