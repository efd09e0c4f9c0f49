// libFuzzer target: activity CSV import and the rules behind it (RFC 4180
// parsing, header and row reading, activity checks with recurrence and time
// zones) and Markdown rendering, on arbitrary bytes. No database.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "activities/csv_format.hpp"
#include "activities/model.hpp"
#include "core/csv.hpp"
#include "core/ical.hpp"
#include "core/markdown.hpp"

using namespace staffroom;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)activities::parse_rrule(text.substr(0, 200));
  (void)render_markdown(text.substr(0, 4000));
  (void)ical::escape_text(text);
  auto records = csv::parse(text, activities::csv_format::kMaxRows + 1);
  if (!records.ok() || records->empty()) return 0;
  auto header = activities::csv_format::read_header(records->front());
  if (!header.ok()) return 0;
  catalog::Campaign campaign;
  campaign.slug = "cem";
  campaign.time_zone = "America/New_York";
  campaign.themes = {{"Getting connected", "", "2012-08-01", "2012-08-07"}};
  for (std::size_t i = 1; i < records->size(); ++i) {
    std::vector<FieldError> errors;
    auto input = activities::csv_format::read_row(*header, (*records)[i], errors);
    activities::Activity a;
    (void)activities::apply_input(a, input, campaign);
  }
  return 0;
}
