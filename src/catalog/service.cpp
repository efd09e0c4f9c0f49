#include "catalog/service.hpp"

#include "accounts/store.hpp"
#include "catalog/store.hpp"
#include "core/log.hpp"

namespace staffroom::catalog {

namespace {
Error no_campaign(const std::string& slug) {
  return Error::not_found("there is no campaign '" + slug + "'");
}

void normalize(Campaign& c) {
  for (auto& h : c.hashtags) {
    if (auto n = normalize_hashtag(h)) h = *n;
  }
}
}  // namespace

Result<Campaign> CatalogService::create_campaign(Campaign campaign) {
  if (auto errors = check_campaign(campaign); !errors.empty()) return Error::validation(std::move(errors));
  normalize(campaign);
  SR_TRY(db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(campaign.id, store::insert_campaign(c, campaign, now_ms()));
    return store::replace_themes_and_hashtags(c, campaign);
  }));
  log::info("campaign created", {{"campaign", campaign.slug}});
  return get_campaign(campaign.slug);
}

Result<Campaign> CatalogService::update_campaign(const std::string& slug, const CampaignChanges& ch) {
  return db_.transaction<Campaign>([&](db::Connection& c) -> Result<Campaign> {
    SR_ASSIGN(auto found, store::find_campaign(c, slug));
    if (!found) return no_campaign(slug);
    Campaign k = std::move(*found);
    if (ch.name) k.name = *ch.name;
    if (ch.description) k.description = *ch.description;
    if (ch.starts_on) k.starts_on = *ch.starts_on;
    if (ch.ends_on) k.ends_on = *ch.ends_on;
    if (ch.time_zone) k.time_zone = *ch.time_zone;
    if (ch.themes) k.themes = *ch.themes;
    if (ch.hashtags) k.hashtags = *ch.hashtags;
    if (auto errors = check_campaign(k); !errors.empty()) return Error::validation(std::move(errors));
    normalize(k);
    const auto now = now_ms();
    SR_TRY(store::update_campaign(c, k, now));
    SR_TRY(store::replace_themes_and_hashtags(c, k));
    SR_ASSIGN(auto updated, store::find_campaign(c, slug));
    return std::move(*updated);
  });
}

Result<Campaign> CatalogService::get_campaign(const std::string& slug) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto found, store::find_campaign(*lease, slug));
  if (!found) return no_campaign(slug);
  return std::move(*found);
}

Result<Page<Campaign>> CatalogService::list_campaigns(std::int64_t after, int limit) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto items, store::list_campaigns(*lease, after, limit + 1));
  return make_page(std::move(items), limit, [](const Campaign& c) { return c.id; });
}

Result<Organization> CatalogService::get_organization(const std::string& slug) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto found, store::find_organization(*lease, slug));
  if (!found) return Error::not_found("there is no organization '" + slug + "'");
  return std::move(*found);
}

Result<Application> CatalogService::apply(const std::string& campaign_slug, const Identity& who,
                                          Organization organization) {
  if (auto errors = check_organization(organization); !errors.empty()) return Error::validation(std::move(errors));
  return db_.transaction<Application>([&](db::Connection& c) -> Result<Application> {
    const auto now = now_ms();
    SR_ASSIGN(auto campaign, store::find_campaign(c, campaign_slug));
    if (!campaign) return no_campaign(campaign_slug);
    SR_ASSIGN(auto existing, store::find_organization(c, organization.slug));
    std::int64_t org_id = 0;
    if (existing) {
      const bool staff =
          who.has_scoped_role("org_staff", "organization", organization.slug) || who.has_role("site_admin");
      if (!staff) {
        return Error::forbidden("the organization '" + organization.slug +
                                "' already exists; one of its staff can apply for it, or choose another slug");
      }
      org_id = existing->id;
    } else {
      SR_ASSIGN(org_id, store::insert_organization(c, organization, who.user_id, now));
      SR_TRY(accounts::store::insert_grant(c, who.user_id, "org_staff", "organization", organization.slug, now));
    }
    SR_TRY(store::insert_application(c, campaign->id, org_id, who.user_id, now));
    log::info("partner application", {{"campaign", campaign_slug}, {"organization", organization.slug}});
    SR_ASSIGN(auto app, store::find_application(c, campaign->id, org_id));
    return std::move(*app);
  });
}

Result<Application> CatalogService::decide(const std::string& campaign_slug, const std::string& organization_slug,
                                           PartnerStatus decision, const std::string& reason, const Identity& who) {
  SR_TRY(check_decision(decision, reason));
  return db_.transaction<Application>([&](db::Connection& c) -> Result<Application> {
    SR_ASSIGN(auto campaign, store::find_campaign(c, campaign_slug));
    if (!campaign) return no_campaign(campaign_slug);
    SR_ASSIGN(auto org, store::find_organization(c, organization_slug));
    if (!org) return Error::not_found("there is no organization '" + organization_slug + "'");
    SR_ASSIGN(auto n, store::decide_application(c, campaign->id, org->id, decision, reason, who.user_id, now_ms()));
    if (n == 0) return Error::not_found("'" + organization_slug + "' has not applied to this campaign");
    log::info("partner decision", {{"campaign", campaign_slug},
                                   {"organization", organization_slug},
                                   {"decision", to_string(decision)},
                                   {"by", who.user_id}});
    SR_ASSIGN(auto app, store::find_application(c, campaign->id, org->id));
    return std::move(*app);
  });
}

Result<Page<Application>> CatalogService::list_applications(const std::string& campaign_slug,
                                                            std::optional<PartnerStatus> status, std::int64_t after,
                                                            int limit) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto campaign, store::find_campaign(*lease, campaign_slug));
  if (!campaign) return no_campaign(campaign_slug);
  SR_ASSIGN(auto items, store::list_applications(*lease, campaign->id, status, after, limit + 1));
  return make_page(std::move(items), limit, [](const Application& a) { return a.organization.id; });
}

}  // namespace staffroom::catalog
