#include "core/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace staffroom {

namespace {

struct ParserDeleter {
  void operator()(cmark_parser* p) const { cmark_parser_free(p); }
};
struct NodeDeleter {
  void operator()(cmark_node* n) const { cmark_node_free(n); }
};
struct CharDeleter {
  void operator()(char* s) const { std::free(s); }  // NOLINT(cppcoreguidelines-no-malloc): cmark allocates with malloc
};

constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_NORMALIZE;  // without CMARK_OPT_UNSAFE: raw HTML is omitted

// A parsed document; the parser stays alive because the renderer needs its
// list of syntax extensions.
struct Document {
  std::unique_ptr<cmark_parser, ParserDeleter> parser;
  std::unique_ptr<cmark_node, NodeDeleter> root;
  cmark_llist* extensions() const { return cmark_parser_get_syntax_extensions(parser.get()); }
};

Document parse(std::string_view markdown) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
  Document d;
  d.parser.reset(cmark_parser_new(kOptions));
  for (const char* name : {"table", "strikethrough", "autolink", "tagfilter"}) {
    if (auto* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(d.parser.get(), ext);
    }
  }
  cmark_parser_feed(d.parser.get(), markdown.data(), markdown.size());
  d.root.reset(cmark_parser_finish(d.parser.get()));
  return d;
}

}  // namespace

std::string render_markdown(std::string_view markdown) {
  auto doc = parse(markdown);
  if (!doc.root) return {};
  std::unique_ptr<char, CharDeleter> html(cmark_render_html(doc.root.get(), kOptions, doc.extensions()));
  return html ? std::string(html.get()) : std::string();
}

std::string markdown_to_text(std::string_view markdown) {
  auto doc = parse(markdown);
  if (!doc.root) return {};
  std::unique_ptr<char, CharDeleter> text(cmark_render_plaintext(doc.root.get(), kOptions, 0));
  std::string out;
  bool space = false;
  for (const char* p = text ? text.get() : ""; *p; ++p) {
    const char ch = *p;
    if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(ch);
  }
  return out;
}

}  // namespace staffroom
