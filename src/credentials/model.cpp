#include "credentials/model.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "accounts/model.hpp"
#include "core/csv.hpp"
#include "core/json.hpp"

namespace staffroom::credentials {

namespace json = boost::json;

std::string_view to_string(OwnerType t) {
  switch (t) {
    case OwnerType::Campaign:
      return "campaign";
    case OwnerType::Organization:
      return "organization";
    case OwnerType::District:
      return "district";
  }
  return "campaign";
}

std::optional<OwnerType> parse_owner_type(std::string_view s) {
  if (s == "campaign") return OwnerType::Campaign;
  if (s == "organization") return OwnerType::Organization;
  if (s == "district") return OwnerType::District;
  return std::nullopt;
}

std::string_view to_string(RuleKind k) {
  switch (k) {
    case RuleKind::AttendedActivity:
      return "attended_activity";
    case RuleKind::CampaignHours:
      return "campaign_hours";
    case RuleKind::ApprovedClaim:
      return "approved_claim";
    case RuleKind::Series:
      return "series";
  }
  return "attended_activity";
}

std::optional<RuleKind> parse_rule_kind(std::string_view s) {
  if (s == "attended_activity") return RuleKind::AttendedActivity;
  if (s == "campaign_hours") return RuleKind::CampaignHours;
  if (s == "approved_claim") return RuleKind::ApprovedClaim;
  if (s == "series") return RuleKind::Series;
  return std::nullopt;
}

bool is_web_url(std::string_view url) {
  if (url.size() > 2000) return false;
  const bool scheme = url.starts_with("https://") || url.starts_with("http://");
  if (!scheme) return false;
  const auto host_at = url.find("://") + 3;
  if (host_at >= url.size() || url[host_at] == '/') return false;
  return std::none_of(url.begin(), url.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '"'; });
}

