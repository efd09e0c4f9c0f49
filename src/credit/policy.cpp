#include "credit/policy.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>
#include <map>
#include <set>

#include "activities/model.hpp"
#include "core/calendar.hpp"
#include "core/json.hpp"

namespace staffroom::credit {

// ---------------------------------------------------------------------------
// Names

std::string_view to_string(Source s) {
  switch (s) {
    case Source::CheckIn:
      return "check_in";
    case Source::AttendanceList:
      return "attendance_list";
    case Source::Xapi:
      return "xapi";
  }
  return "check_in";
}

std::optional<Source> parse_source(std::string_view s) {
  for (Source v : kSources)
    if (to_string(v) == s) return v;
  return std::nullopt;
}

std::string_view to_string(Role r) {
  switch (r) {
    case Role::Attendee:
      return "attendee";
    case Role::Presenter:
      return "presenter";
    case Role::Facilitator:
      return "facilitator";
  }
  return "attendee";
}

std::optional<Role> parse_role(std::string_view s) {
  for (Role v : {Role::Attendee, Role::Presenter, Role::Facilitator})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

namespace {
constexpr Rounding kRoundings[] = {
    Rounding::None,           Rounding::NearestQuarterHour, Rounding::DownToQuarterHour, Rounding::NearestHalfHour,
    Rounding::DownToHalfHour, Rounding::NearestHour,        Rounding::DownToHour};
constexpr EvidenceRule kEvidenceRules[] = {EvidenceRule::HostAttendance, EvidenceRule::Survey, EvidenceRule::Reflection,
                                           EvidenceRule::Artifact, EvidenceRule::ColleagueAttestation};
constexpr CapScope kCapScopes[] = {CapScope::All,      CapScope::Format,       CapScope::EachFormat,
                                   CapScope::Provider, CapScope::EachProvider, CapScope::SelfReported};

template <class Range>
std::string listing(const Range& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

template <class Enum, std::size_t N>
std::string enum_listing(const Enum (&values)[N]) {
  std::vector<std::string> names;
  for (Enum v : values) names.emplace_back(to_string(v));
  return listing(names);
}
}  // namespace

std::string_view to_string(Rounding r) {
  switch (r) {
    case Rounding::None:
      return "none";
    case Rounding::NearestQuarterHour:
      return "nearest_quarter_hour";
    case Rounding::DownToQuarterHour:
      return "down_to_quarter_hour";
    case Rounding::NearestHalfHour:
      return "nearest_half_hour";
    case Rounding::DownToHalfHour:
      return "down_to_half_hour";
    case Rounding::NearestHour:
      return "nearest_hour";
    case Rounding::DownToHour:
      return "down_to_hour";
  }
  return "none";
}

std::optional<Rounding> parse_rounding(std::string_view s) {
  for (Rounding v : kRoundings)
    if (to_string(v) == s) return v;
  return std::nullopt;
}

int rounding_step_minutes(Rounding r) {
  switch (r) {
    case Rounding::None:
      return 1;
    case Rounding::NearestQuarterHour:
    case Rounding::DownToQuarterHour:
      return 15;
    case Rounding::NearestHalfHour:
    case Rounding::DownToHalfHour:
      return 30;
    case Rounding::NearestHour:
    case Rounding::DownToHour:
      return 60;
  }
  return 1;
}

std::int64_t round_minutes(std::int64_t minutes, Rounding r) {
  if (minutes <= 0) return 0;
  const std::int64_t step = rounding_step_minutes(r);
  const bool nearest =
      r == Rounding::NearestQuarterHour || r == Rounding::NearestHalfHour || r == Rounding::NearestHour;
  // Twice the remainder against the step decides a tie (7.5 of 15) upward
  // without fractions.
  const std::int64_t rest = minutes % step;
  if (nearest && rest * 2 >= step) return minutes - rest + step;
  return minutes - rest;
}

std::string_view to_string(EvidenceRule k) {
  switch (k) {
    case EvidenceRule::HostAttendance:
      return "host_attendance";
    case EvidenceRule::Survey:
      return "survey";
    case EvidenceRule::Reflection:
      return "reflection";
    case EvidenceRule::Artifact:
      return "artifact";
    case EvidenceRule::ColleagueAttestation:
      return "colleague_attestation";
  }
  return "host_attendance";
}

std::optional<EvidenceRule> parse_evidence_rule(std::string_view s) {
  for (EvidenceRule v : kEvidenceRules)
    if (to_string(v) == s) return v;
  return std::nullopt;
}

std::string_view to_string(CapScope s) {
  switch (s) {
    case CapScope::All:
      return "all";
    case CapScope::Format:
      return "format";
    case CapScope::EachFormat:
      return "each_format";
    case CapScope::Provider:
      return "provider";
    case CapScope::EachProvider:
      return "each_provider";
    case CapScope::SelfReported:
      return "self_reported";
  }
  return "all";
}

std::optional<CapScope> parse_cap_scope(std::string_view s) {
  for (CapScope v : kCapScopes)
    if (to_string(v) == s) return v;
  return std::nullopt;
}

std::string_view to_string(CapPeriod p) {
  return p == CapPeriod::Year ? "year" : "cycle";
}

std::optional<CapPeriod> parse_cap_period(std::string_view s) {
  if (s == "year") return CapPeriod::Year;
  if (s == "cycle") return CapPeriod::Cycle;
  return std::nullopt;
}

const Tier* Policy::tier(std::string_view id) const {
  for (const auto& t : tiers)
    if (t.id == id) return &t;
  return nullptr;
}

std::string hours_text(std::int64_t minutes) {
  if (minutes % 60 == 0) {
    const std::int64_t h = minutes / 60;
    return std::to_string(h) + (h == 1 ? " hour" : " hours");
  }
  // Hundredths of an hour are exact when the minutes are a multiple of 3
  // (0.05 hours); otherwise minutes say it without a rounded figure.
  if (minutes % 3 == 0 && minutes > 0) {
    const std::int64_t hundredths = (minutes % 60) * 100 / 60;
    std::string digits = std::to_string(minutes / 60) + "." + (hundredths < 10 ? "0" : "") + std::to_string(hundredths);
    while (digits.back() == '0') digits.pop_back();
    return digits + " hours";
  }
  return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

// ---------------------------------------------------------------------------
// Reading the import format

namespace {

namespace bj = boost::json;

constexpr std::size_t kMaxListEntries = 1000;

std::string join(const std::string& prefix, std::string_view name) {
  return prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
}
std::string at(const std::string& path, std::size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// Collects every shape problem with the field path it was found at.
class Reader {
 public:
  std::vector<FieldError> errors;

  void error(std::string path, std::string message) { errors.push_back({std::move(path), std::move(message)}); }

  // The object at `path`, or null (with an error) when it is something else.
  // Fields not in `known` are refused: in a hand-edited file an unknown
  // field is nearly always a misspelt known one that would be ignored.
  const bj::object* object(const bj::value& v, const std::string& path, std::initializer_list<std::string_view> known) {
    if (!v.is_object()) {
      error(path.empty() ? "policy" : path, "must be a JSON object");
      return nullptr;
    }
    for (const auto& kv : v.as_object()) {
      if (std::find(known.begin(), known.end(), kv.key()) == known.end()) {
        error(join(path, kv.key()), "is not a field here; check the spelling (fields: " + listing(known) + ")");
      }
    }
    return &v.as_object();
  }

  static const bj::value* field(const bj::object& o, std::string_view name) {
    auto it = o.find(name);
    if (it == o.end() || it->value().is_null()) return nullptr;
    return &it->value();
  }

  const bj::value* required(const bj::object& o, const std::string& prefix, std::string_view name) {
    const auto* v = field(o, name);
    if (!v) error(join(prefix, name), "is required");
    return v;
  }

  std::optional<std::string> string(const bj::value& v, const std::string& path, std::size_t max_chars = 200) {
    if (!v.is_string()) {
      error(path, "must be a string");
      return std::nullopt;
    }
    std::string s = json::trim(v.as_string());
    if (s.find('\0') != std::string::npos) {
      error(path, "must not contain NUL characters");
      return std::nullopt;
    }
    if (json::utf8_length(s) > max_chars) {
      error(path, "must be at most " + std::to_string(max_chars) + " characters");
      return std::nullopt;
    }
    return s;
  }

  std::optional<std::int64_t> integer(const bj::value& v, const std::string& path) {
    if (v.is_int64()) return v.as_int64();
    if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return static_cast<std::int64_t>(v.as_uint64());
    error(path, "must be a whole number");
    return std::nullopt;
  }

  std::optional<int> small_int(const bj::value& v, const std::string& path) {
    auto n = integer(v, path);
    if (!n) return std::nullopt;
    if (*n < -1000000 || *n > 1000000) {
      error(path, "must be between -1,000,000 and 1,000,000");
      return std::nullopt;
    }
    return static_cast<int>(*n);
  }

  std::optional<bool> boolean(const bj::value& v, const std::string& path) {
    if (v.is_bool()) return v.as_bool();
    error(path, "must be true or false");
    return std::nullopt;
  }

  // A number scaled to an integer unit: hours to minutes (60), multipliers
  // to percent (100). The JSON may hold 1.5 or 1.25 but not an amount finer
  // than the unit, so the policy's arithmetic stays exact.
  std::optional<std::int64_t> scaled(const bj::value& v, const std::string& path, int scale, std::string_view unit) {
    double x = 0;
    if (v.is_int64()) {
      x = static_cast<double>(v.as_int64());
    } else if (v.is_uint64()) {
      x = static_cast<double>(v.as_uint64());
    } else if (v.is_double()) {
      x = v.as_double();
    } else {
      error(path, "must be a number");
      return std::nullopt;
    }
    if (!std::isfinite(x) || std::fabs(x) > 1e7) {
      error(path, "must be between -10,000,000 and 10,000,000");
      return std::nullopt;
    }
    const double units = x * scale;
    const double whole = std::round(units);
    if (std::fabs(units - whole) > 1e-6) {
      error(path, "must be a whole number of " + std::string(unit));
      return std::nullopt;
    }
    return static_cast<std::int64_t>(whole);
  }

  std::optional<int> date(const bj::value& v, const std::string& path) {
    auto s = string(v, path, 10);
    if (!s) return std::nullopt;
    auto day = parse_date(*s);
    if (!day) error(path, "must be a date written YYYY-MM-DD, like 2012-07-01");
    return day;
  }

  const bj::array* array(const bj::value& v, const std::string& path) {
    if (!v.is_array()) {
      error(path, "must be a list");
      return nullptr;
    }
    if (v.as_array().size() > kMaxListEntries) {
      error(path, "must have at most " + std::to_string(kMaxListEntries) + " entries");
      return nullptr;
    }
    return &v.as_array();
  }

  // "all", or a list whose entries `read` turns into values.
  template <class T, class Read>
  void selection(const bj::object& o, const std::string& prefix, std::string_view name, Selection<T>& out,
                 std::string_view what, Read read) {
    const auto* v = field(o, name);
    if (!v) return;  // absent: all
    const std::string path = join(prefix, name);
    if (v->is_string() && v->as_string() == "all") {
      out = {};
      return;
    }
    if (!v->is_array()) {
      error(path, "must be \"all\" or a list of " + std::string(what));
      return;
    }
    const auto* list = array(*v, path);
    if (!list) return;
    out.all = false;
    out.only.clear();
    for (std::size_t i = 0; i < list->size(); ++i) {
      if (auto x = read((*list)[i], at(path, i))) out.only.push_back(std::move(*x));
    }
  }
};

void read_self_reported(Reader& r, const bj::value& v, SelfReportedRule& out) {
  const std::string p = "counts.self_reported";
  const auto* o = r.object(v, p, {"counts", "formats", "requires_attestation", "min_reflection_words"});
  if (!o) return;
  if (const auto* c = r.required(*o, p, "counts")) {
    if (auto b = r.boolean(*c, join(p, "counts"))) out.counts = *b;
  }
  r.selection(*o, p, "formats", out.formats, "activity formats",
              [&](const bj::value& x, const std::string& path) { return r.string(x, path, 60); });
  if (const auto* a = Reader::field(*o, "requires_attestation")) {
    if (auto b = r.boolean(*a, join(p, "requires_attestation"))) out.requires_attestation = *b;
  }
  if (const auto* w = Reader::field(*o, "min_reflection_words")) {
    if (auto n = r.small_int(*w, join(p, "min_reflection_words"))) out.min_reflection_words = *n;
  }
}

void read_counts(Reader& r, const bj::value& v, Eligibility& out) {
  const std::string p = "counts";
  const auto* o = r.object(v, p, {"formats", "providers", "themes", "self_reported"});
  if (!o) return;
  r.selection(*o, p, "formats", out.formats, "activity formats",
              [&](const bj::value& x, const std::string& path) { return r.string(x, path, 60); });
  r.selection(*o, p, "providers", out.providers, "organization ids",
              [&](const bj::value& x, const std::string& path) { return r.integer(x, path); });
  r.selection(*o, p, "themes", out.themes, "theme titles",
              [&](const bj::value& x, const std::string& path) { return r.string(x, path, 200); });
  if (const auto* s = Reader::field(*o, "self_reported")) read_self_reported(r, *s, out.self_reported);
}

void read_conversion(Reader& r, const bj::value& v, Conversion& out) {
  const std::string p = "conversion";
  const auto* o = r.object(
      v, p,
      {"rounding", "hours_per_ceu", "hours_per_semester_credit", "presenter_multiplier", "facilitator_multiplier"});
  if (!o) return;
  if (const auto* x = Reader::field(*o, "rounding")) {
    if (auto s = r.string(*x, join(p, "rounding"), 60)) {
      if (auto rounding = parse_rounding(*s)) {
        out.rounding = *rounding;
      } else {
        r.error(join(p, "rounding"), "\"" + *s + "\" is not a rounding rule; use one of " + enum_listing(kRoundings));
      }
    }
  }
  if (const auto* x = Reader::field(*o, "hours_per_ceu")) {
    if (auto m = r.scaled(*x, join(p, "hours_per_ceu"), 60, "minutes")) out.minutes_per_ceu = *m;
  }
  if (const auto* x = Reader::field(*o, "hours_per_semester_credit")) {
    if (auto m = r.scaled(*x, join(p, "hours_per_semester_credit"), 60, "minutes"))
      out.minutes_per_semester_credit = *m;
  }
  if (const auto* x = Reader::field(*o, "presenter_multiplier")) {
    if (auto m = r.scaled(*x, join(p, "presenter_multiplier"), 100, "hundredths")) {
      out.presenter_percent = static_cast<int>(*m);
    }
  }
  if (const auto* x = Reader::field(*o, "facilitator_multiplier")) {
    if (auto m = r.scaled(*x, join(p, "facilitator_multiplier"), 100, "hundredths")) {
      out.facilitator_percent = static_cast<int>(*m);
    }
  }
}

void read_option(Reader& r, const bj::value& v, const std::string& p, EvidenceOption& out) {
  const auto* o = r.object(v, p, {"kind", "sources", "min_words"});
  if (!o) return;
  if (const auto* k = r.required(*o, p, "kind")) {
    if (auto s = r.string(*k, join(p, "kind"), 60)) {
      if (auto kind = parse_evidence_rule(*s)) {
        out.kind = *kind;
      } else {
        r.error(join(p, "kind"),
                "\"" + *s + "\" is not a kind of evidence; use one of " + enum_listing(kEvidenceRules));
        return;
      }
    }
  }
  if (const auto* s = Reader::field(*o, "sources")) {
    const std::string path = join(p, "sources");
    if (out.kind != EvidenceRule::HostAttendance) {
      r.error(path, "only host_attendance evidence names sources");
    } else if (const auto* list = r.array(*s, path)) {
      out.sources.clear();
      for (std::size_t i = 0; i < list->size(); ++i) {
        auto name = r.string((*list)[i], at(path, i), 60);
        if (!name) continue;
        if (auto src = parse_source(*name)) {
          out.sources.push_back(*src);
        } else {
          r.error(at(path, i), "\"" + *name + "\" is not an attendance source; use " + enum_listing(kSources));
        }
      }
    }
  }
  const auto* w = Reader::field(*o, "min_words");
  if (out.kind == EvidenceRule::Reflection) {
    if (!w) {
      r.error(join(p, "min_words"), "is required for a reflection (how many words it must have, like 300)");
    } else if (auto n = r.small_int(*w, join(p, "min_words"))) {
      out.min_words = *n;
    }
  } else if (w) {
    r.error(join(p, "min_words"), "only reflection evidence has a word count");
  }
}

void read_tier(Reader& r, const bj::value& v, const std::string& p, Tier& out) {
  const auto* o =
      r.object(v, p, {"id", "name", "level", "deadline_days", "min_hours", "requirements", "approver_review"});
  if (!o) return;
  if (const auto* x = r.required(*o, p, "id")) out.id = r.string(*x, join(p, "id"), 40).value_or("");
  if (const auto* x = r.required(*o, p, "name")) out.name = r.string(*x, join(p, "name"), 100).value_or("");
  if (const auto* x = r.required(*o, p, "level")) out.level = r.small_int(*x, join(p, "level")).value_or(1);
  if (const auto* x = r.required(*o, p, "deadline_days")) {
    out.deadline_days = r.small_int(*x, join(p, "deadline_days")).value_or(1);
  }
  if (const auto* x = Reader::field(*o, "min_hours")) {
    out.min_minutes = r.scaled(*x, join(p, "min_hours"), 60, "minutes").value_or(0);
  }
  if (const auto* x = Reader::field(*o, "approver_review")) {
    out.approver_review = r.boolean(*x, join(p, "approver_review")).value_or(false);
  }
  const auto* reqs = r.required(*o, p, "requirements");
  if (!reqs) return;
  const std::string rp = join(p, "requirements");
  const auto* list = r.array(*reqs, rp);
  if (!list) return;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string qp = at(rp, i);
    const auto* q = r.object((*list)[i], qp, {"any_of"});
    if (!q) continue;
    Requirement req;
    if (const auto* any = r.required(*q, qp, "any_of")) {
      if (const auto* options = r.array(*any, join(qp, "any_of"))) {
        for (std::size_t k = 0; k < options->size(); ++k) {
          EvidenceOption option;
          read_option(r, (*options)[k], at(join(qp, "any_of"), k), option);
          req.any_of.push_back(std::move(option));
        }
      }
    }
    out.requirements.push_back(std::move(req));
  }
}

void read_cap(Reader& r, const bj::value& v, const std::string& p, Cap& out) {
  const auto* o = r.object(v, p, {"applies_to", "format", "provider", "period", "max_hours"});
  if (!o) return;
  if (const auto* x = r.required(*o, p, "applies_to")) {
    if (auto s = r.string(*x, join(p, "applies_to"), 60)) {
      if (auto scope = parse_cap_scope(*s)) {
        out.applies_to = *scope;
      } else {
        r.error(join(p, "applies_to"),
                "\"" + *s + "\" is not something a cap applies to; use one of " + enum_listing(kCapScopes));
      }
    }
  }
  if (const auto* x = Reader::field(*o, "format")) out.format = r.string(*x, join(p, "format"), 60).value_or("");
  if (const auto* x = Reader::field(*o, "provider")) out.provider = r.integer(*x, join(p, "provider")).value_or(0);
  if (const auto* x = r.required(*o, p, "period")) {
    if (auto s = r.string(*x, join(p, "period"), 60)) {
      if (auto period = parse_cap_period(*s)) {
        out.period = *period;
      } else {
        r.error(join(p, "period"), "\"" + *s + "\" is not a period; use year or cycle");
      }
    }
  }
  if (const auto* x = r.required(*o, p, "max_hours")) {
    out.max_minutes = r.scaled(*x, join(p, "max_hours"), 60, "minutes").value_or(0);
  }
}

void read_renewal(Reader& r, const bj::value& v, Renewal& out) {
  const std::string p = "renewal";
  const auto* o = r.object(v, p, {"required_hours", "cycle_years", "starts_on"});
  if (!o) return;
  if (const auto* x = r.required(*o, p, "required_hours")) {
    out.required_minutes = r.scaled(*x, join(p, "required_hours"), 60, "minutes").value_or(0);
  }
  if (const auto* x = r.required(*o, p, "cycle_years")) {
    out.cycle_years = r.small_int(*x, join(p, "cycle_years")).value_or(1);
  }
  if (const auto* x = r.required(*o, p, "starts_on")) out.starts_on = r.date(*x, join(p, "starts_on")).value_or(0);
}

}  // namespace

Result<Policy> parse_policy(const boost::json::value& json) {
  Reader r;
  const auto* o = r.object(
      json, "",
      {"format", "name", "version", "effective_on", "time_zone", "counts", "conversion", "tiers", "caps", "renewal"});
  if (!o) return Error::validation(r.errors);
  // The format comes first: fields of another format may mean other things,
  // so nothing else is read under a wrong one.
  const auto* format = Reader::field(*o, "format");
  if (!format) {
    return Error::validation(
        "format", "is required: a credit policy file begins with \"format\": \"" + std::string(kPolicyFormat) + "\"");
  }
  if (!format->is_string() || format->as_string() != kPolicyFormat) {
    return Error::validation("format", "this server reads credit policies in the format \"" +
                                           std::string(kPolicyFormat) + "\"; this file says " +
                                           json::serialize(*format));
  }

  Policy p;
  if (const auto* x = r.required(*o, "", "name")) p.name = r.string(*x, "name", 200).value_or("");
  if (const auto* x = Reader::field(*o, "version")) p.version = r.small_int(*x, "version").value_or(1);
  if (const auto* x = r.required(*o, "", "effective_on")) p.effective_on = r.date(*x, "effective_on").value_or(0);
  if (const auto* x = r.required(*o, "", "time_zone")) p.time_zone = r.string(*x, "time_zone", 64).value_or("");
  if (const auto* x = Reader::field(*o, "counts")) read_counts(r, *x, p.counts);
  if (const auto* x = Reader::field(*o, "conversion")) read_conversion(r, *x, p.conversion);
  if (const auto* x = r.required(*o, "", "tiers")) {
    if (const auto* list = r.array(*x, "tiers")) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        Tier t;
        read_tier(r, (*list)[i], at("tiers", i), t);
        p.tiers.push_back(std::move(t));
      }
    }
  }
  if (const auto* x = Reader::field(*o, "caps")) {
    if (const auto* list = r.array(*x, "caps")) {
      for (std::size_t i = 0; i < list->size(); ++i) {
        Cap c;
        read_cap(r, (*list)[i], at("caps", i), c);
        p.caps.push_back(std::move(c));
      }
    }
  }
  if (const auto* x = r.required(*o, "", "renewal")) read_renewal(r, *x, p.renewal);

  if (!r.errors.empty()) return Error::validation(std::move(r.errors));
  SR_TRY(validate(p));
  return p;
}

// ---------------------------------------------------------------------------
// Writing the export format

namespace {

bj::value hours_value(std::int64_t minutes) {
  if (minutes % 60 == 0) return bj::value(minutes / 60);
  return bj::value(static_cast<double>(minutes) / 60.0);
}

bj::value multiplier_value(int percent) {
  if (percent % 100 == 0) return bj::value(percent / 100);
  return bj::value(static_cast<double>(percent) / 100.0);
}

template <class T>
bj::value selection_value(const Selection<T>& s) {
  if (s.all) return bj::value("all");
  bj::array a;
  for (const auto& x : s.only) a.emplace_back(x);
  return a;
}

}  // namespace

boost::json::value to_json(const Policy& p) {
  bj::object self;
  self["counts"] = p.counts.self_reported.counts;
  self["formats"] = selection_value(p.counts.self_reported.formats);
  self["requires_attestation"] = p.counts.self_reported.requires_attestation;
  self["min_reflection_words"] = p.counts.self_reported.min_reflection_words;

  bj::object counts;
  counts["formats"] = selection_value(p.counts.formats);
  counts["providers"] = selection_value(p.counts.providers);
  counts["themes"] = selection_value(p.counts.themes);
  counts["self_reported"] = std::move(self);

  bj::object conversion;
  conversion["rounding"] = to_string(p.conversion.rounding);
  conversion["hours_per_ceu"] = hours_value(p.conversion.minutes_per_ceu);
  conversion["hours_per_semester_credit"] = hours_value(p.conversion.minutes_per_semester_credit);
  conversion["presenter_multiplier"] = multiplier_value(p.conversion.presenter_percent);
  conversion["facilitator_multiplier"] = multiplier_value(p.conversion.facilitator_percent);

  bj::array tiers;
  for (const auto& t : p.tiers) {
    bj::array requirements;
    for (const auto& req : t.requirements) {
      bj::array any_of;
      for (const auto& option : req.any_of) {
        bj::object o;
        o["kind"] = to_string(option.kind);
        if (option.kind == EvidenceRule::HostAttendance) {
          bj::array sources;
          for (Source s : option.sources) sources.emplace_back(to_string(s));
          o["sources"] = std::move(sources);
        }
        if (option.kind == EvidenceRule::Reflection) o["min_words"] = option.min_words;
        any_of.emplace_back(std::move(o));
      }
      requirements.emplace_back(bj::object{{"any_of", std::move(any_of)}});
    }
    bj::object o;
    o["id"] = t.id;
    o["name"] = t.name;
    o["level"] = t.level;
    o["deadline_days"] = t.deadline_days;
    o["min_hours"] = hours_value(t.min_minutes);
    o["requirements"] = std::move(requirements);
    o["approver_review"] = t.approver_review;
    tiers.emplace_back(std::move(o));
  }

  bj::array caps;
  for (const auto& c : p.caps) {
    bj::object o;
    o["applies_to"] = to_string(c.applies_to);
    if (c.applies_to == CapScope::Format) o["format"] = c.format;
    if (c.applies_to == CapScope::Provider) o["provider"] = c.provider;
    o["period"] = to_string(c.period);
    o["max_hours"] = hours_value(c.max_minutes);
    caps.emplace_back(std::move(o));
  }

  bj::object renewal;
  renewal["required_hours"] = hours_value(p.renewal.required_minutes);
  renewal["cycle_years"] = p.renewal.cycle_years;
  renewal["starts_on"] = format_date(p.renewal.starts_on);

  bj::object out;
  out["format"] = kPolicyFormat;
  out["name"] = p.name;
  out["version"] = p.version;
  out["effective_on"] = format_date(p.effective_on);
  out["time_zone"] = p.time_zone;
  out["counts"] = std::move(counts);
  out["conversion"] = std::move(conversion);
  out["tiers"] = std::move(tiers);
  out["caps"] = std::move(caps);
  out["renewal"] = std::move(renewal);
  return out;
}

// ---------------------------------------------------------------------------
// Contradictions

namespace {

constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max() / 4;
constexpr int kMaxDeadlineDays = 3660;  // ten years
constexpr int kMaxWords = 10000;
constexpr int kMaxTierLevel = 20;
constexpr int kMaxCycleYears = 10;
constexpr int kMaxPercent = 1000;

std::int64_t add_bounded(std::int64_t a, std::int64_t b) {
  return std::min(kUnbounded, a + b);
}

bool is_tier_id(std::string_view id) {
  if (id.empty() || id.size() > 40) return false;
  return std::all_of(id.begin(), id.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; });
}

// The activity formats of activities/model.hpp; read from its table so the
// credit model needs none of the activities code linked in.
bool is_activity_format(std::string_view f) {
  return std::find(std::begin(activities::kFormats), std::end(activities::kFormats), f) !=
         std::end(activities::kFormats);
}

std::string formats_listing() {
  return listing(activities::kFormats);
}

class Checker {
 public:
  explicit Checker(const Policy& p) : p_(p) {}

  std::vector<FieldError> run() {
    check_header();
    check_formats("counts.formats", p_.counts.formats);
    check_providers();
    check_themes();
    check_self_reported();
    check_conversion();
    check_tiers();
    check_caps();
    check_renewal();
    // Reachability compares amounts, so it only speaks once each amount is
    // itself sensible; otherwise it would repeat the same mistake in other words.
    if (errors_.empty()) {
      check_renewal_reachable();
      check_tier_minimums_reachable();
    }
    return std::move(errors_);
  }

 private:
  void error(std::string field, std::string message) { errors_.push_back({std::move(field), std::move(message)}); }

  void check_header() {
    if (p_.name.empty())
      error("name", "give the policy a name educators will recognize, like \"Springfield PD credit\"");
    if (p_.version < 1) error("version", "must be 1 or more");
    if (!is_time_zone(p_.time_zone)) {
      error("time_zone", "\"" + p_.time_zone +
                             "\" is not an IANA time zone; use the district's, like America/Chicago (deadlines and "
                             "years are counted in its local days)");
    }
  }

  void check_formats(const std::string& path, const Selection<std::string>& formats) {
    if (formats.all) return;
    if (formats.only.empty()) {
      error(path, "an empty list makes no learning count; write \"all\" or name at least one format");
    }
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < formats.only.size(); ++i) {
      const auto& f = formats.only[i];
      if (!is_activity_format(f)) {
        error(at(path, i), "\"" + f + "\" is not an activity format; use one of " + formats_listing());
      } else if (auto [it, fresh] = seen.emplace(f, i); !fresh) {
        error(at(path, i), "\"" + f + "\" is already listed at " + at(path, it->second) + "; list it once");
      }
    }
  }

  void check_providers() {
    const auto& providers = p_.counts.providers;
    if (providers.all) return;
    if (providers.only.empty()) {
      error("counts.providers",
            "an empty list makes no hosted learning count; write \"all\" or name approved providers");
    }
    std::map<std::int64_t, std::size_t> seen;
    for (std::size_t i = 0; i < providers.only.size(); ++i) {
      const auto id = providers.only[i];
      if (id <= 0) {
        error(at("counts.providers", i), "must be an organization id (a whole number above 0)");
      } else if (auto [it, fresh] = seen.emplace(id, i); !fresh) {
        error(at("counts.providers", i), "organization " + std::to_string(id) + " is already listed at " +
                                             at("counts.providers", it->second) + "; list it once");
      }
    }
  }

  void check_themes() {
    const auto& themes = p_.counts.themes;
    if (themes.all) return;
    if (themes.only.empty()) {
      error("counts.themes", "an empty list makes no hosted learning count; write \"all\" or name at least one theme");
    }
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < themes.only.size(); ++i) {
      const auto& t = themes.only[i];
      if (t.empty()) {
        error(at("counts.themes", i), "must not be empty; write the theme's title as the campaign shows it");
      } else if (auto [it, fresh] = seen.emplace(json::lower_ascii(t), i); !fresh) {
        error(at("counts.themes", i), "\"" + t + "\" is already listed at " + at("counts.themes", it->second));
      }
    }
  }

