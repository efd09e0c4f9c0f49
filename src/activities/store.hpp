// All SQL of the activities module.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "activities/model.hpp"
#include "db/database.hpp"

namespace staffroom::activities::store {

Result<std::int64_t> insert_activity(db::Connection& c, const Activity& a, std::int64_t created_by, EpochMs now);
// Writes the scalar fields and raises the sequence.
Status update_activity(db::Connection& c, const Activity& a, EpochMs now);
Status set_status(db::Connection& c, std::int64_t id, ActivityStatus status, const std::string& reason, EpochMs now);
// Sessions, audience, themes and facilitators as `a` holds them; co-hosts by
// organization id, keeping the confirmation of those that stay.
Status replace_children(db::Connection& c, const Activity& a);
Status confirm_cohost(db::Connection& c, std::int64_t activity_id, std::int64_t organization_id, EpochMs now);
Status add_resource(db::Connection& c, std::int64_t activity_id, const Resource& r);
Status index_for_search(db::Connection& c, std::int64_t activity_id, std::int64_t campaign_id, const std::string& text);

Result<std::optional<Activity>> find_activity(db::Connection& c, std::int64_t id);
// Activities by id, in the order given, with everything they hold.
Result<std::vector<Activity>> load_activities(db::Connection& c, const std::vector<std::int64_t>& ids);

struct SearchQuery {
  std::int64_t campaign_id = 0;
  std::vector<std::string> statuses{"approved"};
  std::string text;  // the caller's words
  std::optional<EpochMs> from, to;
  std::vector<std::string> formats, themes, roles, grades, subjects, organizations, languages;
  bool offers_hours = false;
  std::string sort = "start";  // start, title, relevance
  std::int64_t offset = 0;
  int limit = 20;
};
Result<std::vector<std::int64_t>> search(db::Connection& c, const SearchQuery& q);
// Every activity of a campaign with one of the statuses, by start.
Result<std::vector<std::int64_t>> campaign_activity_ids(db::Connection& c, std::int64_t campaign_id,
                                                        const std::vector<std::string>& statuses);
// Hosted or co-hosted by an organization (any campaign when campaign_id is 0).
Result<std::vector<std::int64_t>> organization_activity_ids(db::Connection& c, std::int64_t organization_id,
                                                            std::int64_t campaign_id, bool public_only);
// A change marker for everything in a campaign's public feed.
Result<std::string> campaign_fingerprint(db::Connection& c, std::int64_t campaign_id);

// People (facilitators and speakers).
struct Person {
  std::int64_t id = 0;
  std::string slug, name, affiliation, bio;
};
Result<std::optional<Person>> find_person(db::Connection& c, const std::string& slug);
// The person with this name and affiliation (ignoring case), created when new.
Result<Person> person_for(db::Connection& c, const FacilitatorInput& f, EpochMs now);
Result<std::vector<std::int64_t>> person_activity_ids(db::Connection& c, std::int64_t person_id);

// Registrations.
struct Counts {
  int registered = 0, waitlisted = 0;
};
// Locks the activity row for the rest of the transaction (PostgreSQL; SQLite
// holds the database write lock already).
Status lock_activity(db::Connection& c, std::int64_t activity_id);
Result<EpochMs> last_registered_at(db::Connection& c, std::int64_t activity_id);
Result<Counts> count_registrations(db::Connection& c, std::int64_t activity_id);
Result<std::optional<std::string>> registration_status(db::Connection& c, std::int64_t activity_id,
                                                       std::int64_t user_id);
Status insert_registration(db::Connection& c, std::int64_t activity_id, std::int64_t user_id, Seat seat, EpochMs now);
Result<bool> delete_registration(db::Connection& c, std::int64_t activity_id, std::int64_t user_id);
Result<std::vector<std::int64_t>> promote(db::Connection& c, std::int64_t activity_id, int seats);
Result<int> waitlist_position(db::Connection& c, std::int64_t activity_id, std::int64_t user_id);
struct ScheduleEntry {
  std::int64_t activity_id = 0;
  std::string status;
  EpochMs registered_at = 0;
};
Result<std::vector<ScheduleEntry>> schedule(db::Connection& c, std::int64_t user_id);
Result<std::vector<std::string>> registrant_emails(db::Connection& c, std::int64_t activity_id);

// Attendance.
struct Attendance {
  std::int64_t id = 0;
  std::int64_t activity_id = 0;
  std::string activity_title;
  std::optional<std::int64_t> user_id;
  std::string email, source;
  int minutes = 0;
  EpochMs session_starts_at = 0, recorded_at = 0;
  std::string statement_id;  // source xapi: the statement it comes from
};
// False when the same record exists (same activity, source, email, session).
Result<bool> insert_attendance(db::Connection& c, const Attendance& a, std::optional<std::int64_t> recorded_by);
Status delete_attendance_list(db::Connection& c, std::int64_t activity_id);
// Withdraws what a voided xAPI statement recorded.
Status delete_statement_attendance(db::Connection& c, const std::string& statement_id);
// Gives a person's unlinked records (by their email, or an identifier key of
// theirs) to their account, once the identity is verified.
Status link_attendance(db::Connection& c, std::int64_t user_id, const std::vector<std::string>& people);
Result<std::vector<Attendance>> activity_attendance(db::Connection& c, std::int64_t activity_id);
Result<std::vector<Attendance>> user_attendance(db::Connection& c, std::int64_t user_id, const std::string& email);
Result<std::optional<std::int64_t>> user_id_for_email(db::Connection& c, const std::string& email);

// Personal calendar feed tokens (hashed).
Status set_calendar_token(db::Connection& c, std::int64_t user_id, const std::string& token_hash, EpochMs now);
Result<bool> delete_calendar_token(db::Connection& c, std::int64_t user_id);
Result<std::optional<std::int64_t>> calendar_token_user(db::Connection& c, const std::string& token_hash);

// Figures of a campaign.
struct ImpactCounts {
  std::int64_t organizations = 0, activities = 0, facilitators = 0, co_hosted = 0, registrations = 0, attendees = 0,
               attended_minutes = 0;
};
Result<ImpactCounts> impact_counts(db::Connection& c, std::int64_t campaign_id);
// The organizations (host and confirmed co-hosts) of each co-hosted approved
// activity: of one campaign, or of every campaign that started before
// `before_day` (a YYYY-MM-DD date) when campaign_id is 0.
struct ActivityOrgs {
  std::int64_t activity_id = 0;
  std::vector<OrgRef> organizations;
};
Result<std::vector<ActivityOrgs>> cohosting(db::Connection& c, std::int64_t campaign_id, const std::string& before_day);

}  // namespace staffroom::activities::store