namespace {

bool is_slug(std::string_view s) {
  if (s.size() < 2 || s.size() > 60 || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// An activity named by id, as a number or a string of digits.
std::optional<std::int64_t> activity_id(const json::value& v) {
  if (v.is_int64() && v.as_int64() > 0) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() > 0 && v.as_uint64() < (1ULL << 62))
    return static_cast<std::int64_t>(v.as_uint64());
  if (v.is_string()) {
    const std::string_view s = v.as_string();
    if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    const auto n = std::stoll(std::string(s));
    if (n > 0) return n;
  }
  return std::nullopt;
}

std::optional<double> number(const json::value& v) {
  if (v.is_double()) return v.as_double();
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  return std::nullopt;
}

std::string string_of(const json::object& o, std::string_view key) {
  if (const auto* v = o.if_contains(key); v && v->is_string()) return json::string_view(v->as_string());
  return {};
}

}  // namespace

Result<AwardRule> rule_from_json(const json::value& v, std::string_view at) {
  const std::string base(at);
  if (!v.is_object()) return Error::validation(base, "must be an object with a kind, or null for no rule");
  const auto& o = v.as_object();
  std::vector<FieldError> errors;
  AwardRule r;
  const auto kind_text = string_of(o, "kind");
  auto kind = parse_rule_kind(kind_text);
  if (!kind) {
    return Error::validation(base + ".kind", "must be attended_activity, campaign_hours, approved_claim or series");
  }
  r.kind = *kind;
  switch (r.kind) {
    case RuleKind::AttendedActivity: {
      const auto* a = o.if_contains("activity");
      auto id = a ? activity_id(*a) : std::nullopt;
      if (!id)
        errors.push_back({base + ".activity", "names the activity by its id (the number in its address)"});
      else
        r.activities.push_back(*id);
      break;
    }
    case RuleKind::Series: {
      const auto* a = o.if_contains("activities");
      if (a == nullptr || !a->is_array() || a->as_array().size() < 2) {
        errors.push_back({base + ".activities", "lists the ids of at least two activities"});
        break;
      }
      if (a->as_array().size() > kMaxSeries) {
        errors.push_back({base + ".activities", "lists at most " + std::to_string(kMaxSeries) + " activities"});
        break;
      }
      std::set<std::int64_t> seen;
      for (std::size_t i = 0; i < a->as_array().size(); ++i) {
        auto id = activity_id(a->as_array()[i]);
        if (!id)
          errors.push_back({base + ".activities[" + std::to_string(i) + "]", "is not an activity id"});
        else if (!seen.insert(*id).second)
          errors.push_back({base + ".activities[" + std::to_string(i) + "]", "appears twice"});
        else
          r.activities.push_back(*id);
      }
      break;
    }
    case RuleKind::CampaignHours: {
      r.campaign = string_of(o, "campaign");
      if (r.campaign.empty()) errors.push_back({base + ".campaign", "names the campaign by its slug"});
      const auto* h = o.if_contains("hours");
      auto hours = h ? number(*h) : std::nullopt;
      if (!hours || !std::isfinite(*hours) || *hours <= 0 || *hours > 10000)
        errors.push_back({base + ".hours", "is a number of hours above 0 and at most 10000"});
      else
        r.minutes = std::llround(*hours * 60);
      break;
    }
    case RuleKind::ApprovedClaim: {
      r.district = string_of(o, "district");
      if (r.district.empty()) errors.push_back({base + ".district", "names the district by its slug"});
      r.tier = string_of(o, "tier");
      break;
    }
  }
  if (!errors.empty()) return Error::validation(std::move(errors));
  return r;
}

json::object rule_to_json(const AwardRule& r) {
  json::object o{{"kind", to_string(r.kind)}};
  switch (r.kind) {
    case RuleKind::AttendedActivity:
      o["activity"] = r.activities.empty() ? json::value(nullptr) : json::value(std::to_string(r.activities.front()));
      break;
    case RuleKind::Series: {
      json::array a;
      for (auto id : r.activities) a.emplace_back(std::to_string(id));
      o["activities"] = std::move(a);
      break;
    }
    case RuleKind::CampaignHours:
      o["campaign"] = r.campaign;
      o["hours"] = static_cast<double>(r.minutes) / 60.0;
      break;
    case RuleKind::ApprovedClaim:
      o["district"] = r.district;
      o["tier"] = r.tier.empty() ? json::value(nullptr) : json::value(r.tier);
      break;
  }
  return o;
}

json::array alignments_to_json(const std::vector<Alignment>& alignments) {
  json::array out;
  for (const auto& a : alignments) {
    out.push_back(json::object{
        {"target_name", a.target_name},
        {"target_url", a.target_url},
        {"target_framework", a.target_framework.empty() ? json::value(nullptr) : json::value(a.target_framework)},
        {"target_code", a.target_code.empty() ? json::value(nullptr) : json::value(a.target_code)}});
  }
  return out;
}

std::vector<Alignment> alignments_from_json(const json::value& v) {
  std::vector<Alignment> out;
  if (!v.is_array()) return out;
  for (const auto& x : v.as_array()) {
    if (!x.is_object()) continue;
    const auto& o = x.as_object();
    out.push_back({string_of(o, "target_name"), string_of(o, "target_url"), string_of(o, "target_framework"),
                   string_of(o, "target_code")});
  }
  return out;
}

Result<Achievement> achievement_from_json(const json::object& body) {
  staffroom::json::FieldReader r(body);
  Achievement a;
  const auto owner_type = r.required_string("owner_type", 20);
  if (!owner_type.empty()) {
    if (auto t = parse_owner_type(owner_type))
      a.owner_type = *t;
    else
      r.add_error("owner_type", "must be campaign, organization or district");
  }
  a.owner = r.required_string("owner", 60);
  a.name = r.required_string("name", 200);
  a.description = r.required_string("description", 2000);
  a.criteria = r.required_string("criteria", 5000);
  if (auto slug = r.optional_string("slug", 60); slug && !slug->empty()) {
    a.slug = *slug;
    if (!is_slug(a.slug)) r.add_error("slug", "uses 2 to 60 lower-case letters, digits and inner hyphens");
  } else if (!a.name.empty()) {
    a.slug = staffroom::json::slugify(a.name);
    if (!is_slug(a.slug)) r.add_error("slug", "could not be made from the name; give one");
  }
  if (auto url = r.optional_string("image_url", 2000); url && !url->empty()) {
    a.image_url = *url;
    // Pages show it, and they load images over https only.
    if (!is_web_url(a.image_url) || !a.image_url.starts_with("https://"))
      r.add_error("image_url", "must be an https address of the badge image");
  }
  if (const auto* h = body.if_contains("hours"); h && !h->is_null()) {
    auto hours = number(*h);
    if (!hours || !std::isfinite(*hours) || *hours <= 0 || *hours > 10000)
      r.add_error("hours", "is a number of hours above 0 and at most 10000, or null");
    else
      a.minutes = std::max<std::int64_t>(1, std::llround(*hours * 60));
  }
  if (const auto* d = body.if_contains("valid_days"); d && !d->is_null()) {
    if (!d->is_int64() || d->as_int64() < 1 || d->as_int64() > 36500)
      r.add_error("valid_days", "is a whole number of days from 1 to 36500, or null for credentials that never expire");
    else
      a.valid_days = d->as_int64();
  }
  if (const auto* t = body.if_contains("tags"); t && !t->is_null()) {
    if (!t->is_array() || t->as_array().size() > kMaxTags) {
      r.add_error("tags", "is a list of at most " + std::to_string(kMaxTags) + " words or phrases");
    } else {
      std::set<std::string> seen;
      for (std::size_t i = 0; i < t->as_array().size(); ++i) {
        const auto& x = t->as_array()[i];
        const std::string tag = x.is_string() ? staffroom::json::trim(x.as_string()) : std::string();
        if (tag.empty() || staffroom::json::utf8_length(tag) > 60)
          r.add_error("tags[" + std::to_string(i) + "]", "is a word or phrase of 1 to 60 characters");
        else if (seen.insert(tag).second)
          a.tags.push_back(tag);
      }
    }
  }
  if (const auto* al = body.if_contains("alignments"); al && !al->is_null()) {
    if (!al->is_array() || al->as_array().size() > kMaxAlignments) {
      r.add_error("alignments", "is a list of at most " + std::to_string(kMaxAlignments) + " alignments");
    } else {
      for (std::size_t i = 0; i < al->as_array().size(); ++i) {
        const std::string at = "alignments[" + std::to_string(i) + "]";
        const auto& x = al->as_array()[i];
        if (!x.is_object()) {
          r.add_error(at, "is an object with target_name and target_url");
          continue;
        }
        const auto& o = x.as_object();
        Alignment g{staffroom::json::trim(string_of(o, "target_name")),
                    staffroom::json::trim(string_of(o, "target_url")),
                    staffroom::json::trim(string_of(o, "target_framework")),
                    staffroom::json::trim(string_of(o, "target_code"))};
        if (g.target_name.empty() || g.target_name.size() > 300)
          r.add_error(at + ".target_name", "names the standard (up to 300 characters)");
        if (!is_web_url(g.target_url)) r.add_error(at + ".target_url", "must be an http or https address");
        if (g.target_framework.size() > 300) r.add_error(at + ".target_framework", "is at most 300 characters");
        if (g.target_code.size() > 100) r.add_error(at + ".target_code", "is at most 100 characters");
        a.alignments.push_back(std::move(g));
      }
    }
  }
  if (const auto* rule = body.if_contains("rule"); rule && !rule->is_null()) {
    auto parsed = rule_from_json(*rule);
    if (parsed.ok()) {
      a.rule = std::move(*parsed);
      if (a.rule->kind == RuleKind::CampaignHours && a.owner_type == OwnerType::Campaign && !a.owner.empty() &&
          a.rule->campaign != a.owner)
        r.add_error("rule.campaign", "must be the campaign that owns the achievement");
      if (a.rule->kind == RuleKind::ApprovedClaim && a.owner_type == OwnerType::District && !a.owner.empty() &&
          a.rule->district != a.owner)
        r.add_error("rule.district", "must be the district that owns the achievement");
      if (a.rule->kind == RuleKind::ApprovedClaim && a.owner_type != OwnerType::District)
        r.add_error("rule.kind", "approved_claim rules belong to a district's achievements");
    } else {
      for (auto& f : parsed.error().fields) r.add_error(f.field, f.message);
    }
  }
  SR_TRY(r.finish());
  return a;
}

AwardFile parse_award_file(std::string_view csv_text) {
  AwardFile out;
  auto records = csv::parse(csv_text, kMaxAwardRows + 1);
  if (!records.ok()) {
    out.problems.push_back({"file", records.error().detail});
    return out;
  }
  if (records->size() < 2) {
    out.problems.push_back({"file", "has no rows; the first line names the columns: email,narrative,evidence"});
    return out;
  }
  if (records->size() > kMaxAwardRows + 1) {
    out.problems.push_back({"file", "has more than " + std::to_string(kMaxAwardRows) + " rows; split it"});
    return out;
  }
  int col_email = -1, col_narrative = -1, col_evidence = -1;
  const auto& header = records->front();
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string h = staffroom::json::lower_ascii(staffroom::json::trim(header.fields[i]));
    int* slot = h == "email"       ? &col_email
                : h == "narrative" ? &col_narrative
                : h == "evidence"  ? &col_evidence
                                   : nullptr;
    const std::string at = "line 1, column " + std::to_string(i + 1);
    if (slot == nullptr)
      out.problems.push_back({at, "'" + h + "' is not a column of an award file; use email, narrative and evidence"});
    else if (*slot >= 0)
      out.problems.push_back({at, "'" + h + "' appears twice"});
    else
      *slot = static_cast<int>(i);
  }
  if (col_email < 0) out.problems.push_back({"line 1", "needs an email column"});
  if (!out.problems.empty()) return out;
  std::set<std::string> seen;
  for (std::size_t n = 1; n < records->size(); ++n) {
    const auto& rec = (*records)[n];
    const std::string at = "line " + std::to_string(rec.line);
    auto cell = [&](int col) {
      return col >= 0 && static_cast<std::size_t>(col) < rec.fields.size()
                 ? staffroom::json::trim(rec.fields[static_cast<std::size_t>(col)])
                 : std::string();
    };
    AwardRow row{rec.line, accounts::normalize_email(cell(col_email)), cell(col_narrative), cell(col_evidence)};
    if (auto problem = accounts::check_email(row.email)) {
      out.problems.push_back({at + ", email", row.email.empty() ? "is empty" : "'" + row.email + "' " + *problem});
    } else if (!seen.insert(row.email).second) {
      out.problems.push_back({at + ", email", "'" + row.email + "' appears on an earlier line too"});
    }
    if (staffroom::json::utf8_length(row.narrative) > 2000)
      out.problems.push_back({at + ", narrative", "is longer than 2000 characters"});
    if (!row.evidence_url.empty() && !is_web_url(row.evidence_url))
      out.problems.push_back({at + ", evidence", "must be an http or https address"});
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace staffroom::credentials
