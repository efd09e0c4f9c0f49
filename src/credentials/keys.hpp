// The issuer's keys: an Ed25519 key for Data Integrity proofs and an RSA key
// for the VC-JWT rendering, generated on first start and kept in one file
// that only the server's user may read (mode 0600, in a 0700 folder). A file
// anyone else can read is refused, never used. Secrets never reach logs or
// error text.
//
// Rotation adds a new key and retires the current one without deleting it:
// credentials the old key signed keep verifying (their did:key names the old
// key; a did:web document keeps listing it under assertionMethod). A key
// believed compromised is removed from the file by hand, which is what makes
// its credentials stop verifying under did:web.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "ld/did.hpp"
#include "ld/multibase.hpp"

namespace staffroom::credentials {

struct IssuerKey {
  std::string id;  // "key-1", "key-2", ...
  EpochMs created_at = 0;
  std::optional<EpochMs> retired_at;
  ld::Ed25519SecretKey ed25519;
  std::string rsa_private_pem;  // PKCS#8, for RS256
};

inline constexpr std::string_view kKeyFileName = "issuer-keys.json";

class IssuerKeys {
 public:
  // Reads DIR/issuer-keys.json, or creates it (and DIR) with one new key.
  // `did_web_domain` empty: each key is its own did:key; otherwise every key
  // belongs to did:web:DOMAIN (a host, optionally with :port).
  static Result<IssuerKeys> open(const std::string& dir, std::string did_web_domain);

  // Retires the current key and adds a new one, saving the file atomically
  // (written beside it, flushed, renamed). Returns the new key's id.
  Result<std::string> rotate();

  const IssuerKey& current() const { return keys_.back(); }
  const std::vector<IssuerKey>& all() const { return keys_; }
  const IssuerKey* find(std::string_view id) const;

  bool did_web() const { return !domain_.empty(); }
  // The issuer id of credentials the key signs, and its verification method.
  std::string did(const IssuerKey& key) const;
  std::string verification_method(const IssuerKey& key) const;
  std::string rsa_key_id(const IssuerKey& key) const;  // the VC-JWT "kid"
  // did:web: the document served at /.well-known/did.json (every key,
  // retired ones under assertionMethod only). Not for did:key.
  Result<boost::json::object> did_document() const;
  // Resolves our own did:web methods without fetching; other methods fail.
  ld::MethodResolver resolver() const;

 private:
  // Writes the file; with create_only, only if none exists yet (false then).
  Result<bool> save(bool create_only) const;
  static Result<IssuerKey> generate(std::string id);
  std::string dir_;
  std::string domain_;
  std::vector<IssuerKey> keys_;
};

}  // namespace staffroom::credentials
