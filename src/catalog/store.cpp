#include "catalog/store.hpp"

namespace staffroom::catalog::store {

using db::Sql;
using db::Value;

namespace {
constexpr Sql kInsertCampaign{
    "INSERT INTO campaigns (slug, name, description, starts_on, ends_on, time_zone, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id"};
constexpr Sql kUpdateCampaign{
    "UPDATE campaigns SET name = $2, description = $3, starts_on = $4, ends_on = $5, time_zone = $6, updated_at = $7 "
    "WHERE id = $1"};
constexpr Sql kDeleteThemes{"DELETE FROM campaign_themes WHERE campaign_id = $1"};
constexpr Sql kDeleteHashtags{"DELETE FROM campaign_hashtags WHERE campaign_id = $1"};
constexpr Sql kInsertTheme{
    "INSERT INTO campaign_themes (campaign_id, position, title, summary, starts_on, ends_on) "
    "VALUES ($1, $2, $3, $4, $5, $6)"};
constexpr Sql kInsertHashtag{"INSERT INTO campaign_hashtags (campaign_id, position, tag) VALUES ($1, $2, $3)"};
constexpr Sql kCampaignBySlug{
    "SELECT id, slug, name, description, starts_on, ends_on, time_zone, created_at, updated_at FROM campaigns "
    "WHERE slug = $1"};
constexpr Sql kListCampaigns{
    "SELECT id, slug, name, description, starts_on, ends_on, time_zone, created_at, updated_at FROM campaigns "
    "WHERE id > $1 ORDER BY id LIMIT $2"};
constexpr Sql kThemesOf{
    "SELECT title, summary, starts_on, ends_on FROM campaign_themes WHERE campaign_id = $1 ORDER BY position"};
constexpr Sql kHashtagsOf{"SELECT tag FROM campaign_hashtags WHERE campaign_id = $1 ORDER BY position"};

constexpr Sql kOrganizationBySlug{
    "SELECT id, slug, name, kind, website, logo_url, description, contact_email, created_at FROM organizations "
    "WHERE slug = $1"};
constexpr Sql kInsertOrganization{
    "INSERT INTO organizations (slug, name, kind, website, logo_url, description, contact_email, created_by, "
    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id"};

constexpr Sql kInsertApplication{
    "INSERT INTO campaign_partners (campaign_id, organization_id, status, applied_by, applied_at) "
    "VALUES ($1, $2, 'pending', $3, $4)"};
constexpr Sql kDecide{
    "UPDATE campaign_partners SET status = $3, reason = $4, decided_by = $5, decided_at = $6 "
    "WHERE campaign_id = $1 AND organization_id = $2"};
constexpr Sql kListApplications{
    "SELECT o.id, o.slug, o.name, o.kind, o.website, o.logo_url, o.description, o.contact_email, o.created_at, "
    "p.status, p.reason, p.applied_at, p.decided_at FROM campaign_partners p "
    "JOIN organizations o ON o.id = p.organization_id "
    "WHERE p.campaign_id = $1 AND ($2 = '' OR p.status = $2) AND o.id > $3 ORDER BY o.id LIMIT $4",
    "SELECT o.id, o.slug, o.name, o.kind, o.website, o.logo_url, o.description, o.contact_email, o.created_at, "
    "p.status, p.reason, p.applied_at, p.decided_at FROM campaign_partners p "
    "JOIN organizations o ON o.id = p.organization_id "
    "WHERE p.campaign_id = $1 AND ($2::text = '' OR p.status = $2::text) AND o.id > $3 ORDER BY o.id LIMIT $4"};
constexpr Sql kFindApplication{
    "SELECT o.id, o.slug, o.name, o.kind, o.website, o.logo_url, o.description, o.contact_email, o.created_at, "
    "p.status, p.reason, p.applied_at, p.decided_at FROM campaign_partners p "
    "JOIN organizations o ON o.id = p.organization_id WHERE p.campaign_id = $1 AND p.organization_id = $2"};

// A user reference; 0 (a tool acting without an account) is stored as NULL.
Value user_ref(std::int64_t id) {
  return id ? Value(id) : Value();
}

constexpr Sql kInsertInvitation{
    "INSERT INTO organization_invitations (organization_id, email, token_hash, invited_by, created_at, expires_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"};
constexpr Sql kPendingInvitations{
    "SELECT id, organization_id, email, created_at, expires_at FROM organization_invitations "
    "WHERE organization_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY id LIMIT 500"};
constexpr Sql kDeleteInvitation{
    "DELETE FROM organization_invitations WHERE organization_id = $1 AND id = $2 AND accepted_at IS NULL"};
constexpr Sql kFindInvitation{
    "SELECT id, organization_id, email, created_at, expires_at FROM organization_invitations "
    "WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2"};
constexpr Sql kAcceptInvitation{
    "UPDATE organization_invitations SET accepted_at = $3, accepted_by = $2 WHERE id = $1 AND accepted_at IS NULL"};
constexpr Sql kOrganizationById{
    "SELECT id, slug, name, kind, website, logo_url, description, contact_email, created_at FROM organizations "
    "WHERE id = $1"};

Invitation invitation_from(const db::Row& r) {
  Invitation i;
  i.id = r.int64(0);
  i.organization_id = r.int64(1);
  i.email = r.text(2);
  i.created_at = r.int64(3);
  i.expires_at = r.int64(4);
  return i;
}

Campaign campaign_from(const db::Row& r) {
  Campaign c;
  c.id = r.int64(0);
  c.slug = r.text(1);
  c.name = r.text(2);
  c.description = r.text(3);
  c.starts_on = r.text(4);
  c.ends_on = r.text(5);
  c.time_zone = r.text(6);
  c.created_at = r.int64(7);
  c.updated_at = r.int64(8);
  return c;
}

Organization organization_from(const db::Row& r) {
  return {r.int64(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6), r.text(7), r.int64(8)};
}

Application application_from(const db::Row& r) {
  Application a;
  a.organization = organization_from(r);
  a.status = parse_partner_status(r.text(9)).value_or(PartnerStatus::Pending);
  a.reason = r.text(10);
  a.applied_at = r.int64(11);
  a.decided_at = r.opt_int64(12);
  return a;
}

Status load_children(db::Connection& c, Campaign& campaign) {
  const Value p[] = {campaign.id};
  SR_ASSIGN(auto themes, c.query(kThemesOf, p));
  for (const auto& r : themes.rows) campaign.themes.push_back({r.text(0), r.text(1), r.text(2), r.text(3)});
  SR_ASSIGN(auto tags, c.query(kHashtagsOf, p));
  for (const auto& r : tags.rows) campaign.hashtags.push_back(r.text(0));
  return {};
}
}  // namespace

Result<std::int64_t> insert_campaign(db::Connection& c, const Campaign& k, EpochMs now) {
  const Value p[] = {k.slug, k.name, k.description, k.starts_on, k.ends_on, k.time_zone, now};
  auto rows = c.query(kInsertCampaign, p);
  if (!rows.ok()) {
    if (db::is_unique_violation(rows.error()))
      return Error::conflict("a campaign with the slug '" + k.slug + "' exists");
    return std::move(rows).error();
  }
  return rows->front().int64(0);
}

Status update_campaign(db::Connection& c, const Campaign& k, EpochMs now) {
  const Value p[] = {k.id, k.name, k.description, k.starts_on, k.ends_on, k.time_zone, now};
  SR_TRY(c.query(kUpdateCampaign, p));
  return {};
}

Status replace_themes_and_hashtags(db::Connection& c, const Campaign& k) {
  const Value id[] = {k.id};
  SR_TRY(c.query(kDeleteThemes, id));
  SR_TRY(c.query(kDeleteHashtags, id));
  for (std::size_t i = 0; i < k.themes.size(); ++i) {
    const auto& t = k.themes[i];
    const Value p[] = {k.id, static_cast<std::int64_t>(i), t.title, t.summary, t.starts_on, t.ends_on};
    SR_TRY(c.query(kInsertTheme, p));
  }
  for (std::size_t i = 0; i < k.hashtags.size(); ++i) {
    const Value p[] = {k.id, static_cast<std::int64_t>(i), k.hashtags[i]};
    SR_TRY(c.query(kInsertHashtag, p));
  }
  return {};
}

Result<std::optional<Campaign>> find_campaign(db::Connection& c, const std::string& slug) {
  const Value p[] = {slug};
  SR_ASSIGN(auto rows, c.query(kCampaignBySlug, p));
  if (rows.empty()) return std::optional<Campaign>();
  Campaign k = campaign_from(rows.front());
  SR_TRY(load_children(c, k));
  return std::optional(std::move(k));
}

Result<std::vector<Campaign>> list_campaigns(db::Connection& c, std::int64_t after_id, int limit) {
  const Value p[] = {after_id, static_cast<std::int64_t>(limit)};
  SR_ASSIGN(auto rows, c.query(kListCampaigns, p));
  std::vector<Campaign> out;
  for (const auto& r : rows.rows) {
    out.push_back(campaign_from(r));
    SR_TRY(load_children(c, out.back()));
  }
  return out;
}

Result<std::optional<Organization>> find_organization(db::Connection& c, const std::string& slug) {
  const Value p[] = {slug};
  SR_ASSIGN(auto rows, c.query(kOrganizationBySlug, p));
  if (rows.empty()) return std::optional<Organization>();
  return std::optional(organization_from(rows.front()));
}

Result<std::int64_t> insert_organization(db::Connection& c, const Organization& o, std::int64_t created_by,
                                         EpochMs now) {
  const Value p[] = {
      o.slug, o.name, o.kind, o.website, o.logo_url, o.description, o.contact_email, user_ref(created_by), now};
  auto rows = c.query(kInsertOrganization, p);
  if (!rows.ok()) {
    if (db::is_unique_violation(rows.error())) {
      return Error::conflict("an organization with the slug '" + o.slug + "' exists; choose another slug");
    }
    return std::move(rows).error();
  }
  return rows->front().int64(0);
}

Status insert_application(db::Connection& c, std::int64_t campaign_id, std::int64_t organization_id,
                          std::int64_t applied_by, EpochMs now) {
  const Value p[] = {campaign_id, organization_id, user_ref(applied_by), now};
  auto rows = c.query(kInsertApplication, p);
  if (!rows.ok()) {
    if (db::is_unique_violation(rows.error())) return Error::conflict("this organization has already applied");
    return std::move(rows).error();
  }
  return {};
}

Result<std::int64_t> decide_application(db::Connection& c, std::int64_t campaign_id, std::int64_t organization_id,
                                        PartnerStatus status, const std::string& reason, std::int64_t decided_by,
                                        EpochMs now) {
  const Value p[] = {campaign_id, organization_id, std::string(to_string(status)), reason, user_ref(decided_by), now};
  SR_ASSIGN(auto rows, c.query(kDecide, p));
  return rows.affected;
}

Result<std::vector<Application>> list_applications(db::Connection& c, std::int64_t campaign_id,
                                                   std::optional<PartnerStatus> status, std::int64_t after_org_id,
                                                   int limit) {
  const Value p[] = {campaign_id, status ? std::string(to_string(*status)) : std::string(), after_org_id,
                     static_cast<std::int64_t>(limit)};
  SR_ASSIGN(auto rows, c.query(kListApplications, p));
  std::vector<Application> out;
  for (const auto& r : rows.rows) out.push_back(application_from(r));
  return out;
}

Result<std::optional<Application>> find_application(db::Connection& c, std::int64_t campaign_id,
                                                    std::int64_t organization_id) {
  const Value p[] = {campaign_id, organization_id};
  SR_ASSIGN(auto rows, c.query(kFindApplication, p));
  if (rows.empty()) return std::optional<Application>();
  return std::optional(application_from(rows.front()));
}

Result<Invitation> insert_invitation(db::Connection& c, std::int64_t organization_id, const std::string& email,
                                     const std::string& token_hash, std::int64_t invited_by, EpochMs now) {
  const Value p[] = {organization_id, email, token_hash, user_ref(invited_by), now, now + kInvitationLifetime};
  SR_ASSIGN(auto rows, c.query(kInsertInvitation, p));
  return Invitation{rows.front().int64(0), organization_id, email, now, now + kInvitationLifetime, std::nullopt};
}

Result<std::vector<Invitation>> pending_invitations(db::Connection& c, std::int64_t organization_id, EpochMs now) {
  const Value p[] = {organization_id, now};
  SR_ASSIGN(auto rows, c.query(kPendingInvitations, p));
  std::vector<Invitation> out;
  out.reserve(rows.rows.size());
  for (const auto& r : rows.rows) out.push_back(invitation_from(r));
  return out;
}

Result<std::int64_t> delete_invitation(db::Connection& c, std::int64_t organization_id, std::int64_t id) {
  const Value p[] = {organization_id, id};
  SR_ASSIGN(auto rows, c.query(kDeleteInvitation, p));
  return rows.affected;
}

Result<std::optional<Invitation>> find_invitation(db::Connection& c, const std::string& token_hash, EpochMs now) {
  const Value p[] = {token_hash, now};
  SR_ASSIGN(auto rows, c.query(kFindInvitation, p));
  if (rows.empty()) return std::optional<Invitation>();
  return std::optional(invitation_from(rows.front()));
}

Status accept_invitation(db::Connection& c, std::int64_t id, std::int64_t user_id, EpochMs now) {
  const Value p[] = {id, user_id, now};
  SR_TRY(c.query(kAcceptInvitation, p));
  return {};
}

Result<std::optional<Organization>> find_organization_by_id(db::Connection& c, std::int64_t id) {
  const Value p[] = {id};
  SR_ASSIGN(auto rows, c.query(kOrganizationById, p));
  if (rows.empty()) return std::optional<Organization>();
  return std::optional(organization_from(rows.front()));
}

}  // namespace staffroom::catalog::store
