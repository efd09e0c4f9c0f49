// Catalog use cases against a real database, on every backend.
#include "catalog/service.hpp"

#include <gtest/gtest.h>

#include "accounts/service.hpp"
#include "db/testing.hpp"

using namespace staffroom;
using namespace staffroom::catalog;

class Catalog : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db::test_support::available(GetParam())) GTEST_SKIP() << "set STAFFROOM_TEST_PG to a PostgreSQL admin URL";
    crypto::set_password_cost({1, 8192});
    t_ = std::make_unique<db::test_support::TestDatabase>(GetParam());
    accounts_ = std::make_unique<accounts::AccountsService>(t_->db(), accounts::AccountsConfig{});
    svc_ = std::make_unique<CatalogService>(t_->db());
  }
  void TearDown() override { crypto::set_password_cost(crypto::default_password_cost()); }

  Identity educator(const std::string& email) {
    auto s = accounts_->sign_up(email, "a long password", "Someone");
    EXPECT_TRUE(s.ok());
    return **accounts_->authenticate_session(s->session_token);
  }
  Identity refreshed(const Identity& who) {
    auto s = accounts_->sign_in(who.email, "a long password", "10.0.0.1");
    return **accounts_->authenticate_session(s->session_token);
  }
  static Campaign august() {
    Campaign c;
    c.slug = "cem-2012";
    c.name = "Connected Educator Month";
    c.starts_on = "2012-08-01";
    c.ends_on = "2012-08-31";
    c.time_zone = "America/New_York";
    c.themes = {{"Getting connected", "", "2012-08-01", "2012-08-07"}, {"Leading", "", "2012-08-08", "2012-08-14"}};
    c.hashtags = {"#ce12", "edchat"};
    return c;
  }
  static Organization org(const std::string& slug) {
    return {0, slug, "Org " + slug, "nonprofit", "https://" + slug + ".org", "", "", "pd@" + slug + ".org", 0};
  }

  std::unique_ptr<db::test_support::TestDatabase> t_;
  std::unique_ptr<accounts::AccountsService> accounts_;
  std::unique_ptr<CatalogService> svc_;
};

TEST_P(Catalog, CampaignsKeepThemesAndHashtagsInOrder) {
  auto c = svc_->create_campaign(august());
  ASSERT_TRUE(c.ok()) << c.error().detail;
  EXPECT_EQ(c->hashtags, (std::vector<std::string>{"ce12", "edchat"}));
  ASSERT_EQ(c->themes.size(), 2u);
  EXPECT_EQ(c->themes[1].title, "Leading");
  EXPECT_EQ(svc_->create_campaign(august()).error().code, ErrorCode::Conflict);

  CampaignChanges ch;
  ch.name = "Connected Educator Month 2012";
  ch.hashtags = std::vector<std::string>{"#CE12"};
  auto u = svc_->update_campaign("cem-2012", ch);
  ASSERT_TRUE(u.ok()) << u.error().detail;
  EXPECT_EQ(u->name, "Connected Educator Month 2012");
  EXPECT_EQ(u->hashtags, (std::vector<std::string>{"CE12"}));
  EXPECT_EQ(u->themes.size(), 2u) << "themes not sent are kept";

  CampaignChanges bad;
  bad.ends_on = "2012-07-01";
  auto refused = svc_->update_campaign("cem-2012", bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::Validation);
  EXPECT_EQ(svc_->get_campaign("cem-2012")->ends_on, "2012-08-31") << "a refused change leaves nothing behind";
}

