// Catalog use cases: campaigns and their partner organizations. Owns the
// transactions; routes call it and nothing else.
#pragma once

#include <optional>
#include <string>

#include "accounts/store.hpp"
#include "catalog/model.hpp"
#include "core/identity.hpp"
#include "core/page.hpp"
#include "db/database.hpp"

namespace staffroom::catalog {

// Fields a PATCH may change; absent ones keep their value.
struct CampaignChanges {
  std::optional<std::string> name, description, starts_on, ends_on, time_zone;
  std::optional<std::vector<Theme>> themes;
  std::optional<std::vector<std::string>> hashtags;
};

class CatalogService {
 public:
  explicit CatalogService(db::Database& db, std::string public_url = "http://127.0.0.1:8080")
      : db_(db), public_url_(std::move(public_url)) {}

  Result<Campaign> create_campaign(Campaign campaign);
  Result<Campaign> update_campaign(const std::string& slug, const CampaignChanges& changes);
  Result<Campaign> get_campaign(const std::string& slug);
  Result<Page<Campaign>> list_campaigns(std::int64_t after, int limit);
  Result<Organization> get_organization(const std::string& slug);

  // An educator applies on behalf of a new organization (and becomes its
  // staff), or of one whose staff they already are.
  Result<Application> apply(const std::string& campaign_slug, const Identity& who, Organization organization);
  Result<Application> decide(const std::string& campaign_slug, const std::string& organization_slug,
                             PartnerStatus decision, const std::string& reason, const Identity& who);
  Result<Page<Application>> list_applications(const std::string& campaign_slug, std::optional<PartnerStatus> status,
                                              std::int64_t after, int limit);

  // Organization staff and their invitations of colleagues.
  struct StaffList {
    std::vector<accounts::store::ScopedMember> staff;
    std::vector<Invitation> invitations;
  };
  Result<StaffList> staff(const std::string& organization_slug);
  // Returns the invitation; the link goes out by mail, never in the answer.
  Result<Invitation> invite(const std::string& organization_slug, const std::string& email, const Identity& who);
  Status withdraw_invitation(const std::string& organization_slug, std::int64_t id);
  Status remove_staff(const std::string& organization_slug, std::int64_t user_id, const Identity& who);
  Result<Organization> accept_invitation(const std::string& token, const Identity& who);

 private:
  db::Database& db_;
  std::string public_url_;
};

}  // namespace staffroom::catalog
