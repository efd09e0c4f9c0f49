// Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C Data
// Integrity EdDSA Cryptosuites v1.0, section 3.2): how Staffroom signs the
// Open Badges it issues and checks the ones it is shown.
//
// A proof signs SHA-256(canonical proof configuration) || SHA-256(canonical
// document) with Ed25519, both canonical forms being RDFC-1.0 N-Quads of the
// JSON-LD. Every JSON-LD context comes from the caller's DocumentLoader (in
// the server, the bundled contexts), so nothing is fetched while signing or
// verifying, and safe mode makes undefined terms an error rather than
// silently unsigned data.
//
// The steps after canonicalization are exposed on their own so that they
// can be checked against the published test vectors without JSON-LD.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "ld/did.hpp"
#include "ld/jsonld.hpp"
#include "ld/multibase.hpp"

namespace staffroom::ld {

inline constexpr std::string_view kDataIntegrityProof = "DataIntegrityProof";
inline constexpr std::string_view kEddsaRdfc2022 = "eddsa-rdfc-2022";
// A document may carry a proof set; more proofs than this are refused
// outright, since each one costs two canonicalizations.
inline constexpr std::size_t kMaxProofs = 16;

// ---- the cryptographic steps, over canonical N-Quads ------------------------

// hashData (section 3.2.4): SHA-256 of the canonical proof configuration
// followed by SHA-256 of the canonical document, 64 bytes.
std::string hash_data(std::string_view proof_config_nquads, std::string_view document_nquads);
// Pure Ed25519 over hashData (section 3.2.6); 64 bytes, deterministic.
std::string sign_hash_data(std::string_view hash_data, const Ed25519SecretKey& key);
// Section 3.2.7; false for a signature that is not 64 bytes.
bool verify_hash_data(std::string_view hash_data, std::string_view signature, const Ed25519PublicKey& key);
// hash_data, then sign or verify.
std::string sign_canonical(std::string_view proof_config_nquads, std::string_view document_nquads,
                           const Ed25519SecretKey& key);
bool verify_canonical(std::string_view proof_config_nquads, std::string_view document_nquads,
                      std::string_view signature, const Ed25519PublicKey& key);

// ---- the JSON-LD steps ----------------------------------------------------------

// Transformation (section 3.2.3): JSON-LD to RDF in safe mode, then RDFC-1.0,
// as sorted canonical N-Quads.
Result<std::string> canonical_nquads(const boost::json::value& document, const DocumentLoader& loader);

// Proof configuration (section 3.2.5), before canonicalization: a copy of the
// proof options (a proof without proofValue) with @context set to the
// document's. Errors: type is not DataIntegrityProof, cryptosuite is not
// eddsa-rdfc-2022, created is not an XML Schema dateTime.
Result<boost::json::object> proof_configuration(const boost::json::object& proof_options,
                                                const boost::json::value& document_context);

// ---- dates -----------------------------------------------------------------------

// An XML Schema 1.1 dateTime: YYYY-MM-DDThh:mm:ss[.s+][Z|(+|-)hh:mm], four-
// digit years only. No offset is read as UTC, as Data Integrity allows.
std::optional<EpochMs> parse_xsd_date_time(std::string_view text);
// UTC, whole seconds: 2024-05-01T09:30:00Z.
std::string format_xsd_date_time(EpochMs ms);

// ---- creating a proof ---------------------------------------------------------

struct ProofOptions {
  std::string verification_method;  // e.g. did:web:example.org#key-2
  std::string proof_purpose = "assertionMethod";
  std::optional<std::string> created;  // XML Schema dateTime; the current UTC second when absent
  std::optional<std::string> expires;
  std::optional<std::string> challenge;
  std::optional<std::string> domain;
};

// Add Proof: returns the document with a DataIntegrityProof (eddsa-rdfc-2022,
// proofValue the base58btc multibase of the signature). A document that
// already has proofs gets the new one appended, making a proof set; the new
// proof signs the document without them. When the verification method is a
// did:key, it must be the signing key's. Errors name the bad option, or carry
// the JSON-LD/canonicalization error (undefined terms, unknown contexts).
Result<boost::json::object> create_proof(const boost::json::value& unsigned_document, const ProofOptions& options,
                                         const Ed25519SecretKey& key, const DocumentLoader& loader);

// ---- verifying proofs ---------------------------------------------------------

enum class CheckStatus { Passed, Failed, Skipped };
std::string_view to_string(CheckStatus status);

// Names of the checks, in the order they are reported.
namespace check {
inline constexpr std::string_view kProof = "proof";  // the entry is a JSON object
inline constexpr std::string_view kType = "type";
inline constexpr std::string_view kCryptosuite = "cryptosuite";
inline constexpr std::string_view kProofPurpose = "proofPurpose";
inline constexpr std::string_view kDomain = "domain";
inline constexpr std::string_view kChallenge = "challenge";
inline constexpr std::string_view kCreated = "created";
inline constexpr std::string_view kExpires = "expires";
inline constexpr std::string_view kPreviousProof = "previousProof";
inline constexpr std::string_view kVerificationMethod = "verificationMethod";  // resolvable to an Ed25519 key
inline constexpr std::string_view kAuthorized = "authorized";          // listed under proofPurpose by its controller
inline constexpr std::string_view kProofValue = "proofValue";          // base58btc multibase of 64 bytes
inline constexpr std::string_view kTransformation = "transformation";  // JSON-LD + canonicalization succeeded
inline constexpr std::string_view kSignature = "signature";
}  // namespace check

struct ProofCheck {
  std::string name;  // one of check::k*
  CheckStatus status = CheckStatus::Skipped;
  std::string detail;  // why it failed or was skipped; what was found when it passed
};

struct ProofResult {
  std::size_t index = 0;            // position in the proof array (0 for a single proof)
  std::string verification_method;  // as the proof names it, when it is a string
  std::string controller;           // of the resolved method: compare with the credential's issuer
  bool verified = false;            // every check passed or was skipped, and the signature passed
  std::vector<ProofCheck> checks;
  const ProofCheck* first_failure() const;
};

struct VerificationResult {
  bool verified = false;            // no document errors, at least one proof, every proof verified
  std::vector<std::string> errors;  // problems with the document itself (not an object, no proof, ...)
  std::vector<ProofResult> proofs;
  // One line naming every failure, for logs and error details.
  std::string summary() const;
};

struct VerifyOptions {
  DocumentLoader loader;
  // For verification methods other than did:key (which resolves offline).
  // Left empty, such methods fail the verificationMethod check.
  MethodResolver resolver;
  std::string expected_proof_purpose = "assertionMethod";
  // When set, the proof's domain (a string or a set of strings) and
  // challenge must match; when not, they are not checked.
  std::vector<std::string> expected_domains;
  std::optional<std::string> expected_challenge;
  std::optional<EpochMs> now;               // the system clock when absent
  std::int64_t max_clock_skew_ms = 300000;  // how far created may be in the future
};

// Verify Proof (and, for arrays, Verify Proof Sets and Chains): checks every
// proof and reports each check. Never throws on malformed input; whatever is
// wrong ends up in `errors` or a failed check.
VerificationResult verify_proof(const boost::json::value& secured_document, const VerifyOptions& options);

// {"verified", "errors", "proofs": [{"index", "verificationMethod",
// "controller", "verified", "checks": [{"check", "status", "detail"}]}]}
boost::json::object to_json(const VerificationResult& result);

}  // namespace staffroom::ld
