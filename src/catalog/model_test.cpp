#include "catalog/model.hpp"

#include <gtest/gtest.h>

#include "core/calendar.hpp"

using namespace staffroom;
using namespace staffroom::catalog;

namespace {
Campaign august() {
  Campaign c;
  c.slug = "connected-educator-month-2012";
  c.name = "Connected Educator Month";
  c.starts_on = "2012-08-01";
  c.ends_on = "2012-08-31";
  c.time_zone = "America/New_York";
  c.themes = {{"Getting connected", "Start here", "2012-08-01", "2012-08-07"}};
  c.hashtags = {"#ce12", "edchat"};
  return c;
}
std::vector<std::string> fields(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}
}  // namespace

TEST(Calendar, DatesAndTimeZones) {
  EXPECT_EQ(parse_date("1970-01-02"), 1);
  EXPECT_EQ(parse_date("2012-08-01"), 15553);
  EXPECT_FALSE(parse_date("2012-02-30"));
  EXPECT_FALSE(parse_date("2012-8-01"));
  EXPECT_FALSE(parse_date("2012-08-01T00"));
  EXPECT_TRUE(is_time_zone("America/New_York"));
  EXPECT_TRUE(is_time_zone("UTC"));
  EXPECT_FALSE(is_time_zone("America/Atlantis"));
  EXPECT_FALSE(is_time_zone(""));
  EXPECT_FALSE(is_time_zone("../../etc/passwd"));
}

TEST(Campaign, AValidCampaignPasses) {
  EXPECT_TRUE(check_campaign(august()).empty());
}

TEST(Campaign, EachRuleNamesItsField) {
  struct Case {
    const char* what;
    void (*change)(Campaign&);
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      {"bad slug", [](Campaign& c) { c.slug = "Connected Month"; }, {"slug"}},
      {"no name", [](Campaign& c) { c.name = ""; }, {"name"}},
      {"end before start",
       [](Campaign& c) { c.ends_on = "2012-07-31"; },
       {"ends_on", "themes[0].starts_on", "themes[0].ends_on"}},
      {"unknown zone", [](Campaign& c) { c.time_zone = "Mars/Olympus"; }, {"time_zone"}},
      {"theme outside", [](Campaign& c) { c.themes[0].starts_on = "2012-07-25"; }, {"themes[0].starts_on"}},
      {"theme backwards",
       [](Campaign& c) { c.themes[0].ends_on = "2012-07-31"; },
       {"themes[0].ends_on", "themes[0].ends_on"}},
      {"bad hashtag", [](Campaign& c) { c.hashtags = {"#ce 12"}; }, {"hashtags[0]"}},
      {"same hashtag twice",
       [](Campaign& c) {
         c.hashtags = {"#CE12", "ce12"};
       },
       {"hashtags"}},
      {"over a year", [](Campaign& c) { c.ends_on = "2014-01-01"; }, {"ends_on"}},
  };
  for (const auto& k : cases) {
    Campaign c = august();
    k.change(c);
    EXPECT_EQ(fields(check_campaign(c)), k.expected) << k.what;
  }
}

TEST(Organization, KindWebsiteAndContactAreChecked) {
  Organization o{0, "iste", "ISTE", "association", "https://iste.org", "", "", "pd@iste.org", 0};
  EXPECT_TRUE(check_organization(o).empty());
  o.kind = "club";
  o.website = "javascript:alert(1)";
  o.logo_url = "ftp://x.org/logo.png";
  o.contact_email = "nobody";
  EXPECT_EQ(fields(check_organization(o)),
            (std::vector<std::string>{"organization.kind", "organization.website", "organization.logo_url",
                                      "organization.contact_email"}));
}

TEST(Hashtags, AreNormalizedWithoutTheHash) {
  EXPECT_EQ(normalize_hashtag("#ce12"), "ce12");
  EXPECT_EQ(normalize_hashtag("edchat"), "edchat");
  EXPECT_FALSE(normalize_hashtag("#"));
  EXPECT_FALSE(normalize_hashtag("#two words"));
}

TEST(Decision, DecliningNeedsAReason) {
  EXPECT_TRUE(check_decision(PartnerStatus::Approved, "").ok());
  EXPECT_TRUE(check_decision(PartnerStatus::Declined, "Outside the campaign's scope").ok());
  auto no_reason = check_decision(PartnerStatus::Declined, "  ");
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().fields.at(0).field, "reason");
  EXPECT_FALSE(check_decision(PartnerStatus::Pending, "").ok());
}
