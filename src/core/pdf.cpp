#include "core/pdf.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <string_view>
#include <utility>

namespace staffroom::pdf {

namespace {

// ---- Owning handles for the C libraries' objects ----

template <class T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const {
    if (p != nullptr) Free(p);
  }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, Freer<cairo_surface_t, cairo_surface_destroy>>;
using CairoPtr = std::unique_ptr<cairo_t, Freer<cairo_t, cairo_destroy>>;
using FontOptionsPtr = std::unique_ptr<cairo_font_options_t, Freer<cairo_font_options_t, cairo_font_options_destroy>>;
using FontPtr = std::unique_ptr<PangoFontDescription, Freer<PangoFontDescription, pango_font_description_free>>;
using LayoutIterPtr = std::unique_ptr<PangoLayoutIter, Freer<PangoLayoutIter, pango_layout_iter_free>>;
using AttrListPtr = std::unique_ptr<PangoAttrList, Freer<PangoAttrList, pango_attr_list_unref>>;

struct Unref {
  void operator()(gpointer p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
template <class T>
using GPtr = std::unique_ptr<T, Unref>;

// ---- Page and type ----

constexpr double kInch = 72;  // PDF user space is in points
constexpr double kMargin = 0.75 * kInch;
constexpr double kEpsilon = 0.01;

constexpr double kBodySize = 10;
constexpr double kSmallSize = 8;
constexpr double kTableSize = 9;
constexpr double kFooterSize = 8;
constexpr double kHeading1Size = 16;
constexpr double kHeading2Size = 12;

// A heading needs this much room below it on its page, so that it is not
// left alone at the bottom of a page.
constexpr double kKeepWithNext = 3 * 1.2 * kBodySize;
constexpr double kCellPadX = 4;
constexpr double kCellPadY = 3;
constexpr double kColumnGap = 12;  // between labels and values
constexpr double kLabelShare = 0.4;

struct Color {
  double r, g, b;
};
constexpr Color kInk{0.10, 0.10, 0.10};
constexpr Color kMuted{0.38, 0.38, 0.38};
constexpr Color kLine{0.45, 0.45, 0.45};
constexpr Color kFaint{0.84, 0.84, 0.84};

struct Geometry {
  double width = 0;
  double height = 0;
  double left() const { return kMargin; }
  double content_width() const { return width - 2 * kMargin; }
  double body_top() const { return kMargin; }
  double body_bottom() const { return height - kMargin; }
  double footer_top() const { return height - kMargin + 14; }
};

Geometry geometry(PageSize size) {
  switch (size) {
    case PageSize::A4:
      return {210 / 25.4 * kInch, 297 / 25.4 * kInch};
    case PageSize::Letter:
      break;
  }
  return {8.5 * kInch, 11 * kInch};
}

FontPtr font(bool bold, double size) {
  FontPtr f(pango_font_description_from_string(bold ? "Sans Bold" : "Sans"));
  // Absolute size is in device units, which on a PDF surface are points, so
  // it does not depend on the font map's resolution.
  pango_font_description_set_absolute_size(f.get(), size * PANGO_SCALE);
  return f;
}

struct Fonts {
  FontPtr body = font(false, kBodySize);
  FontPtr body_bold = font(true, kBodySize);
  FontPtr small = font(false, kSmallSize);
  FontPtr table = font(false, kTableSize);
  FontPtr table_bold = font(true, kTableSize);
  FontPtr footer = font(false, kFooterSize);
  FontPtr heading1 = font(true, kHeading1Size);
  FontPtr heading2 = font(true, kHeading2Size);
};

// ---- Text ----

// Pango wants valid UTF-8 (it warns on stderr and mangles the rest otherwise)
// and draws control characters as hex boxes. Stored data can hold either, and
// one stray byte must not spoil or fail a whole document.
std::string clean_text(std::string_view in, bool one_line) {
  std::string out;
  out.reserve(in.size());
  std::size_t i = 0;
  while (i < in.size()) {
    const auto byte = static_cast<unsigned char>(in[i]);
    if (byte < 0x80) {
      ++i;
      if (byte == '\r') {
        if (i < in.size() && in[i] == '\n') ++i;
        out.push_back(one_line ? ' ' : '\n');
      } else if (byte == '\n') {
        out.push_back(one_line ? ' ' : '\n');
      } else if (byte == '\t') {
        out.push_back(' ');
      } else if (byte >= 0x20 && byte != 0x7f) {
        out.push_back(static_cast<char>(byte));
      }
      continue;
    }
    const gunichar ch = g_utf8_get_char_validated(in.data() + i, static_cast<gssize>(in.size() - i));
    if (ch == static_cast<gunichar>(-1) || ch == static_cast<gunichar>(-2)) {
      out += "\xEF\xBF\xBD";  // U+FFFD for the one bad byte; resynchronise on the next
      ++i;
      continue;
    }
    // Validated, so the character is encoded as briefly as it can be.
    const auto len = static_cast<std::size_t>(g_unichar_to_utf8(ch, nullptr));
    i += len;
    if (ch == 0x2028 || ch == 0x2029) {  // line and paragraph separators: one kind of line break
      out.push_back(one_line ? ' ' : '\n');
    } else if (ch >= 0xA0) {  // not a C1 control
      out.append(in.substr(i - len, len));
    }
  }
  return out;
}

// Pango's line breaking takes time quadratic in the length of a run with no
// break opportunity (a 16,000-letter "word" took over a second): after this
// many characters without a space, a zero-width space offers one. Real words,
// identifiers and URLs are shorter and are left alone.
constexpr std::size_t kLongestRun = 200;

std::string with_breaks(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t run = 0;
  for (const char ch : text) {
    if (ch == ' ' || ch == '\n') {
      run = 0;
    } else if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80 && ++run > kLongestRun) {  // a character's first byte
      out += "\xE2\x80\x8B";                                                              // U+200B ZERO WIDTH SPACE
      run = 1;
    }
    out.push_back(ch);
  }
  return out;
}

// One laid-out line, in points from the top-left of its layout.
struct Line {
  PangoLayoutLine* line = nullptr;  // owned by the layout
  double x = 0;                     // left edge, alignment included
  double top = 0;
  double bottom = 0;
  double baseline = 0;
};

// A piece of text wrapped to a width, placed at x on the page.
struct TextBox {
  std::vector<GPtr<PangoLayout>> layouts;  // one a paragraph; they own the lines
  std::vector<Line> lines;
  double x = 0;
  double height = 0;
  Color color = kInk;
};

GPtr<PangoLayout> new_layout(PangoContext* ctx, std::string_view text, const PangoFontDescription* f) {
  GPtr<PangoLayout> layout(pango_layout_new(ctx));
  pango_layout_set_font_description(layout.get(), f);
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  return layout;
}

// The width of the widest line of the text, unwrapped.
double natural_width(PangoContext* ctx, std::string_view raw, const PangoFontDescription* f) {
  const std::string text = clean_text(raw, false);
  double widest = 0;
  std::size_t start = 0;
  for (;;) {  // a paragraph at a time, as in text_box
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const auto layout = new_layout(ctx, std::string_view(text).substr(start, end - start), f);
    PangoRectangle logical;
    pango_layout_get_extents(layout.get(), nullptr, &logical);
    widest = std::max(widest, static_cast<double>(logical.width) / PANGO_SCALE);
    if (end == text.size()) return widest;
    start = end + 1;
  }
}

TextBox text_box(PangoContext* ctx, std::string_view raw, const PangoFontDescription* f, double x, double width,
                 Align align, Color color) {
  TextBox box;
  box.x = x;
  box.color = color;
  const std::string text = with_breaks(clean_text(raw, false));
  // One layout per paragraph: a single layout redoes bookkeeping over the
  // whole text for each of its paragraphs, which made text of many short
  // lines take time quadratic in its length.
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    GPtr<PangoLayout> layout = new_layout(ctx, std::string_view(text).substr(start, end - start), f);
    pango_layout_set_width(layout.get(), pango_units_from_double(std::max(width, 1.0)));
    // Break between words, and inside a word only when it is longer than the
    // line (a URL, an identifier), so that nothing runs into the next column.
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout.get(), align == Align::Right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
    // No hyphenation: breaking an overlong word then takes a quarter of the
    // time, and a hyphen added inside an identifier or a URL would read as
    // part of it.
    const AttrListPtr attrs(pango_attr_list_new());
    pango_attr_list_insert(attrs.get(), pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(layout.get(), attrs.get());

    const double offset = box.height;
    const LayoutIterPtr it(pango_layout_get_iter(layout.get()));
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it.get(), nullptr, &logical);
      Line line;
      line.line = pango_layout_iter_get_line_readonly(it.get());
      line.x = static_cast<double>(logical.x) / PANGO_SCALE;
      line.top = offset + static_cast<double>(logical.y) / PANGO_SCALE;
      line.bottom = offset + static_cast<double>(logical.y + logical.height) / PANGO_SCALE;
      line.baseline = offset + static_cast<double>(pango_layout_iter_get_baseline(it.get())) / PANGO_SCALE;
      box.lines.push_back(line);
    } while (pango_layout_iter_next_line(it.get()) != FALSE);
    box.height = box.lines.back().bottom;  // a layout has at least one line, if empty
    box.layouts.push_back(std::move(layout));
    if (end == text.size()) break;
    start = end + 1;
  }
  return box;
}

double tallest(const std::vector<TextBox>& cells) {
  double h = 0;
  for (const auto& c : cells) h = std::max(h, c.height);
  return h;
}

// ---- Composition ----

struct TableHeader {
  std::vector<TextBox> cells;
  double height = 0;  // padding included
};

// Walks the blocks, breaking pages. It runs twice over the same context: first
// without a cairo_t, only to count the pages for "Page N of M", then drawing.
// Both runs take every decision from the same measurements, so they break
// pages at the same places; render_pdf checks that the counts agree.
class Composer {
 public:
  Composer(PangoContext* ctx, const Fonts& fonts, Geometry geo, const Document& doc, cairo_t* cr, int total_pages)
      : ctx_(ctx), fonts_(fonts), geo_(geo), doc_(doc), cr_(cr), total_pages_(total_pages) {
    y_ = geo_.body_top();
    fresh_top_ = y_;
  }

