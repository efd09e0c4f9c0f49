// Verifying an Open Badges 3.0 credential, ours or another issuer's: the
// Data Integrity proof, that the key belongs to the issuer, the dates, the
// status and the credential's shape. Pure apart from the clock the caller
// passes and the document loader (the bundled contexts): nothing is fetched,
// so any did:key credential verifies offline, and verifying never depends on
// a network someone else controls.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "ld/data_integrity.hpp"

namespace staffroom::credentials {

// The checks, in the order they are reported.
inline constexpr std::string_view kCheckSchema = "schema";  // an OpenBadgeCredential with what OB 3.0 requires
inline constexpr std::string_view kCheckProof = "proof";    // every proof verifies (eddsa-rdfc-2022)
inline constexpr std::string_view kCheckIssuer = "issuer";  // the signing key is the issuer's
inline constexpr std::string_view kCheckDates = "dates";    // valid now: validFrom passed, validUntil not
inline constexpr std::string_view kCheckStatus = "status";  // not revoked

struct Check {
  std::string name;
  ld::CheckStatus status = ld::CheckStatus::Skipped;
  std::string detail;  // why, in words a person checking a credential understands
};

// Status of a credential this server issued: revoked (with the reason) or
// not; nullopt when the status entry is not one of ours.
struct RevocationState {
  bool revoked = false;
  std::string reason;
};
using StatusLookup = std::function<std::optional<RevocationState>(const boost::json::object& status_entry)>;

struct VerifyInput {
  ld::DocumentLoader loader;
  ld::MethodResolver resolver;  // for methods other than did:key; may be empty
  StatusLookup status;          // may be empty: no status is ours
  EpochMs now = 0;
};

struct Verification {
  bool verified = false;  // every check passed (a skipped status check does not fail it)
  std::vector<Check> checks;
  ld::VerificationResult proof;  // the proof checks in detail
  std::string issuer;            // the issuer's id, when the document names one
  std::string name;              // the achievement's name, when present
};

Verification verify_credential(const boost::json::value& document, const VerifyInput& input);

// {"verified", "issuer", "achievement", "checks": [{"check", "status", "detail"}], "proof": {...}}
boost::json::object to_json(const Verification& v);

}  // namespace staffroom::credentials
