#include "activities/model.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

#include "accounts/model.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/markdown.hpp"

namespace staffroom::activities {

namespace {

constexpr std::string_view kDayCodes[] = {"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

template <std::size_t N>
bool one_of(std::string_view v, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

template <std::size_t N>
std::string listing(const std::string_view (&list)[N]) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (i) out += i + 1 == N ? " or " : ", ";
    out += list[i];
  }
  return out;
}

bool parse_int(std::string_view s, int& out) {
  if (s.empty() || s.size() > 6) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

bool is_language_tag(std::string_view s) {
  // A simple BCP 47 shape: a 2-3 letter language, then subtags of 2-8
  // letters or digits ("en", "es-MX", "zh-Hant").
  if (s.empty() || s.size() > 35) return false;
  std::size_t i = 0, start = 0;
  bool first = true;
  while (i <= s.size()) {
    if (i == s.size() || s[i] == '-') {
      const std::size_t n = i - start;
      if (first ? (n < 2 || n > 3) : (n < 2 || n > 8)) return false;
      for (std::size_t k = start; k < i; ++k) {
        const char c = s[k];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (first ? !alpha : !(alpha || (c >= '0' && c <= '9'))) return false;
      }
      first = false;
      start = i + 1;
    }
    ++i;
  }
  return true;
}

void check_list(std::string_view field, std::vector<std::string>& values, std::size_t max,
                const std::function<std::optional<std::string>(std::string&)>& check, std::vector<FieldError>& errors) {
  if (values.size() > max) {
    errors.push_back({std::string(field), "can have at most " + std::to_string(max) + " entries"});
    return;
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (auto problem = check(values[i])) {
      errors.push_back({std::string(field) + "[" + std::to_string(i) + "]", *problem});
    }
  }
  std::vector<std::string> unique;
  for (auto& v : values) {
    if (std::find(unique.begin(), unique.end(), v) == unique.end()) unique.push_back(v);
  }
  values = std::move(unique);
}

}  // namespace

bool is_format(std::string_view f) {
  return one_of(f, kFormats);
}

bool allows_self_paced(std::string_view f) {
  return f == "online_course" || f == "forum_discussion" || f == "self_paced";
}

std::string_view to_string(ActivityStatus s) {
  switch (s) {
    case ActivityStatus::Draft:
      return "draft";
    case ActivityStatus::Submitted:
      return "submitted";
    case ActivityStatus::Approved:
      return "approved";
    case ActivityStatus::Declined:
      return "declined";
    case ActivityStatus::Cancelled:
      return "cancelled";
  }
  return "draft";
}

std::optional<ActivityStatus> parse_status(std::string_view s) {
  for (auto st : {ActivityStatus::Draft, ActivityStatus::Submitted, ActivityStatus::Approved, ActivityStatus::Declined,
                  ActivityStatus::Cancelled}) {
    if (to_string(st) == s) return st;
  }
  return std::nullopt;
}

std::string Recurrence::rrule() const {
  std::string out = "FREQ=WEEKLY";
  if (interval > 1) out += ";INTERVAL=" + std::to_string(interval);
  if (weekdays) {
    out += ";BYDAY=";
    bool first = true;
    for (int d : {1, 2, 3, 4, 5, 6, 0}) {
      if (!(weekdays & (1u << d))) continue;
      if (!first) out += ",";
      out += kDayCodes[d];
      first = false;
    }
  }
  if (count) {
    out += ";COUNT=" + std::to_string(count);
  } else if (until_day) {
    const auto d = format_date(*until_day);
    out += ";UNTIL=" + d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2);
  }
  return out;
}

Result<std::optional<Recurrence>> parse_rrule(std::string_view text) {
  auto fail = [](std::string message) { return Error::validation("recurrence", std::move(message)); };
  if (text.starts_with("RRULE:")) text.remove_prefix(6);
  if (text.empty()) return std::optional<Recurrence>();
  Recurrence r;
  bool weekly = false, has_count = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto semi = text.find(';', pos);
    if (semi == std::string_view::npos) semi = text.size();
    const auto part = text.substr(pos, semi - pos);
    pos = semi + 1;
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) return fail("'" + std::string(part) + "' is not NAME=VALUE");
    const auto key = part.substr(0, eq), value = part.substr(eq + 1);
    if (key == "FREQ") {
      if (value != "WEEKLY") {
        return fail("only weekly series are supported (FREQ=WEEKLY); make separate activities for other patterns");
      }
      weekly = true;
    } else if (key == "INTERVAL") {
      if (!parse_int(value, r.interval) || r.interval < 1 || r.interval > 4) {
        return fail("INTERVAL must be 1 to 4 (every week up to every fourth week)");
      }
    } else if (key == "COUNT") {
      if (!parse_int(value, r.count) || r.count < 1 || r.count > kMaxSessions) {
        return fail("COUNT must be 1 to " + std::to_string(kMaxSessions));
      }
      has_count = true;
    } else if (key == "UNTIL") {
      // YYYYMMDD or YYYYMMDDTHHMMSSZ; the date is what counts.
      if (value.size() != 8 && value.size() != 16) return fail("UNTIL must be a date like 20120831");
      const std::string iso = std::string(value.substr(0, 4)) + "-" + std::string(value.substr(4, 2)) + "-" +
                              std::string(value.substr(6, 2));
      auto day = parse_date(iso);
      if (!day) return fail("UNTIL must be a date like 20120831");
      r.until_day = *day;
    } else if (key == "BYDAY") {
      std::size_t p = 0;
      while (p <= value.size()) {
        auto comma = value.find(',', p);
        if (comma == std::string_view::npos) comma = value.size();
        const auto code = value.substr(p, comma - p);
        p = comma + 1;
        const auto* it = std::find(std::begin(kDayCodes), std::end(kDayCodes), code);
        if (it == std::end(kDayCodes)) return fail("BYDAY takes weekdays like MO,WE (SU MO TU WE TH FR SA)");
        r.weekdays |= 1u << static_cast<unsigned>(it - std::begin(kDayCodes));
      }
    } else if (key == "WKST") {
      if (value != "MO") return fail("only WKST=MO is supported");
    } else {
      return fail(std::string(key) + " is not supported; use FREQ=WEEKLY with INTERVAL, BYDAY and COUNT or UNTIL");
    }
  }
  if (!weekly) return fail("FREQ=WEEKLY is required");
  if (has_count && r.until_day) return fail("give COUNT or UNTIL, not both");
  if (!has_count && !r.until_day) return fail("a recurrence needs an end: add COUNT=n or UNTIL=YYYYMMDD");
  return std::optional(r);
}

