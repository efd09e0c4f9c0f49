// N-Quads and RDFC-1.0 canonicalization: the W3C rdf-canon suite, read from
// its manifest at run time so every published test runs, plus focused tests
// of parsing, canonical escaping and relabelling invariance.
//
// The vectors are kept, as published, under tests/vectors. Set
// STAFFROOM_VECTORS to another copy, or STAFFROOM_SOURCE_DIR to the source
// root; otherwise they are found relative to this file.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/crypto.hpp"
#include "ld/rdf.hpp"
#include "ld/rdfc.hpp"

namespace staffroom::ld {
namespace {

namespace fs = std::filesystem;

// Refusing a poison dataset must itself be cheap, or the bound protects
// nothing: tens of milliseconds in an optimized build (bench and the fuzz
// target watch the speed). The test allows unoptimized and sanitizer builds
// on a busy machine ten seconds; without the bound these inputs run for
// minutes, so the test still tells the two apart.
constexpr double kRefusalSeconds = 10.0;

// ---------------------------------------------------------------------------
// Locating and reading the vectors

bool has_vectors(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "rdf-canon" / "manifest.jsonld", ec);
}

std::optional<fs::path> vectors_dir() {
  std::vector<fs::path> candidates;
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read before any test starts a thread
  if (const char* dir = std::getenv("STAFFROOM_VECTORS"); dir != nullptr && *dir != '\0') {
    fs::path given(dir);
    if (!given.has_filename()) given = given.parent_path();  // a trailing '/'
    candidates.push_back(given);
    candidates.push_back(given.parent_path());  // pointed at rdf-canon/ itself
  }
  // NOLINTNEXTLINE(concurrency-mt-unsafe)
  if (const char* dir = std::getenv("STAFFROOM_SOURCE_DIR"); dir != nullptr && *dir != '\0') {
    candidates.push_back(fs::path(dir) / "tests" / "vectors");
  }
  // src/ld/rdfc_test.cpp -> <source root>/tests/vectors
  candidates.push_back(fs::path(__FILE__).parent_path() / ".." / ".." / "tests" / "vectors");
  for (const fs::path& dir : candidates) {
    if (has_vectors(dir)) return fs::weakly_canonical(dir);
  }
  return std::nullopt;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct ManifestEntry {
  std::string id;  // "test001c"
  std::string type;
  std::string name;
  std::string action;
  std::string result;
  HashAlgorithm hash = HashAlgorithm::Sha256;
};

std::string string_field(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::vector<ManifestEntry> load_manifest() {
  std::vector<ManifestEntry> entries;
  const std::optional<fs::path> dir = vectors_dir();
  if (!dir) return entries;
  boost::system::error_code ec;
  const boost::json::value manifest = boost::json::parse(read_file(*dir / "rdf-canon" / "manifest.jsonld"), ec);
  if (ec || !manifest.is_object()) return entries;
  const boost::json::value* list = manifest.as_object().if_contains("entries");
  if (list == nullptr || !list->is_array()) return entries;
  for (const boost::json::value& item : list->as_array()) {
    if (!item.is_object()) continue;
    const boost::json::object& object = item.as_object();
    ManifestEntry entry;
    entry.id = string_field(object, "id");
    if (!entry.id.empty() && entry.id.front() == '#') entry.id.erase(0, 1);
    entry.type = string_field(object, "type");
    entry.name = string_field(object, "name");
    entry.action = string_field(object, "action");
    entry.result = string_field(object, "result");
    const std::string hash = string_field(object, "hashAlgorithm");
    entry.hash = hash == "SHA384" ? HashAlgorithm::Sha384 : HashAlgorithm::Sha256;
    entries.push_back(std::move(entry));
  }
  return entries;
}

const std::vector<ManifestEntry>& manifest() {
  static const std::vector<ManifestEntry> entries = load_manifest();
  return entries;
}

fs::path rdf_canon_file(const std::string& relative) {
  return *vectors_dir() / "rdf-canon" / relative;
}

Dataset parse_or_fail(std::string_view text) {
  Result<Dataset> dataset = parse_nquads(text);
  if (!dataset) {
    ADD_FAILURE() << "parse failed: " << dataset.error().detail;
    return {};
  }
  return std::move(dataset).value();
}

std::string canonical_or_fail(const Dataset& dataset, const CanonicalizeOptions& options = {}) {
  Result<Canonicalized> result = canonicalize(dataset, options);
  if (!result) {
    ADD_FAILURE() << "canonicalize failed: " << result.error().detail;
    return {};
  }
  return result->nquads;
}

// ---------------------------------------------------------------------------
// The W3C suite

TEST(RdfcManifest, IsFoundAndListsEveryKindOfTest) {
  ASSERT_TRUE(vectors_dir().has_value())
      << "rdf-canon vectors not found: set STAFFROOM_VECTORS to the tests/vectors folder "
         "(or STAFFROOM_SOURCE_DIR to the source root)";
  const std::vector<ManifestEntry>& entries = manifest();
  ASSERT_FALSE(entries.empty());
  std::set<std::string> types;
  std::set<std::string> ids;
  for (const ManifestEntry& entry : entries) {
    types.insert(entry.type);
    EXPECT_TRUE(ids.insert(entry.id).second) << "duplicate test id " << entry.id;
  }
  EXPECT_EQ(types, (std::set<std::string>{"rdfc:RDFC10EvalTest", "rdfc:RDFC10MapTest", "rdfc:RDFC10NegativeEvalTest"}));
  EXPECT_TRUE(std::any_of(entries.begin(), entries.end(),
                          [](const ManifestEntry& entry) { return entry.hash == HashAlgorithm::Sha384; }));
}

class RdfcSuite : public ::testing::TestWithParam<ManifestEntry> {};

TEST_P(RdfcSuite, Passes) {
  const ManifestEntry& entry = GetParam();
  SCOPED_TRACE(entry.id + " (" + entry.name + ")");
  const Dataset input = parse_or_fail(read_file(rdf_canon_file(entry.action)));
  ASSERT_FALSE(HasFailure());
  CanonicalizeOptions options;
  options.hash = entry.hash;

  if (entry.type == "rdfc:RDFC10NegativeEvalTest") {
    const auto start = std::chrono::steady_clock::now();
    Result<Canonicalized> result = canonicalize(input, options);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(result.ok()) << "a poison dataset was canonicalized";
    EXPECT_NE(result.error().detail.find("too complex to canonicalize"), std::string::npos) << result.error().detail;
    EXPECT_LT(elapsed.count(), kRefusalSeconds);
    return;
  }

  Result<Canonicalized> result = canonicalize(input, options);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  if (entry.type == "rdfc:RDFC10EvalTest") {
    EXPECT_EQ(result->nquads, read_file(rdf_canon_file(entry.result)));
  } else if (entry.type == "rdfc:RDFC10MapTest") {
    boost::system::error_code ec;
    const boost::json::value expected_json = boost::json::parse(read_file(rdf_canon_file(entry.result)), ec);
    ASSERT_FALSE(ec) << ec.message();
    std::map<std::string, std::string> expected;
    for (const auto& [label, canonical] : expected_json.as_object()) {
      expected.emplace(std::string(label), std::string(canonical.as_string()));
    }
    const std::map<std::string, std::string> issued(result->issued.begin(), result->issued.end());
    EXPECT_EQ(issued, expected);
    EXPECT_EQ(issued.size(), result->issued.size()) << "a blank node was issued two labels";
    // Every input blank node has exactly one issued label.
    std::set<std::string> labels;
    for (const Quad& quad : input) {
      for (const Term* term : {&quad.subject, &quad.object, &quad.graph}) {
        if (term->kind == TermKind::BlankNode) labels.insert(term->value);
      }
    }
    std::set<std::string> keys;
    for (const auto& [label, canonical] : issued) keys.insert(label);
    EXPECT_EQ(keys, labels);
  } else {
    FAIL() << "unknown test type " << entry.type;
  }
}

// "#test001c" names the test W3C/RdfcSuite.Passes/test001c.
std::string suite_test_name(const ::testing::TestParamInfo<ManifestEntry>& test) {
  std::string name = test.param.id;
  for (char& c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(W3C, RdfcSuite, ::testing::ValuesIn(manifest()), suite_test_name);

// ---------------------------------------------------------------------------
// N-Quads parsing

TEST(NQuadsParse, ReadsEveryKindOfTerm) {
  const std::string text =
      "# a comment line\n"
      "\n"
      "<http://ex/s> <http://ex/p> <http://ex/o> .\n"
      "_:b0 <http://ex/p> \"plain\" <http://ex/g> . # trailing comment\r\n"
      "_:b0 <http://ex/p> \"chat\"@en-GB _:g1 .\r"
      "<http://ex/s>\t<http://ex/p>\t\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>\t.\n"
      "<http://ex/s><http://ex/p>\"typed\"^^<http://www.w3.org/2001/XMLSchema#string>.\n"
      "_:a.b-c <http://ex/p> _:x.\n";
  const Dataset dataset = parse_or_fail(text);
  ASSERT_EQ(dataset.size(), 6u);
  EXPECT_EQ(dataset[0], (Quad{Term::iri("http://ex/s"), Term::iri("http://ex/p"), Term::iri("http://ex/o"), {}}));
  EXPECT_EQ(dataset[1],
            (Quad{Term::blank("b0"), Term::iri("http://ex/p"), Term::literal("plain"), Term::iri("http://ex/g")}));
  EXPECT_EQ(dataset[2].object, Term::literal("chat", std::string(kRdfLangString), "en-GB"));
  EXPECT_EQ(dataset[2].graph, Term::blank("g1"));
  EXPECT_EQ(dataset[3].object, Term::literal("1", "http://www.w3.org/2001/XMLSchema#integer"));
  EXPECT_EQ(dataset[4].object, Term::literal("typed"));
  EXPECT_EQ(dataset[5].subject, Term::blank("a.b-c"));
  EXPECT_EQ(dataset[5].object, Term::blank("x"));
}

TEST(NQuadsParse, DecodesEscapes) {
  const Dataset dataset = parse_or_fail(
      "<http://ex/\\u00E9\\U0001F600> <http://ex/p> \"\\t\\b\\n\\r\\f\\\"\\'\\\\\\u00e9\\U0001F600\\u0000\" .\n");
  ASSERT_EQ(dataset.size(), 1u);
  EXPECT_EQ(dataset[0].subject.value, "http://ex/\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(dataset[0].object.value, std::string("\t\b\n\r\f\"'\\\xC3\xA9\xF0\x9F\x98\x80\0", 15));
}

TEST(NQuadsParse, EmptyDocumentsAreEmptyDatasets) {
  EXPECT_TRUE(parse_or_fail("").empty());
  EXPECT_TRUE(parse_or_fail("\n\r\n# only a comment").empty());
}

void expect_error(std::string_view text, std::string_view line_prefix, std::string_view mentions) {
  Result<Dataset> result = parse_nquads(text);
  ASSERT_FALSE(result.ok()) << "accepted: " << text;
  EXPECT_EQ(result.error().code, ErrorCode::BadRequest);
  const std::string& detail = result.error().detail;
  EXPECT_EQ(detail.rfind(line_prefix, 0), 0u) << detail;
  EXPECT_NE(detail.find(mentions), std::string::npos) << detail;
}

TEST(NQuadsParse, ErrorsNameTheLineAndTheProblem) {
  const std::string good = "<http://ex/s> <http://ex/p> <http://ex/o> .\n";
  expect_error(good + good + "<http://ex/a b> <http://ex/p> <http://ex/o> .\n", "line 3: ", "IRI");
  expect_error(good + "<http://ex/s> <http://ex/p> \"open .\n" + good, "line 2: ", "unterminated string literal");
  expect_error("<http://ex/s> <http://ex/p> \"open", "line 1: ", "unterminated string literal");
  expect_error("\r\n\r\n<relative> <http://ex/p> <http://ex/o> .\n", "line 3: ", "absolute");
  expect_error("<http://ex/s> <http://ex/p> <http://ex/o>\n", "line 1: ", "'.'");
  expect_error("<http://ex/s> <http://ex/p> <http://ex/o> . <http://ex/s>\n", "line 1: ", "end of the line");
  expect_error("\"lit\" <http://ex/p> <http://ex/o> .\n", "line 1: ", "subject");
  expect_error("<http://ex/s> _:p <http://ex/o> .\n", "line 1: ", "predicate");
  expect_error("<http://ex/s> <http://ex/p> \"x\" \"g\" .\n", "line 1: ", "graph label");
  expect_error("<http://ex/s> <http://ex/p> \"\\x\" .\n", "line 1: ", "unknown escape");
  expect_error("<http://ex/s> <http://ex/p> \"\\u12\" .\n", "line 1: ", "hex digits");
  expect_error("<http://ex/s> <http://ex/p> \"\\uD800\" .\n", "line 1: ", "scalar value");
  expect_error("<http://ex/s> <http://ex/p> \"\\U00110000\" .\n", "line 1: ", "scalar value");
  expect_error("<http://ex/\\u0020> <http://ex/p> <http://ex/o> .\n", "line 1: ", "not allowed in an IRI");
  expect_error("<http://ex/\\n> <http://ex/p> <http://ex/o> .\n", "line 1: ", "\\u and \\U");
  expect_error("<http://ex/s <http://ex/p> <http://ex/o> .\n", "line 1: ", "IRI");
  expect_error("<http://ex/s> <http://ex/p> \"\xC3\" .\n", "line 1: ", "UTF-8");
  expect_error("<http://ex/s> <http://ex/p> \"\xC0\xAF\" .\n", "line 1: ", "UTF-8");      // overlong '/'
  expect_error("<http://ex/s> <http://ex/p> \"\xED\xA0\x80\" .\n", "line 1: ", "UTF-8");  // a surrogate
  expect_error("<http://ex/s> <http://ex/p> \"x\"@ .\n", "line 1: ", "language tag");
  expect_error("<http://ex/s> <http://ex/p> \"x\"@en- .\n", "line 1: ", "language tag");
  expect_error("<http://ex/s> <http://ex/p> \"x\"^<http://ex/t> .\n", "line 1: ", "'^^'");
  expect_error("<http://ex/s> <http://ex/p> \"x\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .\n",
               "line 1: ", "language tag");
  expect_error("_: <http://ex/p> <http://ex/o> .\n", "line 1: ", "blank node");
  expect_error("_:-a <http://ex/p> <http://ex/o> .\n", "line 1: ", "blank node label");
  expect_error("<http://ex/s> <http://ex/p> <http://ex/o> <http://ex/g> <http://ex/h> .\n", "line 1: ", "'.'");
}

// ---------------------------------------------------------------------------
// Canonical N-Quads

TEST(CanonicalNQuads, EscapesOnlyWhatTheSpecificationRequires) {
  const auto line = [](std::string value) {
    return to_nquad(Quad{Term::iri("http://ex/s"), Term::iri("http://ex/p"), Term::literal(std::move(value)), {}});
  };
  EXPECT_EQ(line("\b\t\n\f\r\"\\"), "<http://ex/s> <http://ex/p> \"\\b\\t\\n\\f\\r\\\"\\\\\" .\n");
  EXPECT_EQ(line(std::string("\0\x01\x07\x0B\x0E\x1F\x7F", 7)),
            "<http://ex/s> <http://ex/p> \"\\u0000\\u0001\\u0007\\u000B\\u000E\\u001F\\u007F\" .\n");
  // Outside XML 1.1 Char, so escaped; their neighbours are not.
  EXPECT_EQ(line("\xEF\xBF\xBE\xEF\xBF\xBF\xEF\xBF\xBD"),
            "<http://ex/s> <http://ex/p> \"\\uFFFE\\uFFFF\xEF\xBF\xBD\" .\n");
  EXPECT_EQ(line("' <>{}|^`~ \xC3\xA9 \xF0\x9F\x98\x80"),
            "<http://ex/s> <http://ex/p> \"' <>{}|^`~ \xC3\xA9 \xF0\x9F\x98\x80\" .\n");
}

TEST(CanonicalNQuads, WritesDatatypesLanguagesAndGraphs) {
  const Term s = Term::iri("http://ex/s");
  const Term p = Term::iri("http://ex/p");
  EXPECT_EQ(to_nquad({s, p, Term::literal("x", std::string(kXsdString)), {}}), "<http://ex/s> <http://ex/p> \"x\" .\n");
  EXPECT_EQ(to_nquad({s, p, Term::literal("x", ""), {}}), "<http://ex/s> <http://ex/p> \"x\" .\n");
  EXPECT_EQ(to_nquad({s, p, Term::literal("x", std::string(kRdfLangString), "en-US"), {}}),
            "<http://ex/s> <http://ex/p> \"x\"@en-US .\n");
  EXPECT_EQ(to_nquad({s, p, Term::literal("1", "http://www.w3.org/2001/XMLSchema#integer"), Term::blank("g")}),
            "<http://ex/s> <http://ex/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> _:g .\n");
  EXPECT_EQ(to_nquads({{Term::blank("a"), p, s, s}, {s, p, Term::blank("b"), {}}}),
            "_:a <http://ex/p> <http://ex/s> <http://ex/s> .\n<http://ex/s> <http://ex/p> _:b .\n");
}

TEST(CanonicalNQuads, EscapesWhatCannotBeInAnIriSoNoTermEndsEarly) {
  const Quad quad{Term::iri("http://ex/a> <http://ex/forged"), Term::iri("http://ex/p"), Term::iri("http://ex/o"), {}};
  EXPECT_EQ(to_nquad(quad), "<http://ex/a\\u003E\\u0020\\u003Chttp://ex/forged> <http://ex/p> <http://ex/o> .\n");
}

TEST(CanonicalNQuads, EveryCharacterRoundTrips) {
  std::string value;
  for (int c = 0; c < 0x80; ++c) value += static_cast<char>(c);
  value += "\xC2\x80\xC2\xA0\xE2\x80\xA8\xEF\xBF\xBD\xEF\xBF\xBE\xEF\xBF\xBF\xF0\x9F\x8C\x83\xF4\x8F\xBF\xBF";
  const Dataset original = {
      {Term::iri("http://ex/\xE2\x88\x9E"), Term::iri("http://ex/p"), Term::literal(value), Term::iri("http://ex/g")},
      {Term::blank("b0"), Term::iri("http://ex/p"), Term::literal(value, "http://ex/type"), {}},
      {Term::blank("b0"), Term::iri("http://ex/p"), Term::literal(value, std::string(kRdfLangString), "en"), {}},
  };
  const std::string text = to_nquads(original);
  const Dataset parsed = parse_or_fail(text);
  EXPECT_EQ(parsed, original);
  EXPECT_EQ(to_nquads(parsed), text);
  // Canonical text is one line per quad: every line break was escaped.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST(CanonicalNQuads, ParsingCanonicalizesEscapedInput) {
  const Dataset dataset =
      parse_or_fail("<urn:ex:\\u0065\\u0078> <urn:ex:p> \"\\u0022\\u005c\\u0008\\u0009\\u0041\\u00E9\\'\" .\n");
  EXPECT_EQ(to_nquads(dataset), "<urn:ex:ex> <urn:ex:p> \"\\\"\\\\\\b\\tA\xC3\xA9'\" .\n");
}

// ---------------------------------------------------------------------------
// Canonicalization

// A credential shaped like the ones the server signs: a few blank nodes, one
// of them a named graph (the proof), literals of several kinds.
constexpr std::string_view kCredential =
    R"(_:cred <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
_:cred <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential> .
_:cred <https://schema.org/name> "Teamwork \"Gold\"\n2024"@en .
_:cred <https://www.w3.org/2018/credentials#issuer> <did:example:school> .
_:cred <https://www.w3.org/2018/credentials#validFrom> "2024-05-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
_:cred <https://www.w3.org/2018/credentials#credentialSubject> _:subject .
_:subject <https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement> _:achievement .
_:subject <https://schema.org/identifier> _:id1 .
_:subject <https://schema.org/identifier> _:id2 .
_:id1 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#identityHash> "sha256$abc" .
_:id1 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#hashed> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .
_:id2 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#identityHash> "sha256$abc" .
_:id2 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#hashed> "true"^^<http://www.w3.org/2001/XMLSchema#boolean> .
_:achievement <https://schema.org/name> "Teamwork" .
_:achievement <https://schema.org/description> "Works well with others." .
_:cred <https://w3id.org/security#proof> _:proofGraph .
_:proof <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/security#DataIntegrityProof> _:proofGraph .
_:proof <https://w3id.org/security#cryptosuite> "eddsa-rdfc-2022"^^<https://w3id.org/security#cryptosuiteString> _:proofGraph .
_:proof <http://purl.org/dc/terms/created> "2024-05-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> _:proofGraph .
)";

// The same dataset with its quads shuffled and its blank nodes given fresh
// labels: isomorphic, so it must canonicalize identically.
Dataset shuffle_and_relabel(Dataset dataset, std::mt19937& random) {
  std::map<std::string, std::string> fresh;
  std::uniform_int_distribution<int> pick(0, 25);
  std::set<std::string> used;
  const auto relabel = [&](Term& term) {
    if (term.kind != TermKind::BlankNode) return;
    std::string& label = fresh[term.value];
    while (label.empty()) {
      for (int i = 0; i < 6; ++i) label += static_cast<char>('a' + pick(random));
      if (!used.insert(label).second) label.clear();
    }
    term.value = label;
  };
  for (Quad& quad : dataset) {
    relabel(quad.subject);
    relabel(quad.object);
    relabel(quad.graph);
  }
  std::shuffle(dataset.begin(), dataset.end(), random);
  return dataset;
}

TEST(Canonicalize, OutputIsIndependentOfQuadOrderAndBlankNodeLabels) {
  std::vector<std::pair<std::string, std::string>> inputs = {{"credential", std::string(kCredential)}};
  if (vectors_dir()) {
    for (const char* test : {"test020", "test021", "test036", "test044", "test047", "test048", "test053", "test064",
                             "test071", "test072"}) {
      inputs.emplace_back(test, read_file(rdf_canon_file(std::string("rdfc10/") + test + "-in.nq")));
    }
  }
  std::mt19937 random(20240521);
  for (const auto& [name, text] : inputs) {
    SCOPED_TRACE(name);
    const Dataset dataset = parse_or_fail(text);
    const std::string expected = canonical_or_fail(dataset);
    ASSERT_FALSE(expected.empty());
    for (int round = 0; round < 8; ++round) {
      EXPECT_EQ(canonical_or_fail(shuffle_and_relabel(dataset, random)), expected) << "round " << round;
    }
    // Canonical output is its own canonical form.
    EXPECT_EQ(canonical_or_fail(parse_or_fail(expected)), expected);
  }
}

TEST(Canonicalize, CredentialGetsStableLabels) {
  const Result<Canonicalized> result = canonicalize(parse_or_fail(kCredential));
  ASSERT_TRUE(result.ok()) << result.error().detail;
  EXPECT_EQ(result->issued.size(), 7u);
  std::set<std::string> labels;
  for (const auto& [input, canonical] : result->issued) labels.insert(canonical);
  EXPECT_EQ(labels, (std::set<std::string>{"c14n0", "c14n1", "c14n2", "c14n3", "c14n4", "c14n5", "c14n6"}));
  // The issued map is in issue order.
  for (std::size_t i = 0; i < result->issued.size(); ++i)
    EXPECT_EQ(result->issued[i].second, "c14n" + std::to_string(i));
}

TEST(Canonicalize, MatchesTheEddsaRdfc2022DocumentHashes) {
  ASSERT_TRUE(vectors_dir().has_value());
  for (const char* folder : {"eddsa-rdfc-2022", "eddsa-rdfc-2022/employ"}) {
    SCOPED_TRACE(folder);
    const fs::path dir = *vectors_dir() / "vc-di-eddsa" / folder;
    const std::string canonical = read_file(dir / "canonDocDataInt.txt");
    std::string expected_hash = read_file(dir / "docHashDataInt.txt");
    while (!expected_hash.empty() && std::isspace(static_cast<unsigned char>(expected_hash.back())) != 0) {
      expected_hash.pop_back();
    }
    // The published file may lack the final newline canonical N-Quads ends with.
    const std::string document = canonical.empty() || canonical.back() == '\n' ? canonical : canonical + "\n";
    std::mt19937 random(7);
    const std::string output = canonical_or_fail(shuffle_and_relabel(parse_or_fail(document), random));
    EXPECT_EQ(output, document);
    EXPECT_EQ(crypto::sha256_hex(output), expected_hash);
  }
}

TEST(Canonicalize, DuplicateQuadsCountOnce) {
  const std::string once = "_:a <http://ex/p> _:b .\n_:b <http://ex/q> \"x\" .\n";
  const std::string twice =
      once + "_:a <http://ex/p> _:b .\n_:b <http://ex/q> \"x\"^^<" + std::string(kXsdString) + "> .\n";
  EXPECT_EQ(canonical_or_fail(parse_or_fail(twice)), canonical_or_fail(parse_or_fail(once)));
}

TEST(Canonicalize, AQuadNamingABlankNodeTwiceIsOneMention) {
  // The mention set is a set: _:x's first degree hash is of one line, which
  // (by SHA-256) orders before _:y's; hashing the line twice would not.
  const Result<Canonicalized> result =
      canonicalize(parse_or_fail("_:y <http://ex/q> \"1\" .\n_:x <http://ex/p0> _:x .\n"));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->nquads, "_:c14n0 <http://ex/p0> _:c14n0 .\n_:c14n1 <http://ex/q> \"1\" .\n");
}

TEST(Canonicalize, DatasetWithoutBlankNodesIsSortedAndDeduplicated) {
  const Result<Canonicalized> result =
      canonicalize(parse_or_fail("<http://ex/b> <http://ex/p> \"\xC3\xA9\" .\n<http://ex/a> <http://ex/p> \"z\" .\n"
                                 "<http://ex/b> <http://ex/p> \"\xC3\xA9\" .\n<http://ex/b> <http://ex/p> \"~\" .\n"));
  ASSERT_TRUE(result.ok());
  // Code point order: '~' (U+007E) sorts before U+00E9.
  EXPECT_EQ(result->nquads,
            "<http://ex/a> <http://ex/p> \"z\" .\n<http://ex/b> <http://ex/p> \"~\" .\n"
            "<http://ex/b> <http://ex/p> \"\xC3\xA9\" .\n");
  EXPECT_TRUE(result->issued.empty());
  EXPECT_EQ(canonical_or_fail({}), "");
}

TEST(Canonicalize, Sha384ChangesOnlyTheHashes) {
  CanonicalizeOptions sha384;
  sha384.hash = HashAlgorithm::Sha384;
  const Dataset dataset = parse_or_fail(kCredential);
  const Result<Canonicalized> result = canonicalize(dataset, sha384);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(parse_or_fail(result->nquads).size(), dataset.size());
}

// Every blank node related to every other: symmetric, so the N-degree hash
// must try every permutation of every neighbourhood.
std::string clique(int size) {
  std::string text;
  for (int a = 0; a < size; ++a) {
    for (int b = 0; b < size; ++b) {
      if (a != b) text += "_:n" + std::to_string(a) + " <http://ex/p> _:n" + std::to_string(b) + " .\n";
    }
  }
  return text;
}

TEST(Canonicalize, RefusesPoisonGraphsQuickly) {
  const Dataset dataset = parse_or_fail(clique(12));
  const auto start = std::chrono::steady_clock::now();
  const Result<Canonicalized> result = canonicalize(dataset);
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::BadRequest);
  EXPECT_NE(result.error().detail.find("too complex to canonicalize"), std::string::npos);
  EXPECT_LT(elapsed.count(), kRefusalSeconds);
}

TEST(Canonicalize, WorkBoundIsConfigurable) {
  const Dataset dataset = parse_or_fail(clique(4));
  EXPECT_TRUE(canonicalize(dataset).ok());
  CanonicalizeOptions tight;
  tight.max_work = 10;
  EXPECT_FALSE(canonicalize(dataset, tight).ok());
  // Blank nodes told apart by their first degree hash need no N-degree work.
  tight.max_work = 0;
  EXPECT_TRUE(canonicalize(parse_or_fail(kCredential.substr(0, kCredential.find("_:subject <"))), tight).ok());
}

TEST(Canonicalize, RefusesDeepGossipPathsInsteadOfOverflowingTheStack) {
  // Two identical chains: every node shares its first degree hash with its
  // twin, and the N-degree hash of an end walks the whole chain.
  std::string text;
  for (const char* chain : {"a", "b"}) {
    for (int i = 0; i < 3000; ++i) {
      text += "_:" + std::string(chain) + std::to_string(i) + " <http://ex/next> _:" + chain + std::to_string(i + 1) +
              " .\n";
    }
  }
  const Result<Canonicalized> result = canonicalize(parse_or_fail(text));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().detail.find("too complex to canonicalize"), std::string::npos);
  EXPECT_NE(result.error().detail.find("deep"), std::string::npos) << result.error().detail;
}

