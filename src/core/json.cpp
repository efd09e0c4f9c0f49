#include "core/json.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <charconv>
#include <cstdlib>
#include <cstring>

namespace staffroom::json {

Result<boost::json::object> parse_object(std::string_view body) {
  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 64;
  boost::json::value v = boost::json::parse(body, ec, {}, opts);
  if (ec) {
    if (body.empty()) return Error::bad_request("the request body is empty; send a JSON object");
    return Error::bad_request("the request body is not valid JSON (" + ec.message() + ")");
  }
  if (!v.is_object()) return Error::validation("body", "must be a JSON object, like {\"field\": \"value\"}");
  return std::move(v.as_object());
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string slugify(std::string_view name, std::size_t max_chars) {
  std::string out;
  for (char ch : lower_ascii(name)) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
      out.push_back(ch);
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
    if (out.size() >= max_chars) break;
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

namespace {
bool has_double(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::double_:
      return true;
    case boost::json::kind::object:
      for (const auto& kv : v.get_object())
        if (has_double(kv.value())) return true;
      return false;
    case boost::json::kind::array:
      for (const auto& x : v.get_array())
        if (has_double(x)) return true;
      return false;
    default:
      return false;
  }
}
}  // namespace

std::string serialize(const boost::json::value& v) {
  std::string out = boost::json::serialize(v);
  // Boost writes every double in exponent form (0.5 as 5E-1); rewrite those
  // numbers in the shortest plain form people expect to read. Strings are
  // left alone. Looking for doubles in the value is cheaper than reading the
  // text for an exponent, which most text (any capital E) would send here.
  if (!has_double(v)) return out;
  std::string fixed;
  fixed.reserve(out.size());
  bool in_string = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const char ch = out[i];
    if (in_string) {
      fixed.push_back(ch);
      if (ch == '\\' && i + 1 < out.size()) {
        fixed.push_back(out[++i]);
      } else if (ch == '"') {
        in_string = false;
      }
      continue;
    }
    if (ch == '"') {
      in_string = true;
      fixed.push_back(ch);
      continue;
    }
    if (ch == '-' || (ch >= '0' && ch <= '9')) {
      std::size_t end = i;
      while (end < out.size() && std::strchr("0123456789+-.eE", out[end]) != nullptr) ++end;
      const std::string token = out.substr(i, end - i);
      if (token.find_first_of("eE") != std::string::npos) {
        fixed += fmt::format("{}", std::strtod(token.c_str(), nullptr));
      } else {
        fixed += token;
      }
      i = end - 1;
      continue;
    }
    fixed.push_back(ch);
  }
  return fixed;
}

const boost::json::value* FieldReader::get(std::string_view name) const {
  auto it = object_.find(name);
  if (it == object_.end() || it->value().is_null()) return nullptr;
  return &it->value();
}

namespace {
// A NUL inside text is never meaningful here and some databases would cut
// the value at it; refuse it at the edge.
bool has_nul(const boost::json::value& v) {
  return v.is_string() && std::string_view(v.as_string()).find('\0') != std::string_view::npos;
}
}  // namespace

bool FieldReader::has(std::string_view name) const {
  return get(name) != nullptr;
}

void FieldReader::add_error(std::string field, std::string message) {
  errors_.push_back({std::move(field), std::move(message)});
}

// The one place that reads a string field: its type, NUL characters and
// length. Absent (or null) gives nullopt without an error.
std::optional<std::string> FieldReader::read_string(std::string_view name, std::size_t max_chars, bool trimmed) {
  const auto* v = get(name);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    add_error(std::string(name), "must be a string");
    return std::nullopt;
  }
  if (has_nul(*v)) {
    add_error(std::string(name), "must not contain NUL characters");
    return std::nullopt;
  }
  std::string s = trimmed ? trim(v->as_string()) : std::string(v->as_string());
  if (utf8_length(s) > max_chars) {
    add_error(std::string(name), "must be at most " + std::to_string(max_chars) + " characters");
  }
  return s;
}

std::string FieldReader::required(std::string_view name, std::size_t max_chars, bool trimmed) {
  if (!get(name)) {
    add_error(std::string(name), "is required");
    return {};
  }
  const std::size_t errors_before = errors_.size();
  auto s = read_string(name, max_chars, trimmed);
  if (s && s->empty() && errors_.size() == errors_before) add_error(std::string(name), "must not be empty");
  return s.value_or("");
}

std::string FieldReader::required_raw_string(std::string_view name, std::size_t max_chars) {
  return required(name, max_chars, false);
}

std::string FieldReader::required_string(std::string_view name, std::size_t max_chars) {
  return required(name, max_chars, true);
}

std::optional<std::string> FieldReader::optional_string(std::string_view name, std::size_t max_chars) {
  return read_string(name, max_chars, true);
}

std::optional<std::string> FieldReader::optional_raw_string(std::string_view name) {
  return read_string(name, SIZE_MAX, false);
}

std::optional<std::int64_t> FieldReader::optional_int(std::string_view name) {
  const auto* v = get(name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->as_uint64());
  add_error(std::string(name), "must be an integer");
  return std::nullopt;
}

Status FieldReader::finish() const {
  if (errors_.empty()) return {};
  return Error::validation(errors_);
}

namespace {

// The number tokens of JSON text, in order (strings skipped).
std::vector<std::string_view> number_tokens(std::string_view text) {
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
      ++i;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      const std::size_t start = i;
      while (i < text.size() && (text[i] == '-' || text[i] == '+' || text[i] == '.' || text[i] == 'e' ||
                                 text[i] == 'E' || (text[i] >= '0' && text[i] <= '9')))
        ++i;
      out.push_back(text.substr(start, i - start));
    } else {
      ++i;
    }
  }
  return out;
}

// Every number of v in document order (objects keep their members' order).
void number_values(boost::json::value& v, std::vector<boost::json::value*>& out) {
  if (v.is_number()) {
    out.push_back(&v);
  } else if (v.is_array()) {
    for (auto& x : v.as_array()) number_values(x, out);
  } else if (v.is_object()) {
    for (auto& kv : v.as_object()) number_values(kv.value(), out);
  }
}

}  // namespace

Result<boost::json::value> parse_exact(std::string_view text, std::size_t max_depth) {
  boost::json::parse_options opts;
  opts.max_depth = max_depth;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec, {}, opts);
  if (ec) return Error::bad_request("the body is not JSON (" + ec.message() + ")");
  const auto tokens = number_tokens(text);
  std::vector<boost::json::value*> numbers;
  number_values(v, numbers);
  // A repeated member name leaves fewer values than tokens; the order can
  // no longer be matched, and the parser's values are kept.
  if (tokens.size() != numbers.size()) return v;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!numbers[i]->is_double()) continue;  // integers are exact already
    double d = 0;
    const auto t = tokens[i];
    const auto [end, err] = std::from_chars(t.data(), t.data() + t.size(), d);
    if (err == std::errc() && end == t.data() + t.size()) *numbers[i] = d;
  }
  return v;
}

}  // namespace staffroom::json
