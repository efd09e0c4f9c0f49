// Cursor pagination for list endpoints: ?limit=N (1..100, default 20) and
// ?cursor=<opaque>. Cursors wrap a position (an id) so clients cannot depend
// on their shape.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>

#include "core/error.hpp"
#include "http/message.hpp"

namespace staffroom::http {

struct PageRequest {
  int limit = 20;
  std::int64_t position = 0;  // 0: from the start
};

Result<PageRequest> parse_page(const Request& request);
std::string encode_cursor(std::int64_t position);
// {"items": items, "next": cursor-or-null}
boost::json::object list_body(boost::json::array items, std::optional<std::int64_t> next_position);

}  // namespace staffroom::http
