// JSON-LD 1.1 expansion and deserialization to RDF, written from the W3C
// "JSON-LD 1.1 Processing Algorithms and API" Recommendation: context
// processing and term definitions (section 4.1-4.2), expansion, IRI and value
// expansion (5.1-5.3), node map generation (7.2) and deserialization to RDF
// (8.1). Step references below ("step 13.4") are to those algorithms.
//
// What is deliberately left out, and how it fails:
//   - processing mode json-ld-1.0: @version must be 1.1 when present; 1.0-only
//     behaviour is never applied.
//   - frame expansion, compaction, flattening output, fromRdf, HTML script
//     extraction and remote documents other than contexts: not offered.
//   - rdfDirection (i18n-datatype / compound-literal): a literal's @direction
//     is dropped, as the default (null) says; in safe mode a @direction
//     that would be dropped from RDF is refused instead.
//   - generalized RDF: triples with blank-node predicates are dropped (an
//     error in safe mode).
//
// Safe mode (JsonLdOptions::safe) turns every silent drop into an error that
// names the JSON path: a property or type the contexts do not define, a
// relative or keyword-like identifier, a free-floating value, a malformed
// language tag, a @direction, a blank-node predicate. Without it, those are
// dropped as the specification says.
//
// Numbers: JSON numbers are IEEE doubles to JSON-LD, as to the JavaScript
// processors verifiers use (an integer beyond 2^53 is rounded to the nearest
// double first). The digits of a double are the parser's: Boost.JSON before
// 1.83 may round the last bit of some long decimal fractions differently from
// a correctly rounding parser, which shows only in the 16th-17th digit of an
// xsd:double or @json number.
//
// Cost: processed contexts are memoised. With the bundled loader (or any
// loader that serves a bundled context's exact text), contexts built only
// from bundled documents are shared process-wide, so a credential pays for
// its contexts once per process, not once per document.
#include "ld/jsonld.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ld/contexts.hpp"

