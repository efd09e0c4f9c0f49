// The activity rules: recurrence, time zones across daylight-saving changes,
// field checks, seats and the waiting list, the check-in window, and
// partnership novelty.
#include "activities/model.hpp"

#include <gtest/gtest.h>

using namespace staffroom;
using namespace staffroom::activities;

namespace {

catalog::Campaign august() {
  catalog::Campaign c;
  c.slug = "cem-2012";
  c.time_zone = "America/New_York";
  c.themes = {{"Getting connected", "", "2012-08-01", "2012-08-07"}, {"Leading", "", "2012-08-08", "2012-08-14"}};
  return c;
}

EpochMs utc(const char* text) {
  return *parse_rfc3339(text);
}

bool has_field(const std::vector<FieldError>& errors, const std::string& field) {
  for (const auto& e : errors) {
    if (e.field == field) return true;
  }
  return false;
}

ActivityInput webinar() {
  ActivityInput in;
  in.title = "Flipped classrooms";
  in.format = "webinar";
  in.start = "2012-08-07T19:00";
  in.duration_minutes = 60;
  return in;
}

}  // namespace

TEST(Recurrence, ParsesTheWeeklySubsetAndWritesItCanonically) {
  auto r = parse_rrule("RRULE:FREQ=WEEKLY;BYDAY=WE,MO;INTERVAL=2;COUNT=4");
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->interval, 2);
  EXPECT_EQ((*r)->rrule(), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=4");
  auto until = parse_rrule("FREQ=WEEKLY;UNTIL=20120831T235959Z");
  ASSERT_TRUE(until.ok());
  EXPECT_EQ((*until)->rrule(), "FREQ=WEEKLY;UNTIL=20120831");
  EXPECT_FALSE(parse_rrule("")->has_value());
}

TEST(Recurrence, RefusesWhatItCannotHonour) {
  for (const char* bad : {"FREQ=WEEKLY", "FREQ=DAILY;COUNT=3", "FREQ=WEEKLY;COUNT=0", "FREQ=WEEKLY;COUNT=53",
                          "FREQ=WEEKLY;COUNT=2;UNTIL=20120901", "FREQ=WEEKLY;BYDAY=XX;COUNT=2",
                          "FREQ=WEEKLY;INTERVAL=9;COUNT=2", "FREQ=WEEKLY;BYMONTH=8;COUNT=2", "COUNT=2", "FREQ"}) {
    auto r = parse_rrule(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().fields.at(0).field, "recurrence") << bad;
  }
  EXPECT_NE(parse_rrule("FREQ=WEEKLY").error().fields[0].message.find("needs an end"), std::string::npos);
}

TEST(Recurrence, WeeklySessionsKeepTheirWallTimeAcrossDaylightSavingChanges) {
  // 19:00 in New York every Tuesday from 2012-10-30: EDT (UTC-4) ends on
  // 2012-11-04, so the UTC time moves an hour later.
  auto rule = *parse_rrule("FREQ=WEEKLY;COUNT=3");
  auto sessions = expand(*parse_local_time("2012-10-30T19:00"), 60, rule, "America/New_York");
  ASSERT_EQ(sessions.size(), 3u);
  EXPECT_EQ(sessions[0].starts_at, utc("2012-10-30T23:00:00Z"));
  EXPECT_EQ(sessions[1].starts_at, utc("2012-11-07T00:00:00Z"));
  EXPECT_EQ(sessions[2].starts_at, utc("2012-11-14T00:00:00Z"));
  EXPECT_EQ(sessions[1].ends_at - sessions[1].starts_at, 3600000);
  // Berlin changes on another date (2012-10-28).
  auto berlin = expand(*parse_local_time("2012-10-21T18:00"), 30, *parse_rrule("FREQ=WEEKLY;COUNT=2"), "Europe/Berlin");
  EXPECT_EQ(berlin[0].starts_at, utc("2012-10-21T16:00:00Z"));
  EXPECT_EQ(berlin[1].starts_at, utc("2012-10-28T17:00:00Z"));
}

TEST(Recurrence, ByDayIntervalAndUntil) {
  // Mondays and Wednesdays every other week, from Monday 2012-08-06 until
  // 2012-08-31: 6, 8, 20, 22 August.
  auto rule = *parse_rrule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20120831");
  auto sessions = expand(*parse_local_time("2012-08-06T12:00"), 45, rule, "UTC");
  ASSERT_EQ(sessions.size(), 4u);
  EXPECT_EQ(sessions[0].starts_at, utc("2012-08-06T12:00:00Z"));
  EXPECT_EQ(sessions[1].starts_at, utc("2012-08-08T12:00:00Z"));
  EXPECT_EQ(sessions[2].starts_at, utc("2012-08-20T12:00:00Z"));
  EXPECT_EQ(sessions[3].starts_at, utc("2012-08-22T12:00:00Z"));
  // A long UNTIL stops at the session limit.
  auto many = expand(*parse_local_time("2012-01-02T12:00"), 45, *parse_rrule("FREQ=WEEKLY;UNTIL=20300101"), "UTC");
  EXPECT_EQ(many.size(), static_cast<std::size_t>(kMaxSessions));
}

