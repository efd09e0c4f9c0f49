// eddsa-rdfc-2022 against the published W3C vectors (vc-di-eddsa
// TestVectors): first the steps after canonicalization, byte for byte, then
// the whole Add Proof / Verify Proof path through JSON-LD, then the verifier's
// answers to broken and hostile input.
#include "ld/data_integrity.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/crypto.hpp"
#include "ld/contexts.hpp"
#include "ld/did.hpp"
#include "ld/multibase.hpp"

using namespace staffroom;
using namespace staffroom::ld;

namespace {

std::filesystem::path vectors_dir() {
  if (const char* env = std::getenv("STAFFROOM_VECTORS")) return env;  // NOLINT(concurrency-mt-unsafe)
  return std::filesystem::path(__FILE__).parent_path() / "../../tests/vectors";
}

std::filesystem::path suite_dir() {
  return vectors_dir() / "vc-di-eddsa";
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) ADD_FAILURE() << "cannot read " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

boost::json::value read_json(const std::filesystem::path& path) {
  return boost::json::parse(read_file(path));
}

// The vector files hold hex and base58 without a trailing newline; trim in
// case an editor ever adds one.
std::string read_text(const std::filesystem::path& path) {
  std::string text = read_file(path);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

Ed25519SecretKey vector_secret_key() {
  const auto pair = read_json(suite_dir() / "keyPair.json").as_object();
  return decode_secret_key_multibase(pair.at("privateKeyMultibase").as_string()).value();
}

Ed25519PublicKey vector_public_key() {
  const auto pair = read_json(suite_dir() / "keyPair.json").as_object();
  return decode_public_key_multibase(pair.at("publicKeyMultibase").as_string()).value();
}

// The bundled contexts, then the ones the repository keeps for tests only
// (contexts/testing/: the W3C examples context and the citizenship context
// the vectors use), which a production server has no reason to carry.
DocumentLoader test_loader() {
  static const auto testing = [] {
    const auto dir = std::filesystem::path(__FILE__).parent_path() / "../../contexts/testing";
    std::map<std::string, boost::json::value, std::less<>> contexts;
    const auto index = read_json(dir / "index.json").as_object();
    for (const auto& [url, file] : index)
      contexts.emplace(std::string(url), read_json(dir / std::string(file.as_string())));
    return contexts;
  }();
  // bundled_contexts(fallback) rather than a wrapping lambda, so that the
  // processor still sees the bundled loader and shares processed contexts.
  return bundled_contexts([](std::string_view url) -> std::optional<boost::json::value> {
    if (auto it = testing.find(url); it != testing.end()) return it->second;
    return std::nullopt;
  });
}

// 2024-01-01T00:00:00Z: after the vectors' created date, before any expiry
// the tests set.
constexpr EpochMs kTestNow = 1704067200000;

VerifyOptions verify_options() {
  VerifyOptions options;
  options.loader = test_loader();
  options.now = kTestNow;
  return options;
}

const ProofCheck* find_check(const ProofResult& proof, std::string_view name) {
  for (const auto& c : proof.checks)
    if (c.name == name) return &c;
  return nullptr;
}

CheckStatus status_of(const VerificationResult& result, std::string_view name, std::size_t proof = 0) {
  if (proof >= result.proofs.size()) {
    ADD_FAILURE() << "no proof " << proof << ": " << result.summary();
    return CheckStatus::Skipped;
  }
  const auto* c = find_check(result.proofs[proof], name);
  if (c == nullptr) {
    ADD_FAILURE() << "no check " << name;
    return CheckStatus::Skipped;
  }
  return c->status;
}

// Vector sets: the alumni credential at the top and the employment
// authorization document in employ/.
class VectorSet : public ::testing::TestWithParam<std::string> {
 protected:
  std::filesystem::path dir() const { return suite_dir() / "eddsa-rdfc-2022" / GetParam(); }
  std::string canon_doc() const { return read_file(dir() / "canonDocDataInt.txt"); }
  std::string canon_proof() const { return read_file(dir() / "proofCanonDataInt.txt"); }
};

}  // namespace

// ---- the steps after canonicalization ------------------------------------------

TEST_P(VectorSet, HashesOfTheCanonicalTexts) {
  EXPECT_EQ(crypto::sha256_hex(canon_doc()), read_text(dir() / "docHashDataInt.txt"));
  EXPECT_EQ(crypto::sha256_hex(canon_proof()), read_text(dir() / "proofHashDataInt.txt"));
}

TEST_P(VectorSet, CombinedHashIsProofHashThenDocumentHash) {
  const std::string combined = hash_data(canon_proof(), canon_doc());
  EXPECT_EQ(combined.size(), 64u);
  EXPECT_EQ(crypto::hex(combined), read_text(dir() / "combinedHashDataInt.txt"));
}

TEST_P(VectorSet, SignatureIsByteForByte) {
  const std::string signature = sign_canonical(canon_proof(), canon_doc(), vector_secret_key());
  EXPECT_EQ(crypto::hex(signature), read_text(dir() / "sigHexDataInt.txt"));
  // The "base58btc" file holds the multibase form, 'z' header included.
  EXPECT_EQ(multibase_encode(signature), read_text(dir() / "sigBTC58DataInt.txt"));
  const auto signed_doc = read_json(dir() / "signedDataInt.json");
  EXPECT_EQ(multibase_encode(signature), signed_doc.at("proof").at("proofValue").as_string());
}

TEST_P(VectorSet, VectorSignatureVerifies) {
  const std::string signature = unhex(read_text(dir() / "sigHexDataInt.txt"));
  ASSERT_EQ(signature.size(), 64u);
  EXPECT_TRUE(verify_canonical(canon_proof(), canon_doc(), signature, vector_public_key()));
  EXPECT_TRUE(verify_hash_data(unhex(read_text(dir() / "combinedHashDataInt.txt")), signature, vector_public_key()));
}

TEST_P(VectorSet, AnyFlippedByteFails) {
  const std::string signature = unhex(read_text(dir() / "sigHexDataInt.txt"));
  const auto key = vector_public_key();
  for (std::size_t i : {std::size_t{0}, std::size_t{31}, std::size_t{32}, std::size_t{63}}) {
    std::string bad = signature;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_FALSE(verify_canonical(canon_proof(), canon_doc(), bad, key)) << "signature byte " << i;
  }
  std::string doc = canon_doc();
  doc[doc.size() / 2] = static_cast<char>(doc[doc.size() / 2] ^ 0x01);
  EXPECT_FALSE(verify_canonical(canon_proof(), doc, signature, key));
  std::string proof = canon_proof();
  proof[10] = static_cast<char>(proof[10] ^ 0x01);
  EXPECT_FALSE(verify_canonical(proof, canon_doc(), signature, key));
  // Hash order matters: document first is a different message.
  EXPECT_FALSE(verify_canonical(canon_doc(), canon_proof(), signature, key));
  EXPECT_FALSE(verify_canonical(canon_proof(), canon_doc(), signature, Ed25519SecretKey::generate().public_key()));
  EXPECT_FALSE(verify_canonical(canon_proof(), canon_doc(), signature.substr(0, 63), key));
  EXPECT_FALSE(verify_canonical(canon_proof(), canon_doc(), "", key));
}

TEST_P(VectorSet, ProofConfigurationIsTheProofWithTheDocumentContext) {
  const auto signed_doc = read_json(dir() / "signedDataInt.json").as_object();
  auto options = signed_doc.at("proof").as_object();
  options.erase("proofValue");
  auto config = proof_configuration(options, signed_doc.at("@context"));
  ASSERT_TRUE(config.ok()) << config.error().detail;
  EXPECT_EQ(boost::json::value(*config), read_json(dir() / "proofConfigDataInt.json"));
}

INSTANTIATE_TEST_SUITE_P(EddsaRdfc2022, VectorSet, ::testing::Values("", "employ"), [](const auto& param_info) {
  return param_info.param.empty() ? std::string("alumni") : param_info.param;
});

TEST(ProofConfiguration, RefusesWrongTypeSuiteOrDate) {
  const auto context = boost::json::value(boost::json::array{"https://www.w3.org/ns/credentials/v2"});
  auto base = boost::json::parse(R"({"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022",
    "created":"2023-02-24T23:36:38Z","verificationMethod":"did:key:z","proofPurpose":"assertionMethod"})")
                  .as_object();
  EXPECT_TRUE(proof_configuration(base, context).ok());
  auto wrong_type = base;
  wrong_type["type"] = "Ed25519Signature2020";
  EXPECT_EQ(proof_configuration(wrong_type, context).error().fields.at(0).field, "type");
  auto wrong_suite = base;
  wrong_suite["cryptosuite"] = "eddsa-jcs-2022";
  EXPECT_EQ(proof_configuration(wrong_suite, context).error().fields.at(0).field, "cryptosuite");
  auto bad_date = base;
  bad_date["created"] = "yesterday";
  EXPECT_EQ(proof_configuration(bad_date, context).error().fields.at(0).field, "created");
  auto numeric_date = base;
  numeric_date["created"] = 1700000000;
  EXPECT_FALSE(proof_configuration(numeric_date, context).ok());
  // The proof's own @context never survives: the document's is what counts.
  auto own_context = base;
  own_context["@context"] = "https://evil.example/context";
  EXPECT_EQ(proof_configuration(own_context, context)->at("@context"), context);
}