  void check_self_reported() {
    const auto& s = p_.counts.self_reported;
    if (!s.counts) return;
    check_formats("counts.self_reported.formats", s.formats);
    if (s.min_reflection_words < 0 || s.min_reflection_words > kMaxWords) {
      error("counts.self_reported.min_reflection_words", "must be between 0 and 10,000 words");
    }
  }

  void check_conversion() {
    const auto& c = p_.conversion;
    if (c.minutes_per_ceu <= 0) {
      error("conversion.hours_per_ceu", "must be more than 0: how many clock hours make one CEU, like 10");
    }
    if (c.minutes_per_semester_credit <= 0) {
      error("conversion.hours_per_semester_credit",
            "must be more than 0: how many contact hours make one semester credit, like 15");
    }
    if (c.presenter_percent <= 0 || c.presenter_percent > kMaxPercent) {
      error("conversion.presenter_multiplier",
            "must be more than 0 and at most 10: how many hours an hour of presenting counts as, like 2");
    }
    if (c.facilitator_percent <= 0 || c.facilitator_percent > kMaxPercent) {
      error("conversion.facilitator_multiplier",
            "must be more than 0 and at most 10: how many hours an hour of facilitating counts as, like 2");
    }
  }

  void check_option(const std::string& path, const EvidenceOption& o) {
    if (o.kind == EvidenceRule::HostAttendance) {
      if (o.sources.empty()) {
        error(path + ".sources", "list at least one of check_in, attendance_list, xapi");
      }
      std::set<Source> seen;
      for (std::size_t i = 0; i < o.sources.size(); ++i) {
        if (!seen.insert(o.sources[i]).second) {
          error(at(path + ".sources", i), std::string(to_string(o.sources[i])) + " is listed twice");
        }
      }
    }
    if (o.kind == EvidenceRule::Reflection && (o.min_words < 1 || o.min_words > kMaxWords)) {
      error(path + ".min_words", "must be between 1 and 10,000 words");
    }
  }

