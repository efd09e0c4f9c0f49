// RDF terms, quads and N-Quads: the data model the linked-data proofs work on.
//
// A Dataset is an ordered list of quads; order carries no meaning (RDF
// datasets are sets) but is kept so output is reproducible. Parsing accepts
// the N-Quads grammar (RDF 1.1); serializing writes canonical N-Quads as
// RDFC-1.0 defines them (the form that is hashed and signed).
//
// The parser also holds the text to what the grammar leaves to prose: input
// must be UTF-8, IRIs absolute, and no escape may name a surrogate or, in an
// IRI, a character IRIs exclude. Language tags are kept as written (RDFC-1.0
// as deployed does not lower-case them, so neither does this).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace staffroom::ld {

inline constexpr std::string_view kXsdString = "http://www.w3.org/2001/XMLSchema#string";
inline constexpr std::string_view kRdfLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

enum class TermKind { Iri, BlankNode, Literal, DefaultGraph };

struct Term {
  TermKind kind = TermKind::DefaultGraph;
  // IRI text, blank node label without "_:", or the literal's lexical form.
  std::string value;
  // Literals only: the datatype IRI (xsd:string when none was written,
  // rdf:langString when a language is set) and the language tag.
  std::string datatype;
  std::string language;

  static Term iri(std::string v) { return {TermKind::Iri, std::move(v), {}, {}}; }
  static Term blank(std::string label) { return {TermKind::BlankNode, std::move(label), {}, {}}; }
  static Term literal(std::string v, std::string datatype = std::string(kXsdString), std::string language = {}) {
    return {TermKind::Literal, std::move(v), std::move(datatype), std::move(language)};
  }
  static Term default_graph() { return {}; }
  bool operator==(const Term&) const = default;
};

struct Quad {
  Term subject;
  Term predicate;
  Term object;
  Term graph;  // TermKind::DefaultGraph for the default graph
  bool operator==(const Quad&) const = default;
};

using Dataset = std::vector<Quad>;

// Parses N-Quads text. An error (BadRequest) names the line and what is wrong.
Result<Dataset> parse_nquads(std::string_view text);
// One quad as a canonical N-Quads line, with its terminating "\n".
std::string to_nquad(const Quad& quad);
// Every quad, in the order given.
std::string to_nquads(const Dataset& dataset);

// The same, appended to out: for code that writes many lines into one buffer.
void append_nquad(std::string& out, const Quad& quad);
// One term as canonical N-Quads writes it (a blank node as "_:" + label;
// nothing for the default graph). Canonicalization uses it to write quads
// whose blank nodes it relabels without copying them.
void append_term(std::string& out, const Term& term);

}  // namespace staffroom::ld
