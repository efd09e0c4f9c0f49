// Decentralized identifiers for issuers: did:key (the key is the identifier,
// resolved offline) and did:web (a DID document served over HTTPS), plus the
// controlled-identifier checks that keep a verifier from trusting a key its
// controller never vouched for.
//
// Keys are Ed25519 Multikeys throughout; other key types are refused with an
// error that says so.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "ld/multibase.hpp"

namespace staffroom::ld {

inline constexpr std::string_view kDidContextV1 = "https://www.w3.org/ns/did/v1";
inline constexpr std::string_view kMultikeyContextV1 = "https://w3id.org/security/multikey/v1";

// ---- did:key -------------------------------------------------------------

// did:key:z6Mk... for an Ed25519 public key.
std::string did_key(const Ed25519PublicKey& key);
// The key's one verification method: did:key:z6Mk...#z6Mk...
std::string did_key_verification_method(const Ed25519PublicKey& key);
// The public key inside a did:key DID, or inside its verification method id
// (whose fragment must repeat the key). Errors name what is malformed: not
// did:key, not base58btc, not an Ed25519 key, a wrong length, a fragment that
// does not match, or bytes that are not a valid Ed25519 point.
Result<Ed25519PublicKey> did_key_public_key(std::string_view did_or_method_id);
// The DID document did:key defines for the key (Multikey form, the two
// contexts above, the key under authentication, assertionMethod,
// capabilityInvocation and capabilityDelegation).
boost::json::object did_key_document(const Ed25519PublicKey& key);

// ---- did:web -------------------------------------------------------------

// The HTTPS URL a did:web DID resolves to (did:web spec, Read): the domain,
// an optional port written "%3A", then colon-separated path segments.
//   did:web:example.com                  -> https://example.com/.well-known/did.json
//   did:web:example.com%3A8443           -> https://example.com:8443/.well-known/did.json
//   did:web:example.com:issuers:north    -> https://example.com/issuers/north/did.json
// Refused: other methods, fragments/queries, IP addresses, bad ports, empty
// or dot-only path segments (they would climb out of the path).
Result<std::string> did_web_url(std::string_view did);

// One key an issuer has held. `id` is either a fragment ("#key-2") or an
// absolute DID URL under the DID. Retired keys (replaced by a newer one)
// stay listed for assertionMethod so credentials they signed keep verifying,
// but are no longer offered for authentication. A compromised key must be
// dropped from the list, not retired.
struct MultikeyMethod {
  std::string id;
  Ed25519PublicKey public_key;
  bool retired = false;
};

// The document served at did_web_url(did): @context [did/v1, multikey/v1],
// id, every key as a Multikey verificationMethod, every key under
// assertionMethod, current keys under authentication. Errors: a DID that
// did_web_url refuses, no keys, no current key, a malformed or repeated id.
Result<boost::json::object> did_web_document(std::string_view did, const std::vector<MultikeyMethod>& methods);

// ---- resolving verification methods ---------------------------------------

// A verification method as a verifier needs it: its key, who controls it and
// the verification relationships ("assertionMethod", "authentication", ...)
// under which its controller lists it.
struct ResolvedMethod {
  std::string id;
  std::string controller;
  Ed25519PublicKey public_key;
  std::vector<std::string> relationships;
};

// Resolves a verification method id (a DID URL or other URL) to its method.
// Supplied by the caller for methods that need the network or a database
// (did:web, https:); it should answer from a cache and bound its time.
using MethodResolver = std::function<Result<ResolvedMethod>(std::string_view method_id)>;

// did:key methods, offline: the method did:key defines for the key.
Result<ResolvedMethod> resolve_did_key_method(std::string_view method_id);

// Finds `method_id` in a controller (DID) document the caller fetched, with
// the checks of Controlled Identifiers v1.0, "Retrieve Verification Method":
// the document's id is the method id without its fragment, the method's
// absolute id and controller match, it is an Ed25519 Multikey (or an
// Ed25519VerificationKey2020, which encodes keys the same way). Relationships
// list every one that names the method by reference or embeds it.
Result<ResolvedMethod> find_verification_method(const boost::json::value& controller_document,
                                                std::string_view method_id);

}  // namespace staffroom::ld
