// The demo campaign comes out at the scale of August 2012, through the same
// figures a real campaign has, on every backend.
#include "demo/demo.hpp"

#include <gtest/gtest.h>

#include "accounts/store.hpp"
#include "activities/service.hpp"
#include "db/testing.hpp"

using namespace staffroom;

class Demo : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db::test_support::available(GetParam())) GTEST_SKIP() << "set STAFFROOM_TEST_PG to a PostgreSQL admin URL";
    t_ = std::make_unique<db::test_support::TestDatabase>(GetParam());
  }
  std::unique_ptr<db::test_support::TestDatabase> t_;
};

TEST_P(Demo, ReachesTheScaleOfConnectedEducatorMonth) {
  std::int64_t demo_user = 0;
  {
    auto lease = t_->db().acquire();
    ASSERT_TRUE(lease.ok());
    auto id = accounts::store::insert_user(**lease, demo::kDemoEducator, "Demo Educator", "!", now_ms());
    ASSERT_TRUE(id.ok());
    demo_user = *id;
  }
  int reports = 0;
  auto loaded = demo::load(t_->db(), demo::Sizes{}, [&](const std::string&, int, int) { ++reports; });
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_TRUE(loaded->created);
  EXPECT_GT(reports, 5);

  activities::ActivityService svc(t_->db(), {});
  auto m = svc.impact(demo::kCampaign);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->organizations, 151);
  EXPECT_EQ(m->activities, 455);
  EXPECT_GT(m->facilitators, 2000);
  EXPECT_NEAR(m->new_partnership_share, 1.0 / 3, 0.02);
  EXPECT_GT(m->attendees, 5000);
  EXPECT_GT(m->pd_hours, 85000);
  EXPECT_LT(m->pd_hours, 95000);
  // The demo educator took part in some of it.
  Identity educator;
  educator.user_id = demo_user;
  educator.email = demo::kDemoEducator;
  EXPECT_GE(svc.schedule(educator)->size(), 10u);
  EXPECT_GE(svc.my_attendance(educator)->size(), 10u);
  // Pairs that worked together in the pilot are not new.
  auto pairs = svc.partnerships(demo::kCampaign);
  ASSERT_TRUE(pairs.ok());
  int known = 0;
  for (const auto& p : *pairs) known += p.is_new ? 0 : 1;
  EXPECT_EQ(known, 20);

  // A second run changes nothing.
  auto again = demo::load(t_->db(), demo::Sizes{}, nullptr);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->created);
  EXPECT_EQ(svc.impact(demo::kCampaign)->registrations, m->registrations);
}

INSTANTIATE_TEST_SUITE_P(Backends, Demo, ::testing::ValuesIn(db::test_support::backends()),
                         [](const auto& p) { return p.param; });