  Status run() {
    for (block_ = 0; block_ < doc_.blocks.size(); ++block_) {
      SR_TRY(std::visit([this](const auto& b) { return add(b); }, doc_.blocks[block_]));
    }
    end_page();
    return {};
  }

  int pages() const { return page_; }

 private:
  double room() const { return geo_.body_bottom() - y_; }
  bool at_fresh_top() const { return y_ <= fresh_top_ + kEpsilon; }
  bool at_page_top() const { return y_ <= geo_.body_top() + kEpsilon; }

  void space(double points) {
    if (!at_page_top()) y_ = std::min(y_ + points, geo_.body_bottom());
  }

  Status add(const Heading& h) {
    const bool top_level = h.level == 1;
    space(top_level ? 14 : 10);
    auto cells = one_box(h.text, top_level ? fonts_.heading1.get() : fonts_.heading2.get(), kInk);
    const double after = top_level ? 6 : 4;
    if (room() < cells[0].height + after + kKeepWithNext && !at_fresh_top()) SR_TRY(new_page());
    SR_TRY(place_row(cells, 0, true));
    space(after);
    return {};
  }

  Status add(const Paragraph& p) {
    auto cells = one_box(p.text, p.small ? fonts_.small.get() : fonts_.body.get(), p.muted ? kMuted : kInk);
    SR_TRY(place_row(cells, 0, true));
    space(p.small ? 4 : 6);
    return {};
  }