  void check_tier(std::size_t i) {
    const Tier& t = p_.tiers[i];
    const std::string path = at("tiers", i);
    if (!is_tier_id(t.id)) {
      error(path + ".id", "must be 1 to 40 lower-case letters, digits, hyphens or underscores, like knowledge");
    }
    if (t.name.empty()) error(path + ".name", "give the tier a name educators will see, like Knowledge");
    if (t.level < 1 || t.level > kMaxTierLevel) error(path + ".level", "must be between 1 and 20");
    if (t.deadline_days < 1 || t.deadline_days > kMaxDeadlineDays) {
      error(path + ".deadline_days", "must be between 1 and 3,660 days (ten years)");
    }
    if (t.min_minutes < 0) error(path + ".min_hours", "must be 0 or more");
    if (t.requirements.empty()) {
      error(path + ".requirements",
            "name the evidence this tier needs, like {\"any_of\": [{\"kind\": \"host_attendance\"}]}; without any, "
            "every claim would pass");
    }
    for (std::size_t r = 0; r < t.requirements.size(); ++r) {
      const std::string rp = at(path + ".requirements", r);
      const auto& req = t.requirements[r];
      if (req.any_of.empty()) error(rp + ".any_of", "list at least one kind of evidence that meets this requirement");
      for (std::size_t k = 0; k < req.any_of.size(); ++k) {
        check_option(at(rp + ".any_of", k), req.any_of[k]);
        for (std::size_t m = 0; m < k; ++m) {
          if (req.any_of[m] == req.any_of[k]) {
            error(at(rp + ".any_of", k), "repeats " + at("any_of", m) + "; list each kind of evidence once");
            break;
          }
        }
      }
      for (std::size_t m = 0; m < r; ++m) {
        if (t.requirements[m] == req) {
          error(rp, "repeats " + at("requirements", m) + "; list each requirement once");
          break;
        }
      }
    }
  }

