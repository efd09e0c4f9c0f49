#include "accounts/model.hpp"

#include <gtest/gtest.h>

using namespace staffroom;
using namespace staffroom::accounts;

TEST(Email, IsNormalizedAndChecked) {
  EXPECT_EQ(normalize_email("  Ada.Lovelace@School.ORG "), "ada.lovelace@school.org");
  struct Case {
    const char* email;
    bool ok;
  };
  const Case cases[] = {{"ada@school.org", true},
                        {"a.b+tag@sub.district.k12.us", true},
                        {"", false},
                        {"ada", false},
                        {"@school.org", false},
                        {"ada@", false},
                        {"ada@school", false},
                        {"ada@@school.org", false},
                        {"ada lovelace@school.org", false},
                        {"ada@school..org", false},
                        {"ada@.org", false},
                        {"ada@school.org.", false},
                        {"<ada@school.org>", false}};
  for (const auto& c : cases) EXPECT_EQ(!check_email(c.email).has_value(), c.ok) << c.email;
  EXPECT_TRUE(check_email(std::string(250, 'a') + "@x.org"));
}

TEST(Password, NeedsTenToOneHundredTwentyEightCharacters) {
  EXPECT_EQ(check_password(""), "is required");
  EXPECT_EQ(check_password("short"), "must be at least 10 characters");
  EXPECT_FALSE(check_password("exactly10!"));
  EXPECT_FALSE(check_password("ééééééééééé"));  // counted in characters, not bytes
  EXPECT_EQ(check_password("          "), "must not be only spaces");
  EXPECT_EQ(check_password(std::string(129, 'x')), "must be at most 128 characters");
}

TEST(DisplayName, MustBePrintableAndShort) {
  EXPECT_FALSE(check_display_name("Ada Lovelace"));
  EXPECT_TRUE(check_display_name(""));
  EXPECT_TRUE(check_display_name("Ada\nLovelace"));
  EXPECT_TRUE(check_display_name(std::string(101, 'x')));
}

TEST(Grants, ScopedRolesNeedTheirScopeAndOthersTakeNone) {
  EXPECT_TRUE(check_grant("site_admin", "", "").ok());
  EXPECT_TRUE(check_grant("org_staff", "organization", "iste").ok());
  EXPECT_TRUE(check_grant("campaign_organizer", "campaign", "cem-2012").ok());
  EXPECT_TRUE(check_grant("district_admin", "district", "d42").ok());

  auto unknown = check_grant("superuser", "", "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().fields.at(0).field, "role");
  auto missing = check_grant("org_staff", "", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().fields.size(), 2u);
  auto wrong = check_grant("org_staff", "district", "d42");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().fields.at(0).field, "scope_type");
  EXPECT_FALSE(check_grant("site_admin", "campaign", "x").ok());
}