  Status add(const KeyValues& kv) {
    double label_width = 0;
    for (const auto& item : kv.items) {
      label_width = std::max(label_width, natural_width(ctx_, item.label, fonts_.body_bold.get()));
    }
    // Measured width and layout width each go through Pango units; a little
    // slack keeps the widest label from wrapping at exactly its own width.
    label_width = std::min(label_width + 0.5, kLabelShare * geo_.content_width());
    const double value_x = geo_.left() + label_width + kColumnGap;
    const double value_width = geo_.content_width() - label_width - kColumnGap;
    for (const auto& item : kv.items) {
      std::vector<TextBox> cells;
      cells.push_back(
          text_box(ctx_, item.label, fonts_.body_bold.get(), geo_.left(), label_width, Align::Left, kMuted));
      cells.push_back(text_box(ctx_, item.value, fonts_.body.get(), value_x, value_width, Align::Left, kInk));
      SR_TRY(place_row(cells, 1.5, false));
    }
    space(6);
    return {};
  }

  Status add(const Table& t) {
    // Column edges from the shares.
    double total_share = 0;
    for (const auto& c : t.columns) total_share += c.width;
    std::vector<double> col_x;
    std::vector<double> col_w;
    double x = geo_.left();
    for (const auto& c : t.columns) {
      const double w = geo_.content_width() * c.width / total_share;
      col_x.push_back(x + kCellPadX);
      col_w.push_back(w - 2 * kCellPadX);
      x += w;
    }
    const auto row_boxes = [&](const std::vector<std::string>& cells, const PangoFontDescription* f) {
      std::vector<TextBox> boxes;
      boxes.reserve(t.columns.size());
      for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const std::string_view text = i < cells.size() ? std::string_view(cells[i]) : std::string_view();
        boxes.push_back(text_box(ctx_, text, f, col_x[i], col_w[i], t.columns[i].align, kInk));
      }
      return boxes;
    };

