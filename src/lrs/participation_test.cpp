// Which statements count as participation, and for how many minutes.
#include "lrs/participation.hpp"

#include <gtest/gtest.h>

using namespace staffroom;
using namespace staffroom::lrs;

namespace {
constexpr EpochMs kMinute = 60000;
constexpr EpochMs kStart = 1344366000000;  // 2012-08-07T19:00:00Z

activities::Activity weekly(int sessions, int minutes) {
  activities::Activity a;
  a.id = 42;
  a.start = "2012-08-07T15:00";
  a.duration_minutes = minutes;
  for (int i = 0; i < sessions; ++i) {
    const EpochMs s = kStart + EpochMs{i} * 7 * 24 * 60 * kMinute;
    a.sessions.push_back({s, s + minutes * kMinute});
  }
  a.first_start = kStart;
  return a;
}
}  // namespace

TEST(Participation, VerbsThatCount) {
  EXPECT_EQ(taking_of("http://adlnet.gov/expapi/verbs/attended"), Taking::Attended);
  EXPECT_EQ(taking_of("http://adlnet.gov/expapi/verbs/passed"), Taking::Passed);
  EXPECT_EQ(taking_of("http://activitystrea.ms/join"), Taking::Joined);
  EXPECT_EQ(taking_of("https://w3id.org/xapi/adl/verbs/left"), Taking::Left);
  EXPECT_FALSE(taking_of("http://adlnet.gov/expapi/verbs/answered"));
  EXPECT_FALSE(taking_of("http://adlnet.gov/expapi/verbs/Attended"));
}

TEST(Participation, CatalogActivitiesByTheirIri) {
  EXPECT_EQ(catalog_activity("https://staffroom.example/activities/42", "https://staffroom.example"), 42);
  EXPECT_EQ(catalog_activity("https://staffroom.example/activities/42/", "https://staffroom.example/"), 42);
  EXPECT_FALSE(catalog_activity("https://staffroom.example/activities/042", "https://staffroom.example"));
  EXPECT_FALSE(catalog_activity("https://staffroom.example/activities/42/recording", "https://staffroom.example"));
  EXPECT_FALSE(catalog_activity("https://elsewhere.example/activities/42", "https://staffroom.example"));
  EXPECT_FALSE(catalog_activity("https://staffroom.example/activities/", "https://staffroom.example"));
  EXPECT_EQ(person_of("mbox:mailto:Ada@Example.org"), "ada@example.org");
  EXPECT_EQ(person_of("account:https://zoom.us 42"), "account:https://zoom.us 42");
}

TEST(Participation, MinutesAndSessions) {
  const auto a = weekly(3, 60);
  const EpochMs second = a.sessions[1].starts_at;
  // Duration given: taken, but never more than the session.
  auto e = evidence_for(a, Taking::Attended, 45 * kMinute, second + 50 * kMinute, std::nullopt);
  EXPECT_EQ(e.minutes, 45);
  EXPECT_EQ(e.session_starts_at, second);
  EXPECT_EQ(evidence_for(a, Taking::Attended, 300 * kMinute, second, std::nullopt).minutes, 60);
  // Without one: the session's length, for attended, completed and passed.
  EXPECT_EQ(evidence_for(a, Taking::Attended, std::nullopt, second, std::nullopt).minutes, 60);
  EXPECT_EQ(evidence_for(a, Taking::Experienced, std::nullopt, second, std::nullopt).minutes, 0);
  // Reported a little early, or an hour after the end: that session.
  EXPECT_EQ(evidence_for(a, Taking::Attended, std::nullopt, second - 10 * kMinute, std::nullopt).session_starts_at,
            second);
  EXPECT_EQ(evidence_for(a, Taking::Attended, std::nullopt, second + 110 * kMinute, std::nullopt).session_starts_at,
            second);
  // Days later: the latest session that had started; before any: the first.
  EXPECT_EQ(
      evidence_for(a, Taking::Attended, std::nullopt, second + 3 * 24 * 60 * kMinute, std::nullopt).session_starts_at,
      second);
  EXPECT_EQ(evidence_for(a, Taking::Attended, std::nullopt, kStart - 600 * kMinute, std::nullopt).session_starts_at,
            kStart);
  // Left: the time since joined, capped; nothing without a join before it.
  EXPECT_EQ(evidence_for(a, Taking::Left, std::nullopt, second + 40 * kMinute, second + 10 * kMinute).minutes, 30);
  EXPECT_EQ(evidence_for(a, Taking::Left, std::nullopt, second + 40 * kMinute, std::nullopt).minutes, 0);
  EXPECT_EQ(evidence_for(a, Taking::Left, std::nullopt, second + 40 * kMinute, second + 50 * kMinute).minutes, 0);
  EXPECT_EQ(evidence_for(a, Taking::Left, std::nullopt, second + 119 * kMinute, second - 15 * kMinute).minutes, 60);
  EXPECT_EQ(evidence_for(a, Taking::Joined, std::nullopt, second, std::nullopt).minutes, 0);
}

TEST(Participation, SelfPacedActivities) {
  activities::Activity a;
  a.available_from = "2012-08-01";
  a.available_until = "2012-08-31";
  a.first_start = kStart;
  a.pd_minutes = 90;
  EXPECT_EQ(evidence_for(a, Taking::Completed, std::nullopt, kStart, std::nullopt).minutes, 90);
  EXPECT_EQ(evidence_for(a, Taking::Passed, std::nullopt, kStart, std::nullopt).minutes, 90);
  EXPECT_EQ(evidence_for(a, Taking::Attended, std::nullopt, kStart, std::nullopt).minutes, 0);
  // Self-paced time is as long as the platform measured.
  EXPECT_EQ(evidence_for(a, Taking::Experienced, 240 * kMinute, kStart, std::nullopt).minutes, 240);
  EXPECT_EQ(evidence_for(a, Taking::Completed, std::nullopt, kStart, std::nullopt).session_starts_at, kStart);
}
