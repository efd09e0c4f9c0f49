#include "http/multipart.hpp"

#include <algorithm>
#include <functional>

namespace staffroom::http {

namespace {

constexpr bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// RFC 9110 token characters, which is what a header name is made of.
bool is_token(std::string_view s) {
  static constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           kExtra.find(c) != std::string_view::npos;
  });
}

// Outside bytes quoted in an error message: short, and printable ASCII only,
// so a binary body cannot put control bytes or broken UTF-8 into problem+json.
std::string quote(std::string_view s, std::size_t max = 60) {
  std::string out = "'";
  for (char c : s.substr(0, max)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > max) out += "...";
  return out + "'";
}

enum class DelimiterKind { Part, Close };

struct Delimiter {
  DelimiterKind kind;
  std::size_t next;  // the first byte after the delimiter line (or after "--" when closing)
};

// What follows "--boundary" (at `pos`) decides whether it is a delimiter at
// all: "--" closes, optional padding then CRLF opens a part. Anything else
// ("--boundaryX") is content, since RFC 2046 lets a boundary be the prefix of
// a longer line in the body.
std::optional<Delimiter> delimiter_after(std::string_view body, std::size_t pos) {
  if (body.substr(pos, 2) == "--") return Delimiter{DelimiterKind::Close, pos + 2};
  while (pos < body.size() && is_blank(body[pos])) ++pos;
  if (body.substr(pos, 2) == "\r\n") return Delimiter{DelimiterKind::Part, pos + 2};
  return std::nullopt;
}

// Finds "\r\n--boundary" that forms a delimiter. Horspool skips ahead by up to
// the pattern's length, so a few MB of attachment is crossed in a fraction of
// the byte-by-byte time, and a body full of CR bytes cannot make it crawl.
class DelimiterFinder {
 public:
  explicit DelimiterFinder(std::string_view boundary)
      : pattern_("\r\n--" + std::string(boundary)), searcher_(pattern_.begin(), pattern_.end()) {}
  DelimiterFinder(const DelimiterFinder&) = delete;  // searcher_ points into pattern_
  DelimiterFinder& operator=(const DelimiterFinder&) = delete;

  // "--boundary", as it appears at the very start of a body without preamble.
  std::string_view dash_boundary() const { return std::string_view(pattern_).substr(2); }

  struct Hit {
    std::size_t at;  // where the CRLF before "--boundary" starts
    Delimiter delimiter;
  };
  std::optional<Hit> find(std::string_view body, std::size_t from) const {
    const char* const begin = body.data();
    const char* const end = begin + body.size();
    const char* it = begin + from;
    while (true) {
      const char* hit = searcher_(it, end).first;
      if (hit == end) return std::nullopt;
      const auto at = static_cast<std::size_t>(hit - begin);
      if (auto d = delimiter_after(body, at + pattern_.size())) return Hit{at, *d};
      it = hit + 1;
    }
  }

 private:
  std::string pattern_;
  std::boyer_moore_horspool_searcher<std::string::const_iterator> searcher_;
};

// One encapsulation: headers, a blank line, the body. `number` is 1-based.
Result<Part> parse_part(std::string_view content, std::size_t number) {
  const auto too_large = [&] {
    return Error::bad_request("the headers of multipart part " + std::to_string(number) + " are longer than " +
                              std::to_string(kMaxPartHeaderBytes) +
                              " bytes, or the blank line that ends them is missing");
  };
  const auto no_blank_line = [&](std::string_view line) {
    return Error::bad_request("multipart part " + std::to_string(number) +
                              " has no blank line after its headers: the line " + quote(line) +
                              " is not a 'Name: value' header");
  };
  Part part;
  std::size_t pos = 0;
  while (true) {
    const std::size_t lf = content.find('\n', pos);
    if (lf == std::string_view::npos) {
      if (content.size() > kMaxPartHeaderBytes) return too_large();
      return no_blank_line(content.substr(pos));
    }
    if (lf + 1 > kMaxPartHeaderBytes) return too_large();
    std::string_view line = content.substr(pos, lf - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF, or a bare LF
    pos = lf + 1;
    if (line.empty()) break;
    if (is_blank(line.front()) && !part.headers.empty()) {  // a folded header continues the previous one
      auto& value = part.headers.back().value;
      const std::string_view more = trim(line);
      if (!more.empty()) value.append(value.empty() ? "" : " ").append(more);
      continue;
    }
    const std::size_t colon = line.find(':');
    const std::string_view name = colon == std::string_view::npos ? std::string_view() : trim(line.substr(0, colon));
    if (!is_token(name)) return no_blank_line(line);
    part.headers.push_back({lower(name), std::string(trim(line.substr(colon + 1)))});
  }
  part.body.assign(content.substr(pos));
  return part;
}

}  // namespace

