// The demo campaign: a deterministic, synthetic Connected Educator Month at
// the scale of August 2012 (151 partner organizations, 455 activities, over
// 2,000 facilitators, about a third of the activities co-hosted by new
// partnerships, thousands of educators whose attendance adds up to roughly
// 90,000 professional-learning hours), with a smaller pilot campaign a year
// earlier so that partnership novelty has a history to compare against.
// Everything goes through the same tables and figures as a real campaign.
#pragma once

#include <functional>
#include <string>

#include "core/error.hpp"
#include "db/database.hpp"

namespace staffroom::demo {

inline constexpr const char* kCampaign = "connected-educator-month-2012";
inline constexpr const char* kPilot = "connected-educator-pilot-2011";
// The demo educator's sign-in, when it exists, also takes part in some
// activities, so its schedule and attendance have something to show.
inline constexpr const char* kDemoEducator = "educator@staffroom.test";

struct Sizes {
  int organizations = 151;
  int activities = 455;
  int pilot_activities = 40;
  int people = 2200;     // facilitators and speakers
  int educators = 9000;  // participants
};

// Reports progress: a step name, and done out of total.
using Progress = std::function<void(const std::string& step, int done, int total)>;

struct Summary {
  int organizations = 0, activities = 0, people = 0, educators = 0;
  std::int64_t registrations = 0, attendance = 0;
  bool created = false;  // false: the campaign already had activities
};

// Fills the database with both campaigns unless the demo campaign already
// has activities. All or nothing: one transaction. The campaigns themselves
// must not exist yet, or exist without activities.
Result<Summary> load(db::Database& db, const Sizes& sizes, const Progress& progress);

// For benchmarks: `campaigns` campaigns ("scale-000", ...) of
// sizes.activities activities each, from the same generator, without
// registrations. Expects a database without them.
Result<Summary> load_scale(db::Database& db, int campaigns, const Sizes& sizes, const Progress& progress);

}  // namespace staffroom::demo
