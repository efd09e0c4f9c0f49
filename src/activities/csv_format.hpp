// The activity CSV used for import and export: columns by header name, lists
// separated by ';', facilitators as "Name | Affiliation". Pure code.
#pragma once

#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "activities/model.hpp"
#include "core/csv.hpp"

namespace staffroom::activities::csv_format {

inline constexpr std::size_t kMaxRows = 2000;
inline constexpr std::string_view kImportColumns[] = {"title",       "description",      "format",
                                                      "start",       "duration_minutes", "time_zone",
                                                      "recurrence",  "available_from",   "available_until",
                                                      "join_url",    "capacity",         "pd_hours",
                                                      "roles",       "grade_bands",      "subjects",
                                                      "themes",      "co_hosts",         "language",
                                                      "captions",    "transcripts",      "accessibility_notes",
                                                      "facilitators"};
inline constexpr std::size_t kColumnCount = std::size(kImportColumns);

// Maps the header to column positions; errors name unknown or missing
// columns ("line 1").
struct Header {
  std::vector<int> index;  // per kImportColumns entry: position in the record, or -1
};
Result<Header> read_header(const csv::Record& header);

// One data row as an activity input; problems are reported as fields
// "line N: column".
ActivityInput read_row(const Header& h, const csv::Record& row, std::vector<FieldError>& errors);

// Export: the import columns, then id, status, host, starts_at_utc, url.
std::string export_csv(const std::vector<Activity>& activities, const std::string& public_url);

}  // namespace staffroom::activities::csv_format
