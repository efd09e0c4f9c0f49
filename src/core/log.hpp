// Structured logging: one JSON object per line on stdout. Secrets (passwords,
// tokens, cookies, Authorization headers) are never passed to these functions.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>

namespace staffroom::log {

enum class Level { Debug, Info, Warn, Error };

void init(Level min_level);
bool parse_level(std::string_view text, Level& out);
void write(Level level, std::string_view msg, boost::json::object fields = {});
inline void info(std::string_view msg, boost::json::object fields = {}) {
  write(Level::Info, msg, std::move(fields));
}
inline void warn(std::string_view msg, boost::json::object fields = {}) {
  write(Level::Warn, msg, std::move(fields));
}
inline void error(std::string_view msg, boost::json::object fields = {}) {
  write(Level::Error, msg, std::move(fields));
}
bool enabled(Level level);

// The access-log line, one per request: formatted without building a JSON
// object, since it is written for every request on the hot path.
struct RequestLine {
  std::string_view request_id, method, path, route, remote;
  int status = 0;
  std::int64_t duration_us = 0;
  std::size_t bytes = 0;
};
void request(const RequestLine& line);
void flush();

}  // namespace staffroom::log