namespace staffroom::ld {
namespace {

namespace json = boost::json;

constexpr std::string_view kRdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
constexpr std::string_view kRdfFirst = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
constexpr std::string_view kRdfRest = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
constexpr std::string_view kRdfNil = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
constexpr std::string_view kRdfJson = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
constexpr std::string_view kXsdBoolean = "http://www.w3.org/2001/XMLSchema#boolean";
constexpr std::string_view kXsdInteger = "http://www.w3.org/2001/XMLSchema#integer";
constexpr std::string_view kXsdDouble = "http://www.w3.org/2001/XMLSchema#double";

// Bounds that keep hostile input from exhausting the stack or the CPU. A
// credential nests about six levels and uses two or three contexts.
constexpr int kMaxDocumentDepth = 100;          // recursive expansion / node map / JSON literal levels
constexpr int kMaxContextDepth = 64;            // contexts processed within contexts (scoped, remote)
constexpr int kMaxTermDependencyDepth = 100;    // term definitions that wait on other terms
constexpr std::size_t kMaxRemoteContexts = 32;  // the spec's "context overflow" limit
constexpr std::size_t kWorkBudget = 2'000'000;  // term definitions made and copied, values expanded
constexpr std::size_t kMaxSharedCacheEntries = 2048;

// ---------------------------------------------------------------------------
// Lexical helpers

constexpr std::array<std::string_view, 23> kKeywords = {
    "@base",      "@container", "@context",  "@direction", "@graph", "@id",      "@import", "@included",
    "@index",     "@json",      "@language", "@list",      "@nest",  "@none",    "@prefix", "@propagate",
    "@protected", "@reverse",   "@set",      "@type",      "@value", "@version", "@vocab"};

bool is_keyword(std::string_view s) {
  if (s.size() < 2 || s[0] != '@') return false;
  return std::find(kKeywords.begin(), kKeywords.end(), s) != kKeywords.end();
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "@" 1*ALPHA: reserved for future keywords, so ignored (section 9.2).
bool has_keyword_form(std::string_view s) {
  if (s.size() < 2 || s[0] != '@') return false;
  return std::all_of(s.begin() + 1, s.end(), is_alpha);
}

// True when s starts with an RFC 3986 scheme and a colon, i.e. it has the
// form of an absolute IRI.
bool has_scheme(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ':') return true;
    if (!is_alpha(c) && !is_digit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

bool is_blank(std::string_view s) {
  return s.size() >= 2 && s[0] == '_' && s[1] == ':';
}

bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// A well-formed absolute IRI (RFC 3987) as far as RDF needs: a scheme, none
// of the characters an N-Quads IRIREF excludes (controls, space, <>"{}|^`\),
// percent signs that start an escape, and at most one fragment.
bool is_well_formed_iri(std::string_view s) {
  if (!has_scheme(s)) return false;
  bool fragment = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c <= 0x20 || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`' ||
        c == '\\' || c == 0x7F)
      return false;
    if (c == '%' && (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))) return false;
    if (c == '#') {
      if (fragment) return false;
      fragment = true;
    }
  }
  return true;
}

bool is_well_formed_node(std::string_view s) {
  return is_blank(s) ? s.size() > 2 : is_well_formed_iri(s);
}

// BCP 47 well-formedness as JSON-LD processors check it in practice: a
// primary subtag of 1-8 letters, then subtags of 1-8 letters or digits.
bool is_well_formed_language(std::string_view s) {
  std::size_t i = 0;
  std::size_t n = 0;
  while (i < s.size() && is_alpha(s[i])) ++i, ++n;
  if (n < 1 || n > 8) return false;
  while (i < s.size()) {
    if (s[i] != '-') return false;
    ++i;
    n = 0;
    while (i < s.size() && (is_alpha(s[i]) || is_digit(s[i]))) ++i, ++n;
    if (n < 1 || n > 8) return false;
  }
  return true;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_gen_delim(char c) {
  return c == ':' || c == '/' || c == '?' || c == '#' || c == '[' || c == ']' || c == '@';
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  // Long values are cut: the message names the value, it need not hold it.
  if (s.size() > 100) {
    out.append(s.substr(0, 100));
    out += "...";
  } else {
    out.append(s);
  }
  out += '"';
  return out;
}

// ---------------------------------------------------------------------------
// RFC 3986 section 5.2: resolving a relative reference against a base IRI.

struct IriParts {
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> authority;
  std::string_view path;
  std::optional<std::string_view> query;
  std::optional<std::string_view> fragment;
};

IriParts split_iri(std::string_view s) {
  IriParts parts;
  if (has_scheme(s)) {
    const std::size_t colon = s.find(':');
    parts.scheme = s.substr(0, colon);
    s.remove_prefix(colon + 1);
  }
  if (const std::size_t hash = s.find('#'); hash != std::string_view::npos) {
    parts.fragment = s.substr(hash + 1);
    s = s.substr(0, hash);
  }
  if (const std::size_t question = s.find('?'); question != std::string_view::npos) {
    parts.query = s.substr(question + 1);
    s = s.substr(0, question);
  }
  if (s.size() >= 2 && s[0] == '/' && s[1] == '/') {
    s.remove_prefix(2);
    const std::size_t slash = s.find('/');
    parts.authority = s.substr(0, slash);
    s = slash == std::string_view::npos ? std::string_view() : s.substr(slash);
  }
  parts.path = s;
  return parts;
}

std::string remove_dot_segments(std::string_view in) {
  std::string out;
  auto pop_segment = [&out] {
    const std::size_t slash = out.rfind('/');
    out.erase(slash == std::string::npos ? 0 : slash);
  };
  while (!in.empty()) {
    if (in.starts_with("../")) {
      in.remove_prefix(3);
    } else if (in.starts_with("./")) {
      in.remove_prefix(2);
    } else if (in.starts_with("/./")) {
      in.remove_prefix(2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.starts_with("/../")) {
      in.remove_prefix(3);
      pop_segment();
    } else if (in == "/..") {
      in = "/";
      pop_segment();
    } else if (in == "." || in == "..") {
      in = {};
    } else {
      const std::size_t next = in.find('/', in[0] == '/' ? 1 : 0);
      const std::size_t length = next == std::string_view::npos ? in.size() : next;
      out.append(in.substr(0, length));
      in.remove_prefix(length);
    }
  }
  return out;
}

std::string resolve_iri(std::string_view base, std::string_view reference) {
  const IriParts r = split_iri(reference);
  const IriParts b = split_iri(base);
  std::optional<std::string_view> scheme;
  std::optional<std::string_view> authority;
  std::string path;
  std::optional<std::string_view> query;
  if (r.scheme) {
    scheme = r.scheme;
    authority = r.authority;
    path = remove_dot_segments(r.path);
    query = r.query;
  } else {
    if (r.authority) {
      authority = r.authority;
      path = remove_dot_segments(r.path);
      query = r.query;
    } else {
      if (r.path.empty()) {
        path = std::string(b.path);
        query = r.query ? r.query : b.query;
      } else {
        if (r.path[0] == '/') {
          path = remove_dot_segments(r.path);
        } else {
          std::string merged;
          if (b.authority && b.path.empty()) {
            merged = "/";
          } else {
            const std::size_t slash = b.path.rfind('/');
            if (slash != std::string_view::npos) merged = std::string(b.path.substr(0, slash + 1));
          }
          merged.append(r.path);
          path = remove_dot_segments(merged);
        }
        query = r.query;
      }
      authority = b.authority;
    }
    scheme = b.scheme;
  }
  std::string out;
  if (scheme) {
    out.append(*scheme);
    out += ':';
  }
  if (authority) {
    out += "//";
    out.append(*authority);
  }
  out += path;
  if (query) {
    out += '?';
    out.append(*query);
  }
  if (r.fragment) {
    out += '#';
    out.append(*r.fragment);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Numbers: canonical lexical forms (section 8.6) and ECMAScript Number
// serialization for JSON literals (RFC 8785 section 3.2.2.3).

// xsd:integer canonical form. JSON numbers are IEEE doubles to JSON-LD (and
// to the JavaScript processors a verifier may use), so an integer beyond
// 2^53 is first rounded to the nearest double, exactly as they do.
std::string canonical_integer(double value) {
  std::array<char, 64> buffer{};
  const int n = std::snprintf(buffer.data(), buffer.size(), "%.0f", value);
  std::string out(buffer.data(), static_cast<std::size_t>(std::max(n, 0)));
  if (out == "-0") out = "0";
  return out;
}

// xsd:double canonical form: the mantissa rounded to 15 digits after the
// point (ties away from zero), trailing zeros removed but one digit kept,
// then "E" and the exponent: 1.1 -> "1.1E0", 0 -> "0.0E0".
std::string canonical_double(double value) {
  if (value == 0) return "0.0E0";
  std::string out;
  if (value < 0) {
    out += '-';
    value = -value;
  }
  // The 17th significant digit decides the rounding (ties go up), so it must
  // be exact. 41 correctly rounded digits give it, except when they read
  // ...5000... or ...4999... from there: the exact value may sit either side
  // of the tie, so then every digit is printed (a double's exact decimal
  // expansion has at most 767 significant digits).
  auto significant_digits = [value](int precision, std::string& digits, int& exponent) {
    std::array<char, 1100> buffer{};
    const auto [end, ec] =
        std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::scientific, precision);
    const std::string_view text(buffer.data(), ec == std::errc() ? static_cast<std::size_t>(end - buffer.data()) : 0);
    const std::size_t e = text.find('e');
    digits.clear();
    for (std::size_t i = 0; i < e && i < text.size(); ++i)
      if (is_digit(text[i])) digits += text[i];
    exponent = e == std::string_view::npos ? 0 : std::atoi(text.data() + e + 1);
  };
  std::string digits;
  int exponent = 0;
  significant_digits(40, digits, exponent);
  if (digits.size() > 17) {
    const std::string_view tail = std::string_view(digits).substr(17);
    if ((digits[16] == '5' && tail.find_first_not_of('0') == std::string_view::npos) ||
        (digits[16] == '4' && tail.find_first_not_of('9') == std::string_view::npos))
      significant_digits(800, digits, exponent);
  }
  std::string mantissa = digits.substr(0, 16);
  if (digits.size() > 16 && digits[16] >= '5') {
    int i = 15;
    while (i >= 0 && mantissa[static_cast<std::size_t>(i)] == '9') mantissa[static_cast<std::size_t>(i--)] = '0';
    if (i < 0) {
      mantissa.insert(mantissa.begin(), '1');
      mantissa.pop_back();
      ++exponent;
    } else {
      ++mantissa[static_cast<std::size_t>(i)];
    }
  }
  while (mantissa.size() > 2 && mantissa.back() == '0') mantissa.pop_back();
  out += mantissa[0];
  out += '.';
  out.append(mantissa, 1);
  out += 'E';
  out += std::to_string(exponent);
  return out;
}

// Number::toString as ECMAScript defines it: the shortest digits that read
// back as the same double, in the notation the magnitude calls for.
std::string ecmascript_number(double value) {
  if (value == 0) return "0";
  std::string out;
  if (value < 0) {
    out += '-';
    value = -value;
  }
  std::array<char, 64> buffer{};
  const auto [end, ec] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::scientific);
  const std::string_view text(buffer.data(), ec == std::errc() ? static_cast<std::size_t>(end - buffer.data()) : 0);
  const std::size_t e = text.find('e');
  if (e == std::string_view::npos) return "0";
  std::string digits;
  for (std::size_t i = 0; i < e; ++i)
    if (is_digit(text[i])) digits += text[i];
  const int k = static_cast<int>(digits.size());
  const int n = std::atoi(text.data() + e + 1) + 1;  // position of the decimal point
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<std::size_t>(n));
    out += '.';
    out.append(digits, static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    out += n - 1 > 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

double as_double(const json::value& v) {
  switch (v.kind()) {
    case json::kind::int64:
      return static_cast<double>(v.get_int64());
    case json::kind::uint64:
      return static_cast<double>(v.get_uint64());
    default:
      return v.get_double();
  }
}

// ---------------------------------------------------------------------------
// JSON Canonicalization Scheme (RFC 8785), the lexical form of rdf:JSON.

void jcs_string(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// RFC 8785 orders object members by their names' UTF-16 code units.
std::u16string utf16_units(std::string_view s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    char32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else if (c >= 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if (c >= 0xC0) {
      cp = c & 0x1F;
      len = 2;
    }
    for (std::size_t j = 1; j < len && i + j < s.size(); ++j)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + j]) & 0x3F);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

bool jcs(const json::value& v, std::string& out, int depth) {
  if (depth > kMaxDocumentDepth) return false;
  switch (v.kind()) {
    case json::kind::null:
      out += "null";
      return true;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return true;
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      out += ecmascript_number(as_double(v));
      return true;
    case json::kind::string:
      jcs_string(v.get_string(), out);
      return true;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const json::value& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        if (!jcs(item, out, depth + 1)) return false;
      }
      out += ']';
      return true;
    }
    case json::kind::object: {
      std::vector<std::pair<std::u16string, const json::key_value_pair*>> members;
      for (const json::key_value_pair& member : v.get_object())
        members.emplace_back(utf16_units(member.key()), &member);
      std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      bool first = true;
      for (const auto& [units, member] : members) {
        if (!first) out += ',';
        first = false;
        jcs_string(member->key(), out);
        out += ':';
        if (!jcs(member->value(), out, depth + 1)) return false;
      }
      out += '}';
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// Active contexts and term definitions (section 4.1)

enum ContainerFlag : std::uint8_t {
  kList = 1,
  kSet = 2,
  kLanguage = 4,
  kIndex = 8,
  kId = 16,
  kType = 32,
  kGraph = 64,
};

struct TermDefinition {
  std::string iri;        // IRI, blank node identifier or keyword
  bool iri_null = false;  // "@id": null: kept to block redefinition, never used to expand
  bool prefix = false;
  bool is_protected = false;
  bool reverse = false;
  std::optional<std::string> type;  // type mapping, expanded
  std::uint8_t container = 0;
  bool has_language = false;
  std::optional<std::string> language;  // with has_language: nullopt means "@language": null
  bool has_direction = false;
  std::optional<std::string> direction;
  std::optional<std::string> index;
  std::optional<std::string> nest;
  // The scoped context as written, or nullptr. It points into a loaded
  // context document or the input document, both of which outlive every
  // active context that holds this definition (see Processor).
  const json::value* context = nullptr;
  bool context_persistent = false;  // it points into a bundled document
  std::string base_url;

  // Section 4.2 step 27: a protected term may only be "redefined" to the
  // same definition.
  bool same_as(const TermDefinition& other) const {
    if (iri != other.iri || iri_null != other.iri_null || prefix != other.prefix || reverse != other.reverse ||
        type != other.type || container != other.container || has_language != other.has_language ||
        language != other.language || has_direction != other.has_direction || direction != other.direction ||
        index != other.index || nest != other.nest)
      return false;
    if ((context == nullptr) != (other.context == nullptr)) return false;
    return context == other.context || *context == *other.context;
  }
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

using TermMap = std::unordered_map<std::string, std::shared_ptr<const TermDefinition>, StringHash, std::equal_to<>>;

struct ActiveContext;
using ContextPtr = std::shared_ptr<const ActiveContext>;

struct ActiveContext {
  TermMap terms;
  std::optional<std::string> base;
  std::string original_base;
  std::optional<std::string> vocab;
  std::optional<std::string> language;
  std::optional<std::string> direction;
  ContextPtr previous;  // set by non-propagated (type-scoped) contexts
  // Built only from the empty initial context and bundled documents, so it
  // may be shared between documents and threads.
  bool persistent = false;

  const TermDefinition* find(std::string_view term) const {
    auto it = terms.find(term);
    return it == terms.end() ? nullptr : it->second.get();
  }
  bool has_protected() const {
    return std::any_of(terms.begin(), terms.end(), [](const auto& entry) { return entry.second->is_protected; });
  }
};

// Memo of context processing: (active context, local context) -> result.
// Keys hold the active context alive (MemoEntry::from) so a pointer is never
// reused for a different context while its entry exists.
struct MemoKey {
  const ActiveContext* context = nullptr;
  const void* local = nullptr;  // the local context JSON, or nullptr for a URL
  std::string url;
  std::uint8_t flags = 0;
  bool operator==(const MemoKey&) const = default;
};

struct MemoKeyHash {
  std::size_t operator()(const MemoKey& k) const noexcept {
    std::size_t h = std::hash<const void*>{}(k.context);
    h = h * 31 + std::hash<const void*>{}(k.local);
    h = h * 31 + std::hash<std::string_view>{}(k.url);
    return h * 31 + k.flags;
  }
};

struct MemoEntry {
  ContextPtr from;
  ContextPtr result;
};

using Memo = std::unordered_map<MemoKey, MemoEntry, MemoKeyHash>;

// Process-wide memo for persistent contexts. Bounded: once full, new results
// are computed per call instead of being kept.
class SharedContextCache {
 public:
  static SharedContextCache& instance() {
    static SharedContextCache cache;
    return cache;
  }
  ContextPtr find(const MemoKey& key) {
    const std::lock_guard lock(mutex_);
    auto it = memo_.find(key);
    return it == memo_.end() ? nullptr : it->second.result;
  }
  void insert(const MemoKey& key, const MemoEntry& entry) {
    const std::lock_guard lock(mutex_);
    if (memo_.size() < kMaxSharedCacheEntries) memo_.emplace(key, entry);
  }
  const ContextPtr& initial() const { return initial_; }

 private:
  SharedContextCache() {
    auto context = std::make_shared<ActiveContext>();
    context->persistent = true;
    initial_ = std::move(context);
  }
  std::mutex mutex_;
  Memo memo_;
  ContextPtr initial_;
};

// ---------------------------------------------------------------------------
// Where in the document processing is, for error messages:
// "credentialSubject.achievement.criteria", "evidence[1].name".

class JsonPath {
 public:
  void push(std::string_view key) { segments_.push_back({key, 0, false}); }
  void push(std::size_t index) { segments_.push_back({{}, index, true}); }
  void pop() { segments_.pop_back(); }
  std::string str() const {
    std::string out;
    for (const Segment& s : segments_) {
      if (s.is_index) {
        out += '[' + std::to_string(s.index) + ']';
      } else {
        if (!out.empty()) out += '.';
        out.append(s.key);
      }
    }
    return out;
  }

 private:
  struct Segment {
    std::string_view key;
    std::size_t index;
    bool is_index;
  };
  std::vector<Segment> segments_;
};

class PathScope {
 public:
  template <class T>
  PathScope(JsonPath& path, T segment) : path_(path) {
    path_.push(segment);
  }
  ~PathScope() { path_.pop(); }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  JsonPath& path_;
};

class DepthScope {
 public:
  explicit DepthScope(int& depth) : depth_(depth) { ++depth_; }
  ~DepthScope() { --depth_; }
  DepthScope(const DepthScope&) = delete;
  DepthScope& operator=(const DepthScope&) = delete;

 private:
  int& depth_;
};

// ---------------------------------------------------------------------------
// Node map (section 7.2)

struct NodeMapItem {
  enum class Kind { Reference, Value, List };
  Kind kind = Kind::Reference;
  std::string id;                       // Reference
  const json::object* value = nullptr;  // Value: a value object of the expanded document
  std::vector<NodeMapItem> list;        // List

  bool equivalent(const NodeMapItem& other) const {
    if (kind != other.kind) return false;
    if (kind == Kind::Reference) return id == other.id;
    if (kind == Kind::Value) return *value == *other.value;
    return false;  // lists are never merged
  }
};

struct NodeMapNode {
  std::vector<std::string> types;
  std::map<std::string, std::vector<NodeMapItem>, std::less<>> properties;
  std::optional<std::string> index;
};

using NodeMapGraph = std::map<std::string, NodeMapNode, std::less<>>;
using NodeMap = std::map<std::string, NodeMapGraph, std::less<>>;

using Defined = std::unordered_map<std::string, bool, StringHash, std::equal_to<>>;

const json::value* find_entry(const json::object& object, std::string_view key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &it->value();
}

std::vector<const json::key_value_pair*> sorted_entries(const json::object& object) {
  std::vector<const json::key_value_pair*> entries;
  entries.reserve(object.size());
  for (const json::key_value_pair& entry : object) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(), [](const auto* a, const auto* b) { return a->key() < b->key(); });
  return entries;
}

bool is_value_object(const json::value& v) {
  return v.is_object() && v.get_object().contains("@value");
}
bool is_list_object(const json::value& v) {
  return v.is_object() && v.get_object().contains("@list");
}
bool is_graph_object(const json::value& v) {
  if (!v.is_object() || !v.get_object().contains("@graph")) return false;
  return std::all_of(v.get_object().begin(), v.get_object().end(), [](const json::key_value_pair& e) {
    return e.key() == "@graph" || e.key() == "@id" || e.key() == "@index";
  });
}
bool is_node_object(const json::value& v) {
  if (!v.is_object()) return false;
  const json::object& o = v.get_object();
  return !o.contains("@value") && !o.contains("@list") && !o.contains("@set");
}

// ---------------------------------------------------------------------------
// The processor: one per call, holding the options, the per-call memo and
// the documents loaded through a custom loader.

class Processor {
 public:
  Processor(const JsonLdOptions& options, bool for_rdf, json::storage_ptr storage)
      : options_(options),
        for_rdf_(for_rdf),
        storage_(std::move(storage)),
        bundled_loader_(options.loader ? options.loader.target<BundledContextLoader>() : nullptr) {}

  Result<json::value> expand_document(const json::value& document);
  Result<Dataset> to_rdf(const json::value& expanded);

 private:
  // ---- errors
  std::string field() const {
    std::string p = path_.str();
    return p.empty() ? "document" : p;
  }
  Error fail(std::string message) const { return Error::validation(field(), std::move(message)); }
  Status spend(std::size_t units) {
    work_ += units;
    if (work_ > kWorkBudget) return fail("the document and its contexts are too large to process");
    return {};
  }

  // ---- contexts
  ContextPtr initial_context();
  Result<ContextPtr> apply_context(const ContextPtr& active, const json::value& local, const std::string& base_url,
                                   bool local_persistent, bool override_protected, bool propagate);
  Result<ContextPtr> process_context(const ContextPtr& active, const json::value& local, const std::string& base_url,
                                     std::vector<std::string> remote_contexts, bool override_protected, bool propagate,
                                     bool validate_scoped, bool local_persistent);
  Status process_definition(ActiveContext& result, const json::object& definition, const std::string& base_url,
                            const std::vector<std::string>& remote_contexts, bool override_protected,
                            bool validate_scoped, bool local_persistent);
  Status create_term_definition(ActiveContext& context, const json::object& local, std::string_view term,
                                Defined& defined, const std::string& base_url, bool protected_default,
                                bool override_protected, const std::vector<std::string>& remote_contexts,
                                bool validate_scoped, bool local_persistent);
  Result<std::optional<std::string>> expand_iri_defining(ActiveContext& context, std::string_view value,
                                                         bool document_relative, bool vocab, const json::object& local,
                                                         Defined& defined, const std::string& base_url,
                                                         bool override_protected,
                                                         const std::vector<std::string>& remote_contexts,
                                                         bool validate_scoped, bool local_persistent);
  struct Loaded {
    const json::value* document;
    bool persistent;
  };
  Result<Loaded> load_context(const std::string& url);
  ContextPtr memo_find(const MemoKey& key, bool persistent);
  void memo_store(const MemoKey& key, const ContextPtr& from, const ContextPtr& result, bool shareable);

  // ---- expansion
  static std::optional<std::string> expand_iri(const ActiveContext& context, std::string_view value,
                                               bool document_relative, bool vocab);
  Result<json::value> expand(const ContextPtr& active, std::optional<std::string_view> active_property,
                             const json::value& element, const std::string& base_url, bool from_map);
  Result<json::value> expand_object(ContextPtr active, std::optional<std::string_view> active_property,
                                    const TermDefinition* property_definition, const json::object& element,
                                    const std::string& base_url, bool from_map);
  Status expand_entries(const ContextPtr& active, const ContextPtr& type_scoped,
                        std::optional<std::string_view> active_property, const json::object& element,
                        const std::optional<std::string>& input_type, const std::string& base_url, json::object& result,
                        std::vector<std::string_view>& nests);
  Status expand_nests(const ContextPtr& active, const ContextPtr& type_scoped, const json::object& element,
                      const std::vector<std::string_view>& nests, const std::optional<std::string>& input_type,
                      const std::string& base_url, json::object& result);
  Result<json::value> expand_language_map(const ActiveContext& active, const TermDefinition& definition,
                                          const json::object& map);
  Result<json::value> expand_index_map(const ContextPtr& active, std::string_view key, const TermDefinition& definition,
                                       const json::object& map, const std::string& base_url);
  Result<json::value> expand_value(const ActiveContext& active, std::string_view active_property,
                                   const json::value& value);
  Status check_id(std::string_view written, const std::optional<std::string>& expanded) const;
  Status check_type(const ActiveContext& context, std::string_view written,
                    const std::optional<std::string>& expanded) const;
  Status check_language(std::string_view language) const;
  Status check_direction() const;
  void add_value(json::object& object, std::string_view key, json::value value) const;
  json::array as_array(json::value value) const;

  // ---- node map and RDF
  std::string blank_node(std::string_view identifier);
  enum class SubjectKind { None, Node, Reverse };
  Status node_map(const json::value& element, const std::string& graph_name, SubjectKind subject_kind,
                  const std::string& subject, const std::string* property, std::vector<NodeMapItem>* list);
  Result<std::optional<Term>> object_to_rdf(const NodeMapItem& item, const Term& graph, Dataset& list_triples);
  Result<Term> list_to_rdf(const std::vector<NodeMapItem>& list, const Term& graph, Dataset& list_triples);
  Error dropped(std::string message) const { return Error::validation("document", std::move(message)); }

  const JsonLdOptions& options_;
  const bool for_rdf_;
  json::storage_ptr storage_;
  const BundledContextLoader* const bundled_loader_;  // the loader, when it is the bundled one
  JsonPath path_;
  int document_depth_ = 0;
  int context_depth_ = 0;
  int term_depth_ = 0;
  std::size_t work_ = 0;
  ContextPtr initial_;
  Memo memo_;
  std::unordered_map<std::string, Loaded> loaded_;
  std::deque<json::value> owned_;  // documents from a custom loader, merged @import contexts
  NodeMap node_map_;
  std::unordered_map<std::string, std::string> blank_nodes_;
  std::size_t blank_node_counter_ = 0;
};

// ---------------------------------------------------------------------------
// Context processing

ContextPtr Processor::initial_context() {
  if (initial_) return initial_;
  if (options_.base.empty()) {
    initial_ = SharedContextCache::instance().initial();
  } else {
    auto context = std::make_shared<ActiveContext>();
    context->base = options_.base;
    context->original_base = options_.base;
    initial_ = std::move(context);
  }
  return initial_;
}

ContextPtr Processor::memo_find(const MemoKey& key, bool persistent) {
  if (auto it = memo_.find(key); it != memo_.end()) return it->second.result;
  if (!persistent) return nullptr;
  return SharedContextCache::instance().find(key);
}

// shareable: the key names its local context by something that means the
// same thing in every call (a bundled document's JSON, or a bundled URL).
// A pointer into the caller's document does not: it may be reused.
void Processor::memo_store(const MemoKey& key, const ContextPtr& from, const ContextPtr& result, bool shareable) {
  memo_.emplace(key, MemoEntry{from, result});
  if (shareable && from->persistent && result->persistent)
    SharedContextCache::instance().insert(key, MemoEntry{from, result});
}

Result<Processor::Loaded> Processor::load_context(const std::string& url) {
  if (auto it = loaded_.find(url); it != loaded_.end()) return it->second;
  Loaded loaded{nullptr, false};
  const DocumentLoader* loader = &options_.loader;
  if (bundled_loader_ != nullptr) {
    loaded = {find_bundled_context(url), true};
    loader = &bundled_loader_->fallback;
  }
  if (loaded.document == nullptr && *loader) {
    std::optional<json::value> document = (*loader)(url);
    if (document) {
      // A loader that wraps the bundled one still gets the shared cache when
      // it serves a bundled context unchanged.
      const json::value* bundled = find_bundled_context(url);
      if (bundled != nullptr && *bundled == *document) {
        loaded = {bundled, true};
      } else {
        owned_.push_back(std::move(*document));
        loaded = {&owned_.back(), false};
      }
    }
  }
  if (loaded.document == nullptr)
    return fail("loading remote context failed: the context " + quoted(url) +
                " is not one this server knows (contexts are never fetched)");
  loaded_.emplace(url, loaded);
  return loaded;
}

// Applies a local context met while expanding (a document's @context, or a
// term's scoped context), memoised by the identity of both contexts.
Result<ContextPtr> Processor::apply_context(const ContextPtr& active, const json::value& local,
                                            const std::string& base_url, bool local_persistent, bool override_protected,
                                            bool propagate) {
  const MemoKey key{active.get(), &local, {}, static_cast<std::uint8_t>(override_protected | (propagate << 1))};
  const bool persistent = active->persistent && local_persistent;
  if (ContextPtr hit = memo_find(key, persistent)) return hit;
  SR_ASSIGN(ContextPtr result,
            process_context(active, local, base_url, {}, override_protected, propagate, true, local_persistent));
  memo_store(key, active, result, local_persistent);
  return result;
}

// Section 4.1.2. The result is copied from the active context only when a
// context definition changes it, and contexts met before are taken from the
// memo.
Result<ContextPtr> Processor::process_context(const ContextPtr& active, const json::value& local,
                                              const std::string& base_url, std::vector<std::string> remote_contexts,
                                              bool override_protected, bool propagate, bool validate_scoped,
                                              bool local_persistent) {
  const DepthScope depth(context_depth_);
  if (context_depth_ > kMaxContextDepth) return fail("contexts nest too deeply (more than 64 levels)");
  ContextPtr result = active;
  auto mutable_copy = [&]() -> Result<std::shared_ptr<ActiveContext>> {
    SR_TRY(spend(result->terms.size() + 1));
    auto copy = std::make_shared<ActiveContext>(*result);
    copy->persistent = result->persistent && local_persistent;
    return copy;
  };
  // Steps 2-3.
  if (local.is_object()) {
    if (const json::value* p = find_entry(local.get_object(), "@propagate")) {
      if (!p->is_bool()) return fail("invalid @propagate value: it must be true or false");
      propagate = p->get_bool();
    }
  }
  if (!propagate && !result->previous) {
    SR_ASSIGN(auto copy, mutable_copy());
    copy->previous = active;
    result = std::move(copy);
  }
  const json::value* items = &local;
  std::size_t count = 1;
  if (local.is_array()) {
    items = local.get_array().data();
    count = local.get_array().size();
  }
  for (std::size_t i = 0; i < count; ++i) {
    const json::value& context = items[i];
    if (context.is_null()) {
      // Step 5.1.
      if (!override_protected && result->has_protected())
        return fail("invalid context nullification: the context protects its terms, so it cannot be reset");
      auto fresh = std::make_shared<ActiveContext>();
      fresh->base = active->original_base.empty() ? std::nullopt : std::optional<std::string>(active->original_base);
      fresh->original_base = active->original_base;
      fresh->persistent = active->persistent;
      if (!propagate) fresh->previous = result;
      result = std::move(fresh);
      continue;
    }
    if (context.is_string()) {
      // Step 5.2: a remote context, resolved against the base URL.
      const std::string_view written = context.get_string();
      std::string url = base_url.empty() ? std::string(written) : resolve_iri(base_url, written);
      if (!validate_scoped && std::find(remote_contexts.begin(), remote_contexts.end(), url) != remote_contexts.end())
        continue;
      if (remote_contexts.size() >= kMaxRemoteContexts)
        return fail("context overflow: more than 32 remote contexts, or a context that includes itself");
      remote_contexts.push_back(url);
      SR_ASSIGN(const Loaded loaded, load_context(url));
      const MemoKey key{result.get(), nullptr, url, static_cast<std::uint8_t>(validate_scoped ? 1 : 0)};
      if (validate_scoped) {
        if (ContextPtr hit = memo_find(key, result->persistent && loaded.persistent)) {
          result = std::move(hit);
          continue;
        }
      }
      if (!loaded.document->is_object() || !loaded.document->get_object().contains("@context"))
        return fail("invalid remote context: " + quoted(url) + " has no top-level @context");
      SR_ASSIGN(ContextPtr processed,
                process_context(result, loaded.document->get_object().at("@context"), url, remote_contexts, false, true,
                                validate_scoped, loaded.persistent));
      if (validate_scoped) memo_store(key, result, processed, loaded.persistent);
      result = std::move(processed);
      continue;
    }
    if (!context.is_object()) return fail("invalid local context: a context must be an object, a URL or null");
    SR_ASSIGN(auto copy, mutable_copy());
    SR_TRY(process_definition(*copy, context.get_object(), base_url, remote_contexts, override_protected,
                              validate_scoped, local_persistent));
    result = std::move(copy);
  }
  return result;
}

// Section 4.1.2 steps 5.5-5.13, for one context definition (an object).
Status Processor::process_definition(ActiveContext& result, const json::object& written, const std::string& base_url,
                                     const std::vector<std::string>& remote_contexts, bool override_protected,
                                     bool validate_scoped, bool local_persistent) {
  const json::object* definition = &written;
  if (const json::value* version = find_entry(*definition, "@version")) {
    if (!version->is_number() || as_double(*version) != 1.1)
      return fail("invalid @version value: only 1.1 is supported");
  }
  if (const json::value* import = find_entry(*definition, "@import")) {
    // Step 5.6: the imported context's entries, overridden by this one's.
    if (!import->is_string()) return fail("invalid @import value: it must be a URL");
    const std::string url =
        base_url.empty() ? std::string(import->get_string()) : resolve_iri(base_url, import->get_string());
    SR_ASSIGN(const Loaded loaded, load_context(url));
    const json::value* imported = nullptr;
    if (loaded.document->is_object()) imported = find_entry(loaded.document->get_object(), "@context");
    if (imported == nullptr || !imported->is_object())
      return fail("invalid remote context: " + quoted(url) + " has no @context object to import");
    if (imported->get_object().contains("@import"))
      return fail("invalid context entry: the imported context " + quoted(url) + " itself has @import");
    json::object merged = imported->get_object();
    for (const json::key_value_pair& entry : written) merged[entry.key()] = entry.value();
    owned_.emplace_back(std::move(merged));
    definition = &owned_.back().get_object();
    local_persistent = false;
    result.persistent = false;
  }
  if (const json::value* base = find_entry(*definition, "@base"); base != nullptr && remote_contexts.empty()) {
    if (base->is_null()) {
      result.base.reset();
    } else if (!base->is_string()) {
      return fail("invalid base IRI: @base must be a string or null");
    } else if (has_scheme(base->get_string())) {
      result.base = std::string(base->get_string());
    } else if (result.base) {
      result.base = resolve_iri(*result.base, base->get_string());
    } else {
      return fail("invalid base IRI: " + quoted(base->get_string()) +
                  " is relative and there is no base to resolve it");
    }
  }
  if (const json::value* vocab = find_entry(*definition, "@vocab")) {
    if (vocab->is_null()) {
      result.vocab.reset();
    } else if (!vocab->is_string()) {
      return fail("invalid vocab mapping: @vocab must be an IRI or null");
    } else {
      std::optional<std::string> expanded = expand_iri(result, vocab->get_string(), true, true);
      if (!expanded) return fail("invalid vocab mapping: " + quoted(vocab->get_string()) + " is not an IRI");
      // A relative vocabulary would make every term a relative IRI.
      if (options_.safe && !has_scheme(*expanded) && !is_blank(*expanded))
        return fail("invalid vocab mapping: " + quoted(vocab->get_string()) + " is not an absolute IRI");
      result.vocab = std::move(expanded);
    }
  }
  if (const json::value* language = find_entry(*definition, "@language")) {
    if (language->is_null()) {
      result.language.reset();
    } else if (!language->is_string()) {
      return fail("invalid default language: @language must be a string or null");
    } else {
      result.language = to_lower(language->get_string());
    }
  }
  if (const json::value* direction = find_entry(*definition, "@direction")) {
    if (direction->is_null()) {
      result.direction.reset();
    } else if (direction->is_string() && (direction->get_string() == "ltr" || direction->get_string() == "rtl")) {
      result.direction = std::string(direction->get_string());
    } else {
      return fail("invalid base direction: @direction must be \"ltr\", \"rtl\" or null");
    }
  }
  bool protected_default = false;
  if (const json::value* p = find_entry(*definition, "@protected")) {
    if (!p->is_bool()) return fail("invalid @protected value: it must be true or false");
    protected_default = p->get_bool();
  }
  Defined defined;
  for (const json::key_value_pair& entry : *definition) {
    const std::string_view key = entry.key();
    if (key == "@base" || key == "@direction" || key == "@import" || key == "@language" || key == "@propagate" ||
        key == "@protected" || key == "@version" || key == "@vocab")
      continue;
    SR_TRY(create_term_definition(result, *definition, key, defined, base_url, protected_default, override_protected,
                                  remote_contexts, validate_scoped, local_persistent));
  }
  return {};
}

// Section 4.2.
Status Processor::create_term_definition(ActiveContext& context, const json::object& local, std::string_view term,
                                         Defined& defined, const std::string& base_url, bool protected_default,
                                         bool override_protected, const std::vector<std::string>& remote_contexts,
                                         bool validate_scoped, bool local_persistent) {
  if (auto it = defined.find(term); it != defined.end()) {
    if (it->second) return {};
    return fail("cyclic IRI mapping: the term " + quoted(term) + " is defined in terms of itself");
  }
  const DepthScope depth(term_depth_);
  if (term_depth_ > kMaxTermDependencyDepth) return fail("term definitions depend on each other too deeply");
  SR_TRY(spend(1));
  if (term.empty()) return fail("invalid term definition: a term cannot be empty");
  defined.emplace(std::string(term), false);
  auto finish = [&defined, term] { defined.find(term)->second = true; };
  const json::value& raw = local.at(term);

  if (term == "@type") {
    // Step 4: @type may only be given @container @set and @protected.
    bool ok = raw.is_object() && !raw.get_object().empty();
    if (ok) {
      for (const json::key_value_pair& e : raw.get_object()) {
        if (e.key() == "@container" && e.value().is_string() && e.value().get_string() == "@set") continue;
        if (e.key() == "@protected" && e.value().is_bool()) continue;
        ok = false;
      }
    }
    if (!ok) return fail("keyword redefinition: @type may only be given @container @set or @protected");
  } else if (is_keyword(term)) {
    return fail("keyword redefinition: " + quoted(term) + " is a keyword and cannot be redefined");
  } else if (has_keyword_form(term)) {
    finish();  // reserved for future keywords: ignored
    return {};
  }

  // Step 5: the previous definition is removed, and checked against later.
  std::shared_ptr<const TermDefinition> previous;
  if (auto it = context.terms.find(term); it != context.terms.end()) {
    previous = std::move(it->second);
    context.terms.erase(it);
  }

  json::object scratch;
  const json::object* value = nullptr;
  bool simple_term = false;
  if (raw.is_null()) {
    scratch.emplace("@id", nullptr);
    value = &scratch;
  } else if (raw.is_string()) {
    scratch.emplace("@id", raw);
    value = &scratch;
    simple_term = true;
  } else if (raw.is_object()) {
    value = &raw.get_object();
  } else {
    return fail("invalid term definition: the definition of " + quoted(term) + " must be a string, object or null");
  }

  auto definition = std::make_shared<TermDefinition>();
  definition->is_protected = protected_default;
  if (const json::value* p = find_entry(*value, "@protected")) {
    if (!p->is_bool()) return fail("invalid @protected value in the definition of " + quoted(term));
    definition->is_protected = p->get_bool();
  }

  auto expand_here = [&](std::string_view v, bool document_relative, bool vocab) -> Result<std::optional<std::string>> {
    return expand_iri_defining(context, v, document_relative, vocab, local, defined, base_url, override_protected,
                               remote_contexts, validate_scoped, local_persistent);
  };

  if (const json::value* type = find_entry(*value, "@type")) {
    if (!type->is_string()) return fail("invalid type mapping: the @type of " + quoted(term) + " must be a string");
    SR_ASSIGN(std::optional<std::string> expanded, expand_here(type->get_string(), false, true));
    if (!expanded || !(*expanded == "@id" || *expanded == "@json" || *expanded == "@none" || *expanded == "@vocab" ||
                       (has_scheme(*expanded))))
      return fail("invalid type mapping: the @type of " + quoted(term) + " is not an IRI or @id/@vocab/@json/@none");
    definition->type = std::move(*expanded);
  }

  if (const json::value* reverse = find_entry(*value, "@reverse")) {
    // Step 14.
    if (value->contains("@id") || value->contains("@nest"))
      return fail("invalid reverse property: " + quoted(term) + " has @reverse together with @id or @nest");
    if (!reverse->is_string())
      return fail("invalid IRI mapping: the @reverse of " + quoted(term) + " must be a string");
    if (has_keyword_form(reverse->get_string())) {
      finish();
      return {};
    }
    SR_ASSIGN(std::optional<std::string> expanded, expand_here(reverse->get_string(), false, true));
    if (!expanded || (!has_scheme(*expanded) && !is_blank(*expanded)))
      return fail("invalid IRI mapping: the @reverse of " + quoted(term) + " is not an IRI");
    definition->iri = std::move(*expanded);
    definition->reverse = true;
  } else if (const json::value* id = find_entry(*value, "@id");
             id != nullptr && !(id->is_string() && id->get_string() == term)) {
    // Step 16.
    if (id->is_null()) {
      definition->iri_null = true;
    } else {
      if (!id->is_string()) return fail("invalid IRI mapping: the @id of " + quoted(term) + " must be a string");
      const std::string_view written = id->get_string();
      if (!is_keyword(written) && has_keyword_form(written)) {
        finish();
        return {};
      }
      SR_ASSIGN(std::optional<std::string> expanded, expand_here(written, false, true));
      if (!expanded || (!is_keyword(*expanded) && !has_scheme(*expanded) && !is_blank(*expanded)))
        return fail("invalid IRI mapping: the @id of " + quoted(term) + " is not an IRI, blank node or keyword");
      if (*expanded == "@context") return fail("invalid keyword alias: @context cannot be aliased");
      definition->iri = std::move(*expanded);
      const std::size_t colon = term.find(':', 1);
      if ((colon != std::string_view::npos && colon + 1 < term.size()) || term.find('/') != std::string_view::npos) {
        // A term that looks like an IRI must expand to the IRI it maps to.
        defined.find(term)->second = true;
        SR_ASSIGN(std::optional<std::string> itself, expand_here(term, false, true));
        if (!itself || *itself != definition->iri)
          return fail("invalid IRI mapping: the term " + quoted(term) + " looks like an IRI but maps to another one");
      }
      if (term.find(':') == std::string_view::npos && term.find('/') == std::string_view::npos && simple_term &&
          ((!definition->iri.empty() && is_gen_delim(definition->iri.back())) || is_blank(definition->iri)))
        definition->prefix = true;
    }
  } else if (const std::size_t colon = term.find(':', 1); colon != std::string_view::npos) {
    // Step 17: a compact IRI or an IRI used as a term.
    const std::string_view prefix = term.substr(0, colon);
    if (local.contains(prefix)) {
      SR_TRY(create_term_definition(context, local, prefix, defined, base_url, protected_default, override_protected,
                                    remote_contexts, validate_scoped, local_persistent));
    }
    const TermDefinition* prefix_definition = context.find(prefix);
    if (prefix_definition != nullptr && !prefix_definition->iri_null)
      definition->iri = prefix_definition->iri + std::string(term.substr(colon + 1));
    else
      definition->iri = std::string(term);
  } else if (term.find('/') != std::string_view::npos) {
    // Step 18: a relative IRI used as a term. It is expanded against the
    // context as it stands (not as a dependency: it is the term being made).
    std::optional<std::string> expanded = expand_iri(context, term, false, true);
    if (!expanded || !has_scheme(*expanded))
      return fail("invalid IRI mapping: the term " + quoted(term) + " does not expand to an IRI");
    definition->iri = std::move(*expanded);
  } else if (term == "@type") {
    definition->iri = "@type";
  } else if (context.vocab) {
    definition->iri = *context.vocab + std::string(term);
  } else {
    return fail("invalid IRI mapping: the term " + quoted(term) + " has no @id and the context has no @vocab");
  }

  if (const json::value* container = find_entry(*value, "@container")) {
    // Step 21.
    std::uint8_t flags = 0;
    std::size_t entries = 0;
    bool valid = true;
    auto add = [&](const json::value& v) {
      static constexpr std::array<std::pair<std::string_view, std::uint8_t>, 7> kNames = {{
          {"@list", kList},
          {"@set", kSet},
          {"@language", kLanguage},
          {"@index", kIndex},
          {"@id", kId},
          {"@type", kType},
          {"@graph", kGraph},
      }};
      ++entries;
      if (!v.is_string()) {
        valid = false;
        return;
      }
      for (const auto& [name, flag] : kNames) {
        if (v.get_string() == name) {
          if ((flags & flag) != 0) valid = false;
          flags |= flag;
          return;
        }
      }
      valid = false;
    };
    if (container->is_array()) {
      for (const json::value& v : container->get_array()) add(v);
      if (entries == 0) valid = false;
    } else {
      add(*container);
    }
    if (valid) {
      if ((flags & kList) != 0) {
        valid = entries == 1;
      } else if ((flags & kGraph) != 0) {
        valid = (flags & ~(kGraph | kId | kIndex | kSet)) == 0 && (flags & (kId | kIndex)) != (kId | kIndex);
      } else {
        valid = entries <= ((flags & kSet) != 0 ? 2u : 1u);
      }
    }
    if (!valid) return fail("invalid container mapping for " + quoted(term));
    if (definition->reverse && (flags & ~(kSet | kIndex)) != 0)
      return fail("invalid reverse property: a reverse property's container can only be @set or @index");
    definition->container = flags;
    if ((flags & kType) != 0) {
      if (!definition->type) definition->type = "@id";
      if (*definition->type != "@id" && *definition->type != "@vocab")
        return fail("invalid type mapping: a @type container needs @type @id or @vocab for " + quoted(term));
    }
  } else if (definition->reverse && value->contains("@container")) {
    return fail("invalid reverse property");
  }

  if (const json::value* index = find_entry(*value, "@index")) {
    if ((definition->container & kIndex) == 0)
      return fail("invalid term definition: @index needs an @index container in " + quoted(term));
    if (!index->is_string() || is_keyword(index->get_string()))
      return fail("invalid term definition: the @index of " + quoted(term) + " must be a property");
    SR_ASSIGN(std::optional<std::string> expanded, expand_here(index->get_string(), false, true));
    if (!expanded || !has_scheme(*expanded))
      return fail("invalid term definition: the @index of " + quoted(term) + " is not an IRI");
    definition->index = std::string(index->get_string());
  }

  if (const json::value* scoped = find_entry(*value, "@context")) {
    // Step 23: processed now only to find errors; applied when used.
    {
      auto snapshot = std::make_shared<ActiveContext>(context);
      SR_TRY(spend(snapshot->terms.size() + 1));
      auto checked = process_context(snapshot, *scoped, base_url, remote_contexts, true, true, false, local_persistent);
      if (!checked.ok())
        return fail("invalid scoped context in the definition of " + quoted(term) + ": " +
                    checked.error().fields.at(0).message);
    }
    definition->context = scoped;
    definition->context_persistent = local_persistent;
    definition->base_url = base_url;
  }

  if (!value->contains("@type")) {
    if (const json::value* language = find_entry(*value, "@language")) {
      if (!language->is_null() && !language->is_string())
        return fail("invalid language mapping: the @language of " + quoted(term) + " must be a string or null");
      definition->has_language = true;
      if (language->is_string()) definition->language = to_lower(language->get_string());
    }
    if (const json::value* direction = find_entry(*value, "@direction")) {
      if (direction->is_null()) {
        definition->has_direction = true;
      } else if (direction->is_string() && (direction->get_string() == "ltr" || direction->get_string() == "rtl")) {
        definition->has_direction = true;
        definition->direction = std::string(direction->get_string());
      } else {
        return fail("invalid base direction: the @direction of " + quoted(term) + " must be \"ltr\", \"rtl\" or null");
      }
    }
  }

  if (const json::value* nest = find_entry(*value, "@nest")) {
    if (!nest->is_string() || (is_keyword(nest->get_string()) && nest->get_string() != "@nest"))
      return fail("invalid @nest value in the definition of " + quoted(term));
    definition->nest = std::string(nest->get_string());
  }

  if (const json::value* prefix = find_entry(*value, "@prefix")) {
    if (term.find(':') != std::string_view::npos || term.find('/') != std::string_view::npos)
      return fail("invalid term definition: " + quoted(term) + " cannot be a prefix");
    if (!prefix->is_bool()) return fail("invalid @prefix value: it must be true or false");
    definition->prefix = prefix->get_bool();
    if (definition->prefix && is_keyword(definition->iri))
      return fail("invalid term definition: the keyword alias " + quoted(term) + " cannot be a prefix");
  }

  for (const json::key_value_pair& entry : *value) {
    const std::string_view k = entry.key();
    if (k != "@id" && k != "@reverse" && k != "@container" && k != "@context" && k != "@direction" && k != "@index" &&
        k != "@language" && k != "@nest" && k != "@prefix" && k != "@protected" && k != "@type")
      return fail("invalid term definition: " + quoted(term) + " has the unknown entry " + quoted(k));
  }

  if (!override_protected && previous && previous->is_protected) {
    // Step 27.
    if (!definition->same_as(*previous))
      return fail("protected term redefinition: " + quoted(term) +
                  " is protected by an earlier context and cannot be redefined");
    context.terms.insert_or_assign(std::string(term), std::move(previous));
  } else {
    context.terms.insert_or_assign(std::string(term), std::move(definition));
  }
  finish();
  return {};
}

// Section 5.2 while a context is being defined: terms the value depends on
// are defined first.
Result<std::optional<std::string>> Processor::expand_iri_defining(ActiveContext& context, std::string_view value,
                                                                  bool document_relative, bool vocab,
                                                                  const json::object& local, Defined& defined,
                                                                  const std::string& base_url, bool override_protected,
                                                                  const std::vector<std::string>& remote_contexts,
                                                                  bool validate_scoped, bool local_persistent) {
  if (is_keyword(value)) return std::optional<std::string>(std::string(value));
  if (has_keyword_form(value)) return std::optional<std::string>();
  auto define = [&](std::string_view term) -> Status {
    if (!local.contains(term)) return {};
    if (auto it = defined.find(term); it != defined.end() && it->second) return {};
    // The dependency is defined as its own entry would be: with this
    // context's @protected default.
    const json::value* p = find_entry(local, "@protected");
    const bool protected_default = p != nullptr && p->is_bool() && p->get_bool();
    return create_term_definition(context, local, term, defined, base_url, protected_default, override_protected,
                                  remote_contexts, validate_scoped, local_persistent);
  };
  SR_TRY(define(value));
  if (const std::size_t colon = value.find(':', 1); colon != std::string_view::npos) {
    const std::string_view prefix = value.substr(0, colon);
    const std::string_view suffix = value.substr(colon + 1);
    if (prefix != "_" && !suffix.starts_with("//")) SR_TRY(define(prefix));
  }
  return expand_iri(context, value, document_relative, vocab);
}

// Section 5.2 IRI expansion. nullopt stands for null (a keyword-like value,
// or a term mapped to null).
std::optional<std::string> Processor::expand_iri(const ActiveContext& context, std::string_view value,
                                                 bool document_relative, bool vocab) {
  if (is_keyword(value)) return std::string(value);
  if (has_keyword_form(value)) return std::nullopt;
  const TermDefinition* definition = context.find(value);
  if (definition != nullptr && !definition->iri_null && is_keyword(definition->iri)) return definition->iri;
  if (vocab && definition != nullptr) {
    if (definition->iri_null) return std::nullopt;
    return definition->iri;
  }
  if (const std::size_t colon = value.find(':', 1); colon != std::string_view::npos) {
    const std::string_view prefix = value.substr(0, colon);
    const std::string_view suffix = value.substr(colon + 1);
    if (prefix == "_" || suffix.starts_with("//")) return std::string(value);
    const TermDefinition* prefix_definition = context.find(prefix);
    if (prefix_definition != nullptr && !prefix_definition->iri_null && prefix_definition->prefix)
      return prefix_definition->iri + std::string(suffix);
    if (has_scheme(value)) return std::string(value);
  }
  if (vocab && context.vocab) return *context.vocab + std::string(value);
  if (document_relative && context.base) return resolve_iri(*context.base, value);
  return std::string(value);
}

// ---------------------------------------------------------------------------
// Expansion (section 5.1)

void Processor::add_value(json::object& object, std::string_view key, json::value value) const {
  auto it = object.find(key);
  if (it == object.end()) it = object.emplace(key, json::array(storage_)).first;
  if (!it->value().is_array()) {
    json::array wrapped(storage_);
    wrapped.push_back(std::move(it->value()));
    it->value() = std::move(wrapped);
  }
  json::array& target = it->value().get_array();
  if (value.is_array()) {
    for (json::value& item : value.get_array()) target.push_back(std::move(item));
  } else {
    target.push_back(std::move(value));
  }
}

// "Ensuring the result is an array": null becomes the empty array.
json::array Processor::as_array(json::value value) const {
  if (value.is_array()) return std::move(value.get_array());
  json::array out(storage_);
  if (!value.is_null()) out.push_back(std::move(value));
  return out;
}

Status Processor::check_id(std::string_view written, const std::optional<std::string>& expanded) const {
  if (!options_.safe) return {};
  if (!expanded) return fail("the identifier " + quoted(written) + " has the form of a keyword and would be dropped");
  if (!has_scheme(*expanded) && !is_blank(*expanded))
    return fail("the identifier " + quoted(written) +
                " is a relative IRI reference; identifiers must be absolute IRIs");
  if (!is_blank(*expanded) && !is_well_formed_iri(*expanded))
    return fail("the identifier " + quoted(written) + " is not a well-formed IRI");
  return {};
}

// A type the contexts do not define would be resolved against the document
// base (or left relative) and lost or changed in the signed data.
Status Processor::check_type(const ActiveContext& context, std::string_view written,
                             const std::optional<std::string>& expanded) const {
  if (!options_.safe) return {};
  const bool defined = context.find(written) != nullptr || written.find(':', 1) != std::string_view::npos ||
                       context.vocab.has_value() || is_keyword(written);
  if (expanded && *expanded == "@json") return {};  // a JSON literal's type
  if (!expanded || !defined || (!has_scheme(*expanded) && !is_blank(*expanded)))
    return fail("the type " + quoted(written) + " is not defined by the credential's contexts");
  if (!is_blank(*expanded) && !is_well_formed_iri(*expanded))
    return fail("the type " + quoted(written) + " is not a well-formed IRI");
  return {};
}

Status Processor::check_language(std::string_view language) const {
  if (options_.safe && for_rdf_ && !is_well_formed_language(language))
    return fail("the language tag " + quoted(language) + " is not well-formed (BCP 47), so the value would be dropped");
  return {};
}

Status Processor::check_direction() const {
  if (options_.safe && for_rdf_)
    return fail("a base direction (@direction) cannot be kept in the signed RDF data; remove it from the value");
  return {};
}

Result<json::value> Processor::expand_document(const json::value& document) {
  SR_ASSIGN(json::value expanded, expand(initial_context(), std::nullopt, document, options_.base, false));
  if (expanded.is_object()) {
    const json::object& o = expanded.get_object();
    if (o.size() == 1 && o.contains("@graph")) {
      json::value graph = o.at("@graph");
      expanded = std::move(graph);
    }
  }
  if (expanded.is_null()) return json::value(json::array(storage_));
  if (!expanded.is_array()) return json::value(as_array(std::move(expanded)));
  return expanded;
}

Result<json::value> Processor::expand(const ContextPtr& active, std::optional<std::string_view> active_property,
                                      const json::value& element, const std::string& base_url, bool from_map) {
  const DepthScope depth(document_depth_);
  if (document_depth_ > kMaxDocumentDepth) return fail("the document nests too deeply (more than 100 levels)");
  SR_TRY(spend(1));
  if (element.is_null()) return json::value(nullptr);
  const TermDefinition* property_definition = active_property ? active->find(*active_property) : nullptr;

  if (element.is_array()) {
    json::array result(storage_);
    std::size_t i = 0;
    for (const json::value& item : element.get_array()) {
      const PathScope scope(path_, i++);
      SR_ASSIGN(json::value expanded, expand(active, active_property, item, base_url, from_map));
      if (property_definition != nullptr && (property_definition->container & kList) != 0 && expanded.is_array()) {
        json::object list(storage_);
        list.emplace("@list", std::move(expanded));
        expanded = std::move(list);
      }
      if (expanded.is_array()) {
        for (json::value& v : expanded.get_array()) result.push_back(std::move(v));
      } else if (!expanded.is_null()) {
        result.push_back(std::move(expanded));
      }
    }
    return json::value(std::move(result));
  }

  if (!element.is_object()) {
    // Step 4: a scalar.
    if (!active_property || *active_property == "@graph") {
      if (options_.safe) return fail("a value outside any property would be dropped");
      return json::value(nullptr);
    }
    ContextPtr context = active;
    if (property_definition != nullptr && property_definition->context != nullptr) {
      SR_ASSIGN(context, apply_context(active, *property_definition->context, property_definition->base_url,
                                       property_definition->context_persistent, true, true));
    }
    return expand_value(*context, *active_property, element);
  }
  return expand_object(active, active_property, property_definition, element.get_object(), base_url, from_map);
}

Result<json::value> Processor::expand_object(ContextPtr active, std::optional<std::string_view> active_property,
                                             const TermDefinition* property_definition, const json::object& element,
                                             const std::string& base_url, bool from_map) {
  // Step 7: a type-scoped context does not reach into new node objects.
  if (active->previous && !from_map) {
    bool has_value = false;
    bool only_id = element.size() == 1;
    for (const json::key_value_pair& entry : element) {
      const std::optional<std::string> e = expand_iri(*active, entry.key(), false, true);
      if (e && *e == "@value") has_value = true;
      if (!e || *e != "@id") only_id = false;
    }
    if (!has_value && !only_id) active = active->previous;
  }
  // Step 8.
  if (property_definition != nullptr && property_definition->context != nullptr) {
    SR_ASSIGN(active, apply_context(active, *property_definition->context, property_definition->base_url,
                                    property_definition->context_persistent, true, true));
  }
  // Step 9.
  if (const json::value* local = find_entry(element, "@context")) {
    const PathScope scope(path_, "@context");
    SR_ASSIGN(active, apply_context(active, *local, base_url, false, false, true));
  }
  const ContextPtr type_scoped = active;
  const std::vector<const json::key_value_pair*> entries = sorted_entries(element);
  // Steps 11-12: type-scoped contexts, in code point order of the types.
  std::optional<std::string> input_type;
  bool seen_type_key = false;
  for (const json::key_value_pair* entry : entries) {
    const std::optional<std::string> e = expand_iri(*active, entry->key(), false, true);
    if (!e || *e != "@type") continue;
    std::vector<std::string_view> types;
    if (entry->value().is_string()) types.push_back(entry->value().get_string());
    if (entry->value().is_array()) {
      for (const json::value& t : entry->value().get_array())
        if (t.is_string()) types.push_back(t.get_string());
    }
    if (!seen_type_key && !types.empty()) input_type = expand_iri(*active, types.back(), false, true);
    seen_type_key = true;
    std::sort(types.begin(), types.end());
    for (const std::string_view type : types) {
      const TermDefinition* definition = type_scoped->find(type);
      if (definition == nullptr || definition->context == nullptr) continue;
      const PathScope scope(path_, entry->key());
      SR_ASSIGN(active, apply_context(active, *definition->context, definition->base_url,
                                      definition->context_persistent, false, false));
    }
  }

  json::object result(storage_);
  std::vector<std::string_view> nests;
  SR_TRY(expand_entries(active, type_scoped, active_property, element, input_type, base_url, result, nests));
  SR_TRY(expand_nests(active, type_scoped, element, nests, input_type, base_url, result));

  // Steps 15-19.
  if (const json::value* value = find_entry(result, "@value")) {
    for (const json::key_value_pair& entry : result) {
      const std::string_view k = entry.key();
      if (k != "@direction" && k != "@index" && k != "@language" && k != "@type" && k != "@value")
        return fail("invalid value object: a value object cannot have " + quoted(k));
    }
    const json::value* type = find_entry(result, "@type");
    if (type != nullptr && (result.contains("@language") || result.contains("@direction")))
      return fail("invalid value object: a value cannot have both @type and @language or @direction");
    const bool json_literal = type != nullptr && type->is_string() && type->get_string() == "@json";
    if (!json_literal) {
      if (value->is_null() || (value->is_array() && value->get_array().empty())) return json::value(nullptr);
      if (!value->is_string() && result.contains("@language"))
        return fail("invalid language-tagged value: only strings can have a language");
      if (type != nullptr && (!type->is_string() || !is_well_formed_iri(type->get_string())))
        return fail("invalid typed value: a value's @type must be an IRI");
    }
  } else if (auto it = result.find("@type"); it != result.end() && !it->value().is_array()) {
    it->value() = as_array(std::move(it->value()));
  }
  if (result.contains("@set") || result.contains("@list")) {
    const bool ok = result.size() == 1 || (result.size() == 2 && result.contains("@index"));
    if (!ok) return fail("invalid set or list object: it can only have @index beside @set or @list");
    if (result.contains("@set")) {
      json::value set = std::move(result.find("@set")->value());
      return set;
    }
  }
  if (result.size() == 1 && result.contains("@language")) {
    if (options_.safe) return fail("an object with only @language would be dropped");
    return json::value(nullptr);
  }
  if (!active_property || *active_property == "@graph") {
    if (result.empty()) return json::value(nullptr);
    if (result.contains("@value") || result.contains("@list")) {
      if (options_.safe) return fail("a value or list outside any property would be dropped");
      return json::value(nullptr);
    }
    if (result.size() == 1 && result.contains("@id")) return json::value(nullptr);
  }
  return json::value(std::move(result));
}

// Step 13 for every entry of element, and step 14 collects nested entries.
Status Processor::expand_entries(const ContextPtr& active, const ContextPtr& type_scoped,
                                 std::optional<std::string_view> active_property, const json::object& element,
                                 const std::optional<std::string>& input_type, const std::string& base_url,
                                 json::object& result, std::vector<std::string_view>& nests) {
  const bool is_json = input_type && *input_type == "@json";
  for (const json::key_value_pair* entry : sorted_entries(element)) {
    const std::string_view key = entry->key();
    if (key == "@context") continue;
    const json::value& value = entry->value();
    const PathScope scope(path_, key);
    const std::optional<std::string> property = expand_iri(*active, key, false, true);
    if (!property || (property->find(':') == std::string::npos && !is_keyword(*property))) {
      if (options_.safe)
        return fail("the property " + quoted(key) +
                    " is not defined by the credential's contexts, so it would be dropped from the signed data");
      continue;
    }
    if (is_keyword(*property)) {
      const std::string_view keyword = *property;
      if (active_property && *active_property == "@reverse")
        return fail("invalid reverse property map: a keyword cannot be used inside @reverse");
      if (result.contains(keyword) && keyword != "@included" && keyword != "@type")
        return fail("colliding keywords: more than one entry expands to " + std::string(keyword));
      json::value expanded(storage_);
      if (keyword == "@id") {
        if (!value.is_string()) return fail("invalid @id value: it must be a string");
        std::optional<std::string> id = expand_iri(*active, value.get_string(), true, false);
        SR_TRY(check_id(value.get_string(), id));
        // A keyword-like @id expands to null and is kept as null: the node
        // then has no usable identifier, and RDF leaves it out.
        if (id)
          expanded = json::string(*id, storage_);
        else
          expanded = nullptr;
      } else if (keyword == "@type") {
        std::vector<std::string_view> written;
        if (value.is_string()) {
          written.push_back(value.get_string());
        } else if (value.is_array()) {
          for (const json::value& t : value.get_array()) {
            if (!t.is_string()) return fail("invalid type value: @type must be a string or an array of strings");
            written.push_back(t.get_string());
          }
        } else {
          return fail("invalid type value: @type must be a string or an array of strings");
        }
        json::array types(storage_);
        for (const std::string_view t : written) {
          std::optional<std::string> iri = expand_iri(*type_scoped, t, true, true);
          SR_TRY(check_type(*type_scoped, t, iri));
          if (iri) types.emplace_back(json::string(*iri, storage_));
        }
        if (auto existing = result.find("@type"); existing != result.end()) {
          json::array merged = as_array(std::move(existing->value()));
          for (json::value& t : types) merged.push_back(std::move(t));
          existing->value() = std::move(merged);
          continue;
        }
        if (value.is_string() && types.size() == 1)
          expanded = std::move(types[0]);
        else
          expanded = std::move(types);
      } else if (keyword == "@graph") {
        SR_ASSIGN(json::value graph, expand(active, "@graph", value, base_url, false));
        expanded = as_array(std::move(graph));
      } else if (keyword == "@included") {
        // Expanded as the value of a property (not as free-floating
        // values, which would be dropped) so that a value or list among them
        // is reported instead of silently disappearing.
        SR_ASSIGN(json::value included, expand(active, "@included", value, base_url, false));
        json::array items = as_array(std::move(included));
        for (const json::value& item : items)
          if (!is_node_object(item)) return fail("invalid @included value: it must hold node objects");
        if (auto existing = result.find("@included"); existing != result.end()) {
          json::array merged = as_array(std::move(existing->value()));
          for (json::value& item : items) merged.push_back(std::move(item));
          existing->value() = std::move(merged);
          continue;
        }
        expanded = std::move(items);
      } else if (keyword == "@value") {
        if (is_json) {
          expanded = json::value(value, storage_);
        } else {
          if (value.is_object() || value.is_array())
            return fail("invalid value object value: @value must be a string, number, boolean or null");
          if (value.is_null()) {
            result.insert_or_assign("@value", nullptr);
            continue;
          }
          expanded = json::value(value, storage_);
        }
      } else if (keyword == "@language") {
        if (!value.is_string()) return fail("invalid language-tagged string: @language must be a string");
        SR_TRY(check_language(value.get_string()));
        expanded = json::string(to_lower(value.get_string()), storage_);
      } else if (keyword == "@direction") {
        if (!value.is_string() || (value.get_string() != "ltr" && value.get_string() != "rtl"))
          return fail("invalid base direction: @direction must be \"ltr\" or \"rtl\"");
        SR_TRY(check_direction());
        expanded = json::value(value, storage_);
      } else if (keyword == "@index") {
        if (!value.is_string()) return fail("invalid @index value: it must be a string");
        expanded = json::value(value, storage_);
      } else if (keyword == "@list") {
        if (!active_property || *active_property == "@graph") {
          if (options_.safe) return fail("a list outside any property would be dropped");
          continue;
        }
        SR_ASSIGN(json::value list, expand(active, active_property, value, base_url, false));
        expanded = as_array(std::move(list));
      } else if (keyword == "@set") {
        SR_ASSIGN(expanded, expand(active, active_property, value, base_url, false));
      } else if (keyword == "@reverse") {
        if (!value.is_object()) return fail("invalid @reverse value: it must be an object");
        SR_ASSIGN(json::value reversed, expand(active, "@reverse", value, base_url, false));
        if (!reversed.is_object()) continue;
        json::object& map = reversed.get_object();
        if (auto twice = map.find("@reverse"); twice != map.end() && twice->value().is_object()) {
          for (json::key_value_pair& e : twice->value().get_object()) add_value(result, e.key(), std::move(e.value()));
        }
        for (json::key_value_pair& e : map) {
          if (e.key() == "@reverse") continue;
          auto slot = result.find("@reverse");
          if (slot == result.end()) slot = result.emplace("@reverse", json::object(storage_)).first;
          json::array items = as_array(std::move(e.value()));
          for (const json::value& item : items) {
            if (is_value_object(item) || is_list_object(item))
              return fail("invalid reverse property value: a reverse property's values must be nodes");
          }
          add_value(slot->value().get_object(), e.key(), json::value(std::move(items)));
        }
        continue;
      } else if (keyword == "@nest") {
        nests.push_back(key);
        continue;
      } else {
        // Other keywords (@base, @vocab, ...) carry nothing in a node.
        continue;
      }
      result.insert_or_assign(keyword, std::move(expanded));
      continue;
    }

    // Steps 13.5-13.13: a property.
    if (options_.safe && !has_scheme(*property))
      return fail("the property " + quoted(key) + " is not defined by the credential's contexts (it expands to " +
                  quoted(*property) + ", which is not an IRI), so it would be dropped from the signed data");
    const TermDefinition* definition = active->find(key);
    const std::uint8_t container = definition != nullptr ? definition->container : 0;
    json::value expanded(storage_);
    if (definition != nullptr && definition->type && *definition->type == "@json") {
      json::object literal(storage_);
      literal.emplace("@value", json::value(value, storage_));
      literal.emplace("@type", "@json");
      expanded = std::move(literal);
    } else if ((container & kLanguage) != 0 && value.is_object()) {
      SR_ASSIGN(expanded, expand_language_map(*active, *definition, value.get_object()));
    } else if ((container & (kIndex | kType | kId)) != 0 && value.is_object()) {
      SR_ASSIGN(expanded, expand_index_map(active, key, *definition, value.get_object(), base_url));
    } else {
      SR_ASSIGN(expanded, expand(active, key, value, base_url, false));
    }
    if (expanded.is_null()) continue;
    if ((container & kList) != 0 && !is_list_object(expanded)) {
      json::object list(storage_);
      list.emplace("@list", as_array(std::move(expanded)));
      expanded = std::move(list);
    }
    if ((container & kGraph) != 0 && (container & (kId | kIndex)) == 0) {
      json::array graphs(storage_);
      for (json::value& item : as_array(std::move(expanded))) {
        json::object graph(storage_);
        graph.emplace("@graph", as_array(std::move(item)));
        graphs.emplace_back(std::move(graph));
      }
      expanded = std::move(graphs);
    }
    if (definition != nullptr && definition->reverse) {
      auto slot = result.find("@reverse");
      if (slot == result.end()) slot = result.emplace("@reverse", json::object(storage_)).first;
      json::array items = as_array(std::move(expanded));
      for (const json::value& item : items) {
        if (is_value_object(item) || is_list_object(item))
          return fail("invalid reverse property value: a reverse property's values must be nodes");
      }
      add_value(slot->value().get_object(), *property, json::value(std::move(items)));
    } else {
      add_value(result, *property, std::move(expanded));
    }
  }
  return {};
}

Status Processor::expand_nests(const ContextPtr& active, const ContextPtr& type_scoped, const json::object& element,
                               const std::vector<std::string_view>& nests, const std::optional<std::string>& input_type,
                               const std::string& base_url, json::object& result) {
  std::vector<std::string_view> sorted = nests;
  std::sort(sorted.begin(), sorted.end());
  for (const std::string_view nesting_key : sorted) {
    const PathScope scope(path_, nesting_key);
    const json::value& nested = element.at(nesting_key);
    const json::value* values = &nested;
    std::size_t count = 1;
    if (nested.is_array()) {
      values = nested.get_array().data();
      count = nested.get_array().size();
    }
    for (std::size_t i = 0; i < count; ++i) {
      const json::value& nested_value = values[i];
      const DepthScope depth(document_depth_);
      if (document_depth_ > kMaxDocumentDepth) return fail("the document nests too deeply (more than 100 levels)");
      if (!nested_value.is_object()) return fail("invalid @nest value: nested properties must be in an object");
      ContextPtr context = active;
      const TermDefinition* definition = active->find(nesting_key);
      if (definition != nullptr && definition->context != nullptr) {
        SR_ASSIGN(context, apply_context(active, *definition->context, definition->base_url,
                                         definition->context_persistent, true, true));
      }
      for (const json::key_value_pair& e : nested_value.get_object()) {
        const std::optional<std::string> k = expand_iri(*context, e.key(), false, true);
        if (k && *k == "@value") return fail("invalid @nest value: a nested object cannot be a value");
      }
      std::vector<std::string_view> inner;
      SR_TRY(expand_entries(context, type_scoped, nesting_key, nested_value.get_object(), input_type, base_url, result,
                            inner));
      SR_TRY(expand_nests(context, type_scoped, nested_value.get_object(), inner, input_type, base_url, result));
    }
  }
  return {};
}

// Step 13.7: a language map.
Result<json::value> Processor::expand_language_map(const ActiveContext& active, const TermDefinition& definition,
                                                   const json::object& map) {
  json::array expanded(storage_);
  std::optional<std::string> direction = active.direction;
  if (definition.has_direction) direction = definition.direction;
  for (const json::key_value_pair* entry : sorted_entries(map)) {
    const std::string_view language = entry->key();
    const PathScope scope(path_, language);
    const std::optional<std::string> expanded_language = expand_iri(active, language, false, true);
    const bool none = language == "@none" || (expanded_language && *expanded_language == "@none");
    const json::value* items = &entry->value();
    std::size_t count = 1;
    if (entry->value().is_array()) {
      items = entry->value().get_array().data();
      count = entry->value().get_array().size();
    }
    for (std::size_t i = 0; i < count; ++i) {
      const json::value& item = items[i];
      if (item.is_null()) continue;
      if (!item.is_string()) return fail("invalid language map value: a language map holds strings");
      json::object v(storage_);
      v.emplace("@value", json::value(item, storage_));
      if (!none) {
        SR_TRY(check_language(language));
        v.emplace("@language", to_lower(language));
      }
      if (direction) {
        SR_TRY(check_direction());
        v.emplace("@direction", *direction);
      }
      expanded.emplace_back(std::move(v));
    }
  }
  return json::value(std::move(expanded));
}

// Step 13.8: an index, id or type map.
Result<json::value> Processor::expand_index_map(const ContextPtr& active, std::string_view key,
                                                const TermDefinition& definition, const json::object& map,
                                                const std::string& base_url) {
  json::array expanded(storage_);
  const std::uint8_t container = definition.container;
  const std::string index_key = definition.index ? *definition.index : "@index";
  for (const json::key_value_pair* entry : sorted_entries(map)) {
    const std::string_view index = entry->key();
    const PathScope scope(path_, index);
    ContextPtr map_context = active;
    if ((container & (kId | kType)) != 0) {
      if (active->previous) map_context = active->previous;
      if ((container & kType) != 0) {
        const TermDefinition* index_definition = map_context->find(index);
        if (index_definition != nullptr && index_definition->context != nullptr) {
          SR_ASSIGN(map_context, apply_context(map_context, *index_definition->context, index_definition->base_url,
                                               index_definition->context_persistent, false, true));
        }
      }
    }
    const std::optional<std::string> expanded_index = expand_iri(*active, index, false, true);
    const bool none = expanded_index && *expanded_index == "@none";
    SR_ASSIGN(json::value values, expand(map_context, key, entry->value(), base_url, true));
    if (values.is_null()) continue;
    for (json::value& item : as_array(std::move(values))) {
      if ((container & kGraph) != 0 && !is_graph_object(item)) {
        json::object graph(storage_);
        graph.emplace("@graph", as_array(std::move(item)));
        item = std::move(graph);
      }
      if (!item.is_object()) continue;
      json::object& object = item.get_object();
      if ((container & kIndex) != 0 && index_key != "@index" && !none) {
        SR_ASSIGN(json::value re_expanded, expand_value(*active, index_key, json::value(index)));
        const std::optional<std::string> property = expand_iri(*active, index_key, false, true);
        if (!property) return fail("invalid term definition: the @index property does not expand to an IRI");
        json::array values_for_index(storage_);
        values_for_index.push_back(std::move(re_expanded));
        if (auto existing = object.find(*property); existing != object.end()) {
          for (json::value& v : as_array(std::move(existing->value()))) values_for_index.push_back(std::move(v));
        }
        object.insert_or_assign(*property, std::move(values_for_index));
        if (object.contains("@value"))
          return fail("invalid value object: a property-valued index cannot annotate a value");
      } else if ((container & kIndex) != 0 && !object.contains("@index") && !none) {
        object.insert_or_assign("@index", index);
      } else if ((container & kId) != 0 && !object.contains("@id") && !none) {
        std::optional<std::string> id = expand_iri(*active, index, true, false);
        SR_TRY(check_id(index, id));
        if (id) object.insert_or_assign("@id", *id);
      } else if ((container & kType) != 0 && !none) {
        SR_TRY(check_type(*active, index, expanded_index));
        json::array types(storage_);
        if (expanded_index) types.emplace_back(json::string(*expanded_index, storage_));
        if (auto existing = object.find("@type"); existing != object.end()) {
          for (json::value& t : as_array(std::move(existing->value()))) types.push_back(std::move(t));
        }
        object.insert_or_assign("@type", std::move(types));
      }
      expanded.push_back(std::move(item));
    }
  }
  return json::value(std::move(expanded));
}

// Section 5.3.
Result<json::value> Processor::expand_value(const ActiveContext& active, std::string_view active_property,
                                            const json::value& value) {
  const TermDefinition* definition = active.find(active_property);
  if (definition != nullptr && definition->type && value.is_string()) {
    if (*definition->type == "@id" || *definition->type == "@vocab") {
      const bool vocab = *definition->type == "@vocab";
      std::optional<std::string> id = expand_iri(active, value.get_string(), true, vocab);
      SR_TRY(check_id(value.get_string(), id));
      json::object result(storage_);
      if (id) result.emplace("@id", *id);
      if (!id) return json::value(nullptr);
      return json::value(std::move(result));
    }
  }
  json::object result(storage_);
  result.emplace("@value", json::value(value, storage_));
  if (definition != nullptr && definition->type && *definition->type != "@id" && *definition->type != "@vocab" &&
      *definition->type != "@none") {
    result.emplace("@type", *definition->type);
  } else if (value.is_string()) {
    const std::optional<std::string>& language =
        definition != nullptr && definition->has_language ? definition->language : active.language;
    const std::optional<std::string>& direction =
        definition != nullptr && definition->has_direction ? definition->direction : active.direction;
    if (language) {
      SR_TRY(check_language(*language));
      result.emplace("@language", *language);
    }
    if (direction) {
      SR_TRY(check_direction());
      result.emplace("@direction", *direction);
    }
  }
  return json::value(std::move(result));
}

// ---------------------------------------------------------------------------
// Node map generation (section 7.2) and deserialization to RDF (section 8.1)

std::string Processor::blank_node(std::string_view identifier) {
  if (!identifier.empty()) {
    if (auto it = blank_nodes_.find(std::string(identifier)); it != blank_nodes_.end()) return it->second;
  }
  std::string label = "_:b" + std::to_string(blank_node_counter_++);
  if (!identifier.empty()) blank_nodes_.emplace(std::string(identifier), label);
  return label;
}

void add_unique(std::vector<NodeMapItem>& items, NodeMapItem item) {
  for (const NodeMapItem& existing : items)
    if (existing.equivalent(item)) return;
  items.push_back(std::move(item));
}

Status Processor::node_map(const json::value& element, const std::string& graph_name, SubjectKind subject_kind,
                           const std::string& subject, const std::string* property, std::vector<NodeMapItem>* list) {
  const DepthScope depth(document_depth_);
  if (document_depth_ > kMaxDocumentDepth) return dropped("the document nests too deeply (more than 100 levels)");
  if (element.is_array()) {
    for (const json::value& item : element.get_array()) {
      SR_TRY(node_map(item, graph_name, subject_kind, subject, property, list));
    }
    return {};
  }
  if (!element.is_object()) return {};
  const json::object& object = element.get_object();
  NodeMapGraph& graph = node_map_[graph_name];

  if (object.contains("@value")) {
    NodeMapItem item{NodeMapItem::Kind::Value, {}, &object, {}};
    if (list != nullptr) {
      list->push_back(std::move(item));
    } else if (subject_kind == SubjectKind::Node && property != nullptr) {
      add_unique(graph[subject].properties[*property], std::move(item));
    }
    return {};
  }
  if (const json::value* members = find_entry(object, "@list")) {
    NodeMapItem item{NodeMapItem::Kind::List, {}, nullptr, {}};
    SR_TRY(node_map(*members, graph_name, subject_kind, subject, property, &item.list));
    if (list != nullptr) {
      list->push_back(std::move(item));
    } else if (subject_kind == SubjectKind::Node && property != nullptr) {
      graph[subject].properties[*property].push_back(std::move(item));
    }
    return {};
  }

  // A node object.
  std::string id;
  if (const json::value* written = find_entry(object, "@id"); written != nullptr && written->is_string()) {
    id = is_blank(written->get_string()) ? blank_node(written->get_string()) : std::string(written->get_string());
  } else if (written != nullptr) {
    id = {};  // a null @id (see expand_entries): never well-formed, so left out of RDF
  } else {
    id = blank_node({});
  }
  NodeMapNode& node = graph[id];
  if (subject_kind == SubjectKind::Reverse && property != nullptr) {
    add_unique(node.properties[*property], NodeMapItem{NodeMapItem::Kind::Reference, subject, nullptr, {}});
  } else if (property != nullptr) {
    NodeMapItem reference{NodeMapItem::Kind::Reference, id, nullptr, {}};
    if (list != nullptr)
      list->push_back(std::move(reference));
    else if (subject_kind == SubjectKind::Node)
      add_unique(graph[subject].properties[*property], std::move(reference));
  }
  if (const json::value* types = find_entry(object, "@type")) {
    auto add_type = [&node, this](std::string_view type) {
      std::string t = is_blank(type) ? blank_node(type) : std::string(type);
      if (std::find(node.types.begin(), node.types.end(), t) == node.types.end()) node.types.push_back(std::move(t));
    };
    if (types->is_string()) add_type(types->get_string());
    if (types->is_array()) {
      for (const json::value& t : types->get_array())
        if (t.is_string()) add_type(t.get_string());
    }
  }
  if (const json::value* index = find_entry(object, "@index"); index != nullptr && index->is_string()) {
    if (node.index && *node.index != index->get_string())
      return dropped("conflicting indexes: the node " + quoted(id) + " has two different @index values");
    node.index = std::string(index->get_string());
  }
  if (const json::value* reverse = find_entry(object, "@reverse"); reverse != nullptr && reverse->is_object()) {
    for (const json::key_value_pair& entry : reverse->get_object()) {
      const std::string reverse_property(entry.key());
      SR_TRY(node_map(entry.value(), graph_name, SubjectKind::Reverse, id, &reverse_property, nullptr));
    }
  }
  if (const json::value* named = find_entry(object, "@graph")) {
    SR_TRY(node_map(*named, id, SubjectKind::None, {}, nullptr, nullptr));
  }
  if (const json::value* included = find_entry(object, "@included")) {
    SR_TRY(node_map(*included, graph_name, SubjectKind::None, {}, nullptr, nullptr));
  }
  for (const json::key_value_pair* entry : sorted_entries(object)) {
    if (is_keyword(entry->key())) continue;
    const std::string name = is_blank(entry->key()) ? blank_node(entry->key()) : std::string(entry->key());
    node_map_[graph_name][id].properties.try_emplace(name);
    SR_TRY(node_map(entry->value(), graph_name, SubjectKind::Node, id, &name, nullptr));
  }
  return {};
}

Term node_term(std::string_view id) {
  if (is_blank(id)) return Term::blank(std::string(id.substr(2)));
  return Term::iri(std::string(id));
}

// Section 8.2 Object to RDF Conversion; nullopt for an object that is not
// well-formed (and so left out).
Result<std::optional<Term>> Processor::object_to_rdf(const NodeMapItem& item, const Term& graph,
                                                     Dataset& list_triples) {
  if (item.kind == NodeMapItem::Kind::Reference) {
    if (!is_well_formed_node(item.id)) {
      if (options_.safe) return dropped("the identifier " + quoted(item.id) + " is not an absolute IRI");
      return std::optional<Term>();
    }
    return std::optional<Term>(node_term(item.id));
  }
  if (item.kind == NodeMapItem::Kind::List) {
    SR_ASSIGN(Term head, list_to_rdf(item.list, graph, list_triples));
    return std::optional<Term>(std::move(head));
  }
  const json::object& object = *item.value;
  const json::value& value = object.at("@value");
  std::optional<std::string> datatype;
  if (const json::value* type = find_entry(object, "@type"); type != nullptr && type->is_string())
    datatype = std::string(type->get_string());
  if (datatype && *datatype != "@json" && !is_well_formed_iri(*datatype)) {
    if (options_.safe) return dropped("the datatype " + quoted(*datatype) + " is not a well-formed IRI");
    return std::optional<Term>();
  }
  std::string language;
  if (const json::value* l = find_entry(object, "@language"); l != nullptr && l->is_string()) {
    language = std::string(l->get_string());
    if (!is_well_formed_language(language)) {
      if (options_.safe) return dropped("the language tag " + quoted(language) + " is not well-formed");
      return std::optional<Term>();
    }
  }
  if (object.contains("@direction") && options_.safe)
    return dropped("a base direction (@direction) cannot be kept in the signed RDF data");
  std::string lexical;
  if (datatype && *datatype == "@json") {
    if (!jcs(value, lexical, 0)) return dropped("a JSON literal nests too deeply");
    datatype = std::string(kRdfJson);
  } else if (value.is_bool()) {
    lexical = value.get_bool() ? "true" : "false";
    if (!datatype) datatype = std::string(kXsdBoolean);
  } else if (value.is_number()) {
    const double number = as_double(value);
    const bool is_double_form = (value.is_double() && std::fmod(number, 1.0) != 0) || std::fabs(number) >= 1e21 ||
                                (datatype && *datatype == kXsdDouble);
    if (is_double_form) {
      lexical = canonical_double(number);
      if (!datatype) datatype = std::string(kXsdDouble);
    } else {
      if (value.is_int64())
        lexical =
            std::fabs(number) < 9007199254740992.0 ? std::to_string(value.get_int64()) : canonical_integer(number);
      else if (value.is_uint64())
        lexical = number < 9007199254740992.0 ? std::to_string(value.get_uint64()) : canonical_integer(number);
      else
        lexical = canonical_integer(number);
      if (!datatype) datatype = std::string(kXsdInteger);
    }
  } else if (value.is_string()) {
    lexical = std::string(value.get_string());
  } else {
    return std::optional<Term>();
  }
  if (!language.empty())
    return std::optional<Term>(Term::literal(std::move(lexical), std::string(kRdfLangString), language));
  return std::optional<Term>(Term::literal(std::move(lexical), datatype ? *datatype : std::string(kXsdString)));
}

// Section 8.3 List to RDF Conversion.
Result<Term> Processor::list_to_rdf(const std::vector<NodeMapItem>& list, const Term& graph, Dataset& list_triples) {
  const DepthScope depth(document_depth_);
  if (document_depth_ > kMaxDocumentDepth) return dropped("lists nest too deeply (more than 100 levels)");
  if (list.empty()) return Term::iri(std::string(kRdfNil));
  std::vector<Term> nodes;
  nodes.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) nodes.push_back(node_term(blank_node({})));
  for (std::size_t i = 0; i < list.size(); ++i) {
    Dataset embedded;
    SR_ASSIGN(std::optional<Term> object, object_to_rdf(list[i], graph, embedded));
    if (object) list_triples.push_back({nodes[i], Term::iri(std::string(kRdfFirst)), std::move(*object), graph});
    list_triples.push_back({nodes[i], Term::iri(std::string(kRdfRest)),
                            i + 1 < list.size() ? nodes[i + 1] : Term::iri(std::string(kRdfNil)), graph});
    for (Quad& q : embedded) list_triples.push_back(std::move(q));
  }
  return nodes[0];
}

Result<Dataset> Processor::to_rdf(const json::value& expanded) {
  SR_TRY(node_map(expanded, "@default", SubjectKind::None, {}, nullptr, nullptr));
  Dataset dataset;
  for (const auto& [graph_name, graph] : node_map_) {
    Term graph_term = Term::default_graph();
    if (graph_name != "@default") {
      if (!is_well_formed_node(graph_name)) {
        if (options_.safe) return dropped("the graph name " + quoted(graph_name) + " is not an absolute IRI");
        continue;
      }
      graph_term = node_term(graph_name);
    }
    for (const auto& [subject, node] : graph) {
      if (!is_well_formed_node(subject)) {
        if (options_.safe) return dropped("the identifier " + quoted(subject) + " is not an absolute IRI");
        continue;
      }
      const Term subject_term = node_term(subject);
      for (const std::string& type : node.types) {
        if (!is_well_formed_node(type)) {
          if (options_.safe) return dropped("the type " + quoted(type) + " is not an absolute IRI");
          continue;
        }
        dataset.push_back({subject_term, Term::iri(std::string(kRdfType)), node_term(type), graph_term});
      }
      for (const auto& [property, items] : node.properties) {
        if (is_blank(property)) {
          if (options_.safe) return dropped("a property named by a blank node cannot be expressed in RDF");
          continue;
        }
        if (!is_well_formed_iri(property)) {
          if (options_.safe) return dropped("the property " + quoted(property) + " is not an absolute IRI");
          continue;
        }
        const Term predicate = Term::iri(property);
        // RDF datasets are sets: values that differ only in what RDF does not
        // keep (an @index, 1 versus 1.0) give one triple.
        std::vector<Term> seen;
        for (const NodeMapItem& item : items) {
          Dataset list_triples;
          SR_ASSIGN(std::optional<Term> object, object_to_rdf(item, graph_term, list_triples));
          if (object && std::find(seen.begin(), seen.end(), *object) == seen.end()) {
            seen.push_back(*object);
            dataset.push_back({subject_term, predicate, std::move(*object), graph_term});
          }
          for (Quad& q : list_triples) dataset.push_back(std::move(q));
        }
      }
    }
  }
  return dataset;
}

}  // namespace

Result<boost::json::value> expand(const boost::json::value& document, const JsonLdOptions& options) {
  Processor processor(options, false, {});
  return processor.expand_document(document);
}

Result<Dataset> to_rdf(const boost::json::value& document, const JsonLdOptions& options) {
  // The expanded form lives only for this call: a monotonic arena makes its
  // many small allocations cheap and frees them at once.
  std::array<unsigned char, 16384> buffer;
  json::monotonic_resource arena(buffer.data(), buffer.size());
  Processor processor(options, true, json::storage_ptr(&arena));
  SR_ASSIGN(const json::value expanded, processor.expand_document(document));
  return processor.to_rdf(expanded);
}

}  // namespace staffroom::ld
