#include "http/multipart.hpp"

#include <gtest/gtest.h>

using namespace staffroom;
using namespace staffroom::http;

namespace {

std::string bad_request_detail(std::string_view body, std::string_view boundary) {
  auto parts = parse_multipart(body, boundary);
  EXPECT_FALSE(parts.ok());
  if (parts.ok()) return "";
  EXPECT_EQ(parts.error().code, ErrorCode::BadRequest);
  return parts.error().detail;
}

// Every byte value, plus CRLF, NUL, a bare "--" line and lookalikes of the
// boundary that must not end the part: a shorter one, a longer one, and the
// real one not at a line start.
std::string binary_attachment() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  using namespace std::string_literals;
  bytes += "\r\n\0\0\r\n--\r\n--boundar\r\n--boundaryX\r\nx--boundary\r\n\r\n\r"s;
  return bytes;
}

}  // namespace

TEST(Multipart, SplitsAStatementAndABinaryAttachment) {
  const std::string json = R"({"id":"x","attachments":[{"sha2":"abc"}]})";
  const std::string bytes = binary_attachment();
  ASSERT_NE(bytes.find('\0'), std::string::npos);
  const std::string body =
      "--boundary\r\n"
      "Content-Type: application/json\r\n"
      "\r\n" +
      json +
      "\r\n"
      "--boundary\r\n"
      "Content-Type: application/octet-stream\r\n"
      "Content-Transfer-Encoding: binary\r\n"
      "X-Experience-API-Hash: abc\r\n"
      "\r\n" +
      bytes +
      "\r\n"
      "--boundary--\r\n";

  auto parts = parse_multipart(body, "boundary");
  ASSERT_TRUE(parts.ok()) << parts.error().detail;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].header("content-type"), "application/json");
  EXPECT_EQ((*parts)[0].body, json);
  EXPECT_EQ((*parts)[1].header("x-experience-api-hash"), "abc");
  EXPECT_EQ((*parts)[1].header("content-transfer-encoding"), "binary");
  EXPECT_FALSE((*parts)[1].header("content-length"));
  EXPECT_EQ((*parts)[1].body, bytes);
}

TEST(Multipart, ToleratesAPreambleBeforeTheFirstDelimiter) {
  // Signed statements from the conformance suite start with a bare CRLF.
  auto signed_body = parse_multipart("\r\n--abc\r\nContent-Type: application/json\r\n\r\n{}\r\n--abc--", "abc");
  ASSERT_TRUE(signed_body.ok()) << signed_body.error().detail;
  ASSERT_EQ(signed_body->size(), 1u);
  EXPECT_EQ((*signed_body)[0].body, "{}");

  auto preamble = parse_multipart("This is a preamble --abc\r\n--abcd\r\n--abc\r\nA: 1\r\n\r\nx\r\n--abc--\r\n", "abc");
  ASSERT_TRUE(preamble.ok()) << preamble.error().detail;
  ASSERT_EQ(preamble->size(), 1u);
  EXPECT_EQ((*preamble)[0].header("a"), "1");
  EXPECT_EQ((*preamble)[0].body, "x");
}

TEST(Multipart, ReadsHeadersWithoutSpaceAfterColonAndWithBareLf) {
  auto parts = parse_multipart(
      "--b\r\nContent-Type:application/json\r\nX-Experience-API-Hash:  abc  \r\n\r\n{}\r\n"
      "--b\r\ncontent-TYPE:text/plain\nX-Folded: one\n two\n\nline1\nline2\r\n--b--",
      "b");
  ASSERT_TRUE(parts.ok()) << parts.error().detail;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].headers[0].name, "content-type");
  EXPECT_EQ((*parts)[0].headers[0].value, "application/json");
  EXPECT_EQ((*parts)[0].header("x-experience-api-hash"), "abc");
  EXPECT_EQ((*parts)[1].header("content-type"), "text/plain");
  EXPECT_EQ((*parts)[1].header("x-folded"), "one two");
  EXPECT_EQ((*parts)[1].body, "line1\nline2");
}

TEST(Multipart, KeepsEmptyBodiesAndPartsWithoutHeaders) {
  auto parts = parse_multipart("--b\r\nA: 1\r\n\r\n\r\n--b\r\n\r\nno headers\r\n--b--", "b");
  ASSERT_TRUE(parts.ok()) << parts.error().detail;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].body, "");
  EXPECT_TRUE((*parts)[1].headers.empty());
  EXPECT_EQ((*parts)[1].body, "no headers");
}

