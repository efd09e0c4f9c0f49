#include "catalog/service.hpp"

#include <algorithm>

#include "accounts/model.hpp"
#include "accounts/store.hpp"
#include "catalog/store.hpp"
#include "core/crypto.hpp"
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

namespace {
Error no_organization(const std::string& slug) {
  return Error::not_found("there is no organization '" + slug + "'");
}
}  // namespace

Result<CatalogService::StaffList> CatalogService::staff(const std::string& organization_slug) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto org, store::find_organization(*lease, organization_slug));
  if (!org) return no_organization(organization_slug);
  StaffList out;
  SR_ASSIGN(out.staff, accounts::store::members(*lease, "org_staff", "organization", organization_slug));
  SR_ASSIGN(out.invitations, store::pending_invitations(*lease, org->id, now_ms()));
  return out;
}

Result<Invitation> CatalogService::invite(const std::string& organization_slug, const std::string& raw_email,
                                          const Identity& who) {
  const auto email = accounts::normalize_email(raw_email);
  if (auto problem = accounts::check_email(email)) return Error::validation("email", *problem);
  const auto token = crypto::random_token(32);
  auto invitation = db_.transaction<Invitation>([&](db::Connection& c) -> Result<Invitation> {
    const auto now = now_ms();
    SR_ASSIGN(auto org, store::find_organization(c, organization_slug));
    if (!org) return no_organization(organization_slug);
    SR_ASSIGN(auto members, accounts::store::members(c, "org_staff", "organization", organization_slug));
    for (const auto& m : members) {
      if (m.email == email) return Error::conflict(email + " is already on the staff of " + org->name);
    }
    SR_ASSIGN(auto pending, store::pending_invitations(c, org->id, now));
    for (const auto& p : pending) {
      if (p.email == email) {
        return Error::conflict(email + " is already invited; withdraw that invitation to send a new one");
      }
    }
    SR_ASSIGN(auto inv, store::insert_invitation(c, org->id, email, crypto::sha256_hex(token), who.user_id, now));
    const std::string link = public_url_ + "/invitations/accept?token=" + token;
    SR_TRY(accounts::store::insert_mail(
        c, email, "Join " + org->name + " on Staffroom",
        who.display_name + " invites you to the staff of " + org->name +
            " on Staffroom, where you can offer activities in campaigns and see who takes part.\n\n"
            "Accept the invitation (the link works once, for 7 days, for this email address):\n" +
            link + "\n",
        now));
    return inv;
  });
  if (invitation.ok()) {
    log::info("staff invitation", {{"organization", organization_slug}, {"by", who.user_id}});
  }
  return invitation;
}

Status CatalogService::withdraw_invitation(const std::string& organization_slug, std::int64_t id) {
  SR_ASSIGN(auto lease, db_.acquire());
  SR_ASSIGN(auto org, store::find_organization(*lease, organization_slug));
  if (!org) return no_organization(organization_slug);
  SR_ASSIGN(auto n, store::delete_invitation(*lease, org->id, id));
  if (n == 0) return Error::not_found("there is no pending invitation " + std::to_string(id));
  return {};
}

Status CatalogService::remove_staff(const std::string& organization_slug, std::int64_t user_id, const Identity& who) {
  SR_TRY(db_.transaction([&](db::Connection& c) -> Status {
    SR_ASSIGN(auto members, accounts::store::members(c, "org_staff", "organization", organization_slug));
    const auto it = std::find_if(members.begin(), members.end(),
                                 [&](const accounts::store::ScopedMember& m) { return m.user_id == user_id; });
    if (it == members.end()) return Error::not_found("user " + std::to_string(user_id) + " is not on the staff");
    if (members.size() == 1) {
      return Error::conflict("this is the organization's last staff member; invite someone else first");
    }
    SR_TRY(accounts::store::delete_grant(c, user_id, it->grant_id));
    return {};
  }));
  log::info("staff removed", {{"organization", organization_slug}, {"user", user_id}, {"by", who.user_id}});
  return {};
}

Result<Organization> CatalogService::accept_invitation(const std::string& token, const Identity& who) {
  auto org = db_.transaction<Organization>([&](db::Connection& c) -> Result<Organization> {
    const auto now = now_ms();
    SR_ASSIGN(auto inv, store::find_invitation(c, crypto::sha256_hex(token), now));
    if (!inv) return Error::bad_request("this invitation link is unknown, already used or expired; ask for a new one");
    if (inv->email != who.email) {
      return Error::forbidden("this invitation is for another email address; sign in with the address it was sent to");
    }
    SR_ASSIGN(auto found, store::find_organization_by_id(c, inv->organization_id));
    if (!found) return Error::bad_request("the organization of this invitation no longer exists");
    if (!who.has_scoped_role("org_staff", "organization", found->slug)) {
      SR_TRY(accounts::store::insert_grant(c, who.user_id, "org_staff", "organization", found->slug, now));
    }
    SR_TRY(store::accept_invitation(c, inv->id, who.user_id, now));
    return std::move(*found);
  });
  if (org.ok()) log::info("staff invitation accepted", {{"organization", org->slug}, {"user", who.user_id}});
  return org;
}

}  // namespace staffroom::catalog
