#include "ld/contexts.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <functional>
#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace staffroom::ld {
namespace {

struct UrlHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

using ParsedContexts = std::unordered_map<std::string, boost::json::value, UrlHash, std::equal_to<>>;

// Parsed on first use (a function-local static, so initialisation is
// thread-safe) and immutable afterwards, so readers need no lock.
const ParsedContexts& parsed_contexts() {
  static const ParsedContexts parsed = [] {
    ParsedContexts map;
    for (const EmbeddedContext& context : embedded_contexts()) {
      boost::system::error_code ec;
      boost::json::value document = boost::json::parse(context.text, ec);
      // The files are checked into the repository and embedded at build
      // time: one that does not parse is a build defect, not an input error.
      if (ec) throw std::logic_error("bundled context " + std::string(context.file) + " is not JSON: " + ec.message());
      map.emplace(std::string(context.url), std::move(document));
    }
    return map;
  }();
  return parsed;
}

}  // namespace

std::optional<boost::json::value> BundledContextLoader::operator()(std::string_view url) const {
  const boost::json::value* document = find_bundled_context(url);
  if (document != nullptr) return *document;
  if (fallback) return fallback(url);
  return std::nullopt;
}

DocumentLoader bundled_contexts() {
  return BundledContextLoader{};
}

DocumentLoader bundled_contexts(DocumentLoader fallback) {
  return BundledContextLoader{std::move(fallback)};
}

const boost::json::value* find_bundled_context(std::string_view url) {
  const ParsedContexts& contexts = parsed_contexts();
  auto it = contexts.find(url);
  return it == contexts.end() ? nullptr : &it->second;
}

std::vector<std::string> bundled_context_urls() {
  std::vector<std::string> urls;
  for (const EmbeddedContext& context : embedded_contexts()) urls.emplace_back(context.url);
  std::sort(urls.begin(), urls.end());
  return urls;
}

}  // namespace staffroom::ld