TEST(Multipart, RefusesABodyWithoutItsClosingDelimiter) {
  auto detail = bad_request_detail("--b\r\nA: 1\r\n\r\nx\r\n--b\r\nA: 2\r\n\r\ny\r\n", "b");
  EXPECT_EQ(detail, "the multipart body has no closing delimiter '--b--' after part 2");
  // "--b" at the end without "--" and a closing delimiter not at a line start do not close it either.
  EXPECT_FALSE(parse_multipart("--b\r\nA: 1\r\n\r\nx\r\n--b", "b").ok());
  EXPECT_FALSE(parse_multipart("--b\r\nA: 1\r\n\r\nx--b--", "b").ok());
}

TEST(Multipart, RefusesABodyThatDoesNotContainTheBoundary) {
  EXPECT_EQ(bad_request_detail("{\"id\":\"x\"}", "abc"),
            "the multipart body does not start with the boundary '--abc' given in Content-Type");
  // Only at a line start, and not as the prefix of a longer line.
  EXPECT_FALSE(parse_multipart("x--abc\r\nA: 1\r\n\r\nx\r\n--abc--", "abc").ok());
  EXPECT_FALSE(parse_multipart("--abcd\r\nA: 1\r\n\r\nx\r\n--abcd--", "abc").ok());
  EXPECT_EQ(bad_request_detail("", "abc"),
            "the multipart body does not start with the boundary '--abc' given in Content-Type");
  EXPECT_EQ(bad_request_detail("--\r\n", ""), "the multipart Content-Type has no boundary parameter");
}

TEST(Multipart, RefusesABodyWithoutParts) {
  EXPECT_EQ(bad_request_detail("--b--\r\n", "b"),
            "the multipart body has no parts: it starts with its closing delimiter");
}

TEST(Multipart, AcceptsABoundaryBeginningWithDashes) {
  const std::string boundary = "-------314159265358979323846";
  const std::string body = "--" + boundary + "\r\nContent-Type: application/json\r\n\r\n[1]\r\n--" + boundary +
                           "\r\nContent-Type: text/plain\r\n\r\n--" + boundary.substr(0, 10) + "\r\n--" + boundary +
                           "--\r\n";
  auto parts = parse_multipart(body, boundary);
  ASSERT_TRUE(parts.ok()) << parts.error().detail;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].body, "[1]");
  EXPECT_EQ((*parts)[1].body, "--" + boundary.substr(0, 10));
}

TEST(Multipart, TakesTheBoundaryFromAQuotedParameter) {
  auto media = parse_media_type(R"(multipart/mixed; boundary="simple boundary")");
  ASSERT_EQ(media.param("boundary"), "simple boundary");
  auto parts = parse_multipart("--simple boundary\r\nA: 1\r\n\r\nx\r\n--simple boundary--", *media.param("boundary"));
  ASSERT_TRUE(parts.ok()) << parts.error().detail;
  EXPECT_EQ((*parts)[0].body, "x");
}

TEST(Multipart, AllowsPaddingAfterADelimiter) {
  auto parts = parse_multipart("--b \t\r\nA: 1\r\n\r\nx\r\n--b  \r\nA: 2\r\n\r\ny\r\n--b-- \r\n", "b");
  ASSERT_TRUE(parts.ok()) << parts.error().detail;
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].body, "x");
  EXPECT_EQ((*parts)[1].body, "y");
}

TEST(Multipart, IgnoresTheEpilogue) {
  auto parts = parse_multipart("--b\r\nA: 1\r\n\r\nx\r\n--b--\r\nepilogue\r\n--b\r\nA: 2\r\n\r\ny\r\n--b--\r\n", "b");
  ASSERT_TRUE(parts.ok()) << parts.error().detail;
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].body, "x");
}

TEST(Multipart, NamesThePartThatHasNoBlankLineAfterItsHeaders) {
  EXPECT_EQ(
      bad_request_detail("--b\r\nA: 1\r\n\r\nx\r\n--b\r\nContent-Type: application/json\r\n{\"a\":1}\r\n--b--", "b"),
      "multipart part 2 has no blank line after its headers: the line '{\"a\":1}' is not a 'Name: value' "
      "header");
  EXPECT_EQ(bad_request_detail("--b\r\nContent-Type: text/plain\r\nsome text\r\n--b--", "b"),
            "multipart part 1 has no blank line after its headers: the line 'some text' is not a 'Name: value' "
            "header");
  // An empty part has not even the blank line.
  EXPECT_EQ(bad_request_detail("--b\r\n\r\n--b--", "b"),
            "multipart part 1 has no blank line after its headers: the line '' is not a 'Name: value' header");
}

