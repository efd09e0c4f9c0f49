#include "http/static_files.hpp"

#include <gtest/gtest.h>

using namespace staffroom::http;

namespace {
Request get(std::string target, std::vector<Header> headers = {}) {
  Request r;
  r.method = "GET";
  EXPECT_TRUE(r.set_target(target));
  r.headers = std::move(headers);
  return r;
}
}  // namespace

TEST(StaticFiles, ServesTypesCachingAndGzip) {
  StaticFiles sf;
  const std::string js(4000, 'a');
  sf.add("/index.html", "<!doctype html><title>Staffroom</title>" + std::string(500, ' '));
  sf.add("/assets/app-123.js", js);

  auto plain = sf.serve(get("/assets/app-123.js"));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(plain->header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_FALSE(plain->header("content-encoding"));
  EXPECT_EQ(plain->body, js);

  auto gz = sf.serve(get("/assets/app-123.js", {{"accept-encoding", "gzip, deflate"}}));
  ASSERT_TRUE(gz);
  EXPECT_EQ(gz->header("content-encoding"), "gzip");
  EXPECT_LT(gz->body.size(), js.size());
  EXPECT_EQ(gz->header("vary"), "Accept-Encoding");

  auto again = sf.serve(get("/assets/app-123.js", {{"if-none-match", std::string(*plain->header("etag"))}}));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
}

TEST(StaticFiles, ClientRoutesGetTheAppAndApiPathsDoNot) {
  StaticFiles sf;
  sf.add("/index.html", "<!doctype html>");
  auto page = sf.serve(get("/account"));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(page->header("cache-control"), "no-cache");
  EXPECT_FALSE(sf.serve(get("/api/v1/nothing")));
  EXPECT_FALSE(sf.serve(get("/missing.png")));
  Request post = get("/account");
  post.method = "POST";
  EXPECT_FALSE(sf.serve(post));
}

TEST(StaticFiles, GzipRoundTripsThroughZlib) {
  const std::string text(10000, 'x');
  auto gz = gzip_compress(text);
  ASSERT_FALSE(gz.empty());
  EXPECT_EQ(static_cast<unsigned char>(gz[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(gz[1]), 0x8b);
}
