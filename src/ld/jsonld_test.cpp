// JSON-LD expansion and toRdf: each feature on a small hand-written document,
// the published eddsa-rdfc-2022 vectors end to end (to_rdf then RDFC-1.0),
// an Open Badges 3.0 credential, safe mode, the bundled contexts and their
// embedding, and robustness against hostile input.
//
// Expected RDF for the Open Badges credential and the feature documents was
// cross-checked against jsonld.js 9 (canonize with an offline loader serving
// the same context files) when these tests were written.
//
// The vectors are kept, as published, under tests/vectors: set
// STAFFROOM_VECTORS to another copy, or they are found relative to this file.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ld/contexts.hpp"
#include "ld/jsonld.hpp"
#include "ld/rdf.hpp"
#include "ld/rdfc.hpp"

namespace staffroom::ld {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// ---------------------------------------------------------------------------
// Support

fs::path vectors_dir() {
  if (const char* env = std::getenv("STAFFROOM_VECTORS");
      env != nullptr && *env != '\0')  // NOLINT(concurrency-mt-unsafe)
    return env;
  return fs::path(__FILE__).parent_path() / "../../tests/vectors";
}

fs::path contexts_dir() {
  return fs::path(__FILE__).parent_path() / "../../contexts";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

json::value parse(std::string_view text) {
  return json::parse(text);
}

JsonLdOptions bundled(bool safe = true) {
  JsonLdOptions options;
  options.loader = bundled_contexts();
  options.safe = safe;
  return options;
}

// The bundled contexts plus those kept only for tests (contexts/testing: the
// W3C examples context and the citizenship context the vectors use).
DocumentLoader with_testing_contexts() {
  static const auto testing = [] {
    std::map<std::string, json::value, std::less<>> contexts;
    const fs::path dir = contexts_dir() / "testing";
    const json::value index = parse(read_file(dir / "index.json"));
    for (const auto& [url, file] : index.as_object())
      contexts.emplace(std::string(url), parse(read_file(dir / std::string(file.as_string()))));
    return contexts;
  }();
  return bundled_contexts([](std::string_view url) -> std::optional<json::value> {
    if (auto it = testing.find(url); it != testing.end()) return it->second;
    return std::nullopt;
  });
}

// A loader serving the given documents, for contexts written in a test.
DocumentLoader serving(std::map<std::string, std::string, std::less<>> documents) {
  return [documents = std::move(documents)](std::string_view url) -> std::optional<json::value> {
    auto it = documents.find(url);
    if (it == documents.end()) return std::nullopt;
    return json::parse(it->second);
  };
}

std::vector<std::string> lines(const Dataset& dataset) {
  std::vector<std::string> out;
  for (const Quad& quad : dataset) {
    std::string line = to_nquad(quad);
    if (!line.empty() && line.back() == '\n') line.pop_back();
    out.push_back(std::move(line));
  }
  return out;
}

std::vector<std::string> rdf_lines(std::string_view document, const JsonLdOptions& options) {
  auto dataset = to_rdf(parse(document), options);
  EXPECT_TRUE(dataset.ok()) << (dataset.ok() ? "" : dataset.error().detail);
  if (!dataset.ok()) return {};
  return lines(*dataset);
}

bool contains(const std::vector<std::string>& haystack, std::string_view needle) {
  return std::find(haystack.begin(), haystack.end(), needle) != haystack.end();
}

std::string canonical(const json::value& document, const JsonLdOptions& options) {
  auto dataset = to_rdf(document, options);
  EXPECT_TRUE(dataset.ok()) << (dataset.ok() ? "" : dataset.error().detail);
  if (!dataset.ok()) return {};
  auto result = canonicalize(*dataset);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().detail);
  return result.ok() ? result->nquads : std::string();
}

// The field and message of a failed result.
template <class T>
std::pair<std::string, std::string> failure(const Result<T>& result) {
  if (result.ok() || result.error().fields.empty()) return {"<ok>", "<ok>"};
  return {result.error().fields[0].field, result.error().fields[0].message};
}

// ---------------------------------------------------------------------------
// Bundled contexts and their embedding

TEST(BundledContexts, ServesEveryIndexedContextAndNothingElse) {
  const auto index = parse(read_file(contexts_dir() / "index.json")).as_object();
  const std::vector<std::string> urls = bundled_context_urls();
  EXPECT_EQ(urls.size(), index.size());
  EXPECT_TRUE(std::is_sorted(urls.begin(), urls.end()));
  const DocumentLoader loader = bundled_contexts();
  for (const auto& [url, file] : index) {
    auto document = loader(url);
    ASSERT_TRUE(document.has_value()) << url;
    EXPECT_TRUE(document->is_object() && document->as_object().contains("@context")) << url;
    // The embedded text is the file's text.
    EXPECT_EQ(*document, parse(read_file(contexts_dir() / std::string(file.as_string())))) << url;
  }
  for (const char* url :
       {"https://www.w3.org/ns/credentials/v2", "https://www.w3.org/2018/credentials/v1",
        "https://w3id.org/security/data-integrity/v2", "https://w3id.org/security/multikey/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json", "https://www.w3.org/ns/credentials/status/v1"})
    EXPECT_TRUE(std::binary_search(urls.begin(), urls.end(), url)) << url;
  EXPECT_FALSE(loader("https://www.w3.org/ns/credentials/examples/v2").has_value());
  EXPECT_FALSE(loader("https://evil.example/context.json").has_value());
  EXPECT_EQ(find_bundled_context("https://evil.example/context.json"), nullptr);
  // Parsed once: the same document every time.
  EXPECT_EQ(find_bundled_context("https://www.w3.org/ns/credentials/v2"),
            find_bundled_context("https://www.w3.org/ns/credentials/v2"));
}

TEST(BundledContexts, FallbackServesOtherUrls) {
  const DocumentLoader loader = bundled_contexts([](std::string_view url) -> std::optional<json::value> {
    if (url == "https://www.w3.org/ns/credentials/v2") return parse(R"({"@context": {"shadowed": "urn:x"}})");
    if (url == "http://example.org/extra") return parse(R"({"@context": {"extra": "http://example.org/extra#"}})");
    return std::nullopt;
  });
  // A bundled URL is always the bundled context, whatever the fallback says.
  EXPECT_EQ(*loader("https://www.w3.org/ns/credentials/v2"),
            *find_bundled_context("https://www.w3.org/ns/credentials/v2"));
  EXPECT_TRUE(loader("http://example.org/extra").has_value());
  EXPECT_FALSE(loader("http://example.org/missing").has_value());
  JsonLdOptions options;
  options.loader = loader;
  auto quads =
      rdf_lines(R"({"@context": "http://example.org/extra", "@id": "http://example.org/s", "extra": "x"})", options);
  ASSERT_EQ(quads.size(), 1u);
  EXPECT_EQ(quads[0], "<http://example.org/s> <http://example.org/extra#> \"x\" .");
}

TEST(BundledContexts, EveryBundledContextProcesses) {
  for (const std::string& url : bundled_context_urls()) {
    json::object document;
    document["@context"] = url;
    document["@id"] = "urn:example:x";
    auto expanded = expand(json::value(document), bundled());
    EXPECT_TRUE(expanded.ok()) << url << ": " << (expanded.ok() ? "" : expanded.error().detail);
  }
}

TEST(BundledContexts, UnknownContextIsAnErrorNamingIt) {
  auto result = to_rdf(parse(R"({"@context": "https://evil.example/ctx", "@id": "urn:x", "urn:p": 1})"), bundled());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().detail.find("https://evil.example/ctx"), std::string::npos) << result.error().detail;
  JsonLdOptions no_loader;
  EXPECT_FALSE(to_rdf(parse(R"({"@context": "https://www.w3.org/ns/credentials/v2"})"), no_loader).ok());
}

// ---------------------------------------------------------------------------
// Published vectors and credentials

TEST(Vectors, UnsignedCredentialCanonicalFormMatchesTheVector) {
  const fs::path dir = vectors_dir() / "vc-di-eddsa";
  const std::string input = read_file(dir / "unsigned.json");
  ASSERT_FALSE(input.empty()) << "vectors not found under " << dir << " (set STAFFROOM_VECTORS)";
  JsonLdOptions options;
  options.loader = with_testing_contexts();
  EXPECT_EQ(canonical(parse(input), options), read_file(dir / "eddsa-rdfc-2022" / "canonDocDataInt.txt"));
}

TEST(Vectors, EmploymentCredentialCanonicalFormMatchesTheVector) {
  const fs::path dir = vectors_dir() / "vc-di-eddsa";
  const std::string input = read_file(dir / "employmentAuth.json");
  ASSERT_FALSE(input.empty()) << "vectors not found under " << dir << " (set STAFFROOM_VECTORS)";
  JsonLdOptions options;
  options.loader = with_testing_contexts();
  EXPECT_EQ(canonical(parse(input), options), read_file(dir / "eddsa-rdfc-2022" / "employ" / "canonDocDataInt.txt"));
}

TEST(Vectors, SignedDocumentsWithoutProofGiveTheSameCanonicalForm) {
  // The signed documents minus their proof are the unsigned inputs again.
  for (const char* sub : {"", "employ/"}) {
    const fs::path dir = vectors_dir() / "vc-di-eddsa" / "eddsa-rdfc-2022";
    const std::string signed_text = read_file(dir / sub / "signedDataInt.json");
    if (signed_text.empty()) continue;
    json::value signed_document = parse(signed_text);
    signed_document.as_object().erase("proof");
    JsonLdOptions options;
    options.loader = with_testing_contexts();
    EXPECT_EQ(canonical(signed_document, options), read_file(dir / sub / "canonDocDataInt.txt")) << sub;
  }
}

constexpr std::string_view kOpenBadge = R"({
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
  ],
  "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "name": "Connected Educator Month 2012: Facilitation",
  "issuer": {
    "id": "https://staffroom.example/issuers/cem",
    "type": ["Profile"],
    "name": "Connected Educator Month",
    "url": "https://staffroom.example/campaigns/cem-2012",
    "email": "badges@staffroom.example",
    "image": {"id": "https://staffroom.example/images/cem.png", "type": "Image", "caption": "CEM logo"}
  },
  "validFrom": "2012-08-31T00:00:00Z",
  "validUntil": "2017-08-31T00:00:00Z",
  "credentialSubject": {
    "type": ["AchievementSubject"],
    "identifier": [{
      "type": "IdentityObject",
      "identityHash": "sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5",
      "identityType": "emailAddress",
      "hashed": true,
      "salt": "not-a-real-salt"
    }],
    "achievement": {
      "id": "https://staffroom.example/achievements/facilitation",
      "type": ["Achievement"],
      "achievementType": "Badge",
      "name": "Facilitation",
      "description": "Facilitated at least three online professional-learning activities.",
      "criteria": {"narrative": "Host three activities and file attendance for each."},
      "image": {"id": "https://staffroom.example/images/facilitation.png", "type": "Image"},
      "alignment": [{
        "type": ["Alignment"],
        "targetName": "ISTE Standards for Educators: Facilitator",
        "targetUrl": "https://www.iste.org/standards/iste-standards-for-teachers",
        "targetType": "CFItem",
        "targetFramework": "ISTE Standards for Educators"
      }],
      "creditsAvailable": 1.5,
      "tag": ["facilitation", "online learning"]
    },
    "creditsEarned": 2,
    "activityStartDate": "2012-08-01",
    "activityEndDate": "2012-08-31"
  },
  "evidence": [{
    "id": "https://staffroom.example/activities/455/attendance",
    "type": ["Evidence"],
    "name": "Attendance list",
    "narrative": "Attendance recorded by the host for each session.",
    "genre": "Attendance",
    "audience": "Educators"
  }],
  "credentialStatus": {
    "id": "https://staffroom.example/status/1#94567",
    "type": "BitstringStatusListEntry",
    "statusPurpose": "revocation",
    "statusListIndex": "94567",
    "statusListCredential": "https://staffroom.example/status/1"
  }
})";

// jsonld.js 9 canonize (RDFC-1.0, safe mode) of kOpenBadge.
constexpr std::string_view kOpenBadgeCanonical =
    R"(<https://staffroom.example/achievements/facilitation> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement> .
<https://staffroom.example/achievements/facilitation> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Criteria> _:c14n1 .
<https://staffroom.example/achievements/facilitation> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievementType> "Badge" .
<https://staffroom.example/achievements/facilitation> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#alignment> _:c14n2 .
<https://staffroom.example/achievements/facilitation> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#creditsAvailable> "1.5E0"^^<https://www.w3.org/2001/XMLSchema#float> .
<https://staffroom.example/achievements/facilitation> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#image> <https://staffroom.example/images/facilitation.png> .
<https://staffroom.example/achievements/facilitation> <https://schema.org/description> "Facilitated at least three online professional-learning activities." .
<https://staffroom.example/achievements/facilitation> <https://schema.org/keywords> "facilitation" .
<https://staffroom.example/achievements/facilitation> <https://schema.org/keywords> "online learning" .
<https://staffroom.example/achievements/facilitation> <https://schema.org/name> "Facilitation" .
<https://staffroom.example/activities/455/attendance> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Evidence> .
<https://staffroom.example/activities/455/attendance> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative> "Attendance recorded by the host for each session." .
<https://staffroom.example/activities/455/attendance> <https://schema.org/audience> "Educators" .
<https://staffroom.example/activities/455/attendance> <https://schema.org/genre> "Attendance" .
<https://staffroom.example/activities/455/attendance> <https://schema.org/name> "Attendance list" .
<https://staffroom.example/images/cem.png> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Image> .
<https://staffroom.example/images/cem.png> <https://schema.org/caption> "CEM logo" .
<https://staffroom.example/images/facilitation.png> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Image> .
<https://staffroom.example/issuers/cem> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Profile> .
<https://staffroom.example/issuers/cem> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#image> <https://staffroom.example/images/cem.png> .
<https://staffroom.example/issuers/cem> <https://schema.org/email> "badges@staffroom.example" .
<https://staffroom.example/issuers/cem> <https://schema.org/name> "Connected Educator Month" .
<https://staffroom.example/issuers/cem> <https://schema.org/url> "https://staffroom.example/campaigns/cem-2012"^^<https://www.w3.org/2001/XMLSchema#anyURI> .
<https://staffroom.example/status/1#94567> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/ns/credentials/status#BitstringStatusListEntry> .
<https://staffroom.example/status/1#94567> <https://www.w3.org/ns/credentials/status#statusListCredential> <https://staffroom.example/status/1> .
<https://staffroom.example/status/1#94567> <https://www.w3.org/ns/credentials/status#statusListIndex> "94567" .
<https://staffroom.example/status/1#94567> <https://www.w3.org/ns/credentials/status#statusPurpose> "revocation" .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://schema.org/name> "Connected Educator Month 2012: Facilitation" .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#credentialStatus> <https://staffroom.example/status/1#94567> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#credentialSubject> _:c14n0 .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#evidence> <https://staffroom.example/activities/455/attendance> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#issuer> <https://staffroom.example/issuers/cem> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#validFrom> "2012-08-31T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002> <https://www.w3.org/2018/credentials#validUntil> "2017-08-31T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject> .
_:c14n0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement> <https://staffroom.example/achievements/facilitation> .
_:c14n0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#activityEndDate> "2012-08-31"^^<https://www.w3.org/2001/XMLSchema#date> .
_:c14n0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#activityStartDate> "2012-08-01"^^<https://www.w3.org/2001/XMLSchema#date> .
_:c14n0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#creditsEarned> "2"^^<https://www.w3.org/2001/XMLSchema#float> .
_:c14n0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#identifier> _:c14n3 .
_:c14n1 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative> "Host three activities and file attendance for each." .
_:c14n2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/AlignmentObject> .
_:c14n2 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#targetType> "CFItem" .
_:c14n2 <https://schema.org/targetFramework> "ISTE Standards for Educators" .
_:c14n2 <https://schema.org/targetName> "ISTE Standards for Educators: Facilitator" .
_:c14n2 <https://schema.org/targetUrl> "https://www.iste.org/standards/iste-standards-for-teachers"^^<https://www.w3.org/2001/XMLSchema#anyURI> .
_:c14n3 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#IdentityObject> .
_:c14n3 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#hashed> "true"^^<https://www.w3.org/2001/XMLSchema#boolean> .
_:c14n3 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#identityHash> "sha256$c7ef86405ba71b85acd8e2e95166c4b111448089f2e1599f42fe1bba46e865c5" .
_:c14n3 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#identityType> "emailAddress" .
_:c14n3 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#salt> "not-a-real-salt" .
)";

TEST(OpenBadges, CredentialCanonicalFormMatchesJsonLdJs) {
  EXPECT_EQ(canonical(parse(kOpenBadge), bundled()), kOpenBadgeCanonical);
}

TEST(OpenBadges, StatusContextBesideCredentialsV2IsAnIdenticalRedefinition) {
  // credentials v2 protects BitstringStatusListEntry; the status context
  // defines it identically, which protection allows.
  json::value document = parse(kOpenBadge);
  document.as_object()["@context"].as_array().emplace_back("https://www.w3.org/ns/credentials/status/v1");
  EXPECT_EQ(canonical(document, bundled()), kOpenBadgeCanonical);
}

TEST(OpenBadges, EveryKindOfLoaderGivesTheSameResult) {
  JsonLdOptions options;
  options.loader = with_testing_contexts();  // bundled, with a fallback
  EXPECT_EQ(canonical(parse(kOpenBadge), options), kOpenBadgeCanonical);
  // A lambda around the bundled loader: the processor cannot see through it,
  // but recognises the bundled documents it returns.
  options.loader = [inner = bundled_contexts()](std::string_view url) { return inner(url); };
  EXPECT_EQ(canonical(parse(kOpenBadge), options), kOpenBadgeCanonical);
  // A loader that parses fresh copies every time (no shared cache at all).
  std::map<std::string, std::string, std::less<>> documents;
  for (const EmbeddedContext& context : embedded_contexts())
    documents.emplace(std::string(context.url), std::string(context.text));
  options.loader = serving(std::move(documents));
  EXPECT_EQ(canonical(parse(kOpenBadge), options), kOpenBadgeCanonical);
}

TEST(OpenBadges, ProofIsANamedGraph) {
  json::value document = parse(kOpenBadge);
  document.as_object()["@context"].as_array().emplace_back("https://w3id.org/security/data-integrity/v2");
  document.as_object()["proof"] = parse(R"({
    "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2024-01-01T00:00:00Z",
    "verificationMethod": "did:key:z6Mk#z6Mk", "proofPurpose": "assertionMethod", "proofValue": "z3abc"})");
  auto dataset = to_rdf(document, bundled());
  ASSERT_TRUE(dataset.ok()) << dataset.error().detail;
  std::size_t in_named_graph = 0;
  for (const Quad& q : *dataset) {
    if (q.graph.kind == TermKind::BlankNode) {
      ++in_named_graph;
      EXPECT_EQ(q.subject.kind, TermKind::BlankNode);
    }
  }
  EXPECT_EQ(in_named_graph, 6u);  // type, cryptosuite, created, verificationMethod, proofPurpose, proofValue
}

// ---------------------------------------------------------------------------
// Safe mode

constexpr std::string_view kCredentialHead = R"("@context": ["https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": "did:example:issuer", "validFrom": "2024-01-01T00:00:00Z")";

Result<Dataset> credential_rdf(std::string_view rest, bool safe = true) {
  return to_rdf(parse("{" + std::string(kCredentialHead) + ", " + std::string(rest) + "}"), bundled(safe));
}

TEST(SafeMode, UndefinedPropertyIsRefusedNamingItsPath) {
  auto result = credential_rdf(R"("credentialSubject": {"id": "did:example:s", "foo": "bar"})");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::Validation);
  const auto [field, message] = failure(result);
  EXPECT_EQ(field, "credentialSubject.foo");
  EXPECT_NE(message.find("not defined by the credential's contexts"), std::string::npos) << message;
}

TEST(SafeMode, UndefinedPropertyInsideAnArrayNamesTheIndex) {
  auto result = credential_rdf(R"("credentialSubject": {"id": "did:example:s"},
    "evidence": [{"id": "https://e.example/1", "name": "ok"}, {"id": "https://e.example/2", "colour": "red"}])");
  EXPECT_EQ(failure(result).first, "evidence[1].colour");
}

TEST(SafeMode, UndefinedTypeIsRefusedNamingItsPath) {
  auto result =
      credential_rdf(R"("credentialSubject": {"id": "did:example:s", "type": ["AchievementSubject", "Wizard"]})");
  ASSERT_FALSE(result.ok());
  const auto [field, message] = failure(result);
  EXPECT_EQ(field, "credentialSubject.type");
  EXPECT_NE(message.find("\"Wizard\""), std::string::npos) << message;
  EXPECT_NE(message.find("not defined by the credential's contexts"), std::string::npos) << message;
  // At the top level too.
  auto top = to_rdf(parse(R"({"@context": "https://www.w3.org/ns/credentials/v2",
    "type": ["VerifiableCredential", "MadeUpCredential"], "issuer": "did:example:i",
    "credentialSubject": {"id": "did:example:s"}})"),
                    bundled());
  EXPECT_EQ(failure(top).first, "type");
}

TEST(SafeMode, RelativeIdentifiersAreRefused) {
  EXPECT_EQ(failure(credential_rdf(R"("credentialSubject": {"id": "students/42"})")).first, "credentialSubject.id");
  // An @id-typed property's value too.
  EXPECT_EQ(failure(credential_rdf(R"("credentialSubject": "students/42")")).first, "credentialSubject");
}

TEST(SafeMode, KeywordLikeKeysAndValuesThatWouldBeDroppedAreRefused) {
  EXPECT_EQ(failure(credential_rdf(R"("credentialSubject": {"id": "did:example:s", "@colour": "red"})")).first,
            "credentialSubject.@colour");
  EXPECT_FALSE(credential_rdf(R"("credentialSubject": {"id": "@nothing"})").ok());
}

TEST(SafeMode, BaseDirectionAndBadLanguageTagsAreRefused) {
  auto direction = credential_rdf(R"("credentialSubject": {"id": "did:example:s"},
    "name": {"@value": "مرحبا", "@language": "ar", "@direction": "rtl"})");
  ASSERT_FALSE(direction.ok());
  EXPECT_NE(failure(direction).second.find("@direction"), std::string::npos);
  auto language = credential_rdf(R"("credentialSubject": {"id": "did:example:s"},
    "name": {"@value": "x", "@language": "not a tag"})");
  EXPECT_EQ(failure(language).first, "name.@language");
}

TEST(SafeMode, UnsafeModeDropsWhatSafeModeRefuses) {
  auto result = credential_rdf(R"("credentialSubject": {"id": "did:example:s", "foo": "bar", "type": "Wizard"},
    "name": {"@value": "x", "@direction": "rtl"})",
                               false);
  ASSERT_TRUE(result.ok()) << result.error().detail;
  const std::vector<std::string> quads = lines(*result);
  for (const std::string& q : quads) {
    EXPECT_EQ(q.find("foo"), std::string::npos) << q;
    EXPECT_EQ(q.find("Wizard"), std::string::npos) << q;  // a relative type is not a well-formed IRI
  }
  // The direction is dropped; the literal stays.
  EXPECT_TRUE(std::any_of(quads.begin(), quads.end(), [](const std::string& q) {
    return q.find("<https://schema.org/name> \"x\"") != std::string::npos;
  }));
}