TEST(TimeZones, SkippedAndRepeatedWallTimes) {
  // 02:30 on 2012-03-11 does not exist in New York: read with the offset
  // before the change (EST), which is 03:30 EDT.
  EXPECT_EQ(*local_to_utc(*parse_local_time("2012-03-11T02:30"), "America/New_York"), utc("2012-03-11T07:30:00Z"));
  // 01:30 on 2012-11-04 happens twice: the first one (EDT) is meant.
  EXPECT_EQ(*local_to_utc(*parse_local_time("2012-11-04T01:30"), "America/New_York"), utc("2012-11-04T05:30:00Z"));
  auto back = utc_to_local(utc("2012-11-04T06:30:00Z"), "America/New_York");
  EXPECT_EQ(format_local_time(*back), "2012-11-04T01:30");
  EXPECT_FALSE(local_to_utc({0, 0}, "Mars/Olympus").has_value());
}

TEST(ActivityInput, ALiveActivityGetsItsSessions) {
  Activity a;
  auto errors = apply_input(a, webinar(), august());
  ASSERT_TRUE(errors.empty()) << errors[0].field << ": " << errors[0].message;
  EXPECT_EQ(a.time_zone, "America/New_York");  // the campaign's
  ASSERT_EQ(a.sessions.size(), 1u);
  EXPECT_EQ(a.first_start, utc("2012-08-07T23:00:00Z"));
  EXPECT_EQ(a.last_end, utc("2012-08-08T00:00:00Z"));
}

TEST(ActivityInput, AnEndTimeSetsTheDurationAndMustFollowTheStart) {
  ActivityInput in = webinar();
  in.duration_minutes.reset();
  in.end = "2012-08-07T20:30";
  Activity a;
  ASSERT_TRUE(apply_input(a, in, august()).empty());
  EXPECT_EQ(a.duration_minutes, 90);
  // Across the night clocks go back, an hour longer than the wall clock says.
  ActivityInput night = webinar();
  night.start = "2012-11-04T00:30";
  night.end = "2012-11-04T02:30";
  Activity n;
  ASSERT_TRUE(apply_input(n, night, august()).empty());
  EXPECT_EQ(n.duration_minutes, 180);
  for (const char* bad : {"2012-08-07T19:00", "2012-08-07T18:00", "2012-08-09T19:00", "tomorrow"}) {
    ActivityInput b = webinar();
    b.end = bad;
    Activity x;
    EXPECT_TRUE(has_field(apply_input(x, b, august()), "end")) << bad;
  }
}

TEST(ActivityInput, ReportsEveryProblemByField) {
  ActivityInput in = webinar();
  in.title = " ";
  in.format = "lecture";
  in.time_zone = "Atlantis/Capital";
  in.duration_minutes = 0;
  in.recurrence = "FREQ=WEEKLY";
  in.capacity = std::optional(0);
  in.pd_hours = 1.1;
  in.join_url = "javascript:alert(1)";
  in.language = "english!";
  in.audience = Audience{{"wizard"}, {"13"}, {""}};
  in.themes = std::vector<std::string>{"Not a theme"};
  in.facilitators = std::vector<FacilitatorInput>{{"", "", "", "", "", "host"}};
  Activity a;
  auto errors = apply_input(a, in, august());
  for (const char* field : {"title", "format", "time_zone", "duration_minutes", "recurrence", "capacity", "pd_hours",
                            "join_url", "language", "audience.roles[0]", "audience.grade_bands[0]",
                            "audience.subjects[0]", "themes[0]", "facilitators[0].name", "facilitators[0].role"}) {
    EXPECT_TRUE(has_field(errors, field)) << field;
  }
}

