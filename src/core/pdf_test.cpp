#include "core/pdf.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace staffroom;

// Fontconfig leaks 288 bytes, once, while parsing its configuration files
// (FcInitLoadConfigAndFonts), and LeakSanitizer (the sanitizer build runs
// with detect_leaks=1) would fail the program on it. The default unwinder
// cannot walk through fontconfig (no frame pointers) to see that function,
// so the suppression names the library: allocations made inside it.
extern "C" const char* __lsan_default_suppressions() {  // NOLINT(bugprone-reserved-identifier)
  return "leak:libfontconfig.so\n";
}

namespace {

// ---- Looking inside the output ----

bool is_pdf(const std::string& bytes) {
  if (!bytes.starts_with("%PDF-")) return false;
  std::string_view tail(bytes);
  while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.remove_suffix(1);
  return tail.ends_with("%%EOF");
}

// Cairo writes no object streams, so page objects can be counted in the raw
// bytes ("/Type /Pages" is the page tree, not a page).
int raw_page_count(const std::string& bytes) {
  static const std::regex page(R"(/Type\s*/Page[^s])");
  return static_cast<int>(
      std::distance(std::sregex_iterator(bytes.begin(), bytes.end(), page), std::sregex_iterator()));
}

std::string find_tool(const std::string& name) {
  const char* path = std::getenv("PATH");  // NOLINT(concurrency-mt-unsafe): read before any thread starts
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = dir;
    candidate += '/';
    candidate += name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

// Runs a poppler tool on the PDF (`tool args file after`) and returns what it
// prints; empty when it cannot run.
std::string poppler(const std::string& tool, const std::string& args, const std::string& bytes,
                    const std::string& after = "-") {
  static std::atomic<int> counter{0};
  const auto file = std::filesystem::temp_directory_path() /
                    ("staffroom-pdf-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".pdf");
  {
    std::ofstream out(file, std::ios::binary);
    out << bytes;
  }
  std::string text;
  const std::string command = tool + " " + args + " '" + file.string() + "' " + after + " 2>/dev/null";
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) text.append(buf, n);
    ::pclose(pipe);
  }
  std::filesystem::remove(file);
  return text;
}

// The text of each page, as `pdftotext -layout` lays it out.
std::vector<std::string> pages_text(const std::string& bytes) {
  std::vector<std::string> pages;
  std::stringstream all(poppler(find_tool("pdftotext"), "-layout", bytes));
  std::string page;
  while (std::getline(all, page, '\f')) pages.push_back(page);
  if (!pages.empty() && pages.back().find_first_not_of(" \n") == std::string::npos) pages.pop_back();
  return pages;
}

int count_of(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

#define REQUIRE_PDFTOTEXT()                                       \
  do {                                                            \
    if (find_tool("pdftotext").empty())                           \
      GTEST_SKIP() << "pdftotext (poppler-utils) not installed; " \
                      "text checks skipped";                      \
  } while (0)

// ---- Documents ----

pdf::Table activity_table(int rows) {
  pdf::Table t;
  t.columns = {{"Date", 1.2, pdf::Align::Left}, {"Activity", 4, pdf::Align::Left}, {"Hours", 0.8, pdf::Align::Right}};
  for (int i = 1; i <= rows; ++i) {
    char label[32];
    std::snprintf(label, sizeof label, "Activity %03d", i);
    t.rows.push_back({"2026-03-01", label, std::to_string(i % 5) + ".5"});
  }
  return t;
}

pdf::Document titled(std::string title) {
  pdf::Document d;
  d.title = std::move(title);
  d.author = "Springfield Public Schools";
  d.subject = "Professional learning";
  d.created = 1785585600000;  // 2026-08-01T12:00:00Z
  d.footer = "Springfield Public Schools · transcript of Ada Lovelace";
  return d;
}

pdf::Document transcript(int rows) {
  pdf::Document d = titled("Professional learning transcript");
  d.blocks.emplace_back(pdf::Heading{1, "Professional learning transcript"});
  d.blocks.emplace_back(pdf::KeyValues{{{"Educator", "Ada Lovelace"}, {"School", "Springfield Elementary"}}});
  d.blocks.emplace_back(pdf::Rule{});
  d.blocks.emplace_back(pdf::Heading{2, "Completed activities"});
  auto table = activity_table(rows);
  table.summary = {"", "Total", "123.5"};
  d.blocks.emplace_back(std::move(table));
  d.blocks.emplace_back(pdf::Paragraph{"Hours are clock hours of attendance.", true, true});
  return d;
}

std::string render(const pdf::Document& d) {
  auto r = pdf::render_pdf(d);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
  return r.ok() ? std::move(r).value() : std::string();
}

}  // namespace

// ---- Structure ----

TEST(Pdf, EmptyDocumentIsOneValidPage) {
  const std::string bytes = render(pdf::Document{});
  EXPECT_TRUE(is_pdf(bytes));
  EXPECT_EQ(raw_page_count(bytes), 1);
  EXPECT_NE(bytes.find("/MediaBox [ 0 0 612 792 ]"), std::string::npos) << "US Letter by default";

  REQUIRE_PDFTOTEXT();
  const auto pages = pages_text(bytes);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_NE(pages[0].find("Page 1 of 1"), std::string::npos);
}

TEST(Pdf, A4PagesWhenAsked) {
  pdf::Document d = transcript(3);
  d.page_size = pdf::PageSize::A4;
  const std::string bytes = render(d);
  EXPECT_TRUE(is_pdf(bytes));
  static const std::regex media(R"(/MediaBox \[ 0 0 595\.2\d* 841\.8\d* \])");
  EXPECT_TRUE(std::regex_search(bytes, media));
}

TEST(Pdf, WritesMetadata) {
  pdf::Document d = transcript(2);
  const std::string bytes = render(d);
  // ASCII strings are written literally; the rest as UTF-16.
  EXPECT_NE(bytes.find("/Title (Professional learning transcript)"), std::string::npos);
  EXPECT_NE(bytes.find("/Author (Springfield Public Schools)"), std::string::npos);
  EXPECT_NE(bytes.find("/Subject (Professional learning)"), std::string::npos);
  EXPECT_NE(bytes.find("/Creator (Staffroom)"), std::string::npos);
  // Cairo 1.16 leaves out the "D:" prefix; readers take the date either way.
  static const std::regex created(R"(/CreationDate \((D:)?20260801120000)");
  EXPECT_TRUE(std::regex_search(bytes, created));

  const std::string pdfinfo = find_tool("pdfinfo");
  if (pdfinfo.empty()) GTEST_SKIP() << "pdfinfo (poppler-utils) not installed; Unicode title check skipped";
  d.title = "Transcript — Zoë Ñúñez";
  const std::string info = poppler(pdfinfo, "", render(d), "");
  EXPECT_NE(info.find("Transcript — Zoë Ñúñez"), std::string::npos) << info;
  EXPECT_NE(info.find("Creator:         Staffroom"), std::string::npos) << info;
}

TEST(Pdf, SameDocumentSameBytes) {
  const pdf::Document d = transcript(40);
  EXPECT_EQ(render(d), render(d));
}

// ---- Text ----

TEST(Pdf, UnicodeTextIsRealText) {
  pdf::Document d = titled("Unicode");
  d.blocks.emplace_back(pdf::Heading{1, "Zoë Ñúñez — 1½ hours"});
  d.blocks.emplace_back(pdf::Paragraph{"Ça va, Łódź, Ærøskøbing, Straße, naïve café"});
  const std::string bytes = render(d);
  ASSERT_TRUE(is_pdf(bytes));

  REQUIRE_PDFTOTEXT();
  const auto pages = pages_text(bytes);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_NE(pages[0].find("Zoë Ñúñez — 1½ hours"), std::string::npos) << pages[0];
  EXPECT_NE(pages[0].find("Ça va, Łódź, Ærøskøbing, Straße, naïve café"), std::string::npos) << pages[0];
  EXPECT_NE(pages[0].find("transcript of Ada Lovelace"), std::string::npos) << pages[0];
}

TEST(Pdf, LongParagraphsWrapAndFlowOntoNextPage) {
  pdf::Document d = titled("Long");
  std::string text;
  for (int i = 0; i < 1200; ++i) text += "word" + std::to_string(i) + " ";
  d.blocks.emplace_back(pdf::Paragraph{text});
  const std::string bytes = render(d);
  EXPECT_GE(raw_page_count(bytes), 2);

  REQUIRE_PDFTOTEXT();
  // Every word once and in order: lines split between pages are neither lost
  // nor repeated.
  std::vector<std::string> words;
  for (const auto& page : pages_text(bytes)) {
    std::stringstream in(page);
    std::string word;
    while (in >> word) {
      if (word.starts_with("word")) words.push_back(word);
    }
  }
  ASSERT_EQ(words.size(), 1200u);
  for (std::size_t i = 0; i < words.size(); ++i) EXPECT_EQ(words[i], "word" + std::to_string(i));
}

TEST(Pdf, BadBytesAndControlCharactersDoNotFail) {
  pdf::Document d = titled(std::string("bad \xff title"));
  d.footer = std::string("foot\ner\x01 \xc3");
  // A bad continuation byte, an encoded surrogate, controls and a NUL.
  constexpr char messy[] = "a\xc3\x28z \xed\xa0\x80 b\x07\x1b[31m c\0d";
  d.blocks.emplace_back(pdf::Paragraph{std::string(messy, sizeof messy - 1)});
  pdf::Table t;
  t.columns = {{"A\tB", 1, pdf::Align::Left}};
  t.rows = {{std::string("\xf0\x9f\x98")}, {"\r\nx\ry"}};
  d.blocks.emplace_back(t);
  const std::string bytes = render(d);
  EXPECT_TRUE(is_pdf(bytes));

  REQUIRE_PDFTOTEXT();
  const auto pages = pages_text(bytes);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_NE(pages[0].find("a\xEF\xBF\xBD(z"), std::string::npos) << pages[0];
  EXPECT_NE(pages[0].find("[31m cd"), std::string::npos) << pages[0];
  EXPECT_NE(pages[0].find("foot er"), std::string::npos) << pages[0];
}

TEST(Pdf, OverlongWordsBreakWithoutHyphensOrLoss) {
  pdf::Document d = titled("Long words");
  pdf::Table t;
  t.columns = {{"Identifier", 1, pdf::Align::Left}, {"Note", 3, pdf::Align::Left}};
  t.rows = {{std::string(120, 'x'), std::string(5000, 'y')}};
  d.blocks.emplace_back(t);
  const std::string bytes = render(d);
  ASSERT_TRUE(is_pdf(bytes));

  REQUIRE_PDFTOTEXT();
  std::string all;
  for (const auto& p : pages_text(bytes)) all += p;
  EXPECT_EQ(std::count(all.begin(), all.end(), 'x'), 120);
  EXPECT_EQ(std::count(all.begin(), all.end(), 'y'), 5000);
  EXPECT_EQ(all.find('-'), std::string::npos) << "no hyphen inserted where a word was broken";
}

TEST(Pdf, RightAlignedColumnsShareTheirRightEdge) {
  pdf::Document d = titled("Alignment");
  pdf::Table t;
  t.columns = {{"Activity", 3, pdf::Align::Left}, {"Hours", 1, pdf::Align::Right}};
  t.rows = {{"A", "1.5"}, {"B", "12.25"}, {"C", "1234.75"}};
  d.blocks.emplace_back(t);
  const std::string bytes = render(d);

  const std::string tool = find_tool("pdftotext");
  if (tool.empty()) GTEST_SKIP() << "pdftotext (poppler-utils) not installed; alignment check skipped";
  const std::string html = poppler(tool, "-bbox", bytes);
  std::vector<double> right_edges;
  for (const char* word : {"1.5", "12.25", "1234.75", "Hours"}) {
    std::string escaped;
    for (const char ch : std::string_view(word)) {
      if (ch == '.') escaped += '\\';
      escaped += ch;
    }
    const std::regex box(R"re(xMax="([0-9.]+)"[^>]*>)re" + escaped + "<");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(html, m, box)) << word << "\n" << html;
    right_edges.push_back(std::stod(m[1].str()));
  }
  for (const double x : right_edges) EXPECT_NEAR(x, right_edges[0], 0.5);
  // The column ends at the right margin, less the cell padding.
  EXPECT_NEAR(right_edges[0], 612 - 54 - 4, 1.0);
}

