// Activities partner organizations offer in a campaign: their fields and
// rules, weekly recurrence, seats and the waiting list, the check-in window,
// and partnership novelty. Pure code, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/model.hpp"
#include "core/calendar.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace staffroom::activities {

inline constexpr std::string_view kFormats[] = {"webinar",       "live_chat",        "social_media_chat",
                                                "online_course", "forum_discussion", "community_open_house",
                                                "unconference",  "self_paced"};
inline constexpr std::string_view kRoles[] = {"teacher",   "administrator", "librarian",  "coach",
                                              "counselor", "specialist",    "preservice", "other"};
inline constexpr std::string_view kGradeBands[] = {"prek", "k-2", "3-5", "6-8", "9-12", "higher-ed", "adult"};

bool is_format(std::string_view f);
// Formats that may run as a self-paced window instead of scheduled sessions.
bool allows_self_paced(std::string_view f);

enum class ActivityStatus { Draft, Submitted, Approved, Declined, Cancelled };
std::string_view to_string(ActivityStatus s);
std::optional<ActivityStatus> parse_status(std::string_view s);

// The RRULE subset a weekly series needs: FREQ=WEEKLY, INTERVAL, BYDAY, and
// an end (COUNT or UNTIL).
struct Recurrence {
  int interval = 1;
  unsigned weekdays = 0;  // bit d set: weekday d (0 = Sunday); none: the start's weekday
  int count = 0;          // 0 when `until_day` ends the series
  std::optional<int> until_day;
  std::string rrule() const;  // canonical text, "FREQ=WEEKLY;COUNT=4"
};
inline constexpr int kMaxSessions = 52;
// Empty text: no recurrence. Errors name the field "recurrence".
Result<std::optional<Recurrence>> parse_rrule(std::string_view text);

struct Session {
  EpochMs starts_at = 0;
  EpochMs ends_at = 0;
  bool operator==(const Session&) const = default;
};
// Every session of a series that starts at the wall time `start` in `zone`:
// each keeps its wall time, so a 19:00 chat stays at 19:00 across a
// daylight-saving change. At most kMaxSessions.
std::vector<Session> expand(LocalTime start, int duration_minutes, const std::optional<Recurrence>& rule,
                            std::string_view zone);

struct Audience {
  std::vector<std::string> roles, grade_bands, subjects;
};
struct Accessibility {
  bool captions = false;
  bool transcripts = false;
  std::string notes;
};
struct OrgRef {
  std::int64_t id = 0;
  std::string slug, name;
  bool confirmed = true;  // co-hosts: whether their staff confirmed
};
struct Facilitator {
  std::int64_t person_id = 0;
  std::string slug, name, affiliation, bio, email;
  std::string role = "facilitator";  // or speaker
};
struct Resource {
  std::string kind, title, url;
  EpochMs created_at = 0;
};

struct Activity {
  std::int64_t id = 0;
  std::int64_t campaign_id = 0;
  std::string campaign_slug;
  OrgRef host;
  std::string title, description, description_html, format, time_zone;
  std::string start;  // local wall time "2012-08-07T19:00"; empty when self-paced
  int duration_minutes = 0;
  std::string recurrence;                       // canonical RRULE or empty
  std::string available_from, available_until;  // self-paced window, dates
  EpochMs first_start = 0, last_end = 0;
  std::string join_url;
  std::optional<int> capacity;
  int pd_minutes = 0;
  Audience audience;
  std::vector<std::string> themes;  // campaign theme titles
  std::string language = "en";
  Accessibility accessibility;
  std::vector<OrgRef> co_hosts;
  std::vector<Facilitator> facilitators;
  std::vector<Session> sessions;
  std::vector<Resource> resources;
  ActivityStatus status = ActivityStatus::Draft;
  std::string reason;
  std::string checkin_code;
  int sequence = 0;
  int registered = 0, waitlisted = 0;
  EpochMs created_at = 0, updated_at = 0;

  bool self_paced() const { return start.empty(); }
  bool co_hosted() const;  // a co-host confirmed
  bool public_() const { return status == ActivityStatus::Approved || status == ActivityStatus::Cancelled; }
};

// What a create or change request says; absent fields keep their value (or
// take the default on create).
struct FacilitatorInput {
  std::string person;  // slug of an existing person, or empty for a new one
  std::string name, affiliation, bio, email;
  std::string role = "facilitator";
};
struct ActivityInput {
  std::optional<std::string> title, description, format, time_zone, start, recurrence, available_from, available_until,
      join_url, language;
  // The local wall time the (first) session ends, instead of duration_minutes.
  std::optional<std::string> end;
  std::optional<int> duration_minutes;
  std::optional<std::optional<int>> capacity;
  std::optional<double> pd_hours;
  std::optional<Audience> audience;
  std::optional<std::vector<std::string>> themes;
  std::optional<Accessibility> accessibility;
  std::optional<std::vector<std::string>> co_hosts;
  std::optional<std::vector<FacilitatorInput>> facilitators;
};

// Applies the input's fields to `a` and checks the result against the
// campaign; on success fills sessions, first_start and last_end. Every
// problem is reported, by field name. Co-host and facilitator references are
// resolved by the service; this checks their shape.
std::vector<FieldError> apply_input(Activity& a, const ActivityInput& in, const catalog::Campaign& campaign);

// Seats. A registration takes a seat while there is one, else a place on the
// waiting list; when seats free up (a cancellation, a larger capacity) the
// first people on the list take them.
enum class Seat { Registered, Waitlisted };
Seat seat_for(std::optional<int> capacity, int registered);
int seats_to_fill(std::optional<int> capacity, int registered, int waitlisted);
// Nullopt when registration is open, else why not.
std::optional<std::string> registration_closed(const Activity& a, EpochMs now);

// The session whose check-in window holds `now`: from 15 minutes before it
// starts to its end.
inline constexpr EpochMs kCheckInEarly = 15LL * 60 * 1000;
std::optional<Session> check_in_session(const std::vector<Session>& sessions, EpochMs now);

// Partnerships: two organizations that co-host an activity. A pair is new in
// a campaign when it never co-hosted in an earlier campaign.
using OrgPair = std::pair<std::int64_t, std::int64_t>;  // smaller id first
OrgPair org_pair(std::int64_t a, std::int64_t b);
struct ActivityPair {
  std::int64_t activity_id = 0;
  OrgPair pair;
};
// How many activities have at least one new pair.
int new_partnership_activities(const std::vector<ActivityPair>& pairs, const std::set<OrgPair>& earlier);

std::string new_checkin_code();

// The words the catalog's full-text index holds for an activity: title,
// description text, host, confirmed co-hosts, facilitators, subjects,
// themes and format.
std::string search_text(const Activity& a);  // 6 characters without look-alikes (no 0/O, 1/I/L)

}  // namespace staffroom::activities