std::vector<Session> expand(LocalTime start, int duration_minutes, const std::optional<Recurrence>& rule,
                            std::string_view zone) {
  std::vector<Session> out;
  const EpochMs length = static_cast<EpochMs>(duration_minutes) * 60000;
  auto add = [&](int day) {
    if (auto s = local_to_utc({day, start.minutes}, zone)) out.push_back({*s, *s + length});
  };
  if (!rule) {
    add(start.days);
    return out;
  }
  const unsigned mask = rule->weekdays ? rule->weekdays : 1u << static_cast<unsigned>(weekday(start.days));
  // Weeks start on Monday (WKST=MO), which matters for INTERVAL > 1.
  const int week0 = start.days - (weekday(start.days) + 6) % 7;
  const std::size_t limit = rule->count ? static_cast<std::size_t>(rule->count) : kMaxSessions;
  for (int w = 0; w < kMaxSessions * 4 * 7; w += rule->interval * 7) {
    for (int d = 0; d < 7; ++d) {
      const int day = week0 + w + d;
      if (day < start.days || !(mask & (1u << static_cast<unsigned>(weekday(day))))) continue;
      if ((rule->until_day && day > *rule->until_day) || out.size() >= limit) return out;
      add(day);
    }
  }
  return out;
}

bool Activity::co_hosted() const {
  return std::any_of(co_hosts.begin(), co_hosts.end(), [](const OrgRef& o) { return o.confirmed; });
}