// ---- dates -------------------------------------------------------------------------

TEST(XsdDateTime, ParsesTheForms) {
  EXPECT_EQ(parse_xsd_date_time("2023-02-24T23:36:38Z"), 1677281798000);
  EXPECT_EQ(parse_xsd_date_time("2023-02-24T23:36:38"), 1677281798000);  // no offset: UTC
  EXPECT_EQ(parse_xsd_date_time("2023-02-24T23:36:38.5Z"), 1677281798500);
  EXPECT_EQ(parse_xsd_date_time("2023-02-24T23:36:38.123456789Z"), 1677281798123);
  EXPECT_EQ(parse_xsd_date_time("2023-02-25T01:36:38+02:00"), 1677281798000);
  EXPECT_EQ(parse_xsd_date_time("2023-02-24T18:36:38-05:00"), 1677281798000);
  EXPECT_EQ(parse_xsd_date_time("2023-02-24T24:00:00Z"), parse_xsd_date_time("2023-02-25T00:00:00Z"));
  EXPECT_EQ(parse_xsd_date_time("2024-02-29T00:00:00Z"), 1709164800000);
  EXPECT_EQ(parse_xsd_date_time("1970-01-01T00:00:00Z"), 0);
}

TEST(XsdDateTime, RejectsWhatIsNotADateTime) {
  for (std::string_view bad :
       {"", "2023-02-24", "2023-02-24 23:36:38Z", "2023-02-24t23:36:38z", "2023-02-30T00:00:00Z",
        "2023-13-01T00:00:00Z", "2023-02-24T25:00:00Z", "2023-02-24T24:00:01Z", "2023-02-24T23:60:00Z",
        "2023-02-24T23:59:60Z", "2023-02-24T23:36:38.Z", "2023-02-24T23:36:38+15:00", "2023-02-24T23:36:38+0200",
        "2023-02-24T23:36:38ZZ", "0000-01-01T00:00:00Z", "+2023-02-24T23:36:38Z", "2023-2-24T23:36:38Z",
        "2023-02-24T23:36:38Z\n"}) {
    EXPECT_FALSE(parse_xsd_date_time(bad).has_value()) << bad;
  }
}

