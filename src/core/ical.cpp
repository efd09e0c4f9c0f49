#include "core/ical.hpp"

#include <fmt/format.h>

#include "core/calendar.hpp"

namespace staffroom::ical {

namespace {

std::string basic_local(LocalTime t) {
  const std::string d = format_date(t.days);  // YYYY-MM-DD
  return d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2) +
         fmt::format("T{:02}{:02}00", t.minutes / 60, t.minutes % 60);
}

std::string offset_text(int minutes) {
  const char sign = minutes < 0 ? '-' : '+';
  const int m = minutes < 0 ? -minutes : minutes;
  return fmt::format("{}{:02}{:02}", sign, m / 60, m % 60);
}

}  // namespace

std::string escape_text(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char ch = value[i];
    switch (ch) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\r':
        if (i + 1 < value.size() && value[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        // Other control characters are not allowed in TEXT.
        if (static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f) out.push_back(ch);
    }
  }
  return out;
}

std::string format_utc(EpochMs at) {
  auto local = utc_to_local(at, "UTC");
  return local ? basic_local(*local) + "Z" : std::string("19700101T000000Z");
}

void Writer::line(std::string_view content) {
  // Fold: at most 75 octets a line, continuation lines start with a space
  // (which counts), never inside a UTF-8 sequence.
  std::size_t limit = 75;
  while (content.size() > limit) {
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(content[cut]) & 0xC0) == 0x80) --cut;
    out_.append(content.substr(0, cut));
    out_ += "\r\n ";
    content.remove_prefix(cut);
    limit = 74;
  }
  out_.append(content);
  out_ += "\r\n";
}

void Writer::begin(std::string_view component) {
  line(std::string("BEGIN:").append(component));
}

void Writer::end(std::string_view component) {
  line(std::string("END:").append(component));
}

void Writer::raw(std::string_view name, std::string_view value) {
  line(std::string(name).append(":").append(value));
}

void Writer::text(std::string_view name, std::string_view value) {
  line(std::string(name).append(":").append(escape_text(value)));
}

void Writer::utc(std::string_view name, EpochMs at) {
  raw(name, format_utc(at));
}

void Writer::zoned(std::string_view name, std::string_view zone, EpochMs at) {
  auto local = utc_to_local(at, zone);
  if (!local) {
    utc(name, at);
    return;
  }
  line(std::string(name).append(";TZID=").append(zone).append(":").append(basic_local(*local)));
}

bool Writer::time_zone(std::string_view zone, EpochMs from, EpochMs to) {
  auto history = zone_history(zone, from, to);
  if (!history) return false;
  begin("VTIMEZONE");
  raw("TZID", zone);
  // The offset in force at `from`, then each change. DTSTART of an
  // observance is local time in the offset before it (RFC 5545 3.6.5).
  auto observance = [&](bool daylight, EpochMs at, int offset_from, int offset_to, const std::string& abbrev) {
    const char* kind = daylight ? "DAYLIGHT" : "STANDARD";
    begin(kind);
    const auto wall = utc_to_local(at + static_cast<EpochMs>(offset_from) * 60000, "UTC");
    raw("DTSTART", wall ? basic_local(*wall) : "19700101T000000");
    raw("TZOFFSETFROM", offset_text(offset_from));
    raw("TZOFFSETTO", offset_text(offset_to));
    if (!abbrev.empty() && abbrev.find_first_of(":;,\\\"") == std::string::npos) raw("TZNAME", abbrev);
    end(kind);
  };
  observance(history->initial_daylight, from, history->initial_offset_min, history->initial_offset_min,
             history->initial_abbreviation);
  for (const auto& t : history->transitions) {
    observance(t.daylight, t.at, t.offset_from_min, t.offset_to_min, t.abbreviation);
  }
  end("VTIMEZONE");
  return true;
}

}  // namespace staffroom::ical