  static std::vector<Requirement> sorted_requirements(const Tier& t) {
    auto reqs = t.requirements;
    const auto key = [](const Requirement& r) {
      std::vector<std::string> k;
      for (const auto& o : r.any_of) {
        std::string s(to_string(o.kind));
        for (Source src : o.sources) s += std::string(",") + std::string(to_string(src));
        k.push_back(s + "/" + std::to_string(o.min_words));
      }
      std::sort(k.begin(), k.end());
      return k;
    };
    std::sort(reqs.begin(), reqs.end(), [&](const Requirement& a, const Requirement& b) { return key(a) < key(b); });
    return reqs;
  }

  void check_tiers() {
    if (p_.tiers.empty()) {
      error("tiers", "add at least one tier, like knowledge: attendance verified by the host within 30 days");
      return;
    }
    for (std::size_t i = 0; i < p_.tiers.size(); ++i) check_tier(i);
    for (std::size_t i = 0; i < p_.tiers.size(); ++i) {
      const Tier& t = p_.tiers[i];
      for (std::size_t m = 0; m < i; ++m) {
        const Tier& earlier = p_.tiers[m];
        if (!t.id.empty() && t.id == earlier.id) {
          error(at("tiers", i) + ".id",
                "\"" + t.id + "\" is already the id of " + at("tiers", m) + "; each tier needs its own id");
        }
        if (t.level == earlier.level) {
          error(at("tiers", i) + ".level", at("tiers", m) + " (" + earlier.id + ") is already level " +
                                               std::to_string(t.level) +
                                               "; two tiers at one level overlap, so give each its own level");
        } else if (sorted_requirements(t) == sorted_requirements(earlier) && t.min_minutes == earlier.min_minutes &&
                   t.approver_review == earlier.approver_review) {
          error(at("tiers", i), "asks for the same evidence as " + at("tiers", m) + " (" + earlier.id +
                                    "), so a claim that meets one meets the other; make the higher tier ask for more, "
                                    "or remove one");
        }
      }
    }
    // Higher tiers ask for evidence that takes longer to gather (use in class,
    // effect on students); a shorter deadline than a lower tier's is a typo
    // that would close the tier before the evidence could exist.
    for (std::size_t i = 0; i < p_.tiers.size(); ++i) {
      const Tier& t = p_.tiers[i];
      for (std::size_t m = 0; m < p_.tiers.size(); ++m) {
        const Tier& lower = p_.tiers[m];
        if (lower.level < t.level && lower.deadline_days > t.deadline_days) {
          error(at("tiers", i) + ".deadline_days",
                std::to_string(t.deadline_days) + " days is shorter than the " + std::to_string(lower.deadline_days) +
                    " days of " + lower.id + " (level " + std::to_string(lower.level) +
                    "); a higher tier needs at least as long to gather its evidence");
          break;
        }
      }
    }
  }