    TableHeader header;
    {
      std::vector<std::string> titles;
      titles.reserve(t.columns.size());
      for (const auto& c : t.columns) titles.push_back(c.header);
      header.cells = row_boxes(titles, fonts_.table_bold.get());
      header.height = tallest(header.cells) + 2 * kCellPadY;
    }
    // The header is drawn again on every page the table reaches, so it must
    // leave room for rows on a page of its own.
    if (header.height > (geo_.body_bottom() - geo_.body_top()) / 3) {
      return Error::validation("blocks[" + std::to_string(block_) + "].columns",
                               "the header row is too tall to repeat on every page; shorten the headers");
    }

    space(4);
    // Keep the header with the first row.
    std::vector<TextBox> first;
    if (!t.rows.empty()) first = row_boxes(t.rows.front(), fonts_.table.get());
    const double first_height = t.rows.empty() ? 0 : tallest(first) + 2 * kCellPadY;
    if (room() < header.height + first_height && !at_fresh_top()) SR_TRY(new_page());
    draw_header(header);
    header_ = &header;

    Status status;
    std::vector<TextBox> cells = std::move(first);
    for (std::size_t r = 0; r < t.rows.size() && status.ok(); ++r) {
      if (r > 0) cells = row_boxes(t.rows[r], fonts_.table.get());
      status = place_row(cells, kCellPadY, false);
      if (status.ok()) rule(y_, 0.4, kFaint);
    }
    if (status.ok() && !t.summary.empty()) {
      // Break first if need be, so that the rule above the row lands on the
      // row's page.
      const auto totals = row_boxes(t.summary, fonts_.table_bold.get());
      if (tallest(totals) + 2 * kCellPadY > room() && !at_fresh_top()) status = new_page();
      if (status.ok()) {
        rule(y_, 0.75, kLine);
        status = place_row(totals, kCellPadY, false);
      }
    }
    header_ = nullptr;  // `header` dies here
    SR_TRY(status);
    space(8);
    return {};
  }

  // A rule or a spacer that runs past the page fills it, and the next block
  // breaks the page: breaking here would leave an empty last page when
  // nothing follows.
  Status add(const Rule&) {
    space(6);
    if (room() < 6) {  // a rule at the foot of a page separates nothing
      y_ = geo_.body_bottom();
      return {};
    }
    rule(y_, 0.75, kLine);
    space(6);
    return {};
  }

  Status add(const Spacer& s) {
    if (!at_page_top()) y_ = std::min(y_ + s.points, geo_.body_bottom());
    return {};
  }

  std::vector<TextBox> one_box(std::string_view text, const PangoFontDescription* f, Color color) {
    std::vector<TextBox> cells;
    cells.push_back(text_box(ctx_, text, f, geo_.left(), geo_.content_width(), Align::Left, color));
    return cells;
  }