std::optional<std::string> MediaType::param(std::string_view lower_name) const {
  for (const auto& [name, value] : params)
    if (name == lower_name) return value;
  return std::nullopt;
}

MediaType parse_media_type(std::string_view content_type) {
  MediaType media;
  const std::string_view v = content_type;
  std::size_t pos = std::min(v.find(';'), v.size());
  media.type = lower(trim(v.substr(0, pos)));
  while (pos < v.size()) {
    while (pos < v.size() && (is_blank(v[pos]) || v[pos] == ';')) ++pos;
    if (pos == v.size()) break;
    const std::size_t name_end = std::min(v.find_first_of("=;", pos), v.size());
    const std::string_view name = trim(v.substr(pos, name_end - pos));
    pos = name_end;
    if (pos == v.size() || v[pos] == ';') continue;  // a parameter without '=' says nothing
    ++pos;
    while (pos < v.size() && is_blank(v[pos])) ++pos;
    std::string value;
    if (pos < v.size() && v[pos] == '"') {  // quoted-string: ';' and spaces are kept, '\' escapes
      for (++pos; pos < v.size() && v[pos] != '"'; ++pos) {
        if (v[pos] == '\\' && pos + 1 < v.size()) ++pos;
        value += v[pos];
      }
      pos = std::min(v.find(';', pos), v.size());  // past the closing quote and anything after it
    } else {
      const std::size_t end = std::min(v.find(';', pos), v.size());
      value = trim(v.substr(pos, end - pos));
      pos = end;
    }
    if (!name.empty()) media.params.emplace_back(lower(name), std::move(value));
  }
  return media;
}

std::optional<std::string_view> Part::header(std::string_view lower_name) const {
  for (const auto& h : headers)
    if (h.name == lower_name) return std::string_view(h.value);
  return std::nullopt;
}

Result<std::vector<Part>> parse_multipart(std::string_view body, std::string_view boundary) {
  if (boundary.empty()) return Error::bad_request("the multipart Content-Type has no boundary parameter");
  const DelimiterFinder finder(boundary);

  // The first delimiter opens the body, or follows a preamble and its CRLF.
  std::optional<Delimiter> first;
  if (body.starts_with(finder.dash_boundary())) first = delimiter_after(body, finder.dash_boundary().size());
  if (!first) {
    if (auto hit = finder.find(body, 0)) first = hit->delimiter;
  }
  if (!first) {
    return Error::bad_request("the multipart body does not start with the boundary " +
                              quote(finder.dash_boundary(), 100) + " given in Content-Type");
  }

  std::vector<Part> parts;
  std::size_t pos = first->next;
  for (DelimiterKind kind = first->kind; kind == DelimiterKind::Part;) {
    const auto hit = finder.find(body, pos);
    if (!hit) {
      return Error::bad_request("the multipart body has no closing delimiter " +
                                quote(std::string(finder.dash_boundary()) + "--", 100) + " after part " +
                                std::to_string(parts.size() + 1));
    }
    if (parts.size() == kMaxMultipartParts) {
      return Error::bad_request("the multipart body has more than " + std::to_string(kMaxMultipartParts) + " parts");
    }
    SR_ASSIGN(Part part, parse_part(body.substr(pos, hit->at - pos), parts.size() + 1));
    parts.push_back(std::move(part));
    pos = hit->delimiter.next;
    kind = hit->delimiter.kind;
  }
  // Whatever follows the closing delimiter is the epilogue, which has no meaning.
  if (parts.empty()) return Error::bad_request("the multipart body has no parts: it starts with its closing delimiter");
  return parts;
}

std::string write_multipart(const std::vector<Part>& parts, std::string_view boundary) {
  std::size_t size = boundary.size() + 6;
  for (const auto& part : parts) {
    size += boundary.size() + 6 + part.body.size() + 2;
    for (const auto& h : part.headers) size += h.name.size() + h.value.size() + 4;
  }
  std::string out;
  out.reserve(size);
  for (const auto& part : parts) {
    out.append("--").append(boundary).append("\r\n");
    for (const auto& h : part.headers) out.append(h.name).append(": ").append(h.value).append("\r\n");
    out.append("\r\n").append(part.body).append("\r\n");
  }
  out.append("--").append(boundary).append("--\r\n");
  return out;
}

}  // namespace staffroom::http
