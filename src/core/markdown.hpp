// Markdown to HTML with cmark-gfm (GitHub Flavored Markdown: tables,
// strikethrough, autolinks). Raw HTML is never passed through and links with
// unsafe schemes (javascript:, data: other than images, vbscript:) are dropped,
// so the result can be placed in a page as it is.
#pragma once

#include <string>
#include <string_view>

namespace staffroom {

std::string render_markdown(std::string_view markdown);

// The text without Markdown syntax, collapsed to single spaces: for search
// indexes and summaries.
std::string markdown_to_text(std::string_view markdown);

}  // namespace staffroom
