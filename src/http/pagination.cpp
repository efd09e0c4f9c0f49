#include "http/pagination.hpp"

#include <charconv>

#include "core/crypto.hpp"

namespace staffroom::http {

namespace {
std::optional<std::int64_t> decode_cursor(const std::string& cursor) {
  // Cursors are base64url of "c1:<position>".
  std::string raw;
  raw.reserve(cursor.size());
  static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  unsigned buffer = 0;
  int bits = 0;
  for (char c : cursor) {
    const auto idx = alphabet.find(c);
    if (idx == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(idx);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      raw += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (!raw.starts_with("c1:")) return std::nullopt;
  std::int64_t v = 0;
  const char* first = raw.data() + 3;
  const char* last = raw.data() + raw.size();
  auto [ptr, ec] = std::from_chars(first, last, v);
  if (ec != std::errc() || ptr != last || v < 0) return std::nullopt;
  return v;
}
}  // namespace

std::string encode_cursor(std::int64_t position) {
  return crypto::base64url("c1:" + std::to_string(position));
}

Result<PageRequest> parse_page(const Request& request) {
  PageRequest page;
  if (const auto limit = request.query_param("limit")) {
    const std::string_view text = *limit;
    const char* end = text.data() + text.size();
    int v = 0;
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || ptr != end || v < 1 || v > 100) {
      return Error::bad_request("limit must be a whole number from 1 to 100");
    }
    page.limit = v;
  }
  if (auto cursor = request.query_param("cursor"); cursor && !cursor->empty()) {
    auto pos = decode_cursor(*cursor);
    if (!pos)
      return Error::bad_request("cursor is not one this server gave out; use the 'next' value of a list answer");
    page.position = *pos;
  }
  return page;
}

boost::json::object list_body(boost::json::array items, std::optional<std::int64_t> next_position) {
  boost::json::object o;
  o["items"] = std::move(items);
  if (next_position)
    o["next"] = encode_cursor(*next_position);
  else
    o["next"] = nullptr;
  return o;
}

}  // namespace staffroom::http