std::vector<FieldError> apply_input(Activity& a, const ActivityInput& in, const catalog::Campaign& campaign) {
  std::vector<FieldError> errors;
  auto error = [&](std::string field, std::string message) {
    errors.push_back({std::move(field), std::move(message)});
  };

  if (in.title) a.title = json::trim(*in.title);
  if (in.description) a.description = *in.description;
  if (in.format) a.format = *in.format;
  if (in.time_zone) a.time_zone = json::trim(*in.time_zone);
  if (a.time_zone.empty()) a.time_zone = campaign.time_zone;
  if (in.start) a.start = json::trim(*in.start);
  if (in.duration_minutes) a.duration_minutes = *in.duration_minutes;
  if (in.recurrence) a.recurrence = json::trim(*in.recurrence);
  if (in.available_from) a.available_from = json::trim(*in.available_from);
  if (in.available_until) a.available_until = json::trim(*in.available_until);
  if (in.join_url) a.join_url = json::trim(*in.join_url);
  if (in.capacity) a.capacity = *in.capacity;
  if (in.audience) a.audience = *in.audience;
  if (in.themes) a.themes = *in.themes;
  if (in.language) a.language = json::trim(*in.language);
  if (in.accessibility) a.accessibility = *in.accessibility;

  if (a.title.empty() || json::utf8_length(a.title) > 200) error("title", "is required, at most 200 characters");
  if (a.description.size() > 20000) error("description", "can be at most 20,000 characters");
  if (!is_format(a.format)) error("format", "must be one of " + listing(kFormats));
  const bool zone_ok = is_time_zone(a.time_zone);
  if (!zone_ok) error("time_zone", "must be an IANA time zone like America/New_York");

  a.sessions.clear();
  if (!a.start.empty()) {
    const auto start = parse_local_time(a.start);
    if (!start) error("start", "must be a local date and time like 2012-08-07T19:00");
    if (in.end) {
      const auto end = parse_local_time(json::trim(*in.end));
      if (!end) {
        error("end", "must be a local date and time like 2012-08-07T20:00");
      } else if (start && zone_ok) {
        const auto minutes = (*local_to_utc(*end, a.time_zone) - *local_to_utc(*start, a.time_zone)) / 60000;
        if (minutes <= 0) {
          error("end", "must be after start");
        } else if (minutes > 24LL * 60) {
          error("end", "must be within a day of start; a longer activity is a series or a self-paced window");
        } else {
          a.duration_minutes = static_cast<int>(minutes);
        }
      }
    }
    if (!in.end && (a.duration_minutes < 1 || a.duration_minutes > 24 * 60)) {
      error("duration_minutes", "must be 1 to 1440: an activity ends after it starts, within a day");
    }
    if (!a.available_from.empty() || !a.available_until.empty()) {
      error("available_from", "is only for self-paced activities; an activity with a start has sessions instead");
    }
    auto rule = parse_rrule(a.recurrence);
    if (!rule.ok()) {
      for (auto& fe : rule.error().fields) errors.push_back(fe);
    } else if (*rule && start && ((*rule)->weekdays & (1u << static_cast<unsigned>(weekday(start->days)))) == 0 &&
               (*rule)->weekdays != 0) {
      error("recurrence", "BYDAY must include the weekday of start, the first session");
    } else if (*rule && start && (*rule)->until_day && *(*rule)->until_day < start->days) {
      error("recurrence", "UNTIL is before the first session");
    }
    if (start && zone_ok && rule.ok() && errors.empty()) {
      a.recurrence = *rule ? (*rule)->rrule() : "";
      a.start = format_local_time(*start);
      a.sessions = expand(*start, a.duration_minutes, *rule, a.time_zone);
      a.first_start = a.sessions.front().starts_at;
      a.last_end = a.sessions.back().ends_at;
    }
  } else {
    if (is_format(a.format) && !allows_self_paced(a.format)) {
      error("start",
            "is required: only online courses, forum discussions and self-paced activities can run as a "
            "window without sessions");
    }
    if (!a.recurrence.empty()) error("recurrence", "needs a start: a self-paced activity has no sessions");
    const auto from = parse_date(a.available_from), until = parse_date(a.available_until);
    if (!from) error("available_from", "is required without a start: a date like 2012-08-01");
    if (!until) error("available_until", "is required without a start: a date like 2012-08-31");
    if (from && until && *until < *from) error("available_until", "must not be before available_from");
    if (a.duration_minutes < 0 || a.duration_minutes > 100 * 60) {
      error("duration_minutes", "must be 0 to 6000 (the expected time, for a self-paced activity)");
    }
    if (from && until && zone_ok && *until >= *from) {
      a.first_start = local_to_utc({*from, 0}, a.time_zone).value_or(0);
      a.last_end = local_to_utc({*until + 1, 0}, a.time_zone).value_or(0);
    }
  }

  if (!a.join_url.empty() && !catalog::is_web_url(a.join_url)) {
    error("join_url", "must be a web address starting with https:// or http://");
  }
  if (a.capacity && (*a.capacity < 1 || *a.capacity > 100000)) {
    error("capacity", "must be 1 to 100,000, or null for no limit");
  }
  if (in.pd_hours) {
    const double quarters = *in.pd_hours * 4;
    if (*in.pd_hours < 0 || *in.pd_hours > 100 || std::abs(quarters - std::round(quarters)) > 1e-9) {
      error("pd_hours", "must be 0 to 100 in quarter hours, like 1.5");
    } else {
      a.pd_minutes = static_cast<int>(std::lround(quarters)) * 15;
    }
  }

  check_list(
      "audience.roles", a.audience.roles, 8,
      [](std::string& v) -> std::optional<std::string> {
        v = json::lower_ascii(json::trim(v));
        if (one_of(v, kRoles)) return std::nullopt;
        return "must be one of " + listing(kRoles);
      },
      errors);
  check_list(
      "audience.grade_bands", a.audience.grade_bands, 7,
      [](std::string& v) -> std::optional<std::string> {
        v = json::lower_ascii(json::trim(v));
        if (one_of(v, kGradeBands)) return std::nullopt;
        return "must be one of " + listing(kGradeBands);
      },
      errors);
  check_list(
      "audience.subjects", a.audience.subjects, 10,
      [](std::string& v) -> std::optional<std::string> {
        v = json::lower_ascii(json::trim(v));
        if (v.empty() || json::utf8_length(v) > 40) return "must be 1 to 40 characters, like math";
        return std::nullopt;
      },
      errors);
  check_list(
      "themes", a.themes, 20,
      [&campaign](std::string& v) -> std::optional<std::string> {
        const auto wanted = json::lower_ascii(json::trim(v));
        for (const auto& t : campaign.themes) {
          if (json::lower_ascii(t.title) == wanted) {
            v = t.title;
            return std::nullopt;
          }
        }
        std::string titles;
        for (const auto& t : campaign.themes) titles += (titles.empty() ? "" : "; ") + t.title;
        return "is not a theme of this campaign" + (titles.empty() ? std::string() : " (" + titles + ")");
      },
      errors);
  if (!is_language_tag(a.language)) error("language", "must be a language tag like en or es-MX");
  if (a.accessibility.notes.size() > 2000) error("accessibility.notes", "can be at most 2,000 characters");

  if (in.co_hosts) {
    if (in.co_hosts->size() > 10) error("co_hosts", "can have at most 10 organizations");
    for (std::size_t i = 0; i < in.co_hosts->size(); ++i) {
      catalog::check_slug("co_hosts[" + std::to_string(i) + "]", (*in.co_hosts)[i], errors);
      if ((*in.co_hosts)[i] == a.host.slug) {
        error("co_hosts[" + std::to_string(i) + "]", "is the host; list only the other organizations");
      }
    }
  }
  if (in.facilitators) {
    if (in.facilitators->size() > 50) error("facilitators", "can have at most 50 people");
    for (std::size_t i = 0; i < in.facilitators->size(); ++i) {
      const auto& f = (*in.facilitators)[i];
      const std::string at = "facilitators[" + std::to_string(i) + "]";
      if (f.person.empty() && (json::trim(f.name).empty() || json::utf8_length(f.name) > 200)) {
        error(at + ".name", "is required (at most 200 characters), or give \"person\": the slug of someone listed");
      }
      if (json::utf8_length(f.affiliation) > 200) error(at + ".affiliation", "can be at most 200 characters");
      if (f.bio.size() > 2000) error(at + ".bio", "can be at most 2,000 characters");
      if (f.role != "facilitator" && f.role != "speaker") error(at + ".role", "must be facilitator or speaker");
      if (!f.email.empty() && accounts::check_email(accounts::normalize_email(f.email))) {
        error(at + ".email", "must be an email address");
      }
    }
  }
  return errors;
}

