// Converts a parsed Beast request into the plain http::Request that handlers
// see. Included only by the server and the fuzz target, to keep Beast out of
// every other translation unit.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>

#include "http/message.hpp"

namespace staffroom::http {

// False when the request target is not a valid origin-form path.
inline bool from_beast(boost::beast::http::request<boost::beast::http::string_body>&& msg, Request& out) {
  out.method = std::string(msg.method_string());
  out.headers.reserve(16);
  for (const auto& f : msg) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.push_back({std::move(name), std::string(f.value())});
  }
  out.body = std::move(msg.body());
  return out.set_target(msg.target());
}

}  // namespace staffroom::http
