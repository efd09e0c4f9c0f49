// iCalendar (RFC 5545) feeds of activities: one VEVENT an activity, a weekly
// series as DTSTART in its zone with an RRULE, a VTIMEZONE for every zone
// used, stable UIDs, SEQUENCE from the activity, STATUS:CANCELLED for
// cancelled ones, and a reminder. Self-paced windows are all-day events.
#pragma once

#include <string>
#include <vector>

#include "activities/model.hpp"

namespace staffroom::activities {

struct FeedOptions {
  std::string name;        // X-WR-CALNAME
  std::string public_url;  // https://pd.example.org, for links and UIDs
  EpochMs stamp = 0;       // DTSTAMP
  int reminder_minutes = 15;
};

std::string render_feed(const std::vector<Activity>& activities, const FeedOptions& options);

}  // namespace staffroom::activities