TEST(XsdDateTime, FormatsWholeSecondsInUtc) {
  EXPECT_EQ(format_xsd_date_time(1677281798000), "2023-02-24T23:36:38Z");
  EXPECT_EQ(format_xsd_date_time(1677281798999), "2023-02-24T23:36:38Z");
  EXPECT_EQ(format_xsd_date_time(0), "1970-01-01T00:00:00Z");
}

// ---- the whole path through JSON-LD (needs jsonld.cpp, rdfc.cpp, contexts.cpp) --------

// The same vector sets, through JSON-LD this time.
class EndToEnd : public VectorSet {
 protected:
  boost::json::value unsigned_document() const {
    return read_json(suite_dir() / (GetParam().empty() ? "unsigned.json" : "employmentAuth.json"));
  }
  boost::json::value signed_document() const { return read_json(dir() / "signedDataInt.json"); }
};

TEST_P(EndToEnd, CanonicalFormsMatchTheVectors) {
  auto doc = canonical_nquads(unsigned_document(), test_loader());
  ASSERT_TRUE(doc.ok()) << doc.error().detail;
  EXPECT_EQ(*doc, canon_doc());
  auto proof = canonical_nquads(read_json(dir() / "proofConfigDataInt.json"), test_loader());
  ASSERT_TRUE(proof.ok()) << proof.error().detail;
  EXPECT_EQ(*proof, canon_proof());
}

