// All SQL of the catalog module.
#pragma once

#include <optional>
#include <vector>

#include "catalog/model.hpp"
#include "db/database.hpp"

namespace staffroom::catalog::store {

Result<std::int64_t> insert_campaign(db::Connection& c, const Campaign& campaign, EpochMs now);
Status update_campaign(db::Connection& c, const Campaign& campaign, EpochMs now);
Status replace_themes_and_hashtags(db::Connection& c, const Campaign& campaign);
Result<std::optional<Campaign>> find_campaign(db::Connection& c, const std::string& slug);
Result<std::vector<Campaign>> list_campaigns(db::Connection& c, std::int64_t after_id, int limit);

Result<std::optional<Organization>> find_organization(db::Connection& c, const std::string& slug);
Result<std::int64_t> insert_organization(db::Connection& c, const Organization& o, std::int64_t created_by,
                                         EpochMs now);

Status insert_application(db::Connection& c, std::int64_t campaign_id, std::int64_t organization_id,
                          std::int64_t applied_by, EpochMs now);
Result<std::int64_t> decide_application(db::Connection& c, std::int64_t campaign_id, std::int64_t organization_id,
                                        PartnerStatus status, const std::string& reason, std::int64_t decided_by,
                                        EpochMs now);
// Applications of a campaign, ordered by organization id; status filters
// when given.
Result<std::vector<Application>> list_applications(db::Connection& c, std::int64_t campaign_id,
                                                   std::optional<PartnerStatus> status, std::int64_t after_org_id,
                                                   int limit);
Result<std::optional<Application>> find_application(db::Connection& c, std::int64_t campaign_id,
                                                    std::int64_t organization_id);

Result<Invitation> insert_invitation(db::Connection& c, std::int64_t organization_id, const std::string& email,
                                     const std::string& token_hash, std::int64_t invited_by, EpochMs now);
// Pending (not accepted, not expired) invitations of an organization.
Result<std::vector<Invitation>> pending_invitations(db::Connection& c, std::int64_t organization_id, EpochMs now);
Result<std::int64_t> delete_invitation(db::Connection& c, std::int64_t organization_id, std::int64_t id);
// A pending invitation by its token's hash.
Result<std::optional<Invitation>> find_invitation(db::Connection& c, const std::string& token_hash, EpochMs now);
Status accept_invitation(db::Connection& c, std::int64_t id, std::int64_t user_id, EpochMs now);
Result<std::optional<Organization>> find_organization_by_id(db::Connection& c, std::int64_t id);

}  // namespace staffroom::catalog::store