TEST(SafeMode, AVocabularyMappingDefinesEveryTerm) {
  auto quads = rdf_lines(R"({"@context": [{"@vocab": "http://example.org/v#"}], "@id": "http://example.org/a",
    "@type": "Thing", "colour": "red"})",
                         bundled());
  EXPECT_TRUE(contains(quads, "<http://example.org/a> <http://example.org/v#colour> \"red\" ."));
  EXPECT_TRUE(contains(quads,
                       "<http://example.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                       "<http://example.org/v#Thing> ."));
}

// ---------------------------------------------------------------------------
// Context processing

TEST(Contexts, ProtectedTermsCannotBeRedefined) {
  auto result = credential_rdf(
      R"("credentialSubject": {"@context": {"name": "http://example.org/name"}, "id": "did:example:s"})");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(failure(result).second.find("protected term redefinition"), std::string::npos) << failure(result).second;
  // Also a credential's own context after the protected ones.
  auto top = to_rdf(parse(R"({"@context": ["https://www.w3.org/ns/credentials/v2", {"id": "http://example.org/id"}]})"),
                    bundled());
  EXPECT_NE(failure(top).second.find("protected term redefinition"), std::string::npos);
}

TEST(Contexts, IdenticalRedefinitionOfAProtectedTermIsAllowed) {
  EXPECT_TRUE(to_rdf(parse(R"({"@context": ["https://www.w3.org/ns/credentials/v2",
    {"@protected": true, "name": "https://schema.org/name"}], "@id": "urn:x", "name": "n"})"),
                     bundled())
                  .ok());
}

TEST(Contexts, ProtectedContextCannotBeNullified) {
  auto result =
      to_rdf(parse(R"({"@context": ["https://www.w3.org/ns/credentials/v2", null], "@id": "urn:x"})"), bundled());
  EXPECT_NE(failure(result).second.find("invalid context nullification"), std::string::npos);
}

TEST(Contexts, PropertyScopedContextMayOverrideProtectedTerms) {
  const auto loader = serving({{"http://example.org/ctx", R"({"@context": {
    "@protected": true, "ex": "http://example.org/", "name": "ex:name",
    "author": {"@id": "ex:author", "@context": {"name": "http://xmlns.com/foaf/0.1/name"}}}})"}});
  JsonLdOptions options;
  options.loader = loader;
  auto quads = rdf_lines(R"({"@context": "http://example.org/ctx", "@id": "http://example.org/book",
    "name": "Title", "author": {"@id": "http://example.org/ann", "name": "Ann"}})",
                         options);
  EXPECT_TRUE(contains(quads, "<http://example.org/book> <http://example.org/name> \"Title\" ."));
  EXPECT_TRUE(contains(quads, "<http://example.org/ann> <http://xmlns.com/foaf/0.1/name> \"Ann\" ."));
}

TEST(Contexts, TypeScopedContextsDoNotPropagateUnlessAsked) {
  const std::string context = R"({"@vocab": "http://example.org/v#",
    "Book": {"@id": "http://example.org/Book", "@context": {"title": "http://purl.org/dc/terms/title"}},
    "Shelf": {"@id": "http://example.org/Shelf", "@context": {"@propagate": true, "title": "http://example.org/shelfTitle"}}})";
  auto quads = rdf_lines(R"({"@context": )" + context + R"(, "@id": "http://example.org/b", "@type": "Book",
    "title": "T", "part": {"@id": "http://example.org/c", "title": "inner"}})",
                         bundled(false));
  EXPECT_TRUE(contains(quads, "<http://example.org/b> <http://purl.org/dc/terms/title> \"T\" ."));
  EXPECT_TRUE(contains(quads, "<http://example.org/c> <http://example.org/v#title> \"inner\" ."));
  auto propagated = rdf_lines(R"({"@context": )" + context + R"(, "@id": "http://example.org/s", "@type": "Shelf",
    "part": {"@id": "http://example.org/c", "title": "inner"}})",
                              bundled(false));
  EXPECT_TRUE(contains(propagated, "<http://example.org/c> <http://example.org/shelfTitle> \"inner\" ."));
}

