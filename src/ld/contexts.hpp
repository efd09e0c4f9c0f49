// The JSON-LD contexts bundled with the binary, and the document loader that
// serves them.
//
// Credentials name their vocabularies by context URL. Fetching those URLs
// while signing or verifying would let whoever serves them change what a
// signature covers, so the server knows a fixed set: the files under
// contexts/ (see contexts/README.md for each one's origin), embedded at build
// time by cmake/EmbedContexts.cmake. A URL outside the set is unknown, and a
// document that names it fails with an error naming the URL.
#pragma once

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ld/jsonld.hpp"

namespace staffroom::ld {

// One embedded context file: its URL, file name under contexts/, and text.
struct EmbeddedContext {
  std::string_view url;
  std::string_view file;
  std::string_view text;
};

// Every embedded context, in index order. Defined in the source that
// cmake/GenerateContexts.cmake writes.
const std::vector<EmbeddedContext>& embedded_contexts();

// The loader object behind bundled_contexts(). It is a named type so that the
// JSON-LD processor can recognise it (std::function::target), read bundled
// contexts in place and share processed contexts between documents, instead
// of copying and re-processing the same few contexts for every credential.
struct BundledContextLoader {
  DocumentLoader fallback;  // asked for URLs that are not bundled; may be empty
  std::optional<boost::json::value> operator()(std::string_view url) const;
};

// A loader that serves only the bundled contexts. Safe to call from any
// thread; the documents are parsed once, on first use.
DocumentLoader bundled_contexts();
// The bundled contexts first, then `fallback` for any other URL (contexts
// kept for tests, say). Prefer this to wrapping bundled_contexts() in a
// lambda: a wrapper hides the bundled loader from the processor, which then
// has to copy and compare each bundled context on every call.
DocumentLoader bundled_contexts(DocumentLoader fallback);

// The parsed bundled context for url, or nullptr. The document lives as long
// as the process and never changes.
const boost::json::value* find_bundled_context(std::string_view url);

// The URLs of every bundled context, sorted.
std::vector<std::string> bundled_context_urls();

}  // namespace staffroom::ld