// ---- Pages ----

TEST(Pdf, LongTableBreaksPagesAndRepeatsItsHeader) {
  const std::string bytes = render(transcript(300));
  ASSERT_TRUE(is_pdf(bytes));
  const int count = raw_page_count(bytes);
  EXPECT_GE(count, 4);

  REQUIRE_PDFTOTEXT();
  const auto pages = pages_text(bytes);
  ASSERT_EQ(static_cast<int>(pages.size()), count);
  std::string all;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const auto& page = pages[i];
    static const std::regex header(R"((^|\n)\s*Date\s+Activity\s+Hours\s*\n)");
    EXPECT_TRUE(std::regex_search(page, header)) << "no header row on page " << i + 1 << ":\n" << page;
    const std::string footer = "Page " + std::to_string(i + 1) + " of " + std::to_string(count);
    EXPECT_EQ(count_of(page, footer), 1) << page;
    EXPECT_EQ(count_of(page, "Springfield Public Schools · transcript of Ada Lovelace"), 1) << page;
    all += page;
  }
  // Every row exactly once, in order.
  std::size_t at = 0;
  for (int i = 1; i <= 300; ++i) {
    char label[32];
    std::snprintf(label, sizeof label, "Activity %03d", i);
    EXPECT_EQ(count_of(all, label), 1) << label;
    const auto found = all.find(label);
    EXPECT_TRUE(found != std::string::npos && found >= at) << label;
    if (found != std::string::npos) at = found;
  }
  EXPECT_EQ(count_of(all, "Total"), 1);
  EXPECT_NE(pages.back().find("Hours are clock hours"), std::string::npos);
}