TEST(Contexts, ImportMergesAContextUnderneath) {
  JsonLdOptions options;
  options.loader = serving(
      {{"http://example.org/base", R"({"@context": {"a": "http://example.org/a", "b": "http://example.org/b"}})"}});
  auto quads =
      rdf_lines(R"({"@context": {"@version": 1.1, "@import": "http://example.org/base", "b": "http://example.org/B"},
    "@id": "http://example.org/s", "a": 1, "b": 2})",
                options);
  EXPECT_TRUE(contains(
      quads, "<http://example.org/s> <http://example.org/a> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> ."));
  EXPECT_TRUE(contains(
      quads, "<http://example.org/s> <http://example.org/B> \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> ."));
}

TEST(Contexts, RemoteContextCyclesAreBounded) {
  JsonLdOptions options;
  options.loader = serving({{"http://example.org/a", R"({"@context": "http://example.org/b"})"},
                            {"http://example.org/b", R"({"@context": "http://example.org/a"})"}});
  auto result = to_rdf(parse(R"({"@context": "http://example.org/a", "@id": "http://example.org/s"})"), options);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().detail.find("context overflow"), std::string::npos) << result.error().detail;
}

TEST(Contexts, InvalidContextsAreErrorsNotCrashes) {
  for (const char* document : {
           R"({"@context": 5})",
           R"({"@context": {"@version": 1.0}})",
           R"({"@context": {"@vocab": 3}})",
           R"({"@context": {"term": 3}})",
           R"({"@context": {"@id": "http://example.org/x"}})",
           R"({"@context": {"a": "b:c", "b": "a:c"}, "a": 1})",
           R"({"@context": {"a": {"@id": "http://x/", "@container": "@wat"}}})",
           R"({"@context": {"a": {"@id": "http://x/", "@type": "notanIRI"}}})",
           R"({"@context": {"a": {"@reverse": "http://x/", "@id": "http://y/"}}})",
           R"({"@context": {"@language": 7}})",
           R"({"@context": {"a": {"@id": "http://x/", "@context": 5}}})",
           R"({"@context": {"a": {"@id": "http://x/", "@unknown": true}}})",
           R"({"@context": {"@propagate": "yes"}})",
           R"({"@context": {"@import": 7}})",
       }) {
    auto result = to_rdf(parse(document), bundled(false));
    EXPECT_FALSE(result.ok()) << document;
  }
}

TEST(Contexts, ProcessedContextsAreNotConfusedBetweenDocuments) {
  // Inline contexts live in the caller's document; a later document at the
  // same address must not get the earlier one's processed context.
  for (int i = 0; i < 20; ++i) {
    const std::string iri = "http://example.org/p" + std::to_string(i);
    auto quads =
        rdf_lines(R"({"@context": {"p": ")" + iri + R"("}, "@id": "http://example.org/s", "p": "v"})", bundled());
    ASSERT_EQ(quads.size(), 1u);
    EXPECT_EQ(quads[0], "<http://example.org/s> <" + iri + "> \"v\" .");
  }
}

// ---------------------------------------------------------------------------
// IRIs, values and containers

TEST(Expansion, ExpandsTermsCompactIrisAliasesAndBase) {
  JsonLdOptions options = bundled(false);
  options.base = "http://example.org/docs/page";
  auto expanded = expand(parse(R"({"@context": {"ex": "http://example.org/", "name": "ex:name",
      "knows": {"@id": "ex:knows", "@type": "@id"}, "is": "@id", "kind": "@type"},
    "is": "../people/ann", "kind": "ex:Person", "name": "Ann", "knows": "bob", "ex:age": 42})"),
                         options);
  ASSERT_TRUE(expanded.ok()) << expanded.error().detail;
  EXPECT_EQ(*expanded, parse(R"([{"@id": "http://example.org/people/ann", "@type": ["http://example.org/Person"],
    "http://example.org/name": [{"@value": "Ann"}],
    "http://example.org/knows": [{"@id": "http://example.org/docs/bob"}],
    "http://example.org/age": [{"@value": 42}]}])"));
}

TEST(Expansion, TypeCoercionsAndNativeValues) {
  auto quads = rdf_lines(R"({"@context": {"ex": "http://example.org/", "xsd": "http://www.w3.org/2001/XMLSchema#",
      "when": {"@id": "ex:when", "@type": "xsd:date"}, "kind": {"@id": "ex:kind", "@type": "@vocab"},
      "Gold": "ex:Gold", "dbl": {"@id": "ex:dbl", "@type": "xsd:double"}, "n": "ex:n"},
    "@id": "ex:s", "when": "2024-01-01", "kind": "Gold", "dbl": 5,
    "n": [1, -7, 1.5, 0.1, 1e21, 123456789012345678, true, false, 2.0]})",
                         bundled());
  const std::string s = "<http://example.org/s> ";
  EXPECT_TRUE(
      contains(quads, s + "<http://example.org/when> \"2024-01-01\"^^<http://www.w3.org/2001/XMLSchema#date> ."));
  EXPECT_TRUE(contains(quads, s + "<http://example.org/kind> <http://example.org/Gold> ."));
  EXPECT_TRUE(contains(quads, s + "<http://example.org/dbl> \"5.0E0\"^^<http://www.w3.org/2001/XMLSchema#double> ."));
  for (const char* literal :
       {"\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>", "\"-7\"^^<http://www.w3.org/2001/XMLSchema#integer>",
        "\"1.5E0\"^^<http://www.w3.org/2001/XMLSchema#double>", "\"1.0E-1\"^^<http://www.w3.org/2001/XMLSchema#double>",
        "\"1.0E21\"^^<http://www.w3.org/2001/XMLSchema#double>",
        // JSON numbers are doubles to JSON-LD, as to JavaScript verifiers.
        "\"123456789012345680\"^^<http://www.w3.org/2001/XMLSchema#integer>",
        "\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>",
        "\"false\"^^<http://www.w3.org/2001/XMLSchema#boolean>"})
    EXPECT_TRUE(contains(quads, s + "<http://example.org/n> " + literal + " .")) << literal;
  // 1 and 2.0 are both integers; 2.0 becomes "2".
  EXPECT_TRUE(contains(quads, s + "<http://example.org/n> \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> ."));
}

TEST(Expansion, LanguagesAndLanguageMaps) {
  auto quads = rdf_lines(R"({"@context": {"@language": "EN-GB", "ex": "http://example.org/",
      "title": "ex:title", "code": {"@id": "ex:code", "@language": null},
      "label": {"@id": "ex:label", "@container": "@language"}},
    "@id": "ex:s", "title": "Colour", "code": "X1",
    "label": {"fr": "Bonjour", "DE": ["Hallo", null], "@none": "Hi"}})",
                         bundled());
  const std::string s = "<http://example.org/s> ";
  // Language tags are lower-cased, as jsonld.js does, so signatures agree.
  EXPECT_TRUE(contains(quads, s + "<http://example.org/title> \"Colour\"@en-gb ."));
  EXPECT_TRUE(contains(quads, s + "<http://example.org/code> \"X1\" ."));
  EXPECT_TRUE(contains(quads, s + "<http://example.org/label> \"Bonjour\"@fr ."));
  EXPECT_TRUE(contains(quads, s + "<http://example.org/label> \"Hallo\"@de ."));
  EXPECT_TRUE(contains(quads, s + "<http://example.org/label> \"Hi\" ."));
  EXPECT_EQ(quads.size(), 5u);
}