TEST_P(Catalog, AnApplicantBecomesStaffAndAnOrganizerDecides) {
  ASSERT_TRUE(svc_->create_campaign(august()).ok());
  auto ada = educator("ada@iste.org");
  auto app = svc_->apply("cem-2012", ada, org("iste"));
  ASSERT_TRUE(app.ok()) << app.error().detail;
  EXPECT_EQ(app->status, PartnerStatus::Pending);
  ada = refreshed(ada);  // the next request sees the new grant
  EXPECT_TRUE(ada.has_scoped_role("org_staff", "organization", "iste"));
  EXPECT_EQ(svc_->apply("cem-2012", ada, org("iste")).error().code, ErrorCode::Conflict);

  auto bob = educator("bob@else.org");
  auto squat = svc_->apply("cem-2012", bob, org("iste"));
  ASSERT_FALSE(squat.ok());
  EXPECT_EQ(squat.error().code, ErrorCode::Forbidden) << "only an organization's staff apply for it";

  ASSERT_TRUE(svc_->apply("cem-2012", bob, org("ascd")).ok());
  EXPECT_EQ(svc_->decide("cem-2012", "ascd", PartnerStatus::Declined, "", ada).error().code, ErrorCode::Validation);
  ASSERT_TRUE(svc_->decide("cem-2012", "ascd", PartnerStatus::Declined, "Duplicate of an earlier entry", ada).ok());
  auto approved = svc_->decide("cem-2012", "iste", PartnerStatus::Approved, "", ada);
  ASSERT_TRUE(approved.ok());
  EXPECT_TRUE(approved->decided_at.has_value());

  auto partners = svc_->list_applications("cem-2012", PartnerStatus::Approved, 0, 20);
  ASSERT_EQ(partners->items.size(), 1u);
  EXPECT_EQ(partners->items[0].organization.slug, "iste");
  auto all = svc_->list_applications("cem-2012", std::nullopt, 0, 1);
  ASSERT_EQ(all->items.size(), 1u);
  ASSERT_TRUE(all->next_after);
  auto rest = svc_->list_applications("cem-2012", std::nullopt, *all->next_after, 1);
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].status, PartnerStatus::Declined);
  EXPECT_EQ(rest->items[0].reason, "Duplicate of an earlier entry");

  EXPECT_EQ(svc_->decide("cem-2012", "nobody", PartnerStatus::Approved, "", ada).error().code, ErrorCode::NotFound);
  EXPECT_EQ(svc_->apply("no-such", ada, org("x1")).error().code, ErrorCode::NotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, Catalog, ::testing::ValuesIn(db::test_support::backends()),
                         [](const auto& p) { return p.param; });

TEST_P(Catalog, StaffInviteColleaguesWhoAcceptWithTheirOwnEmail) {
  ASSERT_TRUE(svc_->create_campaign(august()).ok());
  auto ana = educator("ana@example.org");
  ASSERT_TRUE(svc_->apply("cem-2012", ana, org("iste")).ok());
  ana = refreshed(ana);
  EXPECT_EQ(svc_->invite("iste", "not an email", ana).error().code, ErrorCode::Validation);
  EXPECT_EQ(svc_->invite("iste", "ana@example.org", ana).error().code, ErrorCode::Conflict);
  auto inv = svc_->invite("iste", "Ben@Example.org", ana);
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->email, "ben@example.org");
  EXPECT_EQ(svc_->invite("iste", "ben@example.org", ana).error().code, ErrorCode::Conflict);

  // The link only travels by mail.
  auto mail = accounts_->list_mail(0, 10);
  ASSERT_TRUE(mail.ok());
  const auto& body = mail->items.at(0).body;
  const auto at = body.find("token=");
  ASSERT_NE(at, std::string::npos);
  const auto token = body.substr(at + 6, body.find('\n', at) - at - 6);

  auto eve = educator("eve@example.org");
  EXPECT_EQ(svc_->accept_invitation(token, eve).error().code, ErrorCode::Forbidden);
  auto ben = educator("ben@example.org");
  auto joined = svc_->accept_invitation(token, ben);
  ASSERT_TRUE(joined.ok()) << joined.error().detail;
  EXPECT_EQ(joined->slug, "iste");
  EXPECT_EQ(svc_->accept_invitation(token, ben).error().code, ErrorCode::BadRequest);
  ben = refreshed(ben);
  EXPECT_TRUE(ben.has_scoped_role("org_staff", "organization", "iste"));

  auto list = svc_->staff("iste");
  ASSERT_EQ(list->staff.size(), 2u);
  EXPECT_TRUE(list->invitations.empty());
  ASSERT_TRUE(svc_->remove_staff("iste", ben.user_id, ana).ok());
  EXPECT_EQ(svc_->remove_staff("iste", ana.user_id, ana).error().code, ErrorCode::Conflict);

  auto again = svc_->invite("iste", "cy@example.org", ana);
  ASSERT_TRUE(svc_->withdraw_invitation("iste", again->id).ok());
  EXPECT_TRUE(svc_->staff("iste")->invitations.empty());
}
