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

inline constexpr std::string_view kClrContext = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json";

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

// The recipient as Open Badges 3.0 and CLR 2.0 identify one: a salted hash
// of the address.
boost::json::object identity_object(std::string_view email, std::string_view salt);

// Credit a district approved, as an AchievementCredential for a learner record.
struct CreditInput {
  std::string uuid;
  std::string claim_url;  // the claim's page: the achievement's and the evidence's id
  std::string issuer_id, district_name, district_url, tier;
  std::int64_t policy_version = 0;
  EpochMs decided_at = 0;
  std::int64_t minutes = 0, ceu_hundredths = 0, semester_credit_hundredths = 0;
  std::string recipient_email, salt;
};
boost::json::object build_credit_credential(const CreditInput& in);

struct ClrInput {
  std::string uuid;
  std::string issuer_id, issuer_name, issuer_url;
  std::string learner_name, recipient_email, salt;
  std::string period;  // "2026-01-01 to 2026-12-31", for the name
  EpochMs issued = 0;
  std::vector<boost::json::object> credentials;  // signed AchievementCredentials
};
// ClrCredential (CLR 2.0): the credentials in credentialSubject.
// verifiableCredential, their achievements in credentialSubject.achievement.
boost::json::object build_clr(const ClrInput& in);

boost::json::object build_status_list_credential(const std::string& url, const std::string& issuer_id,
                                                 const std::string& encoded_list, EpochMs valid_from,
                                                 EpochMs valid_until);

}  // namespace staffroom::credentials
