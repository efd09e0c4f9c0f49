// District use cases against a real database, on every backend.
#include "districts/service.hpp"

#include <gtest/gtest.h>

#include "accounts/service.hpp"
#include "db/testing.hpp"

using namespace staffroom;
using namespace staffroom::districts;

class Districts : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db::test_support::available(GetParam())) GTEST_SKIP() << "set STAFFROOM_TEST_PG to a PostgreSQL admin URL";
    crypto::set_password_cost({1, 8192});
    t_ = std::make_unique<db::test_support::TestDatabase>(GetParam());
    accounts_ = std::make_unique<accounts::AccountsService>(t_->db(), accounts::AccountsConfig{});
    accounts_->on_identity_verified([](db::Connection& c, std::int64_t user_id, const std::vector<std::string>& p) {
      return store::link_members(c, user_id, p, now_ms());
    });
    svc_ = std::make_unique<DistrictService>(t_->db());
  }
  void TearDown() override { crypto::set_password_cost(crypto::default_password_cost()); }

  Identity person(const std::string& email, bool confirmed = true) {
    auto s = accounts_->sign_up(email, "a long password", "Person " + email.substr(0, email.find('@')));
    EXPECT_TRUE(s.ok());
    if (confirmed) {
      auto mail = accounts_->list_mail(0, 1);
      const std::string& body = mail->items.front().body;
      const auto at = body.find("/verify-email?token=");
      EXPECT_TRUE(accounts_->confirm_email(body.substr(at + 20, body.find_first_of(" \n", at) - at - 20)).ok());
    }
    return **accounts_->authenticate_session(s->session_token);
  }
  static District springfield() {
    District d;
    d.slug = "springfield";
    d.name = "Springfield Public Schools";
    d.state = "OH";
    d.time_zone = "America/New_York";
    d.schools = {{0, "Lincoln Elementary"}};
    return d;
  }

  std::unique_ptr<db::test_support::TestDatabase> t_;
  std::unique_ptr<accounts::AccountsService> accounts_;
  std::unique_ptr<DistrictService> svc_;
};

TEST_P(Districts, TheCreatorIsTheFirstAdminAndOnlyAdminsSeeTheCode) {
  auto admin = person("pd@springfield.k12.oh.us");
  auto v = svc_->create(admin, springfield());
  ASSERT_TRUE(v.ok()) << v.error().detail;
  EXPECT_TRUE(v->can_manage);
  EXPECT_EQ(v->me->role, MemberRole::Admin);
  EXPECT_EQ(v->district.schools.size(), 1u);
  EXPECT_EQ(svc_->create(admin, springfield()).error().code, ErrorCode::Validation);  // slug taken

  auto teacher = person("teacher@elsewhere.org");
  auto joined = svc_->join_by_code(teacher, " " + v->district.join_code.substr(0, 4) + v->district.join_code.substr(5));
  ASSERT_TRUE(joined.ok()) << joined.error().detail;
  EXPECT_EQ(joined->member.role, MemberRole::Educator);
  auto seen = svc_->get("springfield", teacher);
  ASSERT_TRUE(seen.ok());
  EXPECT_FALSE(seen->can_manage);
  // Joining twice answers the same membership.
  EXPECT_EQ(svc_->join_by_code(teacher, v->district.join_code)->member.id, joined->member.id);

  auto outsider = person("someone@else.org");
  EXPECT_EQ(svc_->get("springfield", outsider).error().code, ErrorCode::Forbidden);
  EXPECT_EQ(svc_->members("springfield", teacher, std::nullopt, "", 0, 10).error().code, ErrorCode::Forbidden);
  EXPECT_EQ(svc_->rotate_join_code("springfield", teacher).error().code, ErrorCode::Forbidden);

  auto rotated = svc_->rotate_join_code("springfield", admin);
  ASSERT_TRUE(rotated.ok());
  EXPECT_NE(rotated->district.join_code, v->district.join_code);
  EXPECT_EQ(svc_->join_by_code(outsider, v->district.join_code).error().code, ErrorCode::Validation);
}

TEST_P(Districts, AnUnconfirmedAddressCannotCreateADistrict) {
  auto who = person("new@springfield.k12.oh.us", false);
  EXPECT_EQ(svc_->create(who, springfield()).error().code, ErrorCode::Forbidden);
}

TEST_P(Districts, DomainsNeedAnAdminWhoProvesThemAndLetConfirmedAddressesJoin) {
  auto admin = person("pd@springfield.k12.oh.us");
  ASSERT_TRUE(svc_->create(admin, springfield()).ok());
  EXPECT_EQ(svc_->add_domain("springfield", admin, "gmail.com").error().code, ErrorCode::Validation);
  EXPECT_EQ(svc_->add_domain("springfield", admin, "shelbyville.k12.oh.us").error().code, ErrorCode::Forbidden);
  auto added = svc_->add_domain("springfield", admin, "Springfield.K12.OH.us");
  ASSERT_TRUE(added.ok()) << added.error().detail;
  EXPECT_EQ(added->district.domains, std::vector<std::string>{"springfield.k12.oh.us"});

  auto unconfirmed = person("late@springfield.k12.oh.us", false);
  EXPECT_FALSE(svc_->joinable_by_domain(unconfirmed)->has_value());
  EXPECT_EQ(svc_->join_by_domain(unconfirmed, "springfield").error().code, ErrorCode::Forbidden);

  auto teacher = person("ms.k@springfield.k12.oh.us");
  auto option = svc_->joinable_by_domain(teacher);
  ASSERT_TRUE(option.ok() && option->has_value());
  EXPECT_EQ((*option)->slug, "springfield");
  EXPECT_TRUE((*option)->join_code.empty());
  auto joined = svc_->join_by_domain(teacher, "springfield");
  ASSERT_TRUE(joined.ok()) << joined.error().detail;
  EXPECT_EQ(joined->member.joined_via, JoinedVia::Domain);
  EXPECT_FALSE(svc_->joinable_by_domain(teacher)->has_value());

  auto other = person("x@elsewhere.org");
  EXPECT_EQ(svc_->join_by_domain(other, "springfield").error().code, ErrorCode::Forbidden);
}

