// Activity use cases: offering, reviewing, finding, registering, checking in,
// attendance lists, calendar feeds and campaign figures. Owns the
// transactions and the authorization rules that depend on the activity
// (host staff, co-host staff, campaign organizers); routes call it and
// nothing else.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "activities/model.hpp"
#include "activities/store.hpp"
#include "core/identity.hpp"
#include "core/page.hpp"
#include "db/database.hpp"

namespace staffroom::activities {

struct ServiceConfig {
  std::string public_url = "http://127.0.0.1:8080";
};

struct Search {
  std::string text;
  std::optional<EpochMs> from, to;
  std::string from_date, to_date;  // YYYY-MM-DD in the campaign's zone, when given as dates
  std::vector<std::string> formats, themes, roles, grades, subjects, organizations, languages, statuses;
  bool offers_hours = false;
  std::string sort = "start";
};

struct RegistrationResult {
  Seat seat = Seat::Registered;
  int waitlist_position = 0;
};

struct ScheduleItem {
  Activity activity;
  std::string status;
  int waitlist_position = 0;
  EpochMs registered_at = 0;
};

struct CheckInInfo {
  std::string code;
  std::string check_in_url;
  std::vector<Session> sessions;
};

struct Partnership {
  OrgRef a, b;
  int activities = 0;
  bool is_new = false;
};

struct Impact {
  std::int64_t organizations = 0, activities = 0, facilitators = 0, co_hosted_activities = 0,
               new_partnership_activities = 0, registrations = 0, attendees = 0;
  double new_partnership_share = 0;
  double pd_hours = 0;
};

struct PersonPage {
  store::Person person;
  std::vector<Activity> activities;
};

class ActivityService {
 public:
  ActivityService(db::Database& db, ServiceConfig config) : db_(db), config_(std::move(config)) {}

  Result<Activity> create(const std::string& organization_slug, const std::string& campaign_slug,
                          const ActivityInput& input, const Identity& who);
  Result<std::vector<Activity>> import_csv(const std::string& organization_slug, const std::string& campaign_slug,
                                           std::string_view csv_text, const Identity& who);
  Result<Activity> update(std::int64_t id, const ActivityInput& input, const Identity& who);
  Result<Activity> get(std::int64_t id, const Identity* who);
  Result<Activity> submit(std::int64_t id, const Identity& who);
  Result<Activity> decide(const std::string& campaign_slug, std::int64_t id, bool approve, const std::string& reason,
                          const Identity& who);
  Result<Activity> cancel(std::int64_t id, const std::string& reason, const Identity& who);
  Result<Activity> confirm_cohost(std::int64_t id, const std::string& organization_slug, const Identity& who);
  Result<Activity> add_resource(std::int64_t id, Resource resource, const Identity& who);

  Result<Page<Activity>> search(const std::string& campaign_slug, const Search& s, std::int64_t offset, int limit);
  Result<std::vector<Activity>> export_all(const std::string& campaign_slug);
  Result<std::vector<Activity>> organization_activities(const std::string& organization_slug,
                                                        const std::string& campaign_slug);
  Result<PersonPage> person(const std::string& slug);
  Result<std::vector<Partnership>> partnerships(const std::string& campaign_slug);
  Result<Impact> impact(const std::string& campaign_slug);

  Result<RegistrationResult> register_for(std::int64_t id, const Identity& who);
  Status cancel_registration(std::int64_t id, const Identity& who);
  Result<std::vector<ScheduleItem>> schedule(const Identity& who);

  Result<CheckInInfo> check_in_code(std::int64_t id, const Identity& who);
  Result<store::Attendance> check_in(std::int64_t id, const std::string& code, const Identity& who);
  Result<int> upload_attendance(std::int64_t id, std::string_view csv_text, const Identity& who);
  Result<std::vector<store::Attendance>> attendance(std::int64_t id, const Identity& who);
  Result<std::vector<store::Attendance>> my_attendance(const Identity& who);

  // Personal feed: a new token replaces the old one; the token is returned
  // once and stored hashed.
  Result<std::string> new_calendar_token(const Identity& who);
  Status revoke_calendar_token(const Identity& who);
  Result<std::string> campaign_calendar(const std::string& campaign_slug);
  Result<std::string> organization_calendar(const std::string& organization_slug);
  Result<std::string> activity_calendar(std::int64_t id);
  Result<std::string> personal_calendar(const std::string& token);

  const ServiceConfig& config() const { return config_; }

 private:
  Result<Activity> load(db::Connection& c, std::int64_t id);
  Result<Activity> load_for_host(db::Connection& c, std::int64_t id, const Identity& who);
  Status resolve_references(db::Connection& c, Activity& a, const ActivityInput& input, EpochMs now);
  Status save_new(db::Connection& c, Activity& a, std::int64_t created_by, EpochMs now);
  Status reindex(db::Connection& c, std::int64_t id);

  db::Database& db_;
  ServiceConfig config_;
  std::mutex feed_mu_;
  std::map<std::int64_t, std::pair<std::string, std::shared_ptr<const std::string>>> feed_cache_;
};

}  // namespace staffroom::activities
