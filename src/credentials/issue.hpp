// Building the documents Staffroom signs: an OpenBadgeCredential for an
// award, and the BitstringStatusListCredential that says which credentials
// are revoked. Pure apart from signing with the key the caller passes.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "credentials/model.hpp"
#include "ld/data_integrity.hpp"

namespace staffroom::credentials {

inline constexpr std::string_view kCredentialsV2Context = "https://www.w3.org/ns/credentials/v2";
inline constexpr std::string_view kObContext = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
inline constexpr std::string_view kObExtensionsContext = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json";

// A status list's size: the Bitstring Status List spec's minimum (16 KiB),
// which hides any one credential among many.
inline constexpr std::int64_t kStatusListCapacity = 131072;

struct EvidenceItem {
  std::string id;  // a URL
  std::string name, narrative;
};

struct CredentialInput {
  std::string uuid;
  Achievement achievement;
  std::string achievement_url;  // the achievement's public page
  std::string issuer_id;        // the DID
  std::string issuer_name;      // the owner's name
  std::string issuer_url;
  std::string recipient_email;  // normalized
  std::string salt;             // for identityHash
  std::string narrative;        // why it was awarded, if said
  EpochMs valid_from = 0;
  std::optional<EpochMs> valid_until;
  std::vector<EvidenceItem> evidence;
  std::string status_list_url;
  std::int64_t status_index = 0;
  std::string image_fallback_url;  // used when the achievement has no image
};

// "sha256$" + hex(SHA-256(email + salt)), as Open Badges 3.0 IdentityObject.
std::string identity_hash(std::string_view email, std::string_view salt);

// The unsigned credential.
boost::json::object build_credential(const CredentialInput& in);

// Adds the eddsa-rdfc-2022 proof.
Result<boost::json::object> sign(const boost::json::object& document, const std::string& verification_method,
                                 const ld::Ed25519SecretKey& key, EpochMs created);

// The list's bits, bit 0 the most significant bit of the first byte, GZIP
// compressed, base64url without padding, with the multibase prefix "u".
Result<std::string> encode_status_list(const std::vector<std::int64_t>& set_bits, std::int64_t capacity);
// The other way: the indexes whose bit is set. Errors name what is wrong.
Result<std::vector<std::int64_t>> decode_status_list(std::string_view encoded, std::int64_t max_bytes = 1 << 20);

boost::json::object build_status_list_credential(const std::string& url, const std::string& issuer_id,
                                                 const std::string& encoded_list, EpochMs valid_from,
                                                 EpochMs valid_until);

}  // namespace staffroom::credentials
