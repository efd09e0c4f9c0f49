#include "core/calendar.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <fmt/format.h>

#include <chrono>

namespace staffroom {

namespace {

const date::time_zone* find_zone(std::string_view name) {
  if (name.empty() || name.size() > 64) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;  // the library reports an unknown zone by throwing
  }
}

bool digits(std::string_view s, std::size_t from, std::size_t n, int& out) {
  out = 0;
  for (std::size_t i = from; i < from + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

using Minutes = std::chrono::minutes;
using Millis = std::chrono::milliseconds;

}  // namespace

std::optional<int> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!digits(s, 0, 4, y) || !digits(s, 5, 2, m) || !digits(s, 8, 2, d)) return std::nullopt;
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<int>(date::sys_days{ymd}.time_since_epoch().count());
}

std::string format_date(int days) {
  const date::year_month_day ymd{date::sys_days{date::days{days}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

int weekday(int days) {
  return static_cast<int>(date::weekday{date::sys_days{date::days{days}}}.c_encoding());
}

bool is_time_zone(std::string_view name) {
  return find_zone(name) != nullptr;
}

std::optional<LocalTime> parse_local_time(std::string_view s) {
  // YYYY-MM-DDTHH:MM or YYYY-MM-DDTHH:MM:SS (seconds must be zero: sessions
  // start on the minute).
  if (s.size() != 16 && s.size() != 19) return std::nullopt;
  auto day = parse_date(s.substr(0, 10));
  if (!day || (s[10] != 'T' && s[10] != ' ') || s[13] != ':') return std::nullopt;
  int h = 0, m = 0, sec = 0;
  if (!digits(s, 11, 2, h) || !digits(s, 14, 2, m) || h > 23 || m > 59) return std::nullopt;
  if (s.size() == 19 && (s[16] != ':' || !digits(s, 17, 2, sec) || sec != 0)) return std::nullopt;
  return LocalTime{*day, h * 60 + m};
}

std::string format_local_time(LocalTime t) {
  return format_date(t.days) + fmt::format("T{:02}:{:02}", t.minutes / 60, t.minutes % 60);
}

std::optional<EpochMs> local_to_utc(LocalTime t, std::string_view zone) {
  const auto* tz = find_zone(zone);
  if (!tz) return std::nullopt;
  const date::local_time<Minutes> local{date::days{t.days} + Minutes{t.minutes}};
  const auto info = tz->get_info(local);
  // unique and ambiguous: the first offset; nonexistent: the offset before the
  // gap, which is also `first`.
  const auto utc = local.time_since_epoch() - std::chrono::duration_cast<Minutes>(info.first.offset);
  return std::chrono::duration_cast<Millis>(utc).count();
}

std::optional<LocalTime> utc_to_local(EpochMs t, std::string_view zone) {
  const auto* tz = find_zone(zone);
  if (!tz) return std::nullopt;
  const date::sys_time<Millis> sys{Millis{t}};
  const auto local = tz->to_local(sys);
  const auto mins = std::chrono::floor<Minutes>(local.time_since_epoch()).count();
  const auto days = static_cast<int>(mins >= 0 ? mins / 1440 : (mins - 1439) / 1440);
  return LocalTime{days, static_cast<int>(mins - static_cast<std::int64_t>(days) * 1440)};
}

std::optional<ZoneHistory> zone_history(std::string_view zone, EpochMs from, EpochMs to) {
  const auto* tz = find_zone(zone);
  if (!tz) return std::nullopt;
  ZoneHistory h;
  auto info = tz->get_info(date::sys_time<Millis>{Millis{from}});
  h.initial_offset_min = static_cast<int>(std::chrono::duration_cast<Minutes>(info.offset).count());
  h.initial_daylight = info.save != Minutes{0};
  h.initial_abbreviation = info.abbrev;
  int previous = h.initial_offset_min;
  // Walk from one period to the next; tz periods end where the next begins.
  for (int guard = 0; guard < 400; ++guard) {
    const auto end_ms = std::chrono::duration_cast<Millis>(info.end.time_since_epoch()).count();
    if (end_ms >= to) break;
    info = tz->get_info(info.end);
    const int offset = static_cast<int>(std::chrono::duration_cast<Minutes>(info.offset).count());
    if (offset == previous) continue;  // only the abbreviation or rule changed
    h.transitions.push_back({end_ms, previous, offset, info.save != Minutes{0}, info.abbrev});
    previous = offset;
  }
  return h;
}

}  // namespace staffroom
