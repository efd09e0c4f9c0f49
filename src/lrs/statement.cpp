#include "lrs/statement.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <initializer_list>

#include "core/crypto.hpp"
#include "core/json.hpp"

namespace staffroom::lrs {

namespace json = boost::json;

std::string_view version_text(Version v) {
  return v == Version::V1_0_3 ? "1.0.3" : "2.0.0";
}

// ---------------------------------------------------------------------------
// Field rules

namespace {
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool all_of(std::string_view s, bool (*pred)(char)) {
  return std::all_of(s.begin(), s.end(), pred);
}
bool is_alnum(char c) {
  return is_alpha(c) || is_digit(c);
}
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    auto pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}
}  // namespace

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

bool is_iri(std::string_view s) {
  // scheme ":" something, with no spaces or control characters.
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  if (!is_alpha(s[0])) return false;
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = s[i];
    if (!is_alnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' ||
           c == '\\' || c == '^' || c == '`';
  });
}

// RFC 5646: language[-script][-region]*(-variant)*(-extension)[-privateuse],
// or a private-use tag. Irregular grandfathered tags are not accepted.
bool is_language_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 100) return false;
  auto parts = split(tag, '-');
  for (auto p : parts)
    if (p.empty() || p.size() > 8 || !all_of(p, is_alnum)) return false;
  std::size_t i = 0;
  auto is_x = [](std::string_view p) { return p.size() == 1 && (p[0] == 'x' || p[0] == 'X'); };
  auto private_use = [&](std::size_t from) {
    if (from + 1 >= parts.size()) return false;
    for (std::size_t k = from + 1; k < parts.size(); ++k)
      if (parts[k].size() > 8) return false;
    return true;
  };
  if (is_x(parts[0])) return private_use(0);
  // language
  const auto lang = parts[0];
  if (!all_of(lang, is_alpha) || lang.size() < 2) return false;
  ++i;
  if (lang.size() <= 3) {
    // up to three extlang subtags of three letters
    for (int k = 0; k < 3 && i < parts.size() && parts[i].size() == 3 && all_of(parts[i], is_alpha); ++k) ++i;
  }
  if (i < parts.size() && parts[i].size() == 4 && all_of(parts[i], is_alpha)) ++i;  // script
  if (i < parts.size() &&
      ((parts[i].size() == 2 && all_of(parts[i], is_alpha)) || (parts[i].size() == 3 && all_of(parts[i], is_digit))))
    ++i;  // region
  // variants
  std::vector<std::string> seen;
  while (i < parts.size()) {
    const auto p = parts[i];
    if ((p.size() >= 5 && p.size() <= 8) || (p.size() == 4 && is_digit(p[0]))) {
      std::string lower = staffroom::json::lower_ascii(p);
      if (std::find(seen.begin(), seen.end(), lower) != seen.end()) return false;
      seen.push_back(std::move(lower));
      ++i;
    } else {
      break;
    }
  }
  // extensions
  std::vector<char> singletons;
  while (i < parts.size() && parts[i].size() == 1 && !is_x(parts[i])) {
    const char s = static_cast<char>(std::tolower(static_cast<unsigned char>(parts[i][0])));
    if (std::find(singletons.begin(), singletons.end(), s) != singletons.end()) return false;
    singletons.push_back(s);
    ++i;
    std::size_t n = 0;
    while (i < parts.size() && parts[i].size() >= 2) {
      ++i;
      ++n;
    }
    if (n == 0) return false;
  }
  if (i < parts.size() && is_x(parts[i])) return private_use(i);
  return i == parts.size();
}

std::optional<std::int64_t> parse_duration(std::string_view s) {
  if (s.size() < 3 || s.size() > 64 || s[0] != 'P') return std::nullopt;
  std::size_t i = 1;
  bool in_time = false, any = false, weeks = false, other = false;
  std::string order = "YMWD";  // designators allowed, in order, before T
  std::string time_order = "HMS";
  std::size_t date_pos = 0, time_pos = 0;
  double total_ms = 0;
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (in_time || i + 1 == s.size()) return std::nullopt;
      in_time = true;
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    bool fraction = false;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      fraction = true;
      ++i;
      const std::size_t fs = i;
      while (i < s.size() && is_digit(s[i])) ++i;
      if (i == fs) return std::nullopt;
    }
    if (i == start || i >= s.size() || !is_digit(s[start])) return std::nullopt;
    const char designator = s[i];
    std::string number(s.substr(start, i - start));
    std::replace(number.begin(), number.end(), ',', '.');
    const double n = std::strtod(number.c_str(), nullptr);
    ++i;
    double unit_ms = 0;
    if (!in_time) {
      const auto pos = order.find(designator, date_pos);
      if (pos == std::string::npos) return std::nullopt;
      date_pos = pos + 1;
      if (designator == 'W')
        weeks = true;
      else
        other = true;
      unit_ms = designator == 'Y'   ? 365.0 * 86400000
                : designator == 'M' ? 30.0 * 86400000
                : designator == 'W' ? 7.0 * 86400000
                                    : 86400000.0;
    } else {
      const auto pos = time_order.find(designator, time_pos);
      if (pos == std::string::npos) return std::nullopt;
      time_pos = pos + 1;
      other = true;
      unit_ms = designator == 'H' ? 3600000.0 : designator == 'M' ? 60000.0 : 1000.0;
    }
    // Only the smallest unit given may carry a fraction.
    if (fraction && i != s.size()) return std::nullopt;
    total_ms += n * unit_ms;
    any = true;
  }
  if (!any || (weeks && other) || total_ms > 9.0e15) return std::nullopt;
  return static_cast<std::int64_t>(total_ms);
}

