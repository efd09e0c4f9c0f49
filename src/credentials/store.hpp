// Storage of achievements, issued credentials and status lists. SQL lives in
// store.cpp; callers pass the connection of their transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "credentials/model.hpp"
#include "db/database.hpp"

namespace staffroom::credentials::store {

Result<std::int64_t> insert_achievement(db::Connection& c, const Achievement& a, std::int64_t created_by, EpochMs now);
Status update_achievement(db::Connection& c, const Achievement& a, EpochMs now);
Result<std::optional<Achievement>> find_achievement(db::Connection& c, const std::string& slug);
Result<std::optional<Achievement>> find_achievement_by_id(db::Connection& c, std::int64_t id);
struct AchievementFilter {
  std::optional<OwnerType> owner_type;
  std::string owner;
  std::string q;  // words in the name or description
  int limit = 100;
};
Result<std::vector<Achievement>> list_achievements(db::Connection& c, const AchievementFilter& f);
Result<std::vector<Achievement>> achievements_with_rules(db::Connection& c);
// The display name of a campaign, organization or district; none if absent.
Result<std::optional<std::string>> owner_name(db::Connection& c, OwnerType type, const std::string& slug);
Result<std::int64_t> count_awards(db::Connection& c, std::int64_t achievement_id);

struct Recipient {
  std::optional<std::int64_t> user_id;  // an account that confirmed the address
  std::string name;
};
Result<Recipient> recipient(db::Connection& c, const std::string& email);

// A free bit in a status list signed by `key_id`, chosen at random so that
// neighbouring bits say nothing about when credentials were issued.
Result<std::pair<std::int64_t, std::int64_t>> allocate_status(db::Connection& c, const std::string& key_id,
                                                              std::int64_t capacity, EpochMs now);
Result<std::optional<std::string>> status_list_key(db::Connection& c, std::int64_t list_id);
Result<std::vector<std::int64_t>> revoked_indexes(db::Connection& c, std::int64_t list_id);
// Changes whenever a credential of the list is revoked: count and latest time.
Result<std::pair<std::int64_t, std::int64_t>> list_revision(db::Connection& c, std::int64_t list_id);

enum class Source { Manual, Bulk, Rule };
std::string_view to_string(Source s);

struct IssuedCredential {
  std::string id;  // the UUID
  std::int64_t achievement_id = 0;
  std::string achievement_slug, achievement_name, achievement_image;
  std::string recipient_email;
  std::optional<std::int64_t> recipient_user_id;
  std::string recipient_name;
  Source source = Source::Manual;
  std::string document;  // the signed credential
  std::string key_id;
  EpochMs issued_at = 0;
  std::optional<EpochMs> valid_until;
  std::int64_t status_list = 0, status_index = 0;
  std::optional<EpochMs> revoked_at;
  std::string revoked_reason;
  std::optional<std::int64_t> awarded_by;
};

// Conflict when the recipient already holds the achievement.
Status insert_credential(db::Connection& c, const IssuedCredential& k);
Result<std::optional<IssuedCredential>> find_credential(db::Connection& c, const std::string& id);
Result<std::optional<IssuedCredential>> find_by_status(db::Connection& c, std::int64_t list_id, std::int64_t index);
Result<std::vector<IssuedCredential>> credentials_of_achievement(db::Connection& c, std::int64_t achievement_id);
// An educator's credentials: issued to the account, or to an address it confirmed.
Result<std::vector<IssuedCredential>> credentials_of_user(db::Connection& c, std::int64_t user_id);
Result<bool> holds(db::Connection& c, std::int64_t achievement_id, const std::string& email);
Status revoke(db::Connection& c, const std::string& id, std::int64_t by, const std::string& reason, EpochMs at);

// ---- what the award rules read ----------------------------------------------
Result<std::int64_t> watermark(db::Connection& c, const std::string& name);
Status set_watermark(db::Connection& c, const std::string& name, std::int64_t value);
// The newest participation record and approval: where a sweep with no
// rules to apply moves on to.
Result<std::int64_t> last_attendance_id(db::Connection& c);
Result<std::int64_t> last_approval_id(db::Connection& c);
struct NewAttendance {
  std::int64_t id = 0, user_id = 0, activity_id = 0;
};
Result<std::vector<NewAttendance>> attendance_after(db::Connection& c, std::int64_t after_id, int limit);
struct Decision {
  std::int64_t audit_id = 0, claim_id = 0, user_id = 0;
  std::string district, tier;
};
Result<std::vector<Decision>> approvals_after(db::Connection& c, std::int64_t after_id, int limit);
// The activities the educator has a participation record for.
Result<std::set<std::int64_t>> attended(db::Connection& c, std::int64_t user_id);
Result<std::int64_t> campaign_minutes(db::Connection& c, std::int64_t user_id, const std::string& campaign);
// Credit a district approved for the educator, decided within [from, to).
struct ApprovedCredit {
  std::int64_t claim_id = 0;
  std::string district_slug, district_name, tier;
  std::int64_t policy_version = 0;
  EpochMs decided_at = 0;
  std::int64_t minutes = 0, ceu_hundredths = 0, semester_credit_hundredths = 0;
};
Result<std::vector<ApprovedCredit>> approved_credit(db::Connection& c, std::int64_t user_id, EpochMs from, EpochMs to);

struct UserAddress {
  std::string email, name;
};
Result<std::optional<UserAddress>> confirmed_user(db::Connection& c, std::int64_t user_id);

}  // namespace staffroom::credentials::store