TEST(Pdf, FooterSaysPageNOfM) {
  pdf::Document d = titled("Three pages");
  for (int p = 1; p <= 3; ++p) {
    d.blocks.emplace_back(pdf::Heading{1, "Part " + std::to_string(p)});
    d.blocks.emplace_back(pdf::Spacer{720});  // runs past the page: ends it
  }
  const std::string bytes = render(d);
  EXPECT_EQ(raw_page_count(bytes), 3);

  REQUIRE_PDFTOTEXT();
  const auto pages = pages_text(bytes);
  ASSERT_EQ(pages.size(), 3u);
  for (int p = 1; p <= 3; ++p) {
    const auto& page = pages[static_cast<std::size_t>(p - 1)];
    EXPECT_NE(page.find("Part " + std::to_string(p)), std::string::npos) << page;
    EXPECT_NE(page.find("Page " + std::to_string(p) + " of 3"), std::string::npos) << page;
  }
}

TEST(Pdf, RowTallerThanAPageIsSplitNotLost) {
  pdf::Document d = titled("Tall");
  pdf::Table t;
  t.columns = {{"Note", 1, pdf::Align::Left}, {"Hours", 1, pdf::Align::Right}};
  std::string note;
  for (int i = 0; i < 200; ++i) note += "line" + std::to_string(i) + "\n";
  t.rows = {{"before", "1"}, {note, "2"}, {"after", "3"}};
  d.blocks.emplace_back(t);
  const std::string bytes = render(d);
  EXPECT_GE(raw_page_count(bytes), 3);

  REQUIRE_PDFTOTEXT();
  std::vector<std::string> words;
  for (const auto& page : pages_text(bytes)) {
    std::stringstream in(page);
    std::string word;
    while (in >> word) {
      if (word.starts_with("line") || word == "before" || word == "after") words.push_back(word);
    }
  }
  ASSERT_EQ(words.size(), 202u);
  EXPECT_EQ(words.front(), "before");
  for (std::size_t i = 0; i < 200; ++i) EXPECT_EQ(words[i + 1], "line" + std::to_string(i));
  EXPECT_EQ(words.back(), "after");
}