TEST(Expansion, JsonLiteralsUseJsonCanonicalization) {
  auto dataset = to_rdf(parse(R"({"@context": {"data": {"@id": "http://example.org/data", "@type": "@json"}},
    "@id": "http://example.org/s",
    "data": {"z": [3, 1.5, "\u00e9\u000f\"", null, 1e30, 0.002], "a": {"b": true}, "\u20ac": 1, "\ud83d\ude00": 2, "\ufb01": 3}})"),
                        bundled());
  ASSERT_TRUE(dataset.ok()) << dataset.error().detail;
  ASSERT_EQ(dataset->size(), 1u);
  const Term& literal = (*dataset)[0].object;
  EXPECT_EQ(literal.datatype, "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON");
  // Members in UTF-16 order (U+20AC, U+1F600 as D83D DE00, U+FB01), numbers
  // as ECMAScript prints them, only controls, quote and backslash escaped.
  EXPECT_EQ(literal.value,
            "{\"a\":{\"b\":true},\"z\":[3,1.5,\"\xC3\xA9\\u000f\\\"\",null,1e+30,0.002],"
            "\"\xE2\x82\xAC\":1,\"\xF0\x9F\x98\x80\":2,\"\xEF\xAC\x81\":3}");
}

TEST(Expansion, ListsBecomeRdfCollections) {
  auto quads = rdf_lines(R"({"@context": {"ex": "http://example.org/",
      "items": {"@id": "ex:items", "@container": "@list"}, "none": {"@id": "ex:none", "@container": "@list"}},
    "@id": "ex:s", "items": ["a", ["b"]], "none": []})",
                         bundled());
  const std::vector<std::string> expected = {
      "<http://example.org/s> <http://example.org/items> _:b0 .",
      "_:b0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"a\" .",
      "_:b0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:b1 .",
      "_:b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> _:b2 .",
      "_:b1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .",
      "_:b2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"b\" .",
      "_:b2 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .",
      "<http://example.org/s> <http://example.org/none> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .",
  };
  EXPECT_EQ(quads, expected);
}