  bool format_counts(const std::string& f) const {
    const auto in = [&](const Selection<std::string>& s) {
      return s.all || std::find(s.only.begin(), s.only.end(), f) != s.only.end();
    };
    return in(p_.counts.formats) || (p_.counts.self_reported.counts && in(p_.counts.self_reported.formats));
  }

  void check_caps() {
    for (std::size_t j = 0; j < p_.caps.size(); ++j) {
      const Cap& c = p_.caps[j];
      const std::string path = at("caps", j);
      if (c.max_minutes <= 0) {
        error(path + ".max_hours",
              "must be more than 0; to stop counting some learning, take it out of counts instead of capping it at 0");
      }
      if (c.applies_to == CapScope::Format) {
        if (!is_activity_format(c.format)) {
          error(path + ".format", "\"" + c.format + "\" is not an activity format; use one of " + formats_listing());
        } else if (!format_counts(c.format)) {
          error(path + ".format", c.format + " learning does not count under counts, so this cap would never apply");
        }
      } else if (!c.format.empty()) {
        error(path + ".format", "only a cap that applies_to \"format\" names a format");
      }
      if (c.applies_to == CapScope::Provider) {
        const auto& providers = p_.counts.providers;
        if (c.provider <= 0) {
          error(path + ".provider", "must be an organization id (a whole number above 0)");
        } else if (!providers.all &&
                   std::find(providers.only.begin(), providers.only.end(), c.provider) == providers.only.end()) {
          error(path + ".provider", "organization " + std::to_string(c.provider) +
                                        " is not in counts.providers, so this cap would never apply");
        }
      } else if (c.provider != 0) {
        error(path + ".provider", "only a cap that applies_to \"provider\" names a provider");
      }
      if (c.applies_to == CapScope::SelfReported && !p_.counts.self_reported.counts) {
        error(path + ".applies_to",
              "self-reported learning does not count (counts.self_reported.counts is false), "
              "so this cap would never apply");
      }
      for (std::size_t m = 0; m < j; ++m) {
        const Cap& e = p_.caps[m];
        if (e.applies_to == c.applies_to && e.format == c.format && e.provider == c.provider && e.period == c.period) {
          error(path, "caps the same learning in the same period as " + at("caps", m) + "; keep one");
          break;
        }
      }
    }
  }