TEST_P(EndToEnd, CreateProofReproducesTheSignedVector) {
  ProofOptions options;
  options.verification_method = did_key_verification_method(vector_public_key());
  options.created = "2023-02-24T23:36:38Z";
  auto secured = create_proof(unsigned_document(), options, vector_secret_key(), test_loader());
  ASSERT_TRUE(secured.ok()) << secured.error().detail;
  const auto expected = signed_document();
  EXPECT_EQ(secured->at("proof").at("proofValue"), expected.at("proof").at("proofValue"));
  EXPECT_EQ(boost::json::value(*secured), expected);
  // Same key order as the published proof, so the JSON reads the same.
  EXPECT_EQ(boost::json::serialize(secured->at("proof")), boost::json::serialize(expected.at("proof")));
}

TEST_P(EndToEnd, VerifyAcceptsTheSignedVector) {
  const auto result = verify_proof(signed_document(), verify_options());
  EXPECT_TRUE(result.verified) << result.summary();
  ASSERT_EQ(result.proofs.size(), 1u);
  EXPECT_EQ(result.proofs[0].controller, did_key(vector_public_key()));
  EXPECT_EQ(status_of(result, check::kSignature), CheckStatus::Passed);
  EXPECT_EQ(result.summary(), "verified");
  EXPECT_EQ(to_json(result).at("verified"), true);
}

INSTANTIATE_TEST_SUITE_P(EddsaRdfc2022, EndToEnd, ::testing::Values("", "employ"), [](const auto& param_info) {
  return param_info.param.empty() ? std::string("alumni") : param_info.param;
});

TEST(EddsaRdfc2022EndToEnd, VerifyRejectsATamperedCredential) {
  auto doc = read_json(suite_dir() / "eddsa-rdfc-2022/signedDataInt.json");
  doc.at("credentialSubject").as_object()["alumniOf"] = "The School of Forgeries";
  const auto result = verify_proof(doc, verify_options());
  EXPECT_FALSE(result.verified);
  EXPECT_EQ(status_of(result, check::kTransformation), CheckStatus::Passed);
  EXPECT_EQ(status_of(result, check::kSignature), CheckStatus::Failed);
  EXPECT_EQ(status_of(result, check::kVerificationMethod), CheckStatus::Passed);
  EXPECT_NE(result.summary().find("signature"), std::string::npos) << result.summary();
}

TEST(EddsaRdfc2022EndToEnd, VerifyRejectsTamperedProofOptions) {
  auto doc = read_json(suite_dir() / "eddsa-rdfc-2022/signedDataInt.json");
  doc.at("proof").as_object()["created"] = "2023-02-24T23:36:39Z";
  const auto result = verify_proof(doc, verify_options());
  EXPECT_FALSE(result.verified);
  EXPECT_EQ(status_of(result, check::kSignature), CheckStatus::Failed);
}

TEST(EddsaRdfc2022EndToEnd, VerifyRejectsAnotherKeysDidKey) {
  auto doc = read_json(suite_dir() / "eddsa-rdfc-2022/signedDataInt.json");
  doc.at("proof").as_object()["verificationMethod"] =
      did_key_verification_method(Ed25519SecretKey::generate().public_key());
  const auto result = verify_proof(doc, verify_options());
  EXPECT_FALSE(result.verified);
  EXPECT_EQ(status_of(result, check::kSignature), CheckStatus::Failed);
}

