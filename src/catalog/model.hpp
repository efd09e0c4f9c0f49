// The campaign catalog: campaigns with weekly themes and hashtags, partner
// organizations, and their applications to take part. Pure rules, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace staffroom::catalog {

struct Theme {
  std::string title;
  std::string summary;
  std::string starts_on;  // YYYY-MM-DD
  std::string ends_on;
};

struct Campaign {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  std::string description;  // Markdown
  std::string starts_on;
  std::string ends_on;
  std::string time_zone;  // IANA name, the campaign's home zone
  std::vector<Theme> themes;
  std::vector<std::string> hashtags;  // without '#'
  EpochMs created_at = 0;
  EpochMs updated_at = 0;
};

inline constexpr const char* kOrganizationKinds[] = {"nonprofit",  "association", "district",   "school",
                                                     "university", "company",     "government", "community"};

struct Organization {
  std::int64_t id = 0;
  std::string slug;
  std::string name;
  std::string kind;
  std::string website;
  std::string logo_url;
  std::string description;
  std::string contact_email;
  EpochMs created_at = 0;
};

enum class PartnerStatus { Pending, Approved, Declined };
std::string_view to_string(PartnerStatus s);
std::optional<PartnerStatus> parse_partner_status(std::string_view s);

struct Application {
  Organization organization;
  PartnerStatus status = PartnerStatus::Pending;
  std::string reason;
  EpochMs applied_at = 0;
  std::optional<EpochMs> decided_at;
};

struct Invitation {
  std::int64_t id = 0;
  std::int64_t organization_id = 0;
  std::string email;
  EpochMs created_at = 0, expires_at = 0;
  std::optional<EpochMs> accepted_at;
};
inline constexpr EpochMs kInvitationLifetime = 7LL * 24 * 3600 * 1000;

// Field-by-field checks; each returns every problem it finds.
void check_slug(std::string_view field, std::string_view slug, std::vector<FieldError>& errors);
std::vector<FieldError> check_campaign(const Campaign& c);
std::vector<FieldError> check_organization(const Organization& o);
std::optional<std::string> normalize_hashtag(std::string_view tag);  // "#CEM12" -> "CEM12"
bool is_web_url(std::string_view url);

// A decision on an application: approving twice is harmless, but a decided
// application changes only by a new explicit decision, and declining needs a
// reason the organization can read.
Status check_decision(PartnerStatus decision, std::string_view reason);

}  // namespace staffroom::catalog
