// Reading JSON request bodies with errors a person can act on. Field readers
// collect every problem, so one answer names all the fields to fix.
#pragma once

#include <boost/json/fwd.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace staffroom::json {

// Parses a body that must be one JSON object. Syntax errors are BadRequest
// with the position; any other top-level value is a Validation error.
Result<boost::json::object> parse_object(std::string_view body);

class FieldReader {
 public:
  explicit FieldReader(const boost::json::object& object) : object_(object) {}

  // A string that must be present and non-empty after trimming; longer than
  // max_chars (UTF-8 code points) is an error.
  std::string required_string(std::string_view name, std::size_t max_chars = 1000);
  // Like required_string but keeps surrounding spaces (passwords).
  std::string required_raw_string(std::string_view name, std::size_t max_chars = 1000);
  std::optional<std::string> optional_string(std::string_view name, std::size_t max_chars = 1000);
  // A string kept exactly as sent (no trimming, no length check).
  std::optional<std::string> optional_raw_string(std::string_view name);
  std::optional<std::int64_t> optional_int(std::string_view name);
  void add_error(std::string field, std::string message);
  bool has(std::string_view name) const;

  // Ok when no field had a problem, otherwise one Validation error naming all.
  Status finish() const;

 private:
  const boost::json::value* get(std::string_view name) const;
  std::optional<std::string> read_string(std::string_view name, std::size_t max_chars, bool trimmed);
  std::string required(std::string_view name, std::size_t max_chars, bool trimmed);
  const boost::json::object& object_;
  std::vector<FieldError> errors_;
};

std::size_t utf8_length(std::string_view s);
std::string trim(std::string_view s);
// ASCII letters lower-cased; other bytes (UTF-8 included) kept as they are.
std::string lower_ascii(std::string_view s);
// "Ada Lovelace (ISTE)" -> "ada-lovelace-iste": lower-case letters and digits
// joined by single hyphens, at most max_chars long; "" when nothing is left.
std::string slugify(std::string_view name, std::size_t max_chars = 60);
std::string serialize(const boost::json::value& v);

// Parses any JSON value with every number that is not an integer read to the
// nearest double, as JavaScript and RFC 8785 read it. Boost.JSON 1.81 can be
// one unit in the last place off for long decimals, which is harmless for
// most input but changes what a signed credential says, so signatures made
// elsewhere would not verify. Errors name the problem; max_depth bounds
// nesting.
Result<boost::json::value> parse_exact(std::string_view text, std::size_t max_depth = 64);

}  // namespace staffroom::json