TEST(Multipart, LimitsPartsAndHeaderSize) {
  std::string many;
  for (std::size_t i = 0; i < kMaxMultipartParts; ++i) many += "--b\r\n\r\n" + std::to_string(i) + "\r\n";
  auto ok = parse_multipart(many + "--b--", "b");
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(ok->size(), kMaxMultipartParts);
  EXPECT_EQ(ok->back().body, std::to_string(kMaxMultipartParts - 1));
  EXPECT_EQ(bad_request_detail(many + "--b\r\n\r\nx\r\n--b--", "b"), "the multipart body has more than 1000 parts");

  const std::string big_header = "X-Big: " + std::string(kMaxPartHeaderBytes, 'a') + "\r\n\r\n";
  EXPECT_EQ(bad_request_detail("--b\r\n" + big_header + "x\r\n--b--", "b"),
            "the headers of multipart part 1 are longer than 16384 bytes, or the blank line that ends them is missing");
  const std::string just_fits = "X-Big: " + std::string(kMaxPartHeaderBytes - 11, 'a') + "\r\n\r\n";
  ASSERT_EQ(just_fits.size(), kMaxPartHeaderBytes);
  EXPECT_TRUE(parse_multipart("--b\r\n" + just_fits + "x\r\n--b--", "b").ok());
}

TEST(Multipart, ReadsWhatItWrites) {
  std::vector<Part> parts(2);
  parts[0].headers = {{"Content-Type", "application/json"}};
  parts[0].body = R"([{"id":"x"}])";
  parts[1].headers = {{"Content-Type", "application/octet-stream"},
                      {"Content-Transfer-Encoding", "binary"},
                      {"X-Experience-API-Hash", "abc"}};
  parts[1].body = binary_attachment();
  const std::string body = write_multipart(parts, "-------314159265358979323846");
  EXPECT_TRUE(body.starts_with("---------314159265358979323846\r\nContent-Type: application/json\r\n\r\n[{"));
  EXPECT_TRUE(body.ends_with("\r\n---------314159265358979323846--\r\n"));

  auto read = parse_multipart(body, "-------314159265358979323846");
  ASSERT_TRUE(read.ok()) << read.error().detail;
  ASSERT_EQ(read->size(), 2u);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ((*read)[i].body, parts[i].body);
    ASSERT_EQ((*read)[i].headers.size(), parts[i].headers.size());
    for (std::size_t h = 0; h < parts[i].headers.size(); ++h) {
      EXPECT_EQ((*read)[i].headers[h].value, parts[i].headers[h].value);
    }
  }
  EXPECT_EQ((*read)[1].header("x-experience-api-hash"), "abc");
  EXPECT_EQ(write_multipart({}, "b"), "--b--\r\n");
}

TEST(Multipart, FindsTheDelimiterAfterMegabytesOfBinary) {
  std::string big(3 << 20, '\r');
  for (std::size_t i = 1; i < big.size(); i += 7) big[i] = '\n';
  const std::string body = "--b\r\n\r\n" + big + "\r\n--b--";
  auto parts = parse_multipart(body, "b");
  ASSERT_TRUE(parts.ok()) << parts.error().detail;
  EXPECT_EQ((*parts)[0].body, big);
}

TEST(Multipart, MediaTypeLowerCasesTheTypeAndParameterNames) {
  auto m = parse_media_type("  Multipart/MIXED ;BOUNDARY=AbC;Charset = utf-8 ");
  EXPECT_EQ(m.type, "multipart/mixed");
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[0], (std::pair<std::string, std::string>{"boundary", "AbC"}));
  EXPECT_EQ(m.param("charset"), "utf-8");
  EXPECT_EQ(parse_media_type("application/json").type, "application/json");
  EXPECT_TRUE(parse_media_type("application/json").params.empty());
}

TEST(Multipart, MediaTypeUnquotesParameterValues) {
  auto m = parse_media_type(R"(multipart/mixed; boundary="a;b \"c\" d" ; x=1)");
  EXPECT_EQ(m.type, "multipart/mixed");
  EXPECT_EQ(m.param("boundary"), R"(a;b "c" d)");
  EXPECT_EQ(m.param("x"), "1");
  EXPECT_EQ(parse_media_type(R"(multipart/mixed; boundary="-------314159265358979323846")").param("boundary"),
            "-------314159265358979323846");
  EXPECT_EQ(parse_media_type(R"(multipart/mixed; boundary="unclosed)").param("boundary"), "unclosed");
}

TEST(Multipart, MediaTypeReportsAMissingBoundary) {
  EXPECT_FALSE(parse_media_type("multipart/mixed").param("boundary"));
  EXPECT_FALSE(parse_media_type("multipart/mixed; charset=utf-8").param("boundary"));
  EXPECT_FALSE(parse_media_type("multipart/mixed; boundary; ;").param("boundary"));
  EXPECT_EQ(parse_media_type("multipart/mixed; boundary=").param("boundary"), "");
  auto empty = parse_media_type("");
  EXPECT_EQ(empty.type, "");
  EXPECT_TRUE(empty.params.empty());
}