  void check_renewal() {
    const auto& r = p_.renewal;
    if (r.required_minutes <= 0) {
      error("renewal.required_hours", "must be more than 0: the hours an educator needs in each cycle, like 100");
    }
    if (r.cycle_years < 1 || r.cycle_years > kMaxCycleYears) {
      error("renewal.cycle_years", "must be between 1 and 10 years");
    }
  }

  // The most any educator could earn, within one cycle (`cycle`) or within
  // one claim (which falls in one year and one cycle), under the caps: the
  // least of what the `all` caps, the format caps summed over the formats
  // that count, and the provider caps summed over the approved providers
  // allow. `binding` names the cap or group of caps that sets the bound.
  struct Bound {
    std::int64_t minutes = kUnbounded;
    std::string binding;  // a field path
    std::string why;      // "caps[0] allows 20 hours a year"
  };

  std::int64_t in_scope(const Cap& c, bool cycle) const {
    if (!cycle || c.period == CapPeriod::Cycle) return c.max_minutes;
    return c.max_minutes * p_.renewal.cycle_years;
  }

  std::string period_text(const Cap& c) const { return c.period == CapPeriod::Year ? "a year" : "a cycle"; }

  Bound reachable(bool cycle) const {
    Bound best;
    for (std::size_t j = 0; j < p_.caps.size(); ++j) {
      const Cap& c = p_.caps[j];
      if (c.applies_to != CapScope::All) continue;
      const std::int64_t m = in_scope(c, cycle);
      if (m < best.minutes) {
        best = {m, at("caps", j) + ".max_hours",
                at("caps", j) + " allows " + hours_text(c.max_minutes) + " " + period_text(c) + " of all learning"};
      }
    }
    // Formats: every format that counts, each limited by its own caps.
    std::set<std::string> formats;
    const auto add_formats = [&](const Selection<std::string>& s) {
      if (s.all) {
        for (auto f : activities::kFormats) formats.emplace(f);
      } else {
        formats.insert(s.only.begin(), s.only.end());
      }
    };
    add_formats(p_.counts.formats);
    if (p_.counts.self_reported.counts) add_formats(p_.counts.self_reported.formats);
    std::int64_t by_format = 0;
    for (const auto& f : formats) {
      std::int64_t m = kUnbounded;
      for (const Cap& c : p_.caps) {
        if ((c.applies_to == CapScope::Format && c.format == f) || c.applies_to == CapScope::EachFormat) {
          m = std::min(m, in_scope(c, cycle));
        }
      }
      by_format = add_bounded(by_format, m);
    }
    if (by_format < best.minutes) {
      best = {by_format, "caps", "the format caps allow " + hours_text(by_format) + " across every format that counts"};
    }
    // Providers: only a named list of providers is bounded; self-reported
    // learning has no provider and adds its own allowance.
    if (!p_.counts.providers.all) {
      std::int64_t by_provider = 0;
      for (std::int64_t id : p_.counts.providers.only) {
        std::int64_t m = kUnbounded;
        for (const Cap& c : p_.caps) {
          if ((c.applies_to == CapScope::Provider && c.provider == id) || c.applies_to == CapScope::EachProvider) {
            m = std::min(m, in_scope(c, cycle));
          }
        }
        by_provider = add_bounded(by_provider, m);
      }
      if (p_.counts.self_reported.counts) {
        std::int64_t m = kUnbounded;
        for (const Cap& c : p_.caps) {
          if (c.applies_to == CapScope::SelfReported) m = std::min(m, in_scope(c, cycle));
        }
        by_provider = add_bounded(by_provider, m);
      }
      if (by_provider < best.minutes) {
        best = {by_provider, "caps",
                "the provider caps allow " + hours_text(by_provider) + " from the approved providers" +
                    (p_.counts.self_reported.counts ? " and self-reported learning together" : "")};
      }
    }
    return best;
  }

