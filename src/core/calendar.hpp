// Calendar dates and IANA time zones, on Howard Hinnant's date library over
// the system's tz database (Debian's tzdata).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace staffroom {

// Days since 1970-01-01 for a valid YYYY-MM-DD, otherwise nullopt.
std::optional<int> parse_date(std::string_view text);
bool is_time_zone(std::string_view name);

}  // namespace staffroom