TEST(EddsaRdfc2022EndToEnd, SignAndVerifyWithDidWebAcrossAKeyRotation) {
  const std::string did = "did:web:badges.example.org";
  const auto old_key = Ed25519SecretKey::generate();
  const auto new_key = Ed25519SecretKey::generate();
  // Issued before the rotation, with key-1.
  ProofOptions options;
  options.verification_method = did + "#key-1";
  auto secured = create_proof(read_json(suite_dir() / "unsigned.json"), options, old_key, test_loader());
  ASSERT_TRUE(secured.ok()) << secured.error().detail;
  const auto created = parse_xsd_date_time(secured->at("proof").at("created").as_string());
  ASSERT_TRUE(created.has_value());

  // After the rotation, key-1 is retired and key-2 current.
  const auto document =
      did_web_document(did, {{"#key-1", old_key.public_key(), true}, {"#key-2", new_key.public_key(), false}}).value();
  int resolver_calls = 0;
  VerifyOptions verify = verify_options();
  verify.now = *created + 1000;
  verify.resolver = [&](std::string_view method_id) -> Result<ResolvedMethod> {
    ++resolver_calls;
    return find_verification_method(document, method_id);
  };
  auto result = verify_proof(*secured, verify);
  EXPECT_TRUE(result.verified) << result.summary();
  EXPECT_EQ(resolver_calls, 1);
  EXPECT_EQ(result.proofs.at(0).controller, did);

  // Without a resolver, a did:web method cannot be checked.
  VerifyOptions no_resolver = verify;
  no_resolver.resolver = nullptr;
  result = verify_proof(*secured, no_resolver);
  EXPECT_FALSE(result.verified);
  EXPECT_EQ(status_of(result, check::kVerificationMethod), CheckStatus::Failed);

  // A retired key is not listed for authentication.
  ProofOptions auth = options;
  auth.proof_purpose = "authentication";
  auto login = create_proof(read_json(suite_dir() / "unsigned.json"), auth, old_key, test_loader());
  ASSERT_TRUE(login.ok()) << login.error().detail;
  VerifyOptions expect_auth = verify;
  expect_auth.expected_proof_purpose = "authentication";
  result = verify_proof(*login, expect_auth);
  EXPECT_FALSE(result.verified);
  EXPECT_EQ(status_of(result, check::kAuthorized), CheckStatus::Failed);
  EXPECT_EQ(status_of(result, check::kSignature), CheckStatus::Passed);
}

TEST(EddsaRdfc2022EndToEnd, ProofSetsVerifyEachProof) {
  const auto first_key = vector_secret_key();
  const auto second_key = Ed25519SecretKey::generate();
  ProofOptions first;
  first.verification_method = did_key_verification_method(first_key.public_key());
  first.created = "2023-02-24T23:36:38Z";
  auto once = create_proof(read_json(suite_dir() / "unsigned.json"), first, first_key, test_loader());
  ASSERT_TRUE(once.ok()) << once.error().detail;
  ProofOptions second;
  second.verification_method = did_key_verification_method(second_key.public_key());
  second.created = "2023-03-01T00:00:00Z";
  auto twice = create_proof(*once, second, second_key, test_loader());
  ASSERT_TRUE(twice.ok()) << twice.error().detail;
  ASSERT_TRUE(twice->at("proof").is_array());
  ASSERT_EQ(twice->at("proof").as_array().size(), 2u);
  // The first proof is untouched: still the published one.
  EXPECT_EQ(twice->at("proof").as_array()[0],
            read_json(suite_dir() / "eddsa-rdfc-2022/signedDataInt.json").at("proof"));

  auto result = verify_proof(*twice, verify_options());
  EXPECT_TRUE(result.verified) << result.summary();
  ASSERT_EQ(result.proofs.size(), 2u);

  auto broken = *twice;
  broken["proof"].as_array()[1].as_object()["proofValue"] = multibase_encode(std::string(64, '\x01'));
  result = verify_proof(broken, verify_options());
  EXPECT_FALSE(result.verified);
  EXPECT_TRUE(result.proofs[0].verified);
  EXPECT_FALSE(result.proofs[1].verified);
  EXPECT_EQ(status_of(result, check::kSignature, 1), CheckStatus::Failed);
}

