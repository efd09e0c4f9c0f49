// JSON-LD 1.1 expansion and deserialization to RDF, for the documents a
// credential issuer and verifier handle.
//
// Contexts are never fetched: every remote context is asked of a
// DocumentLoader, and the one the server uses serves only the contexts
// bundled with the binary (ld/contexts.hpp). In safe mode, which proofs use,
// a term or type that the contexts do not define is an error instead of
// being dropped silently, so nothing signed can be unsigned data.
#pragma once

#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "ld/rdf.hpp"

namespace staffroom::ld {

// The parsed context document for a URL, or nullopt when the loader does
// not know it (which makes processing fail with an error naming the URL).
using DocumentLoader = std::function<std::optional<boost::json::value>(std::string_view url)>;

struct JsonLdOptions {
  DocumentLoader loader;
  std::string base;  // base IRI of the document; empty for none
  bool safe = true;  // undefined terms, types and relative IRIs are errors
};

// Expanded form (JSON-LD 1.1 Processing Algorithms, section 5).
Result<boost::json::value> expand(const boost::json::value& document, const JsonLdOptions& options);

// Deserialization to an RDF dataset (section 8.1), blank nodes labelled
// b0, b1, ... in document order. Native numbers and booleans become typed
// literals in their canonical lexical forms; lists become rdf:first/rest.
Result<Dataset> to_rdf(const boost::json::value& document, const JsonLdOptions& options);

}  // namespace staffroom::ld