  // Places cells side by side at the cursor, `pad` above and below. When they
  // do not fit on this page they move to the next one, unless `may_split` or
  // they would not fit on any page: then each cell is split between lines, and
  // the rest goes on the next pages.
  Status place_row(const std::vector<TextBox>& cells, double pad, bool may_split) {
    std::vector<std::size_t> next(cells.size(), 0);  // each cell's first line not yet drawn
    for (;;) {
      double rest = 0;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        const auto& lines = cells[i].lines;
        if (next[i] < lines.size()) rest = std::max(rest, cells[i].height - lines[next[i]].top);
      }
      if (rest + 2 * pad <= room() + kEpsilon) {
        for (std::size_t i = 0; i < cells.size(); ++i) draw_lines(cells[i], next[i], cells[i].lines.size(), y_ + pad);
        y_ += rest + 2 * pad;
        return {};
      }
      // A row that would fit on the next page goes there whole; one that
      // would not starts here, rather than leave this page empty.
      const double fresh_room = geo_.body_bottom() - geo_.body_top() - (header_ != nullptr ? header_->height : 0);
      if (!may_split && !at_fresh_top() && rest + 2 * pad <= fresh_room + kEpsilon) {
        SR_TRY(new_page());
        continue;
      }
      const double avail = room() - 2 * pad;
      double used = 0;
      for (std::size_t i = 0; i < cells.size(); ++i) {
        const auto& lines = cells[i].lines;
        if (next[i] >= lines.size()) continue;
        const double origin = lines[next[i]].top;
        std::size_t end = next[i];
        while (end < lines.size() && lines[end].bottom - origin <= avail + kEpsilon) ++end;
        // A single line taller than a whole page cannot happen with these
        // sizes; draw it anyway rather than loop.
        if (end == next[i] && at_fresh_top()) ++end;
        if (end == next[i]) continue;
        draw_lines(cells[i], next[i], end, y_ + pad);
        used = std::max(used, lines[end - 1].bottom - origin);
        next[i] = end;
      }
      if (used > 0) y_ += used + 2 * pad;
      SR_TRY(new_page());
    }
  }

  void draw_header(const TableHeader& header) {
    for (const auto& cell : header.cells) draw_lines(cell, 0, cell.lines.size(), y_ + kCellPadY);
    y_ += header.height;
    rule(y_, 0.75, kLine);
    fresh_top_ = y_;
  }

  Status new_page() {
    end_page();
    if (page_ >= kMaxPages) {
      return Error::validation("blocks", "the document runs past " + std::to_string(kMaxPages) + " pages");
    }
    ++page_;
    y_ = geo_.body_top();
    fresh_top_ = y_;
    if (header_ != nullptr) draw_header(*header_);
    return {};
  }

  void end_page() {
    if (cr_ == nullptr) return;
    draw_footer();
    cairo_show_page(cr_);
  }

  void draw_footer() {
    const std::string count = "Page " + std::to_string(page_) + " of " + std::to_string(total_pages_);
    const double right = natural_width(ctx_, count, fonts_.footer.get()) + 1;
    const double top = geo_.footer_top();
    const auto number = text_box(ctx_, count, fonts_.footer.get(), geo_.left() + geo_.content_width() - right, right,
                                 Align::Right, kMuted);
    draw_lines(number, 0, number.lines.size(), top);
    if (doc_.footer.empty()) return;
    // The footer's own text gets one line, cut short with an ellipsis.
    GPtr<PangoLayout> layout = new_layout(ctx_, clean_text(doc_.footer, true), fonts_.footer.get());
    pango_layout_set_width(layout.get(), pango_units_from_double(std::max(geo_.content_width() - right - 18, 1.0)));
    pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
    set_color(kMuted);
    cairo_move_to(cr_, geo_.left(), top);
    pango_cairo_show_layout(cr_, layout.get());
  }

  void draw_lines(const TextBox& box, std::size_t from, std::size_t to, double top) {
    if (cr_ == nullptr || from >= to) return;
    set_color(box.color);
    const double origin = box.lines[from].top;
    for (std::size_t i = from; i < to; ++i) {
      const Line& line = box.lines[i];
      cairo_move_to(cr_, box.x + line.x, top + line.baseline - origin);
      pango_cairo_show_layout_line(cr_, line.line);
    }
  }

  void rule(double y, double width, Color color) {
    if (cr_ == nullptr) return;
    set_color(color);
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, geo_.left(), y);
    cairo_line_to(cr_, geo_.left() + geo_.content_width(), y);
    cairo_stroke(cr_);
  }

  void set_color(Color c) { cairo_set_source_rgb(cr_, c.r, c.g, c.b); }

  PangoContext* ctx_;
  const Fonts& fonts_;
  Geometry geo_;
  const Document& doc_;
  cairo_t* cr_;  // null while counting pages
  int total_pages_;
  int page_ = 1;
  std::size_t block_ = 0;                // the block being placed, for errors
  double y_ = 0;                         // the cursor, in points from the top of the page
  double fresh_top_ = 0;                 // where content starts on this page, below a repeated header
  const TableHeader* header_ = nullptr;  // the header row to repeat on new pages, inside a table
};

