// multipart/mixed bodies (RFC 2046 section 5.1) and the Content-Type values
// that announce them, with no knowledge of what the parts mean. The xAPI
// Learning Record Store reads statements with attachments through it and
// writes them back the same way.
//
// Reading is lenient where real clients differ (a preamble, padding after a
// delimiter, headers without a space after the colon or with bare LF line
// ends, an epilogue) and strict where guessing would corrupt data: a part's
// body is exactly the bytes between its blank line and the CRLF before the
// next delimiter, so binary attachments survive byte for byte.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "http/message.hpp"

namespace staffroom::http {

// A Content-Type value taken apart: "Multipart/Mixed; boundary=\"a b\"" gives
// type "multipart/mixed" and the parameter {"boundary", "a b"}.
struct MediaType {
  std::string type;                                         // lower-case, no parameters
  std::vector<std::pair<std::string, std::string>> params;  // names lower-case, values unquoted
  // The first parameter of that name.
  std::optional<std::string> param(std::string_view lower_name) const;
};

// Never fails: an empty or malformed value gives an empty type, and a
// parameter without '=' is skipped.
MediaType parse_media_type(std::string_view content_type);

struct Part {
  std::vector<Header> headers;  // parsed: names lower-case, values trimmed; written: as given
  std::string body;
  // The first header of that name.
  std::optional<std::string_view> header(std::string_view lower_name) const;
};

inline constexpr std::size_t kMaxMultipartParts = 1000;
inline constexpr std::size_t kMaxPartHeaderBytes = 16384;  // the header block with its blank line

// Splits a multipart body by the boundary (the Content-Type parameter, without
// the leading "--"). Fails with BadRequest, naming the part (1-based) where
// one is at fault, when the first or the closing delimiter is missing, there
// are no parts or more than kMaxMultipartParts, or a part has no blank line
// after its headers or a header block longer than kMaxPartHeaderBytes.
Result<std::vector<Part>> parse_multipart(std::string_view body, std::string_view boundary);

// Builds a multipart body for a response: each part as "--boundary", its
// headers as "Name: value", a blank line and the body, all with CRLF, then the
// closing delimiter "--boundary--" and CRLF. The boundary must not occur in any
// body; the caller picks it.
std::string write_multipart(const std::vector<Part>& parts, std::string_view boundary);

}  // namespace staffroom::http
