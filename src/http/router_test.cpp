#include "http/router.hpp"

#include <gtest/gtest.h>

using namespace staffroom;
using namespace staffroom::http;

namespace {
RouteDoc doc(std::string id) {
  RouteDoc d;
  d.operation_id = std::move(id);
  return d;
}
Handler ok_handler() {
  return [](Context&) -> HandlerResult { return Response::no_content(); };
}
}  // namespace

TEST(Router, MatchesLiteralsAndCapturesParameters) {
  Router r;
  r.add("GET", "/api/v1/tokens", Access::signed_in(), doc("a"), ok_handler());
  r.add("DELETE", "/api/v1/tokens/{id}", Access::signed_in(), doc("b"), ok_handler());
  r.add("DELETE", "/api/v1/users/{id}/roles/{grant_id}", Access::site_admin(), doc("c"), ok_handler());

  auto m = r.match("DELETE", "/api/v1/users/7/roles/42");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->route->doc.operation_id, "c");
  ASSERT_EQ(m->params.size(), 2u);
  EXPECT_EQ(m->params[0], (std::pair<std::string, std::string>{"id", "7"}));
  EXPECT_EQ(m->params[1], (std::pair<std::string, std::string>{"grant_id", "42"}));

  EXPECT_TRUE(r.match("GET", "/api/v1/tokens/").ok()) << "a trailing slash names the same resource";
}

TEST(Router, UnknownPathIsNotFoundAndWrongMethodListsAllowed) {
  Router r;
  r.add("GET", "/api/v1/tokens", Access::signed_in(), doc("a"), ok_handler());
  r.add("POST", "/api/v1/tokens", Access::signed_in(), doc("b"), ok_handler());
  auto nf = r.match("GET", "/api/v1/nothing");
  ASSERT_FALSE(nf.ok());
  EXPECT_EQ(nf.error().code, ErrorCode::NotFound);
  auto na = r.match("PUT", "/api/v1/tokens");
  ASSERT_FALSE(na.ok());
  EXPECT_EQ(na.error().code, ErrorCode::MethodNotAllowed);
  EXPECT_EQ(na.error().allow, (std::vector<std::string>{"GET", "HEAD", "POST"}));
}

TEST(Router, HeadFallsBackToGet) {
  Router r;
  r.add("GET", "/healthz", Access::open(), doc("h"), ok_handler());
  auto m = r.match("HEAD", "/healthz");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->route->method, "GET");
}

TEST(Router, RefusesDuplicateRoutesAndScopesWithoutTheirParameter) {
  Router r;
  r.add("GET", "/a", Access::open(), doc("a"), ok_handler());
  EXPECT_THROW(r.add("GET", "/a", Access::open(), doc("a2"), ok_handler()), std::logic_error);
  EXPECT_THROW(r.add("GET", "/orgs/{slug}", Access::scoped("org_staff", "organization", "org"), doc("o"), ok_handler()),
               std::logic_error);
}

TEST(Authorize, EachRoleIsCheckedAgainstTheRoute) {
  Identity educator{1, "e@x.org", "E", 0, {{1, "educator", "", ""}}, false, "", 0};
  Identity staff{2,     "s@x.org", "S", 0, {{2, "educator", "", ""}, {3, "org_staff", "organization", "iste"}},
                 false, "",        0};
  Identity admin{3, "a@x.org", "A", 0, {{4, "site_admin", "", ""}}, false, "", 0};
  const std::vector<std::pair<std::string, std::string>> iste{{"org", "iste"}};
  const std::vector<std::pair<std::string, std::string>> other{{"org", "ascd"}};
  const auto staff_rule = Access::scoped("org_staff", "organization", "org");

  EXPECT_TRUE(authorize(Access::open(), nullptr, {}).ok());
  EXPECT_EQ(authorize(Access::signed_in(), nullptr, {}).error().code, ErrorCode::Unauthenticated);
  EXPECT_TRUE(authorize(Access::signed_in(), &educator, {}).ok());
  EXPECT_EQ(authorize(Access::site_admin(), &educator, {}).error().code, ErrorCode::Forbidden);
  EXPECT_EQ(authorize(Access::site_admin(), &staff, {}).error().code, ErrorCode::Forbidden);
  EXPECT_TRUE(authorize(Access::site_admin(), &admin, {}).ok());
  EXPECT_TRUE(authorize(staff_rule, &staff, iste).ok());
  EXPECT_EQ(authorize(staff_rule, &staff, other).error().code, ErrorCode::Forbidden)
      << "staff of one organization only";
  EXPECT_EQ(authorize(staff_rule, &educator, iste).error().code, ErrorCode::Forbidden);
  EXPECT_TRUE(authorize(staff_rule, &admin, other).ok()) << "site administrators pass every rule";
}