std::optional<EpochMs> parse_timestamp(std::string_view s) {
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t k = pos; k < pos + n; ++k) {
      if (!is_digit(s[k])) return false;
      out = out * 10 + (s[k] - '0');
    }
    return true;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (s.size() < 17 || !digits(0, 4, y) || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' || !digits(8, 2, d) ||
      s[10] != 'T' || !digits(11, 2, h) || s[13] != ':' || !digits(14, 2, mi))
    return std::nullopt;
  std::size_t pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    if (!digits(pos + 1, 2, sec)) return std::nullopt;
    pos += 3;
  }
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  int frac_ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int n = 0;
    while (pos < s.size() && is_digit(s[pos])) {
      if (n < 3) frac_ms = frac_ms * 10 + (s[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0) return std::nullopt;
    for (int k = n; k < 3; ++k) frac_ms *= 10;
  }
  int offset_min = 0;
  if (pos < s.size() && s[pos] == 'Z') {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const bool negative = s[pos] == '-';
    int oh = 0, om = 0;
    if (!digits(pos + 1, 2, oh)) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == ':') {
      if (!digits(pos + 1, 2, om)) return std::nullopt;
      pos += 3;
    } else if (pos < s.size()) {
      if (!digits(pos, 2, om)) return std::nullopt;
      pos += 2;
    }
    if (oh > 23 || om > 59) return std::nullopt;
    // ISO 8601 forbids "-00:00"; RFC 3339 gives it a meaning xAPI refuses.
    if (negative && oh == 0 && om == 0) return std::nullopt;
    offset_min = (oh * 60 + om) * (negative ? -1 : 1);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const auto tp = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + milliseconds{frac_ms} - minutes{offset_min};
  return duration_cast<milliseconds>(tp.time_since_epoch()).count();
}

std::string format_timestamp(EpochMs ms) {
  return format_rfc3339_ms(ms);
}

// ---------------------------------------------------------------------------
// The checker

namespace {

constexpr std::array<std::string_view, 10> kInteractionTypes = {
    "true-false",  "choice",     "fill-in", "long-fill-in", "matching",
    "performance", "sequencing", "likert",  "numeric",      "other"};

class Checker {
 public:
  Checker(Version version, std::vector<FieldError>& errors) : version_(version), errors_(errors) {}
  // The statement checked next may be moved from (check_statement(&&)).
  void take_over(json::value* owned) { owned_ = owned; }

  void error(const std::string& path, std::string message) { errors_.push_back({path, std::move(message)}); }
  std::size_t error_count() const { return errors_.size(); }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() || path.back() == '.' ? path + std::string(key) : path + "." + std::string(key);
  }