TEST(Expansion, SetsIndexIdAndTypeMaps) {
  auto quads = rdf_lines(R"({"@context": {"ex": "http://example.org/", "name": "ex:name",
      "tags": {"@id": "ex:tags", "@container": "@set"},
      "byIndex": {"@id": "ex:byIndex", "@container": "@index"},
      "byProp": {"@id": "ex:byProp", "@container": "@index", "@index": "ex:lang"},
      "byId": {"@id": "ex:byId", "@container": "@id"},
      "byType": {"@id": "ex:byType", "@container": "@type"}},
    "@id": "ex:s", "tags": ["x", "x"],
    "byIndex": {"k": {"@id": "ex:n1"}},
    "byProp": {"en": {"@id": "ex:n2"}},
    "byId": {"ex:n3": {"name": "three"}},
    "byType": {"ex:T": {"@id": "ex:n4"}}})",
                         bundled());
  const std::string s = "<http://example.org/s> ";
  EXPECT_TRUE(contains(quads, s + "<http://example.org/tags> \"x\" ."));
  EXPECT_EQ(std::count_if(quads.begin(), quads.end(),
                          [](const std::string& q) { return q.find("/tags>") != std::string::npos; }),
            1);
  EXPECT_TRUE(contains(quads, s + "<http://example.org/byIndex> <http://example.org/n1> ."));
  EXPECT_TRUE(contains(quads, "<http://example.org/n2> <http://example.org/lang> \"en\" ."));
  EXPECT_TRUE(contains(quads, "<http://example.org/n3> <http://example.org/name> \"three\" ."));
  EXPECT_TRUE(contains(
      quads, "<http://example.org/n4> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/T> ."));
}

