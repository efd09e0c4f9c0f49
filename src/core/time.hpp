// Wall-clock time as milliseconds since the Unix epoch, the one representation
// stored in both databases, and its RFC 3339 (UTC) text form for the API.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace staffroom {

using EpochMs = std::int64_t;

EpochMs now_ms();
std::string format_rfc3339(EpochMs ms);     // 2026-08-01T14:00:00Z, or .123Z when ms != 0
std::string format_rfc3339_ms(EpochMs ms);  // always with milliseconds: 2026-08-01T14:00:00.000Z
std::optional<EpochMs> parse_rfc3339(std::string_view text);
// HTTP's IMF-fixdate (RFC 9110): "Sun, 29 Nov 2026 09:38:25 GMT".
std::string format_http_date(EpochMs ms);

}  // namespace staffroom