  void check_renewal_reachable() {
    const Bound b = reachable(true);
    const auto& r = p_.renewal;
    if (b.minutes >= r.required_minutes) return;
    error(b.binding, b.why + ", so at most " + hours_text(b.minutes) + " in a " + std::to_string(r.cycle_years) +
                         "-year cycle, less than the " + hours_text(r.required_minutes) +
                         " renewal.required_hours asks for; no educator could renew. Raise the cap or lower the "
                         "requirement");
  }

  void check_tier_minimums_reachable() {
    const Bound b = reachable(false);
    for (std::size_t i = 0; i < p_.tiers.size(); ++i) {
      const Tier& t = p_.tiers[i];
      if (t.min_minutes <= b.minutes) continue;
      error(at("tiers", i) + ".min_hours", hours_text(t.min_minutes) + " can never be reached: " + b.why +
                                               ", so one claim (its learning falls in one "
                                               "year) earns at most " +
                                               hours_text(b.minutes) + ". Lower min_hours or raise the cap");
    }
  }

  const Policy& p_;
  std::vector<FieldError> errors_;
};

}  // namespace

std::vector<FieldError> check_policy(const Policy& policy) {
  return Checker(policy).run();
}

Status validate(const Policy& policy) {
  auto errors = check_policy(policy);
  if (errors.empty()) return {};
  return Error::validation(std::move(errors));
}

}  // namespace staffroom::credit
