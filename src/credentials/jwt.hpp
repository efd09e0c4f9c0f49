// The VC-JWT rendering of an Open Badges 3.0 credential: the same credential
// Staffroom signs with a Data Integrity proof, signed a second way as a
// compact JWS with RS256 (RSASSA-PKCS1-v1_5 with SHA-256), for verifiers that
// only accept JWTs (Open Badges 3.0, section 8.2 "JSON Web Token Proof
// Format").
//
// Pure: no clock, no network, no storage. The caller passes the key, the key
// id a verifier dereferences, and (to verify) the current time; resolving a
// kid to a key is the caller's business. RS256 is deterministic, so the same
// credential and key always give the same JWT.
//
// What this module promises:
// - Verification accepts RS256 and nothing else: "none", HS256 (the classic
//   key-confusion forgery), PS256 and every other alg are refused before any
//   signature is looked at, and the key is always the caller's, never one the
//   token names.
// - Nothing here throws on hostile input: malformed tokens, bad base64url,
//   bad JSON and oversized input come back as errors.
// - Secret key material never appears in an error, a log line or a JWK: keys
//   are read and written only as PKCS#8 PEM, through OpenSSL's secure heap.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace staffroom::credentials::jwt {

inline constexpr std::string_view kAlgorithm = "RS256";
// Longest compact JWT verify_vc_jwt reads (and sign_vc_jwt writes): far
// more than any badge needs, small enough that hostile input costs little.
inline constexpr std::size_t kMaxCompactBytes = std::size_t{1024} * 1024;
// How far nbf may be in the future and exp in the past, as clocks drift.
inline constexpr std::int64_t kClockSkewSeconds = 300;
// RFC 7518 section 3.3: RS256 keys are 2048 bits or more. The upper bound
// keeps a hostile JWK from making each verification expensive.
inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 8192;

// ---- base64url (RFC 7515 section 2: no padding) ------------------------------

std::string base64url_encode(std::string_view bytes);
// Refuses padding ('='), characters outside the URL-safe alphabet (by
// position), a length no encoding has, and non-zero unused bits, so each byte
// string has exactly one accepted spelling. `field` names what was decoded.
Result<std::string> base64url_decode(std::string_view text, std::string_view field = "value");

// ---- keys ---------------------------------------------------------------------

// An RSA key of kMinRsaBits to kMaxRsaBits bits: a private key (which also
// verifies) or, from a JWK, a public key only. Move-only; OpenSSL wipes the
// private components when the key is freed.
class RsaKey {
 public:
  // A fresh key from OpenSSL's CSPRNG; bits outside the accepted range is a
  // validation error.
  static Result<RsaKey> generate(int bits = 3072);
  // PKCS#8 ("BEGIN PRIVATE KEY") or PKCS#1 ("BEGIN RSA PRIVATE KEY") PEM,
  // unencrypted. Errors say what is wrong (not PEM, a public key, not RSA,
  // too short) and never quote the text.
  static Result<RsaKey> from_pem(std::string_view private_pem);
  // An RSA public JWK (RFC 7517/7518): kty "RSA", n and e in base64url. A JWK
  // holding private members (d, p, q, ...) is refused, as is one whose alg or
  // use says it is not for RS256 signatures.
  static Result<RsaKey> public_from_jwk(const boost::json::object& jwk);

  RsaKey(RsaKey&& other) noexcept;
  RsaKey& operator=(RsaKey&& other) noexcept;
  RsaKey(const RsaKey&) = delete;
  RsaKey& operator=(const RsaKey&) = delete;
  ~RsaKey();

  bool has_private_key() const { return has_private_; }
  int bits() const;
  // The private key as unencrypted PKCS#8 PEM, for storing it (encrypted) or
  // exporting it: a secret, keep it out of logs. Empty for a public key.
  std::string private_pem() const;
  // {"kty":"RSA","n","e","alg":"RS256","use":"sig","kid"}: never any private
  // member. kid is left out when empty.
  boost::json::object public_jwk(std::string_view kid) const;