// ---- Checks ----

Status validate(const Document& doc) {
  if (doc.blocks.size() > kMaxBlocks) {
    return Error::validation("blocks", "has " + std::to_string(doc.blocks.size()) + " blocks; at most " +
                                           std::to_string(kMaxBlocks) + " are allowed");
  }
  std::size_t total = 0;
  std::size_t rows = 0;
  // Counts a piece of text, and says whether it alone is over the cap.
  const auto too_long = [&total](const std::string& text) {
    total += text.size();
    return text.size() > kMaxStringBytes;
  };
  const auto long_text = [](std::string field) {
    return Error::validation(std::move(field), "is longer than " + std::to_string(kMaxStringBytes) + " bytes");
  };
  if (too_long(doc.title)) return long_text("title");
  if (too_long(doc.author)) return long_text("author");
  if (too_long(doc.subject)) return long_text("subject");
  if (too_long(doc.footer)) return long_text("footer");
  if (doc.created && (*doc.created < 0 || *doc.created > 253'402'300'799'999)) {  // 9999-12-31T23:59:59.999Z
    return Error::validation("created", "must fall between the years 1970 and 9999");
  }

  for (std::size_t b = 0; b < doc.blocks.size() && rows <= kMaxRows; ++b) {
    const auto at = [b](const std::string& rest) { return "blocks[" + std::to_string(b) + "]" + rest; };
    const auto index = [](std::size_t i) { return "[" + std::to_string(i) + "]"; };
    const Block& block = doc.blocks[b];
    if (const auto* h = std::get_if<Heading>(&block)) {
      if (h->level != 1 && h->level != 2) return Error::validation(at(".level"), "must be 1 or 2");
      if (too_long(h->text)) return long_text(at(".text"));
    } else if (const auto* p = std::get_if<Paragraph>(&block)) {
      if (too_long(p->text)) return long_text(at(".text"));
    } else if (const auto* kv = std::get_if<KeyValues>(&block)) {
      rows += kv->items.size();
      for (std::size_t i = 0; i < kv->items.size() && rows <= kMaxRows; ++i) {
        if (too_long(kv->items[i].label)) return long_text(at(".items" + index(i) + ".label"));
        if (too_long(kv->items[i].value)) return long_text(at(".items" + index(i) + ".value"));
      }
    } else if (const auto* t = std::get_if<Table>(&block)) {
      if (t->columns.empty() || t->columns.size() > kMaxColumns) {
        return Error::validation(at(".columns"), "must have 1 to " + std::to_string(kMaxColumns) + " columns");
      }
      for (std::size_t c = 0; c < t->columns.size(); ++c) {
        const double w = t->columns[c].width;
        if (!std::isfinite(w) || w <= 0 || w > 1000) {
          return Error::validation(at(".columns" + index(c) + ".width"), "must be a positive share of the line");
        }
        if (too_long(t->columns[c].header)) return long_text(at(".columns" + index(c) + ".header"));
      }
      if (t->summary.size() > t->columns.size()) {
        return Error::validation(at(".summary"), "has more cells than the table has columns");
      }
      for (std::size_t c = 0; c < t->summary.size(); ++c) {
        if (too_long(t->summary[c])) return long_text(at(".summary" + index(c)));
      }
      rows += t->rows.size();
      for (std::size_t r = 0; r < t->rows.size() && rows <= kMaxRows; ++r) {
        const auto& row = t->rows[r];
        if (row.size() > t->columns.size()) {
          return Error::validation(at(".rows" + index(r)), "has " + std::to_string(row.size()) +
                                                               " cells but the table has " +
                                                               std::to_string(t->columns.size()) + " columns");
        }
        for (std::size_t c = 0; c < row.size(); ++c) {
          if (too_long(row[c])) return long_text(at(".rows" + index(r) + index(c)));
        }
      }
    } else if (const auto* s = std::get_if<Spacer>(&block)) {
      if (!std::isfinite(s->points) || s->points < 0 || s->points > 11 * kInch) {
        return Error::validation(at(".points"), "must be between 0 and 792");
      }
    }
  }
  if (rows > kMaxRows) {
    return Error::validation("blocks", "has more than " + std::to_string(kMaxRows) +
                                           " table rows and label/value lines; at most " + std::to_string(kMaxRows) +
                                           " are allowed");
  }
  if (total > kMaxTextBytes) {
    return Error::validation("blocks", "holds " + std::to_string(total) + " bytes of text; at most " +
                                           std::to_string(kMaxTextBytes) + " are allowed");
  }
  return {};
}