TEST(ActivityInput, SelfPacedWindowsAreForCoursesAndForums) {
  ActivityInput in;
  in.title = "Digital citizenship course";
  in.format = "online_course";
  in.available_from = "2012-08-01";
  in.available_until = "2012-08-31";
  Activity a;
  ASSERT_TRUE(apply_input(a, in, august()).empty());
  EXPECT_TRUE(a.self_paced());
  EXPECT_TRUE(a.sessions.empty());
  EXPECT_EQ(a.first_start, utc("2012-08-01T04:00:00Z"));
  EXPECT_EQ(a.last_end, utc("2012-09-01T04:00:00Z"));

  Activity w;
  ActivityInput live = in;
  live.format = "webinar";
  EXPECT_TRUE(has_field(apply_input(w, live, august()), "start"));
  Activity backwards;
  ActivityInput reversed = in;
  reversed.available_until = "2012-07-01";
  EXPECT_TRUE(has_field(apply_input(backwards, reversed, august()), "available_until"));
}

TEST(ActivityInput, ThemesAndAudienceAreNormalized) {
  ActivityInput in = webinar();
  in.themes = std::vector<std::string>{"getting CONNECTED", "Getting connected"};
  in.audience = Audience{{"Teacher", "teacher"}, {"6-8"}, {" Math "}};
  in.pd_hours = 1.25;
  Activity a;
  ASSERT_TRUE(apply_input(a, in, august()).empty());
  EXPECT_EQ(a.themes, std::vector<std::string>{"Getting connected"});
  EXPECT_EQ(a.audience.roles, std::vector<std::string>{"teacher"});
  EXPECT_EQ(a.audience.subjects, std::vector<std::string>{"math"});
  EXPECT_EQ(a.pd_minutes, 75);
}

TEST(Seats, TheWaitingListFillsFreedSeatsInOrder) {
  EXPECT_EQ(seat_for(2, 1), Seat::Registered);
  EXPECT_EQ(seat_for(2, 2), Seat::Waitlisted);
  EXPECT_EQ(seat_for(std::nullopt, 5000), Seat::Registered);
  EXPECT_EQ(seats_to_fill(2, 1, 3), 1);
  EXPECT_EQ(seats_to_fill(5, 1, 3), 3);  // capacity raised: everyone waiting gets in
  EXPECT_EQ(seats_to_fill(2, 2, 3), 0);
  EXPECT_EQ(seats_to_fill(std::nullopt, 10, 2), 2);
}

TEST(Seats, RegistrationClosesForCancelledUnapprovedAndPastActivities) {
  Activity a;
  a.status = ActivityStatus::Approved;
  a.last_end = 1000;
  EXPECT_FALSE(registration_closed(a, 999).has_value());
  EXPECT_TRUE(registration_closed(a, 1000).has_value());
  a.status = ActivityStatus::Submitted;
  EXPECT_TRUE(registration_closed(a, 0).has_value());
  a.status = ActivityStatus::Cancelled;
  EXPECT_NE(registration_closed(a, 0)->find("cancelled"), std::string::npos);
}

TEST(CheckIn, OpensFifteenMinutesBeforeASessionAndClosesAtItsEnd) {
  const EpochMs h = 3600000;
  std::vector<Session> sessions{{10 * h, 11 * h}, {20 * h, 21 * h}};
  EXPECT_FALSE(check_in_session(sessions, 10 * h - kCheckInEarly - 1).has_value());
  EXPECT_EQ(check_in_session(sessions, 10 * h - kCheckInEarly)->starts_at, 10 * h);
  EXPECT_EQ(check_in_session(sessions, 11 * h)->starts_at, 10 * h);
  EXPECT_FALSE(check_in_session(sessions, 11 * h + 1).has_value());
  EXPECT_EQ(check_in_session(sessions, 20 * h + 5)->starts_at, 20 * h);
}

TEST(Partnerships, APairIsNewWhenItNeverCoHostedBefore) {
  const std::set<OrgPair> earlier{org_pair(1, 2)};
  EXPECT_EQ(org_pair(2, 1), org_pair(1, 2));
  // Activity 10: 1+2 (known). Activity 11: 1+3 (new). Activity 12: 2+1 and
  // 2+4: one new pair is enough, and it counts once.
  std::vector<ActivityPair> pairs{
      {10, org_pair(1, 2)}, {11, org_pair(1, 3)}, {12, org_pair(2, 1)}, {12, org_pair(2, 4)}, {12, org_pair(1, 4)}};
  EXPECT_EQ(new_partnership_activities(pairs, earlier), 2);
  EXPECT_EQ(new_partnership_activities(pairs, {org_pair(1, 2), org_pair(1, 3), org_pair(2, 4), org_pair(1, 4)}), 0);
}

TEST(CheckInCode, HasNoLookAlikeCharacters) {
  for (int i = 0; i < 200; ++i) {
    const auto code = new_checkin_code();
    ASSERT_EQ(code.size(), 6u);
    EXPECT_EQ(code.find_first_of("01OIL"), std::string::npos) << code;
  }
}
