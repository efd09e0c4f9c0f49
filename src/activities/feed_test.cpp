// iCalendar writing: folding, escaping, time zones and the activity feed.
#include "activities/feed.hpp"

#include <gtest/gtest.h>

#include "core/ical.hpp"

using namespace staffroom;
using namespace staffroom::activities;

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "every line ends in CRLF";
    if (end == std::string::npos) break;
    out.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

Activity series() {
  Activity a;
  a.id = 7;
  a.title = "Weekly chat; bring questions, ideas";
  a.format = "social_media_chat";
  a.time_zone = "America/New_York";
  a.start = "2012-10-30T19:00";
  a.duration_minutes = 60;
  a.recurrence = "FREQ=WEEKLY;UNTIL=20121115";
  a.host = {1, "edweb", "edWeb.net", true};
  a.status = ActivityStatus::Approved;
  a.sequence = 3;
  a.sessions = expand(*parse_local_time(a.start), 60, *parse_rrule(a.recurrence), a.time_zone);
  a.first_start = a.sessions.front().starts_at;
  a.last_end = a.sessions.back().ends_at;
  return a;
}

}  // namespace

TEST(Ical, EscapesTextValues) {
  EXPECT_EQ(ical::escape_text("a,b;c\\d\ne\r\nf\x01"), "a\\,b\\;c\\\\d\\ne\\nf");
}

TEST(Ical, FoldsLongLinesWithoutSplittingCharacters) {
  ical::Writer w;
  std::string value;
  for (int i = 0; i < 60; ++i) value += "é";  // two octets each
  w.text("SUMMARY", value);
  const auto out = lines(w.str());
  ASSERT_GT(out.size(), 1u);
  std::string joined;
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_LE(out[i].size(), 75u);
    if (i > 0) {
      ASSERT_EQ(out[i][0], ' ');
      joined += out[i].substr(1);
    } else {
      joined += out[i];
    }
    // No line starts or ends inside a two-octet character.
    const auto& body = i > 0 ? out[i].substr(1) : out[i].substr(8);
    EXPECT_NE(static_cast<unsigned char>(body.front()) & 0xC0, 0x80u);
  }
  EXPECT_EQ(joined, "SUMMARY:" + value);
}

TEST(Ical, TimeZonesListEachOffsetChange) {
  ical::Writer w;
  ASSERT_TRUE(
      w.time_zone("America/New_York", *parse_rfc3339("2012-06-01T00:00:00Z"), *parse_rfc3339("2013-06-01T00:00:00Z")));
  const auto text = w.str();
  EXPECT_NE(text.find("TZID:America/New_York"), std::string::npos);
  EXPECT_NE(text.find("BEGIN:STANDARD\r\nDTSTART:20121104T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500"),
            std::string::npos);
  EXPECT_NE(text.find("BEGIN:DAYLIGHT\r\nDTSTART:20130310T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400"),
            std::string::npos);
  EXPECT_FALSE(w.time_zone("Nowhere/Land", 0, 1));
}

TEST(Feed, ASeriesIsOneEventWithARuleInItsZone) {
  const auto text = render_feed({series()}, {"CEM", "https://pd.example.org", 0, 15});
  const auto out = lines(text);
  EXPECT_EQ(out.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(out.back(), "END:VCALENDAR");
  EXPECT_NE(text.find("UID:activity-7@pd.example.org\r\n"), std::string::npos);
  EXPECT_NE(text.find("SEQUENCE:3\r\n"), std::string::npos);
  EXPECT_NE(text.find("DTSTART;TZID=America/New_York:20121030T190000\r\n"), std::string::npos);
  // UNTIL becomes a COUNT: no UTC conversion to get wrong.
  EXPECT_NE(text.find("RRULE:FREQ=WEEKLY;COUNT=3\r\n"), std::string::npos);
  EXPECT_NE(text.find("SUMMARY:Weekly chat\\; bring questions\\, ideas\r\n"), std::string::npos);
  EXPECT_NE(text.find("STATUS:CONFIRMED"), std::string::npos);
  EXPECT_NE(text.find("BEGIN:VALARM"), std::string::npos);
  EXPECT_NE(text.find("BEGIN:VTIMEZONE"), std::string::npos);
}

TEST(Feed, CancelledAndSelfPacedActivities) {
  Activity cancelled = series();
  cancelled.status = ActivityStatus::Cancelled;
  cancelled.reason = "Speaker unwell";
  Activity course;
  course.id = 8;
  course.title = "Course";
  course.format = "online_course";
  course.time_zone = "America/New_York";
  course.available_from = "2012-08-01";
  course.available_until = "2012-08-31";
  course.host = {1, "edweb", "edWeb.net", true};
  course.status = ActivityStatus::Approved;
  const auto text = render_feed({cancelled, course}, {"CEM", "https://pd.example.org", 0, 15});
  EXPECT_NE(text.find("STATUS:CANCELLED"), std::string::npos);
  EXPECT_NE(text.find("DTSTART;VALUE=DATE:20120801\r\nDTEND;VALUE=DATE:20120901"), std::string::npos);
  EXPECT_EQ(text.find("BEGIN:VALARM"), std::string::npos);  // neither reminds
}
