// LRS clients against a real database, on every backend.
#include "lrs/service.hpp"

#include <gtest/gtest.h>

#include "accounts/service.hpp"
#include "catalog/service.hpp"
#include "db/testing.hpp"

using namespace staffroom;
using namespace staffroom::lrs;

class Lrs : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db::test_support::available(GetParam())) GTEST_SKIP() << "set STAFFROOM_TEST_PG to a PostgreSQL admin URL";
    crypto::set_password_cost({1, 8192});
    t_ = std::make_unique<db::test_support::TestDatabase>(GetParam());
    accounts::AccountsService accounts(t_->db(), accounts::AccountsConfig{});
    catalog::CatalogService catalog(t_->db());
    catalog::Campaign c{0, "cem", "CEM", "", "2012-08-01", "2012-08-31", "America/New_York", {}, {}, 0, 0};
    ASSERT_TRUE(catalog.create_campaign(c).ok());
    auto s = accounts.sign_up("host@example.org", "a long password", "Host");
    auto who = **accounts.authenticate_session(s->session_token);
    catalog::Organization o{0, "iste", "ISTE", "association", "", "", "", "pd@iste.org", 0};
    ASSERT_TRUE(catalog.apply("cem", who, o).ok());
    svc_ = std::make_unique<LrsService>(t_->db());
  }
  void TearDown() override { crypto::set_password_cost(crypto::default_password_cost()); }
  std::unique_ptr<db::test_support::TestDatabase> t_;
  std::unique_ptr<LrsService> svc_;
};

TEST_P(Lrs, ClientsAuthenticateUntilRevoked) {
  auto made = svc_->create_client("iste", "Webinar platform", default_scopes(), 0);
  ASSERT_TRUE(made.ok()) << made.error().detail;
  EXPECT_EQ(made->client.organization_slug, "iste");
  EXPECT_TRUE(made->client.has_scope("statements/write"));
  EXPECT_FALSE(made->client.has_scope("statements/read"));
  auto ok = svc_->authenticate(made->client.key, made->secret);
  ASSERT_TRUE(ok.ok());
  ASSERT_TRUE(ok->has_value());
  EXPECT_EQ((*ok)->id, made->client.id);
  EXPECT_FALSE(svc_->authenticate(made->client.key, made->secret + "x")->has_value());
  EXPECT_FALSE(svc_->authenticate("lrs_unknown", made->secret)->has_value());

  EXPECT_EQ(svc_->create_client("nobody", "x", default_scopes(), 0).error().code, ErrorCode::NotFound);
  EXPECT_EQ(svc_->create_client("iste", "x", {"everything"}, 0).error().code, ErrorCode::Validation);

  ASSERT_TRUE(svc_->revoke_client("iste", made->client.id).ok());
  EXPECT_FALSE(svc_->authenticate(made->client.key, made->secret)->has_value());
  EXPECT_EQ(svc_->revoke_client("iste", made->client.id).error().code, ErrorCode::NotFound);
  auto list = svc_->list_clients("iste");
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].revoked_at.has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, Lrs, ::testing::ValuesIn(db::test_support::backends()),
                         [](const auto& p) { return p.param; });