  // RSASSA-PKCS1-v1_5 with SHA-256 over the bytes, as JWS RS256 computes it
  // over the signing input. Signing needs the private key.
  Result<std::string> sign_rs256(std::string_view data) const;
  bool verify_rs256(std::string_view data, std::string_view signature) const;

 private:
  RsaKey(evp_pkey_st* pkey, bool has_private) : pkey_(pkey), has_private_(has_private) {}
  evp_pkey_st* pkey_ = nullptr;
  bool has_private_ = false;
};

// ---- signing -------------------------------------------------------------------

// Where the credential sits in the JWT payload.
enum class PayloadLayout {
  // VC Data Model 1.1 (section 6.3.1): the credential under the "vc" claim,
  // the registered claims beside it. What most JWT-only verifiers expect.
  VcClaim,
  // VC Data Model 2.0, as Open Badges 3.0 section 8.2.4 now words it: the
  // payload is the credential itself with the registered claims added.
  // Verifiers must accept both.
  Credential,
};

struct SignOptions {
  PayloadLayout layout = PayloadLayout::VcClaim;
  // The iat claim (seconds since the epoch). When absent it is nbf, the
  // credential's validFrom, which keeps signing deterministic.
  std::optional<std::int64_t> issued_at;
  // Adds the public key as the header's "jwk": for issuers whose DID cannot
  // list an RSA key (did:key), so a verifier has the key with the token.
  bool embed_public_key = false;
};

// Signs the credential as a compact JWS:
//   header  {"alg":"RS256","typ":"JWT","kid":kid}
//   payload iss = issuer (or issuer.id), jti = id, sub = credentialSubject.id
//           when present, nbf = validFrom, iat, exp = validUntil when present,
//           and the credential without its embedded "proof" (see layout).
// validFrom and validUntil are XML Schema dateTimes (ld::parse_xsd_date_time);
// NumericDates are whole seconds, rounded down. Errors are one Validation
// error naming every missing or bad member (no issuer id, bad validFrom...),
// a public-only key, an empty kid, or a result over kMaxCompactBytes.
Result<std::string> sign_vc_jwt(const boost::json::object& credential, const RsaKey& key, std::string_view kid,
                                const SignOptions& options = {});

// ---- verifying -----------------------------------------------------------------

struct JwtVerification {
  bool verified = false;
  // Why not, naming every problem found ("alg: ...; exp: ..."); empty when verified.
  std::string error;
  // The JOSE header once it parses, even when verification then fails: it is
  // unauthenticated unless `verified`.
  boost::json::object header;
  // The payload and the credential it carries (the "vc" claim, or the payload
  // without its registered claims), filled only once the signature verified,
  // so a token that failed only on its dates still shows what it said.
  boost::json::object claims;
  boost::json::object credential;
};

// Verifies a compact JWS against the caller's key, in this order: at most
// kMaxCompactBytes, three base64url parts, a JSON header with alg exactly
// "RS256" (typ "JWT" if present, no crit, a kid or a public jwk as OB 3.0
// requires), the RS256 signature, then the payload: the credential (either
// layout), iss = issuer id, jti = id, sub = credentialSubject.id when either
// is present, nbf = validFrom and reached, exp = validUntil when either is
// present and not passed, both with kClockSkewSeconds of slack (VC 1.1's
// issuanceDate and expirationDate stand in for validFrom and validUntil).
// Never throws on malformed input.
JwtVerification verify_vc_jwt(std::string_view compact, const RsaKey& public_key, std::int64_t now_seconds);

// The JOSE header of a compact JWS, unverified: for reading kid to find the
// key to verify with, and nothing else.
Result<boost::json::object> read_unverified_header(std::string_view compact);

}  // namespace staffroom::credentials::jwt