Seat seat_for(std::optional<int> capacity, int registered) {
  return !capacity || registered < *capacity ? Seat::Registered : Seat::Waitlisted;
}

int seats_to_fill(std::optional<int> capacity, int registered, int waitlisted) {
  if (!capacity) return waitlisted;
  return std::clamp(*capacity - registered, 0, waitlisted);
}

std::optional<std::string> registration_closed(const Activity& a, EpochMs now) {
  if (a.status == ActivityStatus::Cancelled) return "this activity was cancelled";
  if (a.status != ActivityStatus::Approved) return "this activity is not open for registration yet";
  if (a.last_end <= now) return "this activity is over";
  return std::nullopt;
}

std::optional<Session> check_in_session(const std::vector<Session>& sessions, EpochMs now) {
  for (const auto& s : sessions) {
    if (now >= s.starts_at - kCheckInEarly && now <= s.ends_at) return s;
  }
  return std::nullopt;
}

OrgPair org_pair(std::int64_t a, std::int64_t b) {
  return a < b ? OrgPair{a, b} : OrgPair{b, a};
}

int new_partnership_activities(const std::vector<ActivityPair>& pairs, const std::set<OrgPair>& earlier) {
  std::set<std::int64_t> counted;
  for (const auto& p : pairs) {
    if (!earlier.contains(p.pair)) counted.insert(p.activity_id);
  }
  return static_cast<int>(counted.size());
}

std::string new_checkin_code() {
  static constexpr std::string_view kAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const auto bytes = crypto::random_bytes(6);
  std::string code;
  for (unsigned char b : bytes) code.push_back(kAlphabet[b % kAlphabet.size()]);
  return code;
}

std::string search_text(const Activity& a) {
  std::string text = a.title + " " + markdown_to_text(a.description) + " " + a.host.name;
  for (const auto& o : a.co_hosts) {
    if (o.confirmed) text += " " + o.name;
  }
  for (const auto& f : a.facilitators) text += " " + f.name + " " + f.affiliation;
  for (const auto& s : a.audience.subjects) text += " " + s;
  for (const auto& t : a.themes) text += " " + t;
  std::string format = a.format;
  std::replace(format.begin(), format.end(), '_', ' ');
  return text + " " + format;
}

}  // namespace staffroom::activities
