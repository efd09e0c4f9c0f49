// Writing small text documents as PDF: headings, paragraphs, label/value lines
// in two aligned columns, tables that break across pages and repeat their
// header row, rules and spacers, on US Letter or A4 with 0.75 in margins and a
// footer on every page: the caller's text on the left, "Page N of M" on the
// right, M being the true page count.
//
// Text is laid out by Pango (any Unicode the installed fonts cover, wrapping
// at word boundaries, right-aligned columns) and drawn by Cairo's PDF surface
// as real text with embedded font subsets, so it can be searched and copied.
// Text is plain: nothing in it is read as markup. Invalid UTF-8 is shown as
// U+FFFD and control characters other than line breaks are dropped, so
// stored data cannot break a rendering.
//
// The unit knows nothing of what it prints: callers build a Document. Sizes
// are capped (blocks, table rows, text, pages) and going past a cap is a
// Validation error naming it. render_pdf may run on several threads at once.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace staffroom::pdf {

enum class PageSize { Letter, A4 };
enum class Align { Left, Right };

struct Heading {
  int level = 1;  // 1 or 2
  std::string text;
};

struct Paragraph {
  std::string text;  // "\n" starts a new line
  bool small = false;
  bool muted = false;  // grey, for notes and fine print
};

struct KeyValue {
  std::string label;
  std::string value;
};

// Labels in bold in a column as wide as the widest label (at most 40% of the
// line, wrapping past that), values beside them.
struct KeyValues {
  std::vector<KeyValue> items;
};

struct Column {
  std::string header;
  double width = 1;  // share of the line; shares are scaled to add up to it
  Align align = Align::Left;
};

// A row that does not fit on the page moves to the next one whole (a row
// taller than a whole page is split between lines); each new page starts with
// the header row again.
struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // at most columns.size() cells; missing cells are blank
  std::vector<std::string> summary;            // a closing row in bold (totals); empty: none
};

struct Rule {};  // a thin line across the page

struct Spacer {
  double points = 12;  // 1/72 in; space that would run past the page ends it
};

using Block = std::variant<Heading, Paragraph, KeyValues, Table, Rule, Spacer>;

struct Document {
  // PDF metadata.
  std::string title;
  std::string author;  // who issues the document
  std::string subject;
  std::optional<EpochMs> created;  // none: no creation date is written

  PageSize page_size = PageSize::Letter;
  std::string footer;  // left side of every page's footer, on one line
  std::vector<Block> blocks;
};

inline constexpr std::size_t kMaxBlocks = 10'000;
inline constexpr std::size_t kMaxRows = 10'000;  // table rows and label/value lines, in the whole document
inline constexpr std::size_t kMaxColumns = 24;
// Text costs layout time roughly in proportion to its length (a few ms a
// page), and a long paragraph more: these keep the worst case to seconds.
inline constexpr std::size_t kMaxTextBytes = std::size_t{1024} * 1024;  // all text, metadata included
inline constexpr std::size_t kMaxStringBytes =
    std::size_t{64} * 1024;  // any one piece of text (paragraph, cell, label...)
inline constexpr int kMaxPages = 1'000;

// The PDF file's bytes.
Result<std::string> render_pdf(const Document& doc);

}  // namespace staffroom::pdf