TEST(EddsaRdfc2022EndToEnd, DefaultsCreatedToNowAndChecksTimes) {
  ProofOptions options;
  options.verification_method = did_key_verification_method(vector_public_key());
  options.expires = "2030-01-01T00:00:00Z";
  options.domain = "badges.example.org";
  options.challenge = "c-123";
  const auto before =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  auto secured = create_proof(read_json(suite_dir() / "unsigned.json"), options, vector_secret_key(), test_loader());
  ASSERT_TRUE(secured.ok()) << secured.error().detail;
  const auto created = parse_xsd_date_time(secured->at("proof").at("created").as_string());
  ASSERT_TRUE(created.has_value());
  EXPECT_GE(*created, before - 1000);
  EXPECT_LE(*created, before + 60000);

  VerifyOptions verify = verify_options();
  verify.now = *created;
  verify.expected_domains = {"badges.example.org"};
  verify.expected_challenge = "c-123";
  EXPECT_TRUE(verify_proof(*secured, verify).verified) << verify_proof(*secured, verify).summary();

  VerifyOptions too_early = verify;
  too_early.now = *created - EpochMs{3600} * 1000;  // an hour before it was made
  auto result = verify_proof(*secured, too_early);
  EXPECT_FALSE(result.verified);
  EXPECT_EQ(status_of(result, check::kCreated), CheckStatus::Failed);
  EXPECT_EQ(status_of(result, check::kSignature), CheckStatus::Passed);

  VerifyOptions too_late = verify;
  too_late.now = *parse_xsd_date_time("2030-01-01T00:00:01Z");
  result = verify_proof(*secured, too_late);
  EXPECT_FALSE(result.verified);
  EXPECT_EQ(status_of(result, check::kExpires), CheckStatus::Failed);

  VerifyOptions other_domain = verify;
  other_domain.expected_domains = {"evil.example"};
  result = verify_proof(*secured, other_domain);
  EXPECT_EQ(status_of(result, check::kDomain), CheckStatus::Failed);

  VerifyOptions other_challenge = verify;
  other_challenge.expected_challenge = "c-124";
  result = verify_proof(*secured, other_challenge);
  EXPECT_EQ(status_of(result, check::kChallenge), CheckStatus::Failed);
}

TEST(EddsaRdfc2022EndToEnd, UndefinedTermsAreNotSignedSilently) {
  // credentials/v2 alone is protected and has no @vocab: every term below is
  // defined by it, and "alumniOf" is not.
  auto doc = read_json(suite_dir() / "unsigned.json");
  doc.as_object()["@context"] = boost::json::array{"https://www.w3.org/ns/credentials/v2"};
  doc.as_object()["type"] = boost::json::array{"VerifiableCredential"};
  ProofOptions options;
  options.verification_method = did_key_verification_method(vector_public_key());
  options.created = "2023-02-24T23:36:38Z";  // before verify_options()'s "now"
  auto with_undefined = create_proof(doc, options, vector_secret_key(), test_loader());
  EXPECT_FALSE(with_undefined.ok());

  doc.at("credentialSubject").as_object().erase("alumniOf");
  auto secured = create_proof(doc, options, vector_secret_key(), test_loader());
  ASSERT_TRUE(secured.ok()) << secured.error().detail;
  EXPECT_TRUE(verify_proof(*secured, verify_options()).verified) << verify_proof(*secured, verify_options()).summary();

  // Undefined terms added afterwards, to the proof or to the document, fail
  // the transformation rather than being dropped from what is checked.
  auto extra_in_proof = *secured;
  extra_in_proof["proof"].as_object()["undefinedTermXyz"] = "x";
  auto result = verify_proof(extra_in_proof, verify_options());
  EXPECT_FALSE(result.verified);
  EXPECT_EQ(status_of(result, check::kTransformation), CheckStatus::Failed);
  EXPECT_EQ(status_of(result, check::kSignature), CheckStatus::Skipped);

  auto extra_in_document = *secured;
  extra_in_document["credentialSubject"].as_object()["alumniOf"] = "The School of Examples";
  result = verify_proof(extra_in_document, verify_options());
  EXPECT_FALSE(result.verified);
  EXPECT_EQ(status_of(result, check::kTransformation), CheckStatus::Failed);
}

// ---- create_proof's own checks (no JSON-LD reached) ---------------------------------