  // An object whose keys must come from the allowed list; each value non-null.
  const json::object* object(const json::value& v, const std::string& path, std::string_view what,
                             std::initializer_list<std::string_view> allowed) {
    if (!v.is_object()) {
      error(path, "must be " + std::string(what) + " (a JSON object)");
      return nullptr;
    }
    const auto& o = v.as_object();
    for (const auto& kv : o) {
      const std::string_view key = kv.key();
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        std::string hint;
        for (auto a : allowed) {
          if (a.size() == key.size() && staffroom::json::lower_ascii(a) == staffroom::json::lower_ascii(key)) hint = a;
        }
        error(join(path, key), hint.empty() ? "is not a property of " + std::string(what)
                                            : "is not a property of " + std::string(what) +
                                                  "; property names are case-sensitive, did you mean '" + hint + "'?");
      } else if (kv.value().is_null()) {
        error(join(path, key), "must not be null; leave the property out instead");
      }
    }
    return &o;
  }

  static const json::value* get(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    return it == o.end() || it->value().is_null() ? nullptr : &it->value();
  }

  const json::string* string(const json::object& o, std::string_view key, const std::string& path, bool required) {
    const auto* v = get(o, key);
    if (!v) {
      if (required && !o.contains(key)) error(join(path, key), "is required");
      return nullptr;
    }
    if (!v->is_string()) {
      error(join(path, key), "must be a string");
      return nullptr;
    }
    return &v->as_string();
  }

  void iri(const json::object& o, std::string_view key, const std::string& path, bool required) {
    if (const auto* s = string(o, key, path, required); s && !is_iri(*s))
      error(join(path, key), "must be an IRI with a scheme, like 'http://example.com/path'");
  }

  void uuid(const json::object& o, std::string_view key, const std::string& path, bool required) {
    if (const auto* s = string(o, key, path, required); s && !is_uuid(*s))
      error(join(path, key), "must be a UUID like '3f1c3c9e-8a1b-4e0a-9a34-1c2b3d4e5f60'");
  }

  void language_map(const json::value& v, const std::string& path) {
    if (!v.is_object()) {
      error(path, "must be a language map, like {\"en-US\": \"attended\"}");
      return;
    }
    for (const auto& kv : v.as_object()) {
      const std::string p = join(path, kv.key());
      if (!is_language_tag(kv.key())) error(p, "is not an RFC 5646 language tag, like 'en-US' or 'zh-Hant'");
      if (!kv.value().is_string()) error(p, "must be a string");
    }
  }

  void opt_language_map(const json::object& o, std::string_view key, const std::string& path) {
    if (const auto* v = get(o, key)) language_map(*v, join(path, key));
  }

  void extensions(const json::object& o, const std::string& path) {
    const auto* v = get(o, "extensions");
    if (!v) return;
    const std::string p = join(path, "extensions");
    if (!v->is_object()) {
      error(p, "must be an object whose keys are IRIs");
      return;
    }
    for (const auto& kv : v->as_object())
      if (!is_iri(kv.key())) error(join(p, kv.key()), "extension keys must be IRIs, like 'http://example.com/ext'");
  }

  // Agent or Group. Returns its identifier key ("" for an anonymous group).
  // Members' keys go to members.
  std::string actor(const json::value& v, const std::string& path, bool object_type_required,
                    std::vector<std::string>* members, bool group_required = false) {
    if (!v.is_object()) {
      error(path, "must be an Agent or Group (a JSON object)");
      return {};
    }
    const auto& o = v.as_object();
    std::string type = "Agent";
    if (const auto* t = get(o, "objectType")) {
      if (!t->is_string() || (t->as_string() != "Agent" && t->as_string() != "Group")) {
        error(join(path, "objectType"), "must be 'Agent' or 'Group' (case-sensitive)");
        return {};
      }
      type = t->as_string().c_str();
    } else if (object_type_required) {
      error(join(path, "objectType"), "is required here: 'Agent' or 'Group'");
    } else if (o.contains("member")) {
      error(join(path, "objectType"), "is required for a Group: 'Group'");
      type = "Group";
    }
    if (group_required && type != "Group") {
      error(join(path, "objectType"), "must be 'Group' here");
      return {};
    }
    if (type == "Agent") {
      object(v, path, "an Agent", {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"});
    } else {
      object(v, path, "a Group", {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account", "member"});
    }
    string(o, "name", path, false);
    std::string key = identifier(o, path);
    int count = 0;
    for (auto ifi : {"mbox", "mbox_sha1sum", "openid", "account"})
      if (get(o, ifi)) ++count;
    if (type == "Agent" && count != 1) {
      error(path, count == 0 ? "an Agent needs one identifier: mbox, mbox_sha1sum, openid or account"
                             : "an Agent has exactly one identifier; send only one of mbox, mbox_sha1sum, openid, "
                               "account");
    }
    if (type == "Group") {
      if (count > 1) error(path, "a Group has at most one identifier");
      const auto* m = get(o, "member");
      if (!m && count == 0) error(join(path, "member"), "an anonymous Group (no identifier) needs its members");
      if (m) {
        if (!m->is_array()) {
          error(join(path, "member"), "must be a list of Agents");
        } else {
          if (count == 0 && m->as_array().empty())
            error(join(path, "member"), "an anonymous Group needs at least one member");
          std::size_t i = 0;
          for (const auto& item : m->as_array()) {
            const std::string p = join(path, "member") + "[" + std::to_string(i++) + "]";
            if (item.is_object()) {
              if (const auto* t = get(item.as_object(), "objectType");
                  t && (!t->is_string() || t->as_string() != "Agent")) {
                error(join(p, "objectType"), "a Group's members are Agents: 'Agent'");
                continue;
              }
            }
            auto member_key = actor(item, p, false, nullptr);
            if (members && !member_key.empty()) members->push_back(std::move(member_key));
          }
        }
      }
    }
    return key;
  }

  // The identifier key, checking each identifier's form.
  std::string identifier(const json::object& o, const std::string& path) {
    std::string key;
    if (const auto* s = string(o, "mbox", path, false)) {
      const std::string_view m = *s;
      const auto at = m.find('@');
      if (!m.starts_with("mailto:") || at == std::string_view::npos || at == 7 || at + 1 == m.size() ||
          m.find(' ') != std::string_view::npos)
        error(join(path, "mbox"), "must be 'mailto:' followed by an email address");
      key = "mbox:" + std::string(m);
    }
    if (const auto* s = string(o, "mbox_sha1sum", path, false)) {
      if (s->size() != 40 || !all_of(*s, is_hex))
        error(join(path, "mbox_sha1sum"), "must be the 40 hex digits of the SHA-1 of a 'mailto:' address");
      if (key.empty()) key = "sha1:" + staffroom::json::lower_ascii(*s);
    }
    if (const auto* s = string(o, "openid", path, false)) {
      if (!is_iri(*s)) error(join(path, "openid"), "must be a URI");
      if (key.empty()) key = "openid:" + std::string(*s);
    }
    if (const auto* a = get(o, "account")) {
      const std::string p = join(path, "account");
      if (const auto* acc = object(*a, p, "an account", {"homePage", "name"})) {
        iri(*acc, "homePage", p, true);
        const auto* name = string(*acc, "name", p, true);
        const auto* home = get(*acc, "homePage");
        if (key.empty() && name && home && home->is_string())
          key = "account:" + std::string(home->as_string()) + " " + std::string(*name);
      }
    }
    return key;
  }

  void verb(const json::value& v, const std::string& path, StatementFacts* facts) {
    const auto* o = object(v, path, "a Verb", {"id", "display"});
    if (!o) return;
    iri(*o, "id", path, true);
    opt_language_map(*o, "display", path);
    if (const auto* id = get(*o, "id"); id && id->is_string() && facts) facts->verb = id->as_string().c_str();
  }

  void interaction_components(const json::object& d, std::string_view key, const std::string& path) {
    const auto* v = get(d, key);
    if (!v) return;
    const std::string p = join(path, key);
    if (!v->is_array()) {
      error(p, "must be a list of interaction components");
      return;
    }
    std::size_t i = 0;
    for (const auto& c : v->as_array()) {
      const std::string cp = p + "[" + std::to_string(i++) + "]";
      const auto* co = object(c, cp, "an interaction component", {"id", "description"});
      if (!co) continue;
      string(*co, "id", cp, true);
      opt_language_map(*co, "description", cp);
    }
  }

  void definition(const json::value& v, const std::string& path) {
    const auto* d = object(v, path, "an activity definition",
                           {"name", "description", "type", "moreInfo", "extensions", "interactionType",
                            "correctResponsesPattern", "choices", "scale", "source", "target", "steps"});
    if (!d) return;
    opt_language_map(*d, "name", path);
    opt_language_map(*d, "description", path);
    iri(*d, "type", path, false);
    iri(*d, "moreInfo", path, false);
    extensions(*d, path);
    if (const auto* it = string(*d, "interactionType", path, false)) {
      if (std::find(kInteractionTypes.begin(), kInteractionTypes.end(), std::string_view(*it)) ==
          kInteractionTypes.end())
        error(join(path, "interactionType"),
              "must be one of true-false, choice, fill-in, long-fill-in, matching, performance, sequencing, likert, "
              "numeric, other");
    }
    if (const auto* crp = get(*d, "correctResponsesPattern")) {
      if (!crp->is_array()) {
        error(join(path, "correctResponsesPattern"), "must be a list of strings");
      } else {
        for (const auto& s : crp->as_array())
          if (!s.is_string()) {
            error(join(path, "correctResponsesPattern"), "must be a list of strings");
            break;
          }
      }
    }
    for (auto key : {"choices", "scale", "source", "target", "steps"}) interaction_components(*d, key, path);
    if (!get(*d, "interactionType")) {
      for (auto key : {"correctResponsesPattern", "choices", "scale", "source", "target", "steps"})
        if (get(*d, key))
          error(join(path, "interactionType"), "is required when the definition has '" + std::string(key) + "'");
    }
  }

  // An Activity; returns its id ("" when invalid).
  std::string activity(const json::value& v, const std::string& path, StatementFacts* facts) {
    const auto* o = object(v, path, "an Activity", {"objectType", "id", "definition"});
    if (!o) return {};
    if (const auto* t = get(*o, "objectType"); t && (!t->is_string() || t->as_string() != "Activity"))
      error(join(path, "objectType"), "must be 'Activity'");
    iri(*o, "id", path, true);
    if (const auto* d = get(*o, "definition")) {
      definition(*d, join(path, "definition"));
      const auto* id = get(*o, "id");
      if (facts && d->is_object() && id && id->is_string())
        // In the statement's own storage (a request's arena): no heap
        // allocation to make or free per definition.
        facts->definitions.emplace_back(std::piecewise_construct, std::forward_as_tuple(id->as_string().c_str()),
                                        std::forward_as_tuple(d->as_object(), d->storage()));
    }
    const auto* id = get(*o, "id");
    return id && id->is_string() ? std::string(id->as_string()) : std::string();
  }

  void statement_ref(const json::value& v, const std::string& path, bool type_required, std::string* target) {
    const auto* o = object(v, path, "a StatementRef", {"objectType", "id"});
    if (!o) return;
    const auto* t = get(*o, "objectType");
    if (!t && type_required) error(join(path, "objectType"), "is required: 'StatementRef'");
    if (t && (!t->is_string() || t->as_string() != "StatementRef"))
      error(join(path, "objectType"), "must be 'StatementRef'");
    uuid(*o, "id", path, true);
    if (const auto* id = get(*o, "id"); id && id->is_string() && target)
      *target = staffroom::json::lower_ascii(id->as_string());
  }

  void score(const json::value& v, const std::string& path) {
    const auto* o = object(v, path, "a score", {"scaled", "raw", "min", "max"});
    if (!o) return;
    auto number = [&](std::string_view key) -> std::optional<double> {
      const auto* n = get(*o, key);
      if (!n) return std::nullopt;
      if (!n->is_number()) {
        error(join(path, key), "must be a number");
        return std::nullopt;
      }
      return n->to_number<double>();
    };
    const auto scaled = number("scaled");
    const auto raw = number("raw");
    const auto min = number("min");
    const auto max = number("max");
    if (scaled && (*scaled < -1 || *scaled > 1)) error(join(path, "scaled"), "must be between -1 and 1");
    if (min && max && *min > *max) error(join(path, "min"), "must not be greater than max");
    if (raw && min && *raw < *min) error(join(path, "raw"), "must not be less than min");
    if (raw && max && *raw > *max) error(join(path, "raw"), "must not be greater than max");
  }

  void result(const json::value& v, const std::string& path, StatementFacts* facts) {
    const auto* o =
        object(v, path, "a result", {"score", "success", "completion", "response", "duration", "extensions"});
    if (!o) return;
    if (const auto* s = get(*o, "score")) score(*s, join(path, "score"));
    for (auto key : {"success", "completion"})
      if (const auto* b = get(*o, key); b && !b->is_bool()) error(join(path, key), "must be true or false");
    string(*o, "response", path, false);
    if (const auto* d = string(*o, "duration", path, false)) {
      auto ms = parse_duration(*d);
      if (!ms) error(join(path, "duration"), "must be an ISO 8601 duration, like 'PT1H30M' or 'PT45.5S'");
      if (facts) facts->duration_ms = ms;
    }
    extensions(*o, path);
  }

  void context_activities(const json::value& v, const std::string& path, std::vector<std::string>* related,
                          StatementFacts* facts) {
    const auto* o = object(v, path, "contextActivities", {"parent", "grouping", "category", "other"});
    if (!o) return;
    for (const auto& kv : *o) {
      if (kv.value().is_null()) continue;
      const std::string p = join(path, kv.key());
      if (kv.value().is_array()) {
        std::size_t i = 0;
        for (const auto& a : kv.value().as_array()) {
          auto id = activity(a, p + "[" + std::to_string(i++) + "]", facts);
          if (related && !id.empty()) related->push_back(std::move(id));
        }
      } else {
        auto id = activity(kv.value(), p, facts);
        if (related && !id.empty()) related->push_back(std::move(id));
      }
    }
  }

  void relevant_types(const json::object& o, const std::string& path) {
    const auto* v = get(o, "relevantTypes");
    if (!v) return;
    const std::string p = join(path, "relevantTypes");
    if (!v->is_array() || v->as_array().empty()) {
      error(p, "must be a non-empty list of IRIs");
      return;
    }
    for (const auto& t : v->as_array())
      if (!t.is_string() || !is_iri(t.as_string())) {
        error(p, "must be a non-empty list of IRIs");
        return;
      }
  }

  void context(const json::value& v, const std::string& path, bool object_is_activity, StatementFacts* facts,
               std::vector<std::string>* agents, std::vector<std::string>* activities) {
    const auto* o = version_ == Version::V2_0_0
                        ? object(v, path, "a context",
                                 {"registration", "instructor", "team", "contextActivities", "contextAgents",
                                  "contextGroups", "revision", "platform", "language", "statement", "extensions"})
                        : object(v, path, "a context",
                                 {"registration", "instructor", "team", "contextActivities", "revision", "platform",
                                  "language", "statement", "extensions"});
    if (!o) return;
    uuid(*o, "registration", path, false);
    if (const auto* r = get(*o, "registration"); r && r->is_string() && facts)
      facts->registration = staffroom::json::lower_ascii(r->as_string());
    if (const auto* i = get(*o, "instructor")) {
      auto key = actor(*i, join(path, "instructor"), false, agents);
      if (agents && !key.empty()) agents->push_back(std::move(key));
    }
    if (const auto* t = get(*o, "team")) {
      auto key = actor(*t, join(path, "team"), true, agents, true);
      if (agents && !key.empty()) agents->push_back(std::move(key));
    }
    if (const auto* ca = get(*o, "contextActivities"))
      context_activities(*ca, join(path, "contextActivities"), activities, facts);
    for (auto key : {"revision", "platform"}) {
      if (string(*o, key, path, false) && !object_is_activity)
        error(join(path, key), "is only allowed when the statement's object is an Activity");
    }
    if (const auto* l = string(*o, "language", path, false); l && !is_language_tag(*l))
      error(join(path, "language"), "is not an RFC 5646 language tag, like 'en-US'");
    if (const auto* s = get(*o, "statement")) statement_ref(*s, join(path, "statement"), true, nullptr);
    extensions(*o, path);
    if (version_ == Version::V2_0_0) {
      context_members(*o, "contextAgents", "contextAgent", "agent", path, agents);
      context_members(*o, "contextGroups", "contextGroup", "group", path, agents);
    }
  }

  void context_members(const json::object& o, std::string_view key, std::string_view type, std::string_view inner,
                       const std::string& path, std::vector<std::string>* agents) {
    const auto* v = get(o, key);
    if (!v) return;
    const std::string p = join(path, key);
    if (!v->is_array()) {
      error(p, "must be a list of " + std::string(type) + " objects");
      return;
    }
    std::size_t i = 0;
    for (const auto& item : v->as_array()) {
      const std::string ip = p + "[" + std::to_string(i++) + "]";
      const auto* io = object(item, ip, "a " + std::string(type), {"objectType", inner, "relevantTypes"});
      if (!io) continue;
      const auto* t = get(*io, "objectType");
      if (!t || !t->is_string() || t->as_string() != type)
        error(join(ip, "objectType"), "must be '" + std::string(type) + "'");
      if (const auto* a = get(*io, inner)) {
        auto k = actor(*a, join(ip, inner), inner == "group", agents, inner == "group");
        if (agents && !k.empty()) agents->push_back(std::move(k));
      } else {
        error(join(ip, inner), "is required");
      }
      relevant_types(*io, ip);
    }
  }

  void attachments(const json::value& v, const std::string& path, StatementFacts* facts) {
    if (!v.is_array()) {
      error(path, "must be a list of attachments");
      return;
    }
    std::size_t i = 0;
    for (const auto& a : v.as_array()) {
      const std::string p = path + "[" + std::to_string(i++) + "]";
      const auto* o = object(a, p, "an attachment",
                             {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"});
      if (!o) continue;
      iri(*o, "usageType", p, true);
      if (const auto* d = get(*o, "display"))
        language_map(*d, join(p, "display"));
      else
        error(join(p, "display"), "is required");
      opt_language_map(*o, "description", p);
      const auto* ct = string(*o, "contentType", p, true);
      const auto* len = get(*o, "length");
      if (!len)
        error(join(p, "length"), "is required");
      else if (!len->is_int64() && !len->is_uint64())
        error(join(p, "length"), "must be a whole number of bytes");
      else if (len->is_int64() && len->as_int64() < 0)
        error(join(p, "length"), "must not be negative");
      const auto* sha2 = string(*o, "sha2", p, true);
      if (sha2 && (sha2->empty() || sha2->size() > 128 || !all_of(*sha2, is_hex)))
        error(join(p, "sha2"), "must be the hex SHA-2 digest of the attachment");
      iri(*o, "fileUrl", p, false);
      if (facts && sha2 && ct) {
        AttachmentInfo info;
        info.sha2 = staffroom::json::lower_ascii(*sha2);
        info.content_type = ct->c_str();
        info.length = len && len->is_int64() ? len->as_int64() : 0;
        info.has_file_url = get(*o, "fileUrl") != nullptr;
        const auto* usage = get(*o, "usageType");
        info.signature = usage && usage->is_string() && usage->as_string() == kSignatureUsage;
        facts->attachments.push_back(std::move(info));
      }
    }
  }

  // The statement's (or SubStatement's) object. Returns its type.
  std::string object_of(const json::value& v, const std::string& path, bool nested, StatementFacts& facts,
                        std::vector<std::string>& agents, std::vector<std::string>& related_agents) {
    if (!v.is_object()) {
      error(path, "must be an Activity, Agent, Group, SubStatement or StatementRef (a JSON object)");
      return {};
    }
    const auto& o = v.as_object();
    std::string type = "Activity";
    if (const auto* t = get(o, "objectType")) {
      if (!t->is_string()) {
        error(join(path, "objectType"), "must be a string");
        return {};
      }
      type = t->as_string().c_str();
    }
    if (type == "Activity") {
      auto id = activity(v, path, &facts);
      if (!nested) facts.activity = id;
      if (!id.empty()) facts.related_activities.push_back(std::move(id));
    } else if (type == "Agent" || type == "Group") {
      std::vector<std::string> members;
      auto key = actor(v, path, true, &members);
      if (!key.empty()) (nested ? related_agents : agents).push_back(std::move(key));
      for (auto& m : members) (nested ? related_agents : agents).push_back(std::move(m));
    } else if (type == "StatementRef") {
      statement_ref(v, path, true, nested ? nullptr : &facts.ref_target);
    } else if (type == "SubStatement") {
      if (nested) {
        error(join(path, "objectType"), "a SubStatement cannot contain another SubStatement");
      } else {
        sub_statement(v, path, facts, related_agents);
      }
    } else {
      error(join(path, "objectType"), "must be Activity, Agent, Group, SubStatement or StatementRef (case-sensitive)");
    }
    return type;
  }

  void sub_statement(const json::value& v, const std::string& path, StatementFacts& facts,
                     std::vector<std::string>& related_agents) {
    const auto* o = object(v, path, "a SubStatement",
                           {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"});
    if (!o) return;
    std::vector<std::string> ignored;
    for (auto key : {"actor", "verb", "object"})
      if (!get(*o, key)) error(join(path, key), "is required");
    if (const auto* a = get(*o, "actor")) {
      std::vector<std::string> members;
      auto key = actor(*a, join(path, "actor"), false, &members);
      if (!key.empty()) related_agents.push_back(std::move(key));
      for (auto& m : members) related_agents.push_back(std::move(m));
    }
    if (const auto* vb = get(*o, "verb")) verb(*vb, join(path, "verb"), nullptr);
    std::string type;
    if (const auto* ob = get(*o, "object"))
      type = object_of(*ob, join(path, "object"), true, facts, ignored, related_agents);
    if (const auto* r = get(*o, "result")) result(*r, join(path, "result"), nullptr);
    if (const auto* c = get(*o, "context"))
      context(*c, join(path, "context"), type == "Activity", nullptr, &related_agents, &facts.related_activities);
    if (const auto* t = string(*o, "timestamp", path, false); t && !parse_timestamp(*t))
      error(join(path, "timestamp"), "must be an ISO 8601 date-time with a time zone, like '2026-08-01T14:00:00Z'");
    if (const auto* a = get(*o, "attachments")) attachments(*a, join(path, "attachments"), nullptr);
  }

  void authority(const json::value& v, const std::string& path) {
    std::vector<std::string> members;
    const auto key = actor(v, path, false, &members);
    if (v.is_object()) {
      const auto* t = get(v.as_object(), "objectType");
      if (t && t->is_string() && t->as_string() == "Group") {
        if (!key.empty()) error(path, "a Group as authority must be anonymous (no identifier)");
        const auto* m = get(v.as_object(), "member");
        if (!m || !m->is_array() || m->as_array().size() != 2)
          error(join(path, "member"), "a Group as authority has exactly two members (OAuth consumer and user)");
      }
    }
  }

  std::optional<CheckedStatement> statement(const json::value& v, const std::string& path) {
    const std::size_t before = error_count();
    const auto* o = object(v, path, "a statement",
                           {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                            "version", "attachments"});
    if (!o) return std::nullopt;
    // The copies share the storage of what was parsed (a request's arena).
    CheckedStatement out{json::object(o->storage()), json::object(o->storage()), {}};
    auto& facts = out.facts;
    for (auto key : {"actor", "verb", "object"})
      if (!get(*o, key) && !o->contains(key)) error(join(path, key), "is required");
    uuid(*o, "id", path, false);
    if (const auto* id = get(*o, "id"); id && id->is_string()) facts.id = staffroom::json::lower_ascii(id->as_string());
    std::vector<std::string> members;
    if (const auto* a = get(*o, "actor")) {
      facts.actor = actor(*a, join(path, "actor"), false, &members);
      if (!facts.actor.empty()) facts.agents.push_back(facts.actor);
      for (auto& m : members) facts.agents.push_back(std::move(m));
    }
    if (const auto* vb = get(*o, "verb")) verb(*vb, join(path, "verb"), &facts);
    std::vector<std::string> related;
    std::string type;
    if (const auto* ob = get(*o, "object"))
      type = object_of(*ob, join(path, "object"), false, facts, facts.agents, related);
    if (facts.verb == kVoidedVerb && type != "StatementRef" && !type.empty())
      error(join(path, "object.objectType"), "a voiding statement's object must be a StatementRef");
    if (const auto* r = get(*o, "result")) result(*r, join(path, "result"), &facts);
    if (const auto* c = get(*o, "context"))
      context(*c, join(path, "context"), type == "Activity", &facts, &related, &facts.related_activities);
    if (const auto* t = string(*o, "timestamp", path, false)) {
      facts.timestamp = parse_timestamp(*t);
      if (!facts.timestamp)
        error(join(path, "timestamp"),
              "must be an ISO 8601 date-time with a time zone, like '2026-08-01T14:00:00Z' or "
              "'2026-08-01T10:00:00-04:00'");
    }
    if (const auto* s = string(*o, "stored", path, false); s && !parse_timestamp(*s))
      error(join(path, "stored"), "must be an ISO 8601 date-time (the LRS replaces it anyway)");
    if (const auto* a = get(*o, "authority")) authority(*a, join(path, "authority"));
    if (const auto* ver = string(*o, "version", path, false)) {
      const std::string_view s = *ver;
      bool ok = s == "1.0" || s == "2.0";
      if (!ok && (s.starts_with("1.0.") || s.starts_with("2.0.")) && s.size() > 4) ok = all_of(s.substr(4), is_digit);
      if (!ok) error(join(path, "version"), "must be an xAPI version this LRS speaks: 1.0, 1.0.x, 2.0 or 2.0.x");
    }
    if (const auto* a = get(*o, "attachments")) attachments(*a, join(path, "attachments"), &facts);
    if (error_count() != before) return std::nullopt;

    related.insert(related.end(), facts.agents.begin(), facts.agents.end());
    facts.related_agents = std::move(related);
    auto dedupe = [](std::vector<std::string>& list) {
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
    };
    dedupe(facts.agents);
    dedupe(facts.related_agents);
    dedupe(facts.related_activities);
    if (!facts.id.empty() || o->contains("attachments")) out.original = *o;
    if (owned_) {
      out.statement = std::move(owned_->as_object());
    } else {
      out.statement = *o;
    }
    normalize_context_activities(out.statement);
    return out;
  }

  static void normalize_context_activities(json::object& statement) {
    auto fix = [](json::object& holder) {
      auto* ctx = holder.if_contains("context");
      if (!ctx || !ctx->is_object()) return;
      auto* ca = ctx->as_object().if_contains("contextActivities");
      if (!ca || !ca->is_object()) return;
      for (auto& kv : ca->as_object())
        if (kv.value().is_object()) kv.value() = json::array{kv.value()};
    };
    fix(statement);
    if (auto* ob = statement.if_contains("object"); ob && ob->is_object()) fix(ob->as_object());
  }

 private:
  Version version_;
  std::vector<FieldError>& errors_;
  json::value* owned_ = nullptr;
};

}  // namespace

std::optional<CheckedStatement> check_statement(const json::value& value, Version version, const std::string& prefix,
                                                std::vector<FieldError>& errors) {
  Checker checker(version, errors);
  return checker.statement(value, prefix);
}

std::optional<CheckedStatement> check_statement(json::value&& value, Version version, const std::string& prefix,
                                                std::vector<FieldError>& errors) {
  Checker checker(version, errors);
  if (value.is_object()) checker.take_over(&value);
  return checker.statement(value, prefix);
}

std::vector<std::string> index_keys(const StatementFacts& f) {
  std::vector<std::string> keys;
  keys.reserve(3 + f.agents.size() + f.related_agents.size() + f.related_activities.size());
  if (!f.verb.empty()) keys.push_back("v " + f.verb);
  if (!f.activity.empty()) keys.push_back("a " + f.activity);
  if (!f.registration.empty()) keys.push_back("r " + f.registration);
  // The broad keys only for what the narrow ones do not name: a broad
  // filter reads both (store::query), and each statement has two keys fewer.
  for (const auto& a : f.agents) keys.push_back("g " + a);
  for (const auto& a : f.related_agents)
    if (!std::binary_search(f.agents.begin(), f.agents.end(), a)) keys.push_back("G " + a);  // agents: sorted
  for (const auto& a : f.related_activities)
    if (a != f.activity) keys.push_back("A " + a);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

void assign_id(CheckedStatement& s) {
  if (!s.facts.id.empty()) return;
  auto& st = s.statement;
  s.facts.id = crypto::uuid_v7();
  s.id_assigned = true;
  // The id leads, as clients write it.
  json::object reordered(st.storage());
  reordered.reserve(st.size() + 5);
  reordered["id"] = s.facts.id;
  for (auto& kv : st) reordered[kv.key()] = std::move(kv.value());
  st = std::move(reordered);
}

namespace {
// Adds members to the text of a serialized object that has some already:
// the pieces go before its closing brace.
void add_members(std::string& object, std::initializer_list<std::string_view> pieces) {
  object.pop_back();
  for (auto piece : pieces) object += piece;
  object += '}';
}
}  // namespace

std::string prepare_statement(CheckedStatement& s, std::string_view authority, Version version) {
  auto& st = s.statement;
  assign_id(s);
  if (s.facts.timestamp) st["timestamp"] = format_timestamp(*s.facts.timestamp);
  st.erase("stored");
  st.erase("authority");
  if (!st.contains("version")) st["version"] = version == Version::V1_0_3 ? "1.0.0" : "2.0.0";
  std::string text = staffroom::json::serialize(st);
  // The authority is the same text for every statement of a request; room
  // is made for what stamp_stored adds too.
  text.reserve(text.size() + authority.size() + 96);
  add_members(text, {R"(,"authority":)", authority});
  return text;
}

void stamp_stored(std::string& text, StatementFacts& facts, EpochMs stored) {
  const std::string at = format_timestamp(stored);
  if (!facts.timestamp) {
    add_members(text, {R"(,"timestamp":")", at, "\""});
    facts.timestamp = stored;
  }
  add_members(text, {R"(,"stored":")", at, "\""});
}

std::string identifier_key(const json::object& actor) {
  std::vector<FieldError> errors;
  Checker checker(Version::V2_0_0, errors);
  return checker.identifier(actor, "");
}

Result<std::string> agent_key(std::string_view text) {
  std::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object())
    return Error::bad_request("agent must be a JSON Agent or Group, like {\"mbox\":\"mailto:ada@example.org\"}");
  std::vector<FieldError> errors;
  Checker checker(Version::V2_0_0, errors);
  std::vector<std::string> members;
  auto key = checker.actor(v, "agent", false, &members);
  if (!errors.empty()) return Error::bad_request("agent: " + errors.front().field + " " + errors.front().message);
  if (key.empty()) return Error::bad_request("agent must have an identifier (mbox, mbox_sha1sum, openid or account)");
  return key;
}

// ---------------------------------------------------------------------------
// Formats

namespace {

json::value ids_actor(const json::value& v) {
  if (!v.is_object()) return v;
  const auto& o = v.as_object();
  json::object out;
  if (auto* t = o.if_contains("objectType")) out["objectType"] = *t;
  bool identified = false;
  for (auto key : {"mbox", "mbox_sha1sum", "openid", "account"}) {
    if (auto* x = o.if_contains(key)) {
      out[key] = *x;
      identified = true;
    }
  }
  if (!identified) {
    if (auto* m = o.if_contains("member"); m && m->is_array()) {
      json::array members;
      for (const auto& a : m->as_array()) members.push_back(ids_actor(a));
      out["member"] = std::move(members);
    }
  }
  return out;
}

json::value ids_object(const json::value& v) {
  if (!v.is_object()) return v;
  const auto& o = v.as_object();
  const auto* t = o.if_contains("objectType");
  const std::string type = t && t->is_string() ? std::string(t->as_string()) : "Activity";
  if (type == "Activity") {
    json::object out;
    if (auto* id = o.if_contains("id")) out["id"] = *id;
    return out;
  }
  if (type == "Agent" || type == "Group") return ids_actor(v);
  if (type == "SubStatement") {
    json::object out = o;
    if (auto* a = out.if_contains("actor")) *a = ids_actor(*a);
    if (auto* vb = out.if_contains("verb"); vb && vb->is_object()) *vb = json::object{{"id", vb->as_object()["id"]}};
    if (auto* ob = out.if_contains("object")) *ob = ids_object(*ob);
    return out;
  }
  return v;
}

void ids_context(json::object& holder) {
  auto* ctx = holder.if_contains("context");
  if (!ctx || !ctx->is_object()) return;
  auto& c = ctx->as_object();
  for (auto key : {"instructor", "team"})
    if (auto* a = c.if_contains(key)) *a = ids_actor(*a);
  if (auto* ca = c.if_contains("contextActivities"); ca && ca->is_object()) {
    for (auto& kv : ca->as_object()) {
      if (!kv.value().is_array()) continue;
      for (auto& a : kv.value().as_array()) a = ids_object(a);
    }
  }
}

}  // namespace

json::object ids_format(const json::object& statement) {
  json::object out = statement;
  if (auto* a = out.if_contains("actor")) *a = ids_actor(*a);
  if (auto* vb = out.if_contains("verb"); vb && vb->is_object()) {
    json::object v;
    if (auto* id = vb->as_object().if_contains("id")) v["id"] = *id;
    *vb = std::move(v);
  }
  if (auto* ob = out.if_contains("object")) *ob = ids_object(*ob);
  if (auto* au = out.if_contains("authority")) *au = ids_actor(*au);
  ids_context(out);
  return out;
}

std::vector<std::string> accept_languages(std::string_view header) {
  std::vector<std::pair<double, std::string>> weighted;
  std::size_t order = 0;
  for (auto item : split(header, ',')) {
    auto semi = item.find(';');
    std::string tag = staffroom::json::trim(item.substr(0, semi));
    double q = 1.0;
    if (semi != std::string_view::npos) {
      auto params = staffroom::json::trim(item.substr(semi + 1));
      if (params.starts_with("q=")) q = std::strtod(params.c_str() + 2, nullptr);
    }
    if (tag.empty() || q <= 0) continue;
    // Stable: a tiny order term keeps equal weights in header order.
    weighted.emplace_back(q - static_cast<double>(order++) * 1e-6, std::move(tag));
  }
  std::sort(weighted.begin(), weighted.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  out.reserve(weighted.size());
  for (auto& [q, tag] : weighted) out.push_back(std::move(tag));
  return out;
}

namespace {

void pick_language(json::value& map, const std::vector<std::string>& languages) {
  if (!map.is_object() || map.as_object().size() <= 1) return;
  auto& m = map.as_object();
  auto keep = [&](std::string_view key) {
    json::object one;
    one[key] = m[key];
    map = std::move(one);
  };
  for (const auto& want : languages) {
    const std::string w = staffroom::json::lower_ascii(want);
    if (w == "*") break;
    for (const auto& kv : m)
      if (staffroom::json::lower_ascii(kv.key()) == w) return keep(kv.key());
    // "en-GB" falls back to "en", then to any "en-*".
    const std::string primary = w.substr(0, w.find('-'));
    for (const auto& kv : m)
      if (staffroom::json::lower_ascii(kv.key()) == primary) return keep(kv.key());
    for (const auto& kv : m)
      if (staffroom::json::lower_ascii(kv.key()).starts_with(primary + "-")) return keep(kv.key());
  }
  if (m.contains("und")) return keep("und");
  keep(m.begin()->key());
}

void canonical_activity(json::value& v, const std::vector<std::string>& languages) {
  if (!v.is_object()) return;
  auto* d = v.as_object().if_contains("definition");
  if (!d || !d->is_object()) return;
  auto& def = d->as_object();
  for (auto key : {"name", "description"})
    if (auto* m = def.if_contains(key)) pick_language(*m, languages);
  for (auto key : {"choices", "scale", "source", "target", "steps"}) {
    auto* list = def.if_contains(key);
    if (!list || !list->is_array()) continue;
    for (auto& c : list->as_array())
      if (c.is_object())
        if (auto* m = c.as_object().if_contains("description")) pick_language(*m, languages);
  }
}

void canonical_parts(json::object& s, const std::vector<std::string>& languages) {
  if (auto* vb = s.if_contains("verb"); vb && vb->is_object())
    if (auto* d = vb->as_object().if_contains("display")) pick_language(*d, languages);
  if (auto* ob = s.if_contains("object"); ob && ob->is_object()) {
    const auto* t = ob->as_object().if_contains("objectType");
    const std::string type = t && t->is_string() ? std::string(t->as_string()) : "Activity";
    if (type == "Activity") canonical_activity(*ob, languages);
    if (type == "SubStatement") canonical_parts(ob->as_object(), languages);
  }
  if (auto* ctx = s.if_contains("context"); ctx && ctx->is_object())
    if (auto* ca = ctx->as_object().if_contains("contextActivities"); ca && ca->is_object())
      for (auto& kv : ca->as_object())
        if (kv.value().is_array())
          for (auto& a : kv.value().as_array()) canonical_activity(a, languages);
  if (auto* at = s.if_contains("attachments"); at && at->is_array())
    for (auto& a : at->as_array())
      if (a.is_object())
        for (auto key : {"display", "description"})
          if (auto* m = a.as_object().if_contains(key)) pick_language(*m, languages);
}

}  // namespace

json::object canonical_format(const json::object& statement, const std::vector<std::string>& languages) {
  json::object out = statement;
  canonical_parts(out, languages);
  return out;
}

// ---------------------------------------------------------------------------
// Signatures

namespace {

// Durations compare to the hundredth of a second (signers may round).
void truncate_durations(json::value& v) {
  if (v.is_object()) {
    for (auto& kv : v.as_object()) {
      if (kv.key() == "duration" && kv.value().is_string()) {
        std::string d(kv.value().as_string());
        if (auto dot = d.find('.'); dot != std::string::npos && d.back() == 'S') {
          std::string digits = d.substr(dot + 1, d.size() - dot - 2);
          if (digits.size() > 2) digits.resize(2);
          while (!digits.empty() && digits.back() == '0') digits.pop_back();
          d.resize(dot);
          if (!digits.empty()) d += "." + digits;
          d += 'S';
          kv.value() = d;
        }
      } else {
        truncate_durations(kv.value());
      }
    }
  } else if (v.is_array()) {
    for (auto& x : v.as_array()) truncate_durations(x);
  }
}

json::value comparable(json::object o) {
  for (auto key : {"attachments", "stored", "authority"}) o.erase(key);
  json::value v = std::move(o);
  truncate_durations(v);
  return v;
}

}  // namespace

Status check_signature(const CheckedStatement& s, std::string_view jws, const std::string& field) {
  auto parts = split(jws, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty())
    return Error::validation(field, "the signature must be a compact JWS (header.payload.signature)");
  const auto header_text = crypto::base64url_decode(parts[0]);
  const auto payload_text = crypto::base64url_decode(parts[1]);
  if (!header_text || !payload_text)
    return Error::validation(field, "the signature's header and payload must be base64url");
  std::error_code ec;
  auto header = json::parse(*header_text, ec);
  if (ec || !header.is_object()) return Error::validation(field, "the signature's JWS header is not a JSON object");
  const auto* alg = header.as_object().if_contains("alg");
  if (!alg || !alg->is_string() ||
      (alg->as_string() != "RS256" && alg->as_string() != "RS384" && alg->as_string() != "RS512"))
    return Error::validation(field, "the signature must use RS256, RS384 or RS512");
  auto payload = json::parse(*payload_text, ec);
  if (ec || !payload.is_object())
    return Error::validation(field, "the signature's payload is not the statement as JSON");
  json::object original = s.original;
  auto& p = payload.as_object();
  // The payload may carry the id the LRS assigned; a payload without one
  // still matches a statement without one.
  if (!p.contains("id")) original.erase("id");
  if (comparable(std::move(p)) != comparable(std::move(original)))
    return Error::validation(field, "the signed payload does not match the statement");
  return {};
}

// ---------------------------------------------------------------------------

bool merge_definition(json::object& kept, const json::object& newer) {
  bool changed = false;
  for (const auto& kv : newer) {
    const bool language_map = kv.key() == "name" || kv.key() == "description";
    auto* old = kept.if_contains(kv.key());
    if (language_map && old && old->is_object() && kv.value().is_object()) {
      auto& map = old->as_object();
      for (const auto& entry : kv.value().as_object()) {
        const auto* was = map.if_contains(entry.key());
        if (was && *was == entry.value()) continue;
        map[entry.key()] = entry.value();
        changed = true;
      }
    } else if (!old || *old != kv.value()) {
      kept[kv.key()] = kv.value();
      changed = true;
    }
  }
  return changed;
}

}  // namespace staffroom::lrs