TEST(Expansion, ReversePropertiesNestingIncludedAndGraphs) {
  auto quads = rdf_lines(R"({"@context": {"ex": "http://example.org/", "name": "ex:name",
      "parent": {"@reverse": "ex:child"}, "meta": "@nest", "note": {"@id": "ex:note", "@nest": "meta"},
      "claims": {"@id": "ex:claims", "@container": "@graph"}},
    "@id": "ex:s",
    "parent": {"@id": "ex:p"},
    "@reverse": {"ex:knows": {"@id": "ex:friend"}},
    "meta": {"note": "nested"},
    "@included": [{"@id": "ex:inc", "name": "included"}],
    "claims": {"@id": "ex:c", "name": "claimed"}})",
                         bundled());
  EXPECT_TRUE(contains(quads, "<http://example.org/p> <http://example.org/child> <http://example.org/s> ."));
  EXPECT_TRUE(contains(quads, "<http://example.org/friend> <http://example.org/knows> <http://example.org/s> ."));
  EXPECT_TRUE(contains(quads, "<http://example.org/s> <http://example.org/note> \"nested\" ."));
  EXPECT_TRUE(contains(quads, "<http://example.org/inc> <http://example.org/name> \"included\" ."));
  EXPECT_TRUE(contains(quads, "<http://example.org/s> <http://example.org/claims> _:b0 ."));
  EXPECT_TRUE(contains(quads, "<http://example.org/c> <http://example.org/name> \"claimed\" _:b0 ."));
}

