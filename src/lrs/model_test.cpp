// LRS client rules and version negotiation.
#include "lrs/model.hpp"

#include <gtest/gtest.h>

using namespace staffroom::lrs;

TEST(LrsClients, NamesAndScopesAreChecked) {
  EXPECT_TRUE(check_client("Webinar platform", default_scopes()).empty());
  EXPECT_EQ(check_client(" ", default_scopes()).at(0).field, "name");
  EXPECT_EQ(check_client("x", {}).at(0).field, "scopes");
  auto errors = check_client("x", {"statements/write", "statements/delete", "statements/write"});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "scopes[1]");
  EXPECT_EQ(errors[1].field, "scopes[2]");
  EXPECT_EQ(split_scopes(join_scopes({"a", "b"})), (std::vector<std::string>{"a", "b"}));
}

TEST(LrsVersions, AnyPatchLevelOfAKnownVersionIsAccepted) {
  EXPECT_EQ(negotiate_version("1.0.3"), "1.0.3");
  EXPECT_EQ(negotiate_version("1.0.0"), "1.0.3");
  EXPECT_EQ(negotiate_version("1.0"), "1.0.3");
  EXPECT_EQ(negotiate_version("2.0.0"), "2.0.0");
  for (const char* bad : {"", "1", "0.9.5", "1.1.0", "3.0.0", "2.0.x", "1..0", "a.b.c", "2.0.0.1"}) {
    EXPECT_FALSE(negotiate_version(bad).has_value()) << bad;
  }
}