// ---- Output ----

// The creation date as Cairo takes it: ISO 8601 in UTC.
std::string iso_date(EpochMs ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{ms}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> hms{floor<seconds>(t - day)};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  // Called from C: an exception must not unwind through Cairo.
  try {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  } catch (...) {
    return CAIRO_STATUS_WRITE_ERROR;
  }
}

// A Pango font map must not be used by two threads at once. The process-wide
// default one (pango_cairo_font_map_get_default) is per thread too, but any
// other code on the thread may change its resolution or options. So each
// thread that renders keeps a map of its own: it is never shared, and its font
// and shaping caches survive from one render to the next, where a new map
// per render would load and measure the fonts again every time.
PangoFontMap* thread_font_map() {
  thread_local const GPtr<PangoFontMap> map(pango_cairo_font_map_new());
  return map.get();
}

// Measures text as the PDF surface will draw it: unhinted metrics and
// unrounded glyph positions (a PDF is scaled, not drawn on a pixel grid), and
// sizes in points.
GPtr<PangoContext> pdf_context() {
  PangoFontMap* map = thread_font_map();
  if (map == nullptr) return nullptr;
  GPtr<PangoContext> ctx(pango_font_map_create_context(map));
  if (!ctx) return nullptr;
  const FontOptionsPtr options(cairo_font_options_create());
  cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options(ctx.get(), options.get());
  pango_cairo_context_set_resolution(ctx.get(), kInch);
  pango_context_set_round_glyph_positions(ctx.get(), FALSE);
  return ctx;
}

void set_metadata(cairo_surface_t* surface, cairo_pdf_metadata_t key, const std::string& value) {
  if (!value.empty()) cairo_pdf_surface_set_metadata(surface, key, clean_text(value, true).c_str());
}

}  // namespace

Result<std::string> render_pdf(const Document& doc) {
  SR_TRY(validate(doc));
  const auto ctx = pdf_context();
  if (!ctx) return Error::internal("pdf: could not set up text layout");
  const Fonts fonts;
  const Geometry geo = geometry(doc.page_size);

  Composer counter(ctx.get(), fonts, geo, doc, nullptr, 0);
  SR_TRY(counter.run());
  const int total = counter.pages();

  std::string out;
  const SurfacePtr surface(cairo_pdf_surface_create_for_stream(append_bytes, &out, geo.width, geo.height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Error::internal(std::string("pdf: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, doc.title);
  set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR, doc.author);
  set_metadata(surface.get(), CAIRO_PDF_METADATA_SUBJECT, doc.subject);
  set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Staffroom");
  if (doc.created) set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, iso_date(*doc.created));

  {
    const CairoPtr cr(cairo_create(surface.get()));
    Composer painter(ctx.get(), fonts, geo, doc, cr.get(), total);
    SR_TRY(painter.run());
    if (painter.pages() != total) {
      return Error::internal("pdf: the page count changed between passes (" + std::to_string(total) + " then " +
                             std::to_string(painter.pages()) + ")");
    }
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
      return Error::internal(std::string("pdf: ") + cairo_status_to_string(cairo_status(cr.get())));
    }
  }
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Error::internal(std::string("pdf: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  return out;
}

}  // namespace staffroom::pdf
