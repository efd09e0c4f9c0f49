// Comma-separated values (RFC 4180): quoted fields may hold commas, quotes
// ("" inside quotes) and line breaks. Each record keeps the line it starts on
// so errors can name it. Reading is strict: an unterminated quote or text
// after a closing quote is an error naming the line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace staffroom::csv {

struct Record {
  int line = 0;  // 1-based line the record starts on
  std::vector<std::string> fields;
};

// Blank lines are skipped; a UTF-8 byte order mark at the start is ignored.
Result<std::vector<Record>> parse(std::string_view text, std::size_t max_records);

// One field, quoted when it holds a comma, quote, or line break, or starts
// with a character a spreadsheet would run as a formula (=, +, -, @), which is
// then prefixed with an apostrophe.
std::string field(std::string_view value);
// Appends a record with CRLF.
void append_row(std::string& out, const std::vector<std::string>& values);

}  // namespace staffroom::csv
