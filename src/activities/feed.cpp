#include "activities/feed.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/ical.hpp"
#include "core/markdown.hpp"

namespace staffroom::activities {

namespace {

std::string uid_domain(const std::string& public_url) {
  auto start = public_url.find("://");
  std::string host = start == std::string::npos ? public_url : public_url.substr(start + 3);
  host = host.substr(0, host.find('/'));
  host = host.substr(0, host.find(':'));
  return host.empty() ? "staffroom" : host;
}

std::string compact_date(const std::string& iso) {  // 2012-08-01 -> 20120801
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

// The rule for a series: the stored one, but ended by COUNT so it needs no
// UNTIL in UTC (RFC 5545 3.3.10).
std::string feed_rrule(const Activity& a) {
  auto rule = parse_rrule(a.recurrence);
  if (!rule.ok() || !*rule) return {};
  Recurrence r = **rule;
  r.count = static_cast<int>(a.sessions.size());
  r.until_day.reset();
  return r.rrule();
}

std::string description(const Activity& a, const std::string& url) {
  std::string text;
  if (a.status == ActivityStatus::Cancelled) {
    text += "Cancelled";
    if (!a.reason.empty()) text += ": " + a.reason;
    text += "\n\n";
  }
  text += "Hosted by " + a.host.name;
  for (const auto& o : a.co_hosts) {
    if (o.confirmed) text += ", " + o.name;
  }
  text += "\n";
  if (!a.facilitators.empty()) {
    text += "With ";
    for (std::size_t i = 0; i < a.facilitators.size(); ++i) {
      text += (i ? ", " : "") + a.facilitators[i].name;
    }
    text += "\n";
  }
  if (a.pd_minutes > 0) {
    text += fmt::format("Professional learning: {:g} hours\n", a.pd_minutes / 60.0);
  }
  if (!a.join_url.empty()) text += "Join: " + a.join_url + "\n";
  text += "Details: " + url + "\n";
  const auto body = markdown_to_text(a.description);
  if (!body.empty()) text += "\n" + body.substr(0, 4000);
  return text;
}

}  // namespace

std::string render_feed(const std::vector<Activity>& activities, const FeedOptions& options) {
  ical::Writer w;
  w.begin("VCALENDAR");
  w.raw("VERSION", "2.0");
  w.raw("PRODID", "-//Staffroom//Staffroom Catalog//EN");
  w.raw("CALSCALE", "GREGORIAN");
  w.raw("METHOD", "PUBLISH");
  if (!options.name.empty()) w.text("X-WR-CALNAME", options.name);
  w.raw("REFRESH-INTERVAL;VALUE=DURATION", "PT6H");
  w.raw("X-PUBLISHED-TTL", "PT6H");

  // One VTIMEZONE a zone, covering every session in it (a year on each side,
  // so clients that expand rules a little beyond still have the offsets).
  std::map<std::string, std::pair<EpochMs, EpochMs>> zones;
  for (const auto& a : activities) {
    if (a.self_paced() || a.sessions.empty() || a.time_zone == "UTC" || a.time_zone == "Etc/UTC") continue;
    auto [it, added] = zones.try_emplace(a.time_zone, a.first_start, a.last_end);
    it->second.first = std::min(it->second.first, a.first_start);
    it->second.second = std::max(it->second.second, a.last_end);
  }
  constexpr EpochMs kYear = 366LL * 24 * 3600 * 1000;
  for (const auto& [zone, range] : zones) w.time_zone(zone, range.first - kYear, range.second + kYear);

  const auto domain = uid_domain(options.public_url);
  for (const auto& a : activities) {
    const std::string url = options.public_url + "/activities/" + std::to_string(a.id);
    w.begin("VEVENT");
    w.raw("UID", "activity-" + std::to_string(a.id) + "@" + domain);
    w.utc("DTSTAMP", options.stamp);
    w.utc("CREATED", a.created_at);
    w.utc("LAST-MODIFIED", a.updated_at);
    w.raw("SEQUENCE", std::to_string(a.sequence));
    if (a.self_paced()) {
      w.raw("DTSTART;VALUE=DATE", compact_date(a.available_from));
      // DTEND of an all-day event is exclusive: the day after the window.
      const auto until = parse_date(a.available_until);
      w.raw("DTEND;VALUE=DATE", compact_date(format_date(until.value_or(0) + 1)));
      w.raw("TRANSP", "TRANSPARENT");
    } else if (!a.sessions.empty()) {
      const auto& first = a.sessions.front();
      if (zones.contains(a.time_zone)) {
        w.zoned("DTSTART", a.time_zone, first.starts_at);
        w.zoned("DTEND", a.time_zone, first.ends_at);
      } else {
        w.utc("DTSTART", first.starts_at);
        w.utc("DTEND", first.ends_at);
      }
      if (const auto rule = feed_rrule(a); !rule.empty()) w.raw("RRULE", rule);
    }
    w.text("SUMMARY", a.status == ActivityStatus::Cancelled ? "Cancelled: " + a.title : a.title);
    w.text("DESCRIPTION", description(a, url));
    w.text("LOCATION", a.join_url.empty() ? "Online" : a.join_url);
    w.raw("URL", url);
    w.raw("STATUS", a.status == ActivityStatus::Cancelled ? "CANCELLED" : "CONFIRMED");
    std::vector<std::string> categories{a.format};
    for (const auto& t : a.themes) categories.push_back(t);
    std::string cats;
    for (const auto& c : categories) cats += (cats.empty() ? "" : ",") + ical::escape_text(c);
    w.raw("CATEGORIES", cats);
    if (a.status != ActivityStatus::Cancelled && !a.self_paced()) {
      w.begin("VALARM");
      w.raw("ACTION", "DISPLAY");
      w.text("DESCRIPTION", a.title);
      w.raw("TRIGGER", "-PT" + std::to_string(options.reminder_minutes) + "M");
      w.end("VALARM");
    }
    w.end("VEVENT");
  }
  w.end("VCALENDAR");
  return w.take();
}

}  // namespace staffroom::activities