TEST(Expansion, TopLevelGraphAndNamedGraphs) {
  auto quads = rdf_lines(R"({"@context": {"ex": "http://example.org/"},
    "@graph": [{"@id": "ex:a", "ex:p": "1"}, {"@id": "ex:g", "@graph": {"@id": "ex:b", "ex:p": "2"}}]})",
                         bundled());
  EXPECT_TRUE(contains(quads, "<http://example.org/a> <http://example.org/p> \"1\" ."));
  EXPECT_TRUE(contains(quads, "<http://example.org/b> <http://example.org/p> \"2\" <http://example.org/g> ."));
}

TEST(Expansion, BlankNodesAreLabelledInDocumentOrder) {
  auto quads = rdf_lines(R"({"@context": {"ex": "http://example.org/"},
    "ex:a": {"ex:v": "first"}, "ex:b": {"@id": "_:mine", "ex:v": "second"}, "ex:c": {"@id": "_:mine"}})",
                         bundled());
  const std::vector<std::string> expected = {
      "_:b0 <http://example.org/a> _:b1 .",       "_:b0 <http://example.org/b> _:b2 .",
      "_:b0 <http://example.org/c> _:b2 .",       "_:b1 <http://example.org/v> \"first\" .",
      "_:b2 <http://example.org/v> \"second\" .",
  };
  EXPECT_EQ(quads, expected);
}