TEST(CreateProof, RefusesBadOptionsBeforeSigning) {
  const auto key = vector_secret_key();
  const auto doc = read_json(suite_dir() / "unsigned.json");
  const auto loader = test_loader();
  ProofOptions good;
  good.verification_method = did_key_verification_method(key.public_key());

  auto field_of = [&](const boost::json::value& d, const ProofOptions& o) {
    auto r = create_proof(d, o, key, loader);
    return r.ok() ? std::string("ok") : r.error().fields.empty() ? r.error().detail : r.error().fields[0].field;
  };
  EXPECT_EQ(field_of(boost::json::value(boost::json::array{}), good), "document");
  boost::json::value no_context = doc;
  no_context.as_object().erase("@context");
  EXPECT_EQ(field_of(no_context, good), "@context");
  ProofOptions o = good;
  o.verification_method.clear();
  EXPECT_EQ(field_of(doc, o), "verificationMethod");
  o = good;
  o.created = "24 Feb 2023";
  EXPECT_EQ(field_of(doc, o), "created");
  o = good;
  o.expires = "never";
  EXPECT_EQ(field_of(doc, o), "expires");
  o = good;
  o.verification_method = did_key_verification_method(Ed25519SecretKey::generate().public_key());
  EXPECT_EQ(field_of(doc, o), "verificationMethod");  // another key's did:key
  boost::json::value bad_proof = doc;
  bad_proof.as_object()["proof"] = "x";
  EXPECT_EQ(field_of(bad_proof, good), "proof");
}

// ---- verify_proof on broken and hostile input ----------------------------------------

TEST(VerifyProof, DocumentLevelProblemsAreNamed) {
  const auto options = verify_options();
  auto errors_of = [&](std::string_view text) {
    const auto result = verify_proof(boost::json::parse(text), options);
    EXPECT_FALSE(result.verified) << text;
    EXPECT_TRUE(result.proofs.empty()) << text;
    return result.summary();
  };
  EXPECT_NE(errors_of("[]").find("not a JSON object"), std::string::npos);
  EXPECT_NE(errors_of("null").find("not a JSON object"), std::string::npos);
  EXPECT_NE(errors_of(R"({"@context":[]})").find("no proof"), std::string::npos);
  EXPECT_NE(errors_of(R"({"@context":[],"proof":"z123"})").find("object or an array"), std::string::npos);
  EXPECT_NE(errors_of(R"({"@context":[],"proof":[]})").find("empty array"), std::string::npos);
  EXPECT_NE(errors_of(R"({"proof":{}})").find("@context"), std::string::npos);

  boost::json::object many;
  many["@context"] = boost::json::array{};
  many["proof"] = boost::json::array(kMaxProofs + 1, boost::json::object{});
  const auto result = verify_proof(many, options);
  EXPECT_FALSE(result.verified);
  EXPECT_NE(result.summary().find("at most"), std::string::npos);
}

