#include "catalog/model.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

#include "accounts/model.hpp"
#include "core/calendar.hpp"
#include "core/json.hpp"

namespace staffroom::catalog {

std::string_view to_string(PartnerStatus s) {
  switch (s) {
    case PartnerStatus::Pending:
      return "pending";
    case PartnerStatus::Approved:
      return "approved";
    case PartnerStatus::Declined:
      return "declined";
  }
  return "pending";
}

std::optional<PartnerStatus> parse_partner_status(std::string_view s) {
  if (s == "pending") return PartnerStatus::Pending;
  if (s == "approved") return PartnerStatus::Approved;
  if (s == "declined") return PartnerStatus::Declined;
  return std::nullopt;
}

void check_slug(std::string_view field, std::string_view slug, std::vector<FieldError>& errors) {
  const bool chars_ok = std::all_of(
      slug.begin(), slug.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
  if (slug.size() < 2 || slug.size() > 80 || !chars_ok || slug.front() == '-' || slug.back() == '-' ||
      slug.find("--") != std::string_view::npos) {
    errors.push_back({std::string(field),
                      "must be 2 to 80 lower-case letters, digits and single hyphens, like connected-educator-month"});
  }
}

std::optional<std::string> normalize_hashtag(std::string_view tag) {
  if (!tag.empty() && tag.front() == '#') tag.remove_prefix(1);
  if (tag.empty() || tag.size() > 100) return std::nullopt;
  for (char c : tag)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return std::nullopt;
  return std::string(tag);
}

bool is_web_url(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return false;
  const auto scheme = parsed->scheme();
  return (scheme == "https" || scheme == "http") && parsed->has_authority() && !parsed->host().empty();
}

std::vector<FieldError> check_campaign(const Campaign& c) {
  std::vector<FieldError> errors;
  check_slug("slug", c.slug, errors);
  if (c.name.empty()) errors.push_back({"name", "is required"});
  const auto start = parse_date(c.starts_on);
  const auto end = parse_date(c.ends_on);
  if (!start) errors.push_back({"starts_on", "must be a date like 2012-08-01"});
  if (!end) errors.push_back({"ends_on", "must be a date like 2012-08-31"});
  if (start && end && *end < *start) errors.push_back({"ends_on", "must not be before starts_on"});
  if (start && end && *end - *start > 366) errors.push_back({"ends_on", "a campaign lasts at most a year"});
  if (!is_time_zone(c.time_zone)) {
    errors.push_back({"time_zone", "must be an IANA time zone name like America/New_York"});
  }
  for (std::size_t i = 0; i < c.themes.size(); ++i) {
    const auto& t = c.themes[i];
    const std::string at = "themes[" + std::to_string(i) + "]";
    if (t.title.empty()) errors.push_back({at + ".title", "is required"});
    const auto ts = parse_date(t.starts_on);
    const auto te = parse_date(t.ends_on);
    if (!ts) errors.push_back({at + ".starts_on", "must be a date like 2012-08-06"});
    if (!te) errors.push_back({at + ".ends_on", "must be a date like 2012-08-12"});
    if (ts && te && *te < *ts) errors.push_back({at + ".ends_on", "must not be before starts_on"});
    if (ts && start && end && (*ts < *start || *ts > *end)) {
      errors.push_back({at + ".starts_on", "must fall within the campaign's dates"});
    }
    if (te && start && end && (*te < *start || *te > *end)) {
      errors.push_back({at + ".ends_on", "must fall within the campaign's dates"});
    }
  }
  for (std::size_t i = 0; i < c.hashtags.size(); ++i) {
    if (!normalize_hashtag(c.hashtags[i])) {
      errors.push_back({"hashtags[" + std::to_string(i) + "]", "must be letters, digits or _ after an optional #"});
    }
  }
  std::vector<std::string> seen;
  for (const auto& h : c.hashtags) {
    auto n = normalize_hashtag(h);
    if (!n) continue;
    std::string lower = *n;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (std::find(seen.begin(), seen.end(), lower) != seen.end()) {
      errors.push_back({"hashtags", "lists #" + *n + " twice"});
    }
    seen.push_back(lower);
  }
  return errors;
}

std::vector<FieldError> check_organization(const Organization& o) {
  std::vector<FieldError> errors;
  check_slug("organization.slug", o.slug, errors);
  if (o.name.empty()) errors.push_back({"organization.name", "is required"});
  if (std::find_if(std::begin(kOrganizationKinds), std::end(kOrganizationKinds),
                   [&](const char* k) { return o.kind == k; }) == std::end(kOrganizationKinds)) {
    errors.push_back({"organization.kind",
                      "must be one of nonprofit, association, district, school, university, company, government, "
                      "community"});
  }
  if (!o.website.empty() && !is_web_url(o.website)) {
    errors.push_back({"organization.website", "must be a web address starting with https:// or http://"});
  }
  if (!o.logo_url.empty() && !is_web_url(o.logo_url)) {
    errors.push_back({"organization.logo_url", "must be a web address starting with https:// or http://"});
  }
  if (auto m = accounts::check_email(o.contact_email)) errors.push_back({"organization.contact_email", *m});
  return errors;
}

Status check_decision(PartnerStatus decision, std::string_view reason) {
  if (decision == PartnerStatus::Pending) return Error::validation("decision", "must be approved or declined");
  if (decision == PartnerStatus::Declined && json::trim(reason).empty()) {
    return Error::validation("reason", "is required when declining, so the organization knows why");
  }
  return {};
}

}  // namespace staffroom::catalog