TEST(Expansion, ValuesDifferingOnlyInWhatRdfDropsGiveOneTriple) {
  auto quads = rdf_lines(R"({"@context": {"ex": "http://example.org/"}, "@id": "ex:s",
    "ex:p": [1, 1.0, {"@value": 1, "@index": "i"}, "a", {"@value": "a", "@type": "http://www.w3.org/2001/XMLSchema#string"}]})",
                         bundled(false));
  EXPECT_EQ(quads.size(), 2u);
}

TEST(Expansion, InvalidDocumentsAreErrorsNamingWhatIsWrong) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {R"({"@id": 5})", "invalid @id value"},
      {R"({"@type": {}})", "invalid type value"},
      {R"({"http://example.org/p": {"@value": {"a": 1}}})", "invalid value object value"},
      {R"({"http://example.org/p": {"@value": "x", "@id": "http://example.org/"}})", "invalid value object"},
      {R"({"http://example.org/p": {"@value": 1, "@language": "en"}})", "invalid language-tagged value"},
      {R"({"http://example.org/p": {"@value": "x", "@type": "not an iri"}})", "invalid typed value"},
      {R"({"http://example.org/p": {"@list": [], "@id": "http://example.org/"}})", "invalid set or list object"},
      {R"({"@reverse": 1})", "invalid @reverse value"},
      {R"({"@context": {"a": "@id", "b": "@id"}, "a": "http://x/", "b": "http://y/"})", "colliding keywords"},
  };
  for (const auto& [document, code] : cases) {
    auto result = expand(parse(document), bundled(false));
    ASSERT_FALSE(result.ok()) << document;
    EXPECT_NE(result.error().detail.find(code), std::string::npos) << document << " -> " << result.error().detail;
  }
}

// ---------------------------------------------------------------------------
// Robustness

TEST(Robustness, DeepNestingIsAnErrorNotACrash) {
  json::value deep = "leaf";
  for (int i = 0; i < 2000; ++i) {
    json::object wrapper;
    wrapper["http://example.org/p"] = std::move(deep);
    deep = std::move(wrapper);
  }
  auto result = to_rdf(deep, bundled(false));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().detail.find("nests too deeply"), std::string::npos) << result.error().detail;
  json::value lists = json::array{};
  for (int i = 0; i < 2000; ++i) {
    json::array outer;
    outer.push_back(std::move(lists));
    lists = std::move(outer);
  }
  json::object holder;
  holder["@context"] = parse(R"({"l": {"@id": "http://example.org/l", "@container": "@list"}})");
  holder["l"] = std::move(lists);
  EXPECT_FALSE(to_rdf(json::value(std::move(holder)), bundled(false)).ok());
}

TEST(Robustness, MutatedCredentialsNeverCrash) {
  // A small deterministic fuzzer: replace random values of a credential by
  // values of other JSON types, and expand it in both modes.
  std::mt19937 random(20240101);
  const std::vector<json::value> replacements = {nullptr,
                                                 true,
                                                 0,
                                                 -1,
                                                 1.5,
                                                 1e300,
                                                 "",
                                                 "@id",
                                                 "@type",
                                                 "_:b0",
                                                 "http://example.org/x",
                                                 "relative",
                                                 json::array{},
                                                 json::array{nullptr, "@list"},
                                                 json::object{},
                                                 parse(R"({"@value": null})"),
                                                 parse(R"({"@list": [{"@list": []}]})"),
                                                 parse(R"({"@context": null})"),
                                                 parse(R"({"@id": "@reverse"})"),
                                                 parse(R"({"@context": {"@vocab": "http://v/"}, "x": 1})"),
                                                 parse(R"({"@graph": [{"@id": "_:x"}]})"),
                                                 parse(R"({"@context": "https://www.w3.org/ns/credentials/v2"})"),
                                                 parse(R"({"@nest": {"a": 1}})")};
  const json::value original = parse(kOpenBadge);
  for (int round = 0; round < 400; ++round) {
    json::value document = original;
    const int mutations = 1 + static_cast<int>(random() % 3);
    for (int m = 0; m < mutations; ++m) {
      json::value* node = &document;
      for (int depth = 0; depth < 6; ++depth) {
        if (node->is_object() && !node->as_object().empty() && random() % 3 != 0) {
          auto it = node->as_object().begin() + static_cast<std::ptrdiff_t>(random() % node->as_object().size());
          node = &it->value();
        } else if (node->is_array() && !node->as_array().empty() && random() % 3 != 0) {
          node = &node->as_array()[random() % node->as_array().size()];
        } else {
          break;
        }
      }
      *node = replacements[random() % replacements.size()];
    }
    for (const bool safe : {true, false}) {
      auto rdf = to_rdf(document, bundled(safe));
      auto expanded = expand(document, bundled(safe));
      if (!rdf.ok()) {
        EXPECT_FALSE(rdf.error().detail.empty());
      }
      if (!expanded.ok()) {
        EXPECT_FALSE(expanded.error().detail.empty());
      }
    }
  }
}

TEST(Robustness, SharedContextsAreSafeAcrossThreads) {
  const json::value document = parse(kOpenBadge);
  const std::string expected = canonical(document, bundled());
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto dataset = to_rdf(document, bundled());
        if (!dataset.ok()) return;
        auto canon = canonicalize(*dataset);
        if (!canon.ok()) return;
        results[t] = canon->nquads;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& result : results) EXPECT_EQ(result, expected);
}

}  // namespace
}  // namespace staffroom::ld
