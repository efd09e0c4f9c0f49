// Achievements and the credentials issued for them: what an achievement
// says, the rules that award it, and how its JSON reads and is checked.
// Pure: no I/O, tested in memory.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace staffroom::credentials {

// Who defines an achievement and may award it by hand.
enum class OwnerType { Campaign, Organization, District };
std::string_view to_string(OwnerType t);
std::optional<OwnerType> parse_owner_type(std::string_view s);

struct Alignment {
  std::string target_name, target_url, target_framework, target_code;
};

// When the evidence for an achievement arrives, the rule decides whether it
// is earned:
//   attended_activity: a participation record for the activity;
//   campaign_hours:    at least `hours` of participation in the campaign's activities;
//   approved_claim:    a credit claim approved in the district (of one tier, or any);
//   series:            a participation record for every activity listed.
enum class RuleKind { AttendedActivity, CampaignHours, ApprovedClaim, Series };
std::string_view to_string(RuleKind k);
std::optional<RuleKind> parse_rule_kind(std::string_view s);

struct AwardRule {
  RuleKind kind = RuleKind::AttendedActivity;
  std::vector<std::int64_t> activities;  // attended_activity (one), series (two or more)
  std::string campaign;                  // campaign_hours
  std::int64_t minutes = 0;              // campaign_hours
  std::string district;                  // approved_claim
  std::string tier;                      // approved_claim; empty for any tier
};

struct Achievement {
  std::int64_t id = 0;
  std::string slug;
  OwnerType owner_type = OwnerType::Campaign;
  std::string owner;       // the owner's slug
  std::string owner_name;  // filled in when read
  std::string name, description, criteria, image_url;
  std::optional<std::int64_t> minutes;  // the hours it stands for
  std::vector<std::string> tags;
  std::vector<Alignment> alignments;
  std::optional<std::int64_t> valid_days;  // credentials expire this long after issue
  std::optional<AwardRule> rule;
  EpochMs created_at = 0, updated_at = 0;
};

inline constexpr std::size_t kMaxTags = 20;
inline constexpr std::size_t kMaxAlignments = 20;
inline constexpr std::size_t kMaxSeries = 50;
inline constexpr std::size_t kMaxAwardRows = 5000;

// Reads an achievement from its API JSON, naming every problem by path
// ("alignments[1].target_url", "rule.hours"). `slug` may be absent: it is
// then made from the name.
Result<Achievement> achievement_from_json(const boost::json::object& body);
boost::json::object rule_to_json(const AwardRule& rule);
Result<AwardRule> rule_from_json(const boost::json::value& v, std::string_view at = "rule");
boost::json::array alignments_to_json(const std::vector<Alignment>& alignments);
std::vector<Alignment> alignments_from_json(const boost::json::value& v);

// One row of a bulk award file (CSV: email, narrative, evidence; any order;
// only email is required).
struct AwardRow {
  int line = 0;
  std::string email, narrative, evidence_url;
};
struct AwardFile {
  std::vector<AwardRow> rows;
  std::vector<FieldError> problems;  // "line 3, email": "..."
};
AwardFile parse_award_file(std::string_view csv_text);

// True for an absolute http(s) URL without spaces or control characters.
bool is_web_url(std::string_view url);

}  // namespace staffroom::credentials