TEST(VerifyProof, MalformedProofFieldsFailTheirChecks) {
  const auto signed_doc = read_json(suite_dir() / "eddsa-rdfc-2022/signedDataInt.json");
  const auto options = verify_options();
  auto with = [&](std::string_view key, const boost::json::value& value) {
    auto doc = signed_doc;
    if (value.is_null()) {
      doc.at("proof").as_object().erase(key);
    } else {
      doc.at("proof").as_object()[key] = value;
    }
    return verify_proof(doc, options);
  };
  struct Case {
    std::string_view key;
    boost::json::value value;
    std::string_view failing_check;
    std::string_view says;
  };
  const Case cases[] = {
      {"type", nullptr, check::kType, "no type"},
      {"type", "Ed25519Signature2020", check::kType, "Ed25519Signature2020"},
      {"cryptosuite", "eddsa-jcs-2022", check::kCryptosuite, "eddsa-jcs-2022"},
      {"cryptosuite", 7, check::kCryptosuite, "a number"},
      {"proofPurpose", "authentication", check::kProofPurpose, "expected 'assertionMethod'"},
      {"proofPurpose", nullptr, check::kProofPurpose, "no proofPurpose"},
      {"created", "yesterday", check::kCreated, "XML Schema"},
      {"expires", "2023-03-01T00:00:00Z", check::kExpires, "expired"},
      {"previousProof", "urn:uuid:missing", check::kPreviousProof, "no proof has"},
      {"verificationMethod", nullptr, check::kVerificationMethod, "no verificationMethod"},
      {"verificationMethod", boost::json::object{}, check::kVerificationMethod, "an object"},
      {"verificationMethod", "did:key:z6MkBAD", check::kVerificationMethod, "cannot resolve"},
      {"verificationMethod", "did:web:example.com#key-1", check::kVerificationMethod, "no resolver"},
      {"proofValue", nullptr, check::kProofValue, "no proofValue"},
      {"proofValue", 12, check::kProofValue, "not a string"},
      {"proofValue", boost::json::value("u" + crypto::base64url(std::string(64, 'a'))), check::kProofValue, "'u'"},
      {"proofValue", "z0OIl", check::kProofValue, "alphabet"},
      {"proofValue", boost::json::value(multibase_encode(std::string(63, 'a'))), check::kProofValue, "63 bytes"},
      {"proofValue", boost::json::value("z" + std::string(500, '2')), check::kProofValue, "allowed"},
  };
  for (const auto& c : cases) {
    const auto result = with(c.key, c.value);
    EXPECT_FALSE(result.verified) << c.key;
    ASSERT_EQ(result.proofs.size(), 1u) << c.key;
    const auto* failed = find_check(result.proofs[0], c.failing_check);
    ASSERT_NE(failed, nullptr) << c.key;
    EXPECT_EQ(failed->status, CheckStatus::Failed) << c.key << ": " << result.summary();
    EXPECT_NE(failed->detail.find(c.says), std::string::npos) << c.key << ": " << failed->detail;
  }
}

TEST(VerifyProof, NeverCrashesOnArbitraryJson) {
  const auto options = verify_options();
  const char* inputs[] = {
      R"({"@context":null,"proof":{}})",
      R"({"@context":5,"proof":[1,"a",null,{},[]]})",
      R"({"@context":"https://www.w3.org/ns/credentials/v2","proof":{"type":["DataIntegrityProof"]}})",
      R"({"@context":[],"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod",
          "verificationMethod":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
          "proofValue":"z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme"}})",
      R"({"@context":{"@vocab":"urn:x#"},"proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","proofPurpose":"assertionMethod",
          "verificationMethod":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
          "created":"2023-02-24T23:36:38Z",
          "proofValue":"z2YwC8z3ap7yx1nZYCg4L3j3ApHsF8kgPdSb5xoS1VR7vPG3F561B52hYnQF9iseabecm3ijx4K1FBTQsCZahKZme"}})",
      R"({"@context":[],"proof":[{"id":"a","previousProof":"b"},{"id":"b","previousProof":"a"}]})",
      R"({"@context":[],"proof":[{"id":"a","previousProof":["a"]}]})",
      R"({"@context":[],"proof":{"previousProof":[1,2],"domain":[],"challenge":{},"created":[],"expires":{}}})",
  };
  VerifyOptions strict = verify_options();
  strict.expected_domains = {"a"};
  strict.expected_challenge = "b";
  for (const char* text : inputs) {
    for (const VerifyOptions* opts : std::initializer_list<const VerifyOptions*>{&options, &strict}) {
      const auto result = verify_proof(boost::json::parse(text), *opts);
      EXPECT_FALSE(result.verified) << text;
      EXPECT_FALSE(result.summary().empty());
      (void)to_json(result);
    }
  }
}

TEST(VerifyProof, ResolverAnsweringForAnotherMethodIsRefused) {
  auto doc = read_json(suite_dir() / "eddsa-rdfc-2022/signedDataInt.json");
  doc.at("proof").as_object()["verificationMethod"] = "https://issuer.example/keys#1";
  VerifyOptions options = verify_options();
  options.resolver = [](std::string_view) -> Result<ResolvedMethod> {
    return resolve_did_key_method(did_key_verification_method(vector_public_key()));
  };
  const auto result = verify_proof(doc, options);
  EXPECT_FALSE(result.verified);
  EXPECT_EQ(status_of(result, check::kVerificationMethod), CheckStatus::Failed);
}
