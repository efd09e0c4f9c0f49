#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/rate_limiter.hpp"
#include "core/time.hpp"

using namespace staffroom;

TEST(Error, EveryCodeMapsToItsHttpStatusAndSlug) {
  struct Case {
    ErrorCode code;
    int status;
    std::string_view slug;
  };
  const Case cases[] = {{ErrorCode::BadRequest, 400, "bad-request"},
                        {ErrorCode::Unauthenticated, 401, "unauthenticated"},
                        {ErrorCode::Forbidden, 403, "forbidden"},
                        {ErrorCode::Csrf, 403, "csrf"},
                        {ErrorCode::NotFound, 404, "not-found"},
                        {ErrorCode::MethodNotAllowed, 405, "method-not-allowed"},
                        {ErrorCode::Conflict, 409, "conflict"},
                        {ErrorCode::PayloadTooLarge, 413, "payload-too-large"},
                        {ErrorCode::UnsupportedMediaType, 415, "unsupported-media-type"},
                        {ErrorCode::Validation, 422, "validation"},
                        {ErrorCode::RateLimited, 429, "rate-limited"},
                        {ErrorCode::HeaderTooLarge, 431, "header-too-large"},
                        {ErrorCode::Internal, 500, "internal"},
                        {ErrorCode::Unavailable, 503, "unavailable"}};
  for (const auto& c : cases) {
    EXPECT_EQ(http_status(c.code), c.status) << c.slug;
    EXPECT_EQ(problem_slug(c.code), c.slug);
    EXPECT_FALSE(problem_title(c.code).empty());
  }
}

TEST(Error, ValidationDetailNamesEveryField) {
  Error e = Error::validation({{"email", "is required"}, {"password", "must be at least 10 characters"}});
  EXPECT_EQ(e.code, ErrorCode::Validation);
  EXPECT_EQ(e.detail, "email: is required; password: must be at least 10 characters");
  EXPECT_EQ(e.fields.size(), 2u);
}

Result<int> half(int v) {
  if (v % 2) return Error::validation("v", "must be even");
  return v / 2;
}
Result<int> quarter(int v) {
  SR_ASSIGN(int h, half(v));
  SR_ASSIGN(int q, half(h));
  return q;
}

TEST(Result, PropagatesTheFirstError) {
  EXPECT_EQ(quarter(8).value(), 2);
  auto r = quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().fields.at(0).message, "must be even");
}

TEST(Time, FormatsAndParsesRfc3339) {
  EXPECT_EQ(format_rfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(1343822400000), "2012-08-01T12:00:00Z");
  EXPECT_EQ(format_rfc3339(1343822400123), "2012-08-01T12:00:00.123Z");
  EXPECT_EQ(parse_rfc3339("2012-08-01T12:00:00Z"), 1343822400000);
  EXPECT_EQ(parse_rfc3339("2012-08-01T08:00:00-04:00"), 1343822400000);
  EXPECT_EQ(parse_rfc3339("2012-08-01T12:00:00.5Z"), 1343822400500);
  EXPECT_FALSE(parse_rfc3339("2012-02-30T12:00:00Z"));
  EXPECT_FALSE(parse_rfc3339("2012-08-01 12:00:00"));
  EXPECT_FALSE(parse_rfc3339("2012-08-01T12:00:00"));
  EXPECT_FALSE(parse_rfc3339("2012-08-01T12:00:00Zjunk"));
}

TEST(Crypto, TokensAreUrlSafeAndDistinct) {
  auto a = crypto::random_token();
  auto b = crypto::random_token();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);  // 32 bytes, unpadded base64
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
}

TEST(Crypto, Sha256MatchesTheKnownDigest) {
  EXPECT_EQ(crypto::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, PasswordsHashWithArgon2idAndVerify) {
  crypto::set_password_cost({1, 8192});
  auto h = crypto::hash_password("correct horse battery");
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->starts_with("$argon2id$"));
  EXPECT_TRUE(crypto::verify_password(*h, "correct horse battery"));
  EXPECT_FALSE(crypto::verify_password(*h, "correct horse battery "));
  EXPECT_FALSE(crypto::verify_password("not a hash", "x"));
  crypto::set_password_cost(crypto::default_password_cost());
}

TEST(Json, ParseObjectExplainsWhatIsWrong) {
  auto bad = json::parse_object("{\"a\": ");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::BadRequest);
  auto arr = json::parse_object("[1]");
  ASSERT_FALSE(arr.ok());
  EXPECT_EQ(arr.error().code, ErrorCode::Validation);
  auto empty = json::parse_object("");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().detail.find("empty"), std::string::npos);
  std::string deep(100, '[');
  EXPECT_FALSE(json::parse_object(deep).ok());
}

TEST(Json, FieldReaderCollectsEveryProblem) {
  auto obj = json::parse_object(R"({"email": 5, "name": "  Ada  ", "long": "abcdef"})").value();
  json::FieldReader f(obj);
  f.required_string("email");
  EXPECT_EQ(f.required_string("name"), "Ada");
  f.required_string("missing");
  f.required_string("long", 3);
  auto s = f.finish();
  ASSERT_FALSE(s.ok());
  ASSERT_EQ(s.error().fields.size(), 3u);
  EXPECT_EQ(s.error().fields[0], (FieldError{"email", "must be a string"}));
  EXPECT_EQ(s.error().fields[1], (FieldError{"missing", "is required"}));
  EXPECT_EQ(s.error().fields[2], (FieldError{"long", "must be at most 3 characters"}));
}

TEST(Json, Utf8LengthCountsCodePoints) {
  EXPECT_EQ(json::utf8_length("héllo"), 5u);
  EXPECT_EQ(json::utf8_length("日本"), 2u);
}

