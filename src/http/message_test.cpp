#include "http/message.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "http/pagination.hpp"
#include "http/problem.hpp"

using namespace staffroom;
using namespace staffroom::http;

TEST(Request, SplitsAndDecodesTheTarget) {
  Request r;
  ASSERT_TRUE(r.set_target("/api/v1/users%2Fx?limit=5&cursor=a%20b"));
  EXPECT_EQ(r.path, "/api/v1/users/x");
  EXPECT_EQ(r.query_param("limit"), "5");
  EXPECT_EQ(r.query_param("cursor"), "a b");
  EXPECT_FALSE(r.query_param("none"));
  Request bad;
  EXPECT_FALSE(bad.set_target("http://example.org/"));
  EXPECT_FALSE(bad.set_target("no-slash"));
  EXPECT_FALSE(bad.set_target("/a%00b"));
}

TEST(Request, ReadsCookiesAndAcceptEncoding) {
  Request r;
  r.headers = {{"cookie", "a=1; sr_session=abc; b=2"}, {"accept-encoding", "br, gzip;q=0.8"}};
  EXPECT_EQ(r.cookie("sr_session"), "abc");
  EXPECT_FALSE(r.cookie("sr"));
  EXPECT_TRUE(r.accepts_gzip());
  r.headers = {{"accept-encoding", "gzip;q=0"}};
  EXPECT_FALSE(r.accepts_gzip());
  r.headers = {};
  EXPECT_FALSE(r.accepts_gzip());
}

TEST(Problem, IsRfc9457WithFieldErrorsAndRetryAfter) {
  auto res = problem_response(Error::validation("email", "is required"), "/api/v1/accounts", "rid1");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.header("content-type"), "application/problem+json");
  auto body = boost::json::parse(res.body).as_object();
  EXPECT_EQ(body["type"], "urn:staffroom:problem:validation");
  EXPECT_EQ(body["status"], 422);
  EXPECT_EQ(body["instance"], "/api/v1/accounts");
  EXPECT_EQ(body["request_id"], "rid1");
  EXPECT_EQ(body["errors"].as_array()[0].as_object()["field"], "email");

  auto limited = problem_response(Error::rate_limited("slow down", 30), "/x", "");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("retry-after"), "30");
}

TEST(Cookies, SessionCookieIsHttpOnlyAndLax) {
  auto v = set_cookie_value("sr_session", "tok", {true, -1, "Lax", false});
  EXPECT_EQ(v, "sr_session=tok; Path=/; HttpOnly; SameSite=Lax");
  auto gone = set_cookie_value("sr_csrf", "", {false, 0, "Lax", true});
  EXPECT_EQ(gone, "sr_csrf=; Path=/; Max-Age=0; Secure; SameSite=Lax");
}

TEST(Pagination, CursorsRoundTripAndBadOnesAreRefused) {
  Request r;
  ASSERT_TRUE(r.set_target("/x?limit=10&cursor=" + encode_cursor(1234)));
  auto p = parse_page(r);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->limit, 10);
  EXPECT_EQ(p->position, 1234);
  for (const char* target : {"/x?limit=0", "/x?limit=101", "/x?limit=abc", "/x?cursor=zzz", "/x?cursor=%2F%2F"}) {
    Request bad;
    ASSERT_TRUE(bad.set_target(target));
    auto q = parse_page(bad);
    ASSERT_FALSE(q.ok()) << target;
    EXPECT_EQ(q.error().code, ErrorCode::BadRequest);
  }
  auto body = list_body({}, std::nullopt);
  EXPECT_TRUE(body["next"].is_null());
}
