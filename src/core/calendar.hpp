// Calendar dates, local wall times and IANA time zones, on Howard Hinnant's
// date library over the system's tz database (Debian's tzdata).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace staffroom {

// Days since 1970-01-01 for a valid YYYY-MM-DD, otherwise nullopt.
std::optional<int> parse_date(std::string_view text);
std::string format_date(int days);  // YYYY-MM-DD
int weekday(int days);              // 0 = Sunday .. 6 = Saturday
bool is_time_zone(std::string_view name);

// A wall-clock time without a zone: "2012-08-07T19:00" (seconds optional).
struct LocalTime {
  int days = 0;     // since 1970-01-01
  int minutes = 0;  // since midnight
};
std::optional<LocalTime> parse_local_time(std::string_view text);
std::string format_local_time(LocalTime t);  // 2012-08-07T19:00

// The UTC instant of a wall time in a zone. A time skipped by a
// daylight-saving change is read with the offset in force before the change
// (RFC 5545 3.3.5, so 02:30 on a spring-forward night means 03:30); a
// repeated time means its first occurrence. Nullopt for an unknown zone.
std::optional<EpochMs> local_to_utc(LocalTime t, std::string_view zone);
// The wall time of an instant in a zone.
std::optional<LocalTime> utc_to_local(EpochMs t, std::string_view zone);

// One offset change of a zone, for an iCalendar VTIMEZONE.
struct ZoneTransition {
  EpochMs at = 0;            // the UTC instant it takes effect
  int offset_from_min = 0;   // UTC offset before, in minutes
  int offset_to_min = 0;     // and after
  bool daylight = false;     // whether the new offset is daylight-saving time
  std::string abbreviation;  // EDT, CET, ...
};
struct ZoneHistory {
  int initial_offset_min = 0;  // in force at `from`
  bool initial_daylight = false;
  std::string initial_abbreviation;
  std::vector<ZoneTransition> transitions;  // within [from, to)
};
std::optional<ZoneHistory> zone_history(std::string_view zone, EpochMs from, EpochMs to);

}  // namespace staffroom