TEST(Pdf, HeadingIsNotLeftAloneAtTheFootOfAPage) {
  pdf::Document d = titled("Keep");
  d.blocks.emplace_back(pdf::Paragraph{"filler"});
  d.blocks.emplace_back(pdf::Spacer{620});  // a little room left on page 1
  d.blocks.emplace_back(pdf::Heading{2, "Next section"});
  d.blocks.emplace_back(pdf::Paragraph{"Its first paragraph."});
  const std::string bytes = render(d);
  REQUIRE_PDFTOTEXT();
  const auto pages = pages_text(bytes);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(pages[0].find("Next section"), std::string::npos) << pages[0];
  EXPECT_NE(pages[1].find("Next section"), std::string::npos) << pages[1];
}

// ---- Limits and errors ----

TEST(Pdf, RejectsWhatItCannotDraw) {
  const auto field_of = [](const pdf::Document& d) {
    auto r = pdf::render_pdf(d);
    if (r.ok()) return std::string("(rendered)");
    EXPECT_EQ(r.error().code, ErrorCode::Validation);
    return r.error().fields.empty() ? std::string() : r.error().fields[0].field;
  };
  {
    pdf::Document d;
    d.blocks.emplace_back(pdf::Heading{3, "x"});
    EXPECT_EQ(field_of(d), "blocks[0].level");
  }
  {
    pdf::Document d;
    d.blocks.emplace_back(pdf::Paragraph{"x"});
    d.blocks.emplace_back(pdf::Table{});
    EXPECT_EQ(field_of(d), "blocks[1].columns");
  }
  {
    pdf::Document d;
    pdf::Table t = activity_table(3);
    t.columns[1].width = std::nan("");
    d.blocks.emplace_back(t);
    EXPECT_EQ(field_of(d), "blocks[0].columns[1].width");
    t.columns[1].width = -1;
    d.blocks[0] = t;
    EXPECT_EQ(field_of(d), "blocks[0].columns[1].width");
  }
  {
    pdf::Document d;
    pdf::Table t = activity_table(3);
    t.rows[2].emplace_back("one too many");
    d.blocks.emplace_back(t);
    EXPECT_EQ(field_of(d), "blocks[0].rows[2]");
  }
  {
    pdf::Document d;
    d.blocks.emplace_back(pdf::Spacer{-5});
    EXPECT_EQ(field_of(d), "blocks[0].points");
  }
  {
    pdf::Document d;
    d.created = -1;
    EXPECT_EQ(field_of(d), "created");
  }
  {
    pdf::Document d;
    pdf::Table t;
    std::string header;
    for (int i = 0; i < 2000; ++i) header += "word ";
    t.columns = {{header, 1, pdf::Align::Left}};
    d.blocks.emplace_back(pdf::Paragraph{"x"});
    d.blocks.emplace_back(t);
    EXPECT_EQ(field_of(d), "blocks[1].columns");
  }
}