TEST(Canonicalize, RejectsQuadsThatAreNotRdf) {
  const Term iri = Term::iri("http://ex/x");
  const Term literal = Term::literal("x");
  EXPECT_FALSE(canonicalize({{literal, iri, iri, {}}}).ok());
  EXPECT_FALSE(canonicalize({{iri, Term::blank("p"), iri, {}}}).ok());
  EXPECT_FALSE(canonicalize({{iri, iri, Term::default_graph(), {}}}).ok());
  EXPECT_FALSE(canonicalize({{iri, iri, iri, literal}}).ok());
  EXPECT_FALSE(canonicalize({{iri, iri, Term::literal("x", std::string(kRdfLangString), "en .\n<x>"), {}}}).ok());
}

// ---------------------------------------------------------------------------
// Robustness: arbitrary input is an error or a dataset, never a crash, and
// whatever parses writes out as text that parses back to the same dataset.

TEST(NQuadsParse, SurvivesMutatedInput) {
  std::string seed_text = std::string(kCredential);
  if (vectors_dir()) seed_text += read_file(rdf_canon_file("rdfc10/test060-in.nq"));
  static constexpr char kAlphabet[] = "<>\"\\_:.@^# \t\r\nuU0aZ\xC3\xA9\xFF\x00";
  const std::string alphabet(kAlphabet, sizeof kAlphabet - 1);
  std::mt19937 random(99);
  int parsed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = seed_text;
    const int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = random() % text.size();
      switch (random() % 3) {
        case 0:
          text[at] = alphabet[random() % alphabet.size()];
          break;
        case 1:
          text.erase(at, 1 + random() % 8);
          break;
        default:
          text.insert(at, 1, alphabet[random() % alphabet.size()]);
          break;
      }
    }
    Result<Dataset> dataset = parse_nquads(text);
    if (!dataset) {
      EXPECT_EQ(dataset.error().detail.rfind("line ", 0), 0u) << dataset.error().detail;
      continue;
    }
    ++parsed;
    const std::string written = to_nquads(*dataset);
    Result<Dataset> again = parse_nquads(written);
    ASSERT_TRUE(again.ok()) << again.error().detail << "\n" << written;
    EXPECT_EQ(*again, *dataset);
    CanonicalizeOptions options;
    options.max_work = 2000;
    (void)canonicalize(*dataset, options);
  }
  EXPECT_GT(parsed, 0);
}

}  // namespace
}  // namespace staffroom::ld