TEST(RateLimiter, FailureWindowBlocksAfterTheLimitAndResets) {
  FailureWindow w(3, std::chrono::seconds(60));
  EXPECT_EQ(w.blocked_for("a"), 0);
  w.record_failure("a");
  w.record_failure("a");
  EXPECT_EQ(w.blocked_for("a"), 0);
  w.record_failure("a");
  EXPECT_GT(w.blocked_for("a"), 0);
  EXPECT_LE(w.blocked_for("a"), 60);
  EXPECT_EQ(w.blocked_for("b"), 0);
  w.reset("a");
  EXPECT_EQ(w.blocked_for("a"), 0);
}

TEST(RateLimiter, TokenBucketAllowsTheBurstThenRefuses) {
  TokenBucketLimiter l(1.0, 5.0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(l.take("ip"), 0) << i;
  EXPECT_GE(l.take("ip"), 1);
  EXPECT_EQ(l.take("other"), 0);
  TokenBucketLimiter off(0, 0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(off.take("ip"), 0);
}

// ---- CSV ----
#include "core/csv.hpp"
#include "core/markdown.hpp"

TEST(Csv, ReadsQuotedFieldsAndKeepsLineNumbers) {
  auto r = staffroom::csv::parse(
      "\xEF\xBB\xBF"
      "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z\nlast,",
      10);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"x, y", "say \"hi\""}));
  EXPECT_EQ((*r)[2].line, 4);
  EXPECT_EQ((*r)[2].fields[0], "two\nlines");
  EXPECT_EQ((*r)[3].line, 6);
  EXPECT_EQ((*r)[3].fields, (std::vector<std::string>{"last", ""}));
}

TEST(Csv, RefusesBrokenQuotingWithTheLine) {
  auto open = staffroom::csv::parse("a\n\"never closed\n", 10);
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().fields[0].field, "line 2");
  EXPECT_FALSE(staffroom::csv::parse("\"a\"b\n", 10).ok());
  EXPECT_FALSE(staffroom::csv::parse("a\"b\n", 10).ok());
  EXPECT_FALSE(staffroom::csv::parse("a\nb\nc\n", 2).ok());
}

TEST(Csv, WritesFieldsSpreadsheetsWillNotRun) {
  EXPECT_EQ(staffroom::csv::field("plain"), "plain");
  EXPECT_EQ(staffroom::csv::field("a,b"), "\"a,b\"");
  EXPECT_EQ(staffroom::csv::field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(staffroom::csv::field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(staffroom::csv::field("-5"), "-5");
  EXPECT_EQ(staffroom::csv::field("@cmd"), "'@cmd");
}

TEST(Markdown, RendersWithoutRawHtmlOrScriptLinks) {
  const auto html = staffroom::render_markdown(
      "# Hi\n\n**bold** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n"
      "| a | b |\n|---|---|\n| 1 | 2 |\n");
  EXPECT_NE(html.find("<strong>bold</strong>"), std::string::npos);
  EXPECT_NE(html.find("<table>"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("onerror"), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos);
  EXPECT_EQ(staffroom::markdown_to_text("# Title\n\nSome *text*\nhere"), "Title Some text here");
}

TEST(Json, WritesDoublesInPlainForm) {
  boost::json::object o{{"share", 0.341}, {"hours", 88905.1}, {"whole", 2.0}, {"text", "1E5 stays"}, {"n", -5}};
  EXPECT_EQ(staffroom::json::serialize(o), R"({"share":0.341,"hours":88905.1,"whole":2,"text":"1E5 stays","n":-5})");
  // A double deep inside arrays and objects is found; text without one is
  // left exactly as Boost wrote it, capital E and all.
  boost::json::value nested = boost::json::parse(R"({"r":[{"score":{"scaled":5E-1}}],"name":"Educator E"})");
  EXPECT_EQ(staffroom::json::serialize(nested), R"({"r":[{"score":{"scaled":0.5}}],"name":"Educator E"})");
  boost::json::value none = boost::json::parse(R"({"r":[{"n":7}],"name":"Educator 1E5"})");
  EXPECT_EQ(staffroom::json::serialize(none), R"({"r":[{"n":7}],"name":"Educator 1E5"})");
}

TEST(Json, SlugsAndLowerCase) {
  EXPECT_EQ(staffroom::json::lower_ascii("Ada É"), "ada É");
  EXPECT_EQ(staffroom::json::slugify("  Ada Lovelace (ISTE)! "), "ada-lovelace-iste");
  EXPECT_EQ(staffroom::json::slugify("Digital Network", 5), "digit");
  EXPECT_EQ(staffroom::json::slugify("¿?"), "");
}

TEST(JsonExact, ReadsEveryDecimalToTheNearestDouble) {
  // Decimals Boost.JSON 1.81 reads one unit in the last place off.
  for (const char* text : {"98.12700474862437", "0.9908130871489909", "28.403558466645574", "96.44461218448703"}) {
    auto v = staffroom::json::parse_exact(std::string("{\"a\":[1,\"x:-2.5e3\",{\"b\":") + text + "}],\"c\":-0}");
    ASSERT_TRUE(v.ok()) << v.error().detail;
    EXPECT_EQ(v->at("a").at(2).at("b").as_double(), std::strtod(text, nullptr)) << text;
    EXPECT_EQ(v->at("a").at(0).as_int64(), 1);
    EXPECT_EQ(v->at("a").at(1).as_string(), "x:-2.5e3");
  }
  EXPECT_EQ(staffroom::json::parse_exact("{\"a\":").error().code, staffroom::ErrorCode::BadRequest);
  EXPECT_FALSE(staffroom::json::parse_exact("[[[[1]]]]", 3).ok());
}