TEST(Pdf, CapsRowsTextAndPages) {
  {
    pdf::Document d;
    d.blocks.emplace_back(activity_table(6000));
    d.blocks.emplace_back(activity_table(4001));
    auto r = pdf::render_pdf(d);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().detail.find("10000"), std::string::npos) << r.error().detail;
  }
  {
    pdf::Document d;
    d.blocks.emplace_back(pdf::Paragraph{"fine"});
    d.blocks.emplace_back(pdf::Paragraph{std::string(pdf::kMaxStringBytes + 1, 'x')});
    auto r = pdf::render_pdf(d);
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "blocks[1].text");
  }
  {
    pdf::Document d;
    for (std::size_t n = 0; n <= pdf::kMaxTextBytes; n += pdf::kMaxStringBytes) {
      d.blocks.emplace_back(pdf::Paragraph{std::string(pdf::kMaxStringBytes, 'x')});
    }
    auto r = pdf::render_pdf(d);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().detail.find("bytes of text"), std::string::npos) << r.error().detail;
  }
  {
    pdf::Document d;
    for (int i = 0; i < 1200; ++i) {
      d.blocks.emplace_back(pdf::Paragraph{"page"});
      d.blocks.emplace_back(pdf::Spacer{700});
    }
    auto r = pdf::render_pdf(d);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().detail.find("pages"), std::string::npos) << r.error().detail;
  }
}

// ---- Threads ----

TEST(Pdf, RendersOnSeveralThreadsAtOnce) {
  const pdf::Document d = transcript(120);
  const std::string expected = render(d);
  std::vector<std::string> out(4);
  std::vector<std::thread> threads;
  threads.reserve(out.size());
  for (auto& o : out) {
    threads.emplace_back([&d, &o] {
      for (int i = 0; i < 3; ++i) {
        auto r = pdf::render_pdf(d);
        o = r.ok() ? std::move(r).value() : std::string("error");
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& o : out) EXPECT_EQ(o, expected);
}
