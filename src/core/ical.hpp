// Writing iCalendar (RFC 5545) text: content lines folded at 75 octets
// without splitting a UTF-8 character, CRLF line ends, TEXT values escaped,
// and VTIMEZONE components built from the tz database.
#pragma once

#include <string>
#include <string_view>

#include "core/time.hpp"

namespace staffroom::ical {

class Writer {
 public:
  void begin(std::string_view component);
  void end(std::string_view component);
  // A property whose value is written as it is (dates, numbers, RRULE).
  void raw(std::string_view name, std::string_view value);
  // A TEXT property: backslash, semicolon, comma and line breaks escaped.
  void text(std::string_view name, std::string_view value);
  // A UTC date-time: 20120807T230000Z.
  void utc(std::string_view name, EpochMs at);
  // A date-time in a zone the calendar defines with a VTIMEZONE:
  // NAME;TZID=America/New_York:20120807T190000.
  void zoned(std::string_view name, std::string_view zone, EpochMs at);
  // A whole VTIMEZONE for `zone` with every offset change in [from, to).
  // False for an unknown zone (nothing written).
  bool time_zone(std::string_view zone, EpochMs from, EpochMs to);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void line(std::string_view content);
  std::string out_;
};

std::string escape_text(std::string_view value);
std::string format_utc(EpochMs at);  // 20120807T230000Z

}  // namespace staffroom::ical
