#include "activities/csv_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "core/json.hpp"

namespace staffroom::activities::csv_format {

namespace {

enum Col {
  kTitle,
  kDescription,
  kFormat,
  kStart,
  kDuration,
  kTimeZone,
  kRecurrence,
  kAvailableFrom,
  kAvailableUntil,
  kJoinUrl,
  kCapacity,
  kPdHours,
  kRoles,
  kGradeBands,
  kSubjects,
  kThemes,
  kCoHosts,
  kLanguage,
  kCaptions,
  kTranscripts,
  kAccessibilityNotes,
  kFacilitators,
};

constexpr std::string_view kExportExtra[] = {"id", "status", "host", "starts_at_utc", "url"};

std::vector<std::string> split_list(const std::string& value, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    auto end = value.find(sep, start);
    if (end == std::string::npos) end = value.size();
    auto item = json::trim(std::string_view(value).substr(start, end - start));
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

std::vector<std::string> header_names() {
  return {std::begin(kImportColumns), std::end(kImportColumns)};
}

std::string join(const std::vector<std::string>& values, const char* sep) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : sep) + v;
  return out;
}

}  // namespace

Result<Header> read_header(const csv::Record& header) {
  Header h;
  h.index.assign(kColumnCount, -1);
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const auto name = json::trim(header.fields[i]);
    const auto* it = std::find(std::begin(kImportColumns), std::end(kImportColumns), name);
    if (it == std::end(kImportColumns)) {
      // Exported files carry extra columns; they are ignored on import.
      if (std::find(std::begin(kExportExtra), std::end(kExportExtra), name) != std::end(kExportExtra)) continue;
      errors.push_back({"line 1", "unknown column '" + name + "'; columns are " + join(header_names(), ", ")});
      continue;
    }
    auto& slot = h.index[static_cast<std::size_t>(it - std::begin(kImportColumns))];
    if (slot != -1) errors.push_back({"line 1", "column '" + name + "' appears twice"});
    slot = static_cast<int>(i);
  }
  for (auto required : {kTitle, kFormat}) {
    if (h.index[required] == -1) {
      errors.push_back({"line 1", "the header needs a '" + std::string(kImportColumns[required]) + "' column"});
    }
  }
  if (!errors.empty()) return Error::validation(std::move(errors));
  return h;
}

ActivityInput read_row(const Header& h, const csv::Record& row, std::vector<FieldError>& errors) {
  const std::string at = "line " + std::to_string(row.line) + ": ";
  auto cell = [&](Col c) -> std::optional<std::string> {
    const int i = h.index[c];
    if (i < 0) return std::nullopt;
    if (static_cast<std::size_t>(i) >= row.fields.size()) return std::string();
    return row.fields[static_cast<std::size_t>(i)];
  };
  if (row.fields.size() > h.index.size() + 8) {
    errors.push_back({at + "row", "has more fields than the header"});
  }
  ActivityInput in;
  in.title = cell(kTitle);
  in.description = cell(kDescription);
  in.format = cell(kFormat);
  in.start = cell(kStart);
  in.time_zone = cell(kTimeZone);
  in.recurrence = cell(kRecurrence);
  in.available_from = cell(kAvailableFrom);
  in.available_until = cell(kAvailableUntil);
  in.join_url = cell(kJoinUrl);
  in.language = cell(kLanguage);
  if (in.language && in.language->empty()) in.language.reset();
  auto number = [&](Col c, const char* name, bool decimal) -> std::optional<double> {
    auto v = cell(c);
    if (!v || json::trim(*v).empty()) return std::nullopt;
    const auto text = json::trim(*v);
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || (!decimal && d != static_cast<double>(static_cast<long long>(d)))) {
      errors.push_back({at + name, decimal ? "must be a number like 1.5" : "must be a whole number"});
      return std::nullopt;
    }
    return d;
  };
  if (auto d = number(kDuration, "duration_minutes", false)) in.duration_minutes = static_cast<int>(*d);
  if (auto d = number(kCapacity, "capacity", false)) in.capacity = std::optional(static_cast<int>(*d));
  if (auto d = number(kPdHours, "pd_hours", true)) in.pd_hours = *d;
  Audience audience;
  if (auto v = cell(kRoles)) audience.roles = split_list(*v, ';');
  if (auto v = cell(kGradeBands)) audience.grade_bands = split_list(*v, ';');
  if (auto v = cell(kSubjects)) audience.subjects = split_list(*v, ';');
  in.audience = audience;
  if (auto v = cell(kThemes)) in.themes = split_list(*v, ';');
  if (auto v = cell(kCoHosts)) in.co_hosts = split_list(*v, ';');
  Accessibility access;
  auto yes_no = [&](Col c, const char* name) {
    auto v = cell(c);
    if (!v) return false;
    const auto t = json::trim(*v);
    if (t.empty() || t == "no" || t == "false" || t == "0") return false;
    if (t == "yes" || t == "true" || t == "1") return true;
    errors.push_back({at + name, "must be yes or no"});
    return false;
  };
  access.captions = yes_no(kCaptions, "captions");
  access.transcripts = yes_no(kTranscripts, "transcripts");
  if (auto v = cell(kAccessibilityNotes)) access.notes = *v;
  in.accessibility = access;
  if (auto v = cell(kFacilitators)) {
    std::vector<FacilitatorInput> people;
    for (const auto& entry : split_list(*v, ';')) {
      FacilitatorInput f;
      const auto bar = entry.find('|');
      f.name = json::trim(std::string_view(entry).substr(0, bar));
      if (bar != std::string::npos) f.affiliation = json::trim(std::string_view(entry).substr(bar + 1));
      people.push_back(std::move(f));
    }
    in.facilitators = std::move(people);
  }
  return in;
}

std::string export_csv(const std::vector<Activity>& activities, const std::string& public_url) {
  std::string out;
  std::vector<std::string> header = header_names();
  header.insert(header.end(), std::begin(kExportExtra), std::end(kExportExtra));
  csv::append_row(out, header);
  for (const auto& a : activities) {
    std::vector<std::string> co_hosts, facilitators;
    for (const auto& o : a.co_hosts) {
      if (o.confirmed) co_hosts.push_back(o.slug);
    }
    for (const auto& f : a.facilitators) {
      facilitators.push_back(f.affiliation.empty() ? f.name : f.name + " | " + f.affiliation);
    }
    const auto hours = fmt::format("{:g}", a.pd_minutes / 60.0);
    csv::append_row(out, {a.title,
                          a.description,
                          a.format,
                          a.start,
                          std::to_string(a.duration_minutes),
                          a.time_zone,
                          a.recurrence,
                          a.available_from,
                          a.available_until,
                          a.join_url,
                          a.capacity ? std::to_string(*a.capacity) : "",
                          hours,
                          join(a.audience.roles, ";"),
                          join(a.audience.grade_bands, ";"),
                          join(a.audience.subjects, ";"),
                          join(a.themes, ";"),
                          join(co_hosts, ";"),
                          a.language,
                          a.accessibility.captions ? "yes" : "no",
                          a.accessibility.transcripts ? "yes" : "no",
                          a.accessibility.notes,
                          join(facilitators, "; "),
                          std::to_string(a.id),
                          std::string(to_string(a.status)),
                          a.host.slug,
                          a.sessions.empty() ? "" : format_rfc3339(a.sessions.front().starts_at),
                          public_url + "/activities/" + std::to_string(a.id)});
  }
  return out;
}

}  // namespace staffroom::activities::csv_format