TEST_P(Districts, ARosterImportsAllOrNothingAndWaitsForConfirmedAddresses) {
  auto admin = person("pd@springfield.k12.oh.us");
  ASSERT_TRUE(svc_->create(admin, springfield()).ok());
  auto bad = svc_->import_roster("springfield", admin,
                                 "email,name,school,role\nada@sps.org,Ada,Lincoln Elementary,approver\n"
                                 "broken,Bob,,\n",
                                 false);
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.error().fields.size(), 1u);
  EXPECT_EQ(bad.error().fields[0].field, "line 3, email");
  EXPECT_EQ(svc_->members("springfield", admin, std::nullopt, "", 0, 10)->items.size(), 1u);  // nothing imported

  const std::string roster =
      "email,name,school,role\nada@sps.org,Ada,Lincoln Elementary,approver\nbob@sps.org,Bob,Oak Middle,\n";
  auto dry = svc_->import_roster("springfield", admin, roster, true);
  ASSERT_TRUE(dry.ok()) << dry.error().detail;
  EXPECT_EQ(dry->added, 2);
  EXPECT_FALSE(dry->applied);
  EXPECT_EQ(dry->new_schools, std::vector<std::string>{"Oak Middle"});
  EXPECT_EQ(svc_->members("springfield", admin, std::nullopt, "", 0, 10)->items.size(), 1u);

  auto done = svc_->import_roster("springfield", admin, roster, false);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->added, 2);
  auto again = svc_->import_roster("springfield", admin, roster, false);
  EXPECT_EQ(again->unchanged, 2);
  auto approvers = svc_->members("springfield", admin, MemberRole::Approver, "", 0, 10);
  ASSERT_EQ(approvers->items.size(), 1u);
  EXPECT_FALSE(approvers->items[0].user_id.has_value());

  // Ada signs up: until her address is confirmed, the roster's approver role
  // is not hers.
  auto ada = person("ada@sps.org", false);
  EXPECT_EQ(svc_->get("springfield", ada).error().code, ErrorCode::Forbidden);
  EXPECT_EQ(svc_->join_by_code(ada, svc_->get("springfield", admin)->district.join_code).error().code,
            ErrorCode::Conflict);
  auto mail = accounts_->list_mail(0, 1);
  const std::string& body = mail->items.front().body;
  const auto at = body.find("/verify-email?token=");
  ASSERT_TRUE(accounts_->confirm_email(body.substr(at + 20, body.find_first_of(" \n", at) - at - 20)).ok());
  auto seen = svc_->get("springfield", ada);
  ASSERT_TRUE(seen.ok()) << seen.error().detail;
  EXPECT_TRUE(seen->can_decide);
  EXPECT_FALSE(seen->can_manage);

  auto csv = svc_->export_roster("springfield", admin);
  ASSERT_TRUE(csv.ok());
  EXPECT_NE(csv->find("ada@sps.org,Ada,Lincoln Elementary,approver"), std::string::npos) << *csv;
  EXPECT_EQ(svc_->export_roster("springfield", ada).error().code, ErrorCode::Forbidden);
}

TEST_P(Districts, ADistrictAlwaysKeepsAnAdmin) {
  auto admin = person("pd@springfield.k12.oh.us");
  auto v = svc_->create(admin, springfield());
  ASSERT_TRUE(v.ok());
  const auto me = v->me->id;
  EXPECT_EQ(svc_->remove_member("springfield", admin, me).error().code, ErrorCode::Conflict);
  EXPECT_EQ(
      svc_->update_member("springfield", admin, me, {MemberRole::Educator, std::nullopt, std::nullopt}).error().code,
      ErrorCode::Conflict);
  auto own_role =
      svc_->import_roster("springfield", admin, "email,name,role\npd@springfield.k12.oh.us,PD,educator\n", false);
  ASSERT_FALSE(own_role.ok());
  EXPECT_EQ(own_role.error().fields[0].field, "line 2, role");

  auto teacher = person("t@else.org");
  auto joined = svc_->join_by_code(teacher, v->district.join_code);
  auto promoted = svc_->update_member("springfield", admin, joined->member.id,
                                      {MemberRole::Admin, "Lincoln Elementary", std::nullopt});
  ASSERT_TRUE(promoted.ok()) << promoted.error().detail;
  EXPECT_EQ(promoted->school, "Lincoln Elementary");
  EXPECT_TRUE(svc_->remove_member("springfield", admin, me).ok());  // leaving, now that another admin exists
  EXPECT_EQ(svc_->get("springfield", admin).error().code, ErrorCode::Forbidden);
}

INSTANTIATE_TEST_SUITE_P(Backends, Districts, ::testing::ValuesIn(db::test_support::backends()),
                         [](const auto& p) { return p.param; });
