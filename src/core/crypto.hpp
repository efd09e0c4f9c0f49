// Cryptographic helpers over libsodium: random tokens, SHA-256, Argon2id.
// Call crypto_init() once before anything else (main and test mains do).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace staffroom::crypto {

void init();  // aborts if libsodium cannot initialise

std::string random_bytes(std::size_t n);
// URL-safe, unpadded base64 of n random bytes: for session ids, API tokens,
// reset links. 32 bytes = 256 bits, never guessable.
std::string random_token(std::size_t n = 32);
// A random UUIDv7 (RFC 9562), lower-case: the time in milliseconds leads, so
// ids issued later sort later and a batch of inserts touches few index pages.
std::string uuid_v7();
std::string base64url(std::string_view bytes);
std::string base64(std::string_view bytes);  // standard alphabet, padded
std::string hex(std::string_view bytes);
std::string sha256(std::string_view data);      // raw 32 bytes
std::string sha256_hex(std::string_view data);  // 64 lowercase hex chars
// SHA-1 survives only where a protocol names it (xAPI document ETags,
// mbox_sha1sum); never for anything secret.
std::string sha1_hex(std::string_view data);  // 40 lowercase hex chars
// Decodes base64url without padding (JWS) or standard base64 with padding;
// nullopt when the text is not valid in that alphabet.
std::optional<std::string> base64url_decode(std::string_view text);
std::optional<std::string> base64_decode(std::string_view text);
bool constant_time_equal(std::string_view a, std::string_view b);

struct PasswordCost {
  unsigned long long ops;
  std::size_t mem_bytes;
};
// libsodium's "interactive" Argon2id cost: about 64 MiB and tens of ms a hash.
PasswordCost default_password_cost();
void set_password_cost(PasswordCost cost);  // for tools that hash many passwords

// Argon2id in libsodium's self-describing string form ($argon2id$v=19$...).
Result<std::string> hash_password(std::string_view password);
bool verify_password(std::string_view stored_hash, std::string_view password);

}  // namespace staffroom::crypto
