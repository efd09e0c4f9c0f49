// Cursor pagination for list endpoints: ?limit=N (1..100, default 20) and
// ?cursor=<opaque>. Cursors wrap a position (an id) so clients cannot depend
// on their shape.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>

#include "core/error.hpp"
#include "core/page.hpp"
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

// 200 with a page of items, each turned into JSON by to_json.
template <class T, class ToJson>
Response page_response(const Page<T>& page, ToJson to_json) {
  boost::json::array items;
  items.reserve(page.items.size());
  for (const auto& item : page.items) items.push_back(to_json(item));
  return Response::json(200, list_body(std::move(items), page.next_after));
}

}  // namespace staffroom::http
