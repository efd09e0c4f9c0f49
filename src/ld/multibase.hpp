// Multibase text, multicodec headers and Ed25519 Multikeys: the encodings the
// Data Integrity proofs and did:key use for keys and signatures.
//
// Only base58btc ('z') is accepted: it is the one encoding the EdDSA
// cryptosuites and did:key allow for Ed25519, and accepting others would
// give one key several spellings. Decoders bound their input length, because
// base58 decoding is quadratic and proofs arrive from anyone.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace staffroom::ld {

inline constexpr std::size_t kEd25519PublicKeyBytes = 32;
inline constexpr std::size_t kEd25519SeedBytes = 32;
inline constexpr std::size_t kEd25519SignatureBytes = 64;

// Multicodec codes (https://github.com/multiformats/multicodec) for the two
// Ed25519 Multikey forms; as unsigned varints they are 0xed 0x01 and 0x80 0x26.
inline constexpr std::uint64_t kMulticodecEd25519Public = 0xed;
inline constexpr std::uint64_t kMulticodecEd25519Private = 0x1300;

// Longest base58 text the decoders accept unless told otherwise: ample for
// keys (48 characters) and signatures (88), small enough that hostile input
// costs little.
inline constexpr std::size_t kDefaultMaxBase58Chars = 1024;

// Bitcoin-alphabet base58. Each leading zero byte becomes a '1'; "" <-> "".
std::string base58btc_encode(std::string_view bytes);
// Errors name the first character outside the alphabet (by position) or the
// length limit; `field` names what was being decoded.
Result<std::string> base58btc_decode(std::string_view text, std::string_view field = "value",
                                     std::size_t max_chars = kDefaultMaxBase58Chars);

// Multibase base58btc: 'z' followed by base58btc.
std::string multibase_encode(std::string_view bytes);
// Accepts only the 'z' header; an error names the header found instead.
Result<std::string> multibase_decode(std::string_view text, std::string_view field = "value",
                                     std::size_t max_chars = kDefaultMaxBase58Chars);

// Unsigned LEB128 varints as multicodec uses them (at most 9 bytes, minimal).
std::string varint_encode(std::uint64_t value);
struct VarintPrefix {
  std::uint64_t value = 0;
  std::size_t length = 0;  // bytes the varint took
};
// Reads the varint at the start of `bytes`; an error when it is truncated,
// longer than 9 bytes or not minimally encoded.
Result<VarintPrefix> varint_decode(std::string_view bytes);

struct Ed25519PublicKey {
  std::array<unsigned char, kEd25519PublicKeyBytes> bytes{};

  std::string_view view() const { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }
  // Exactly 32 bytes, else a validation error naming `field`.
  static Result<Ed25519PublicKey> from_bytes(std::string_view raw, std::string_view field = "publicKey");
  bool operator==(const Ed25519PublicKey&) const = default;
};

// An Ed25519 secret key: the 32-byte seed RFC 8032 calls the private key,
// kept with libsodium's expanded 64-byte form (seed || public key) so signing
// does not redo the derivation. The bytes are wiped when the object dies and
// are never part of any error text.
class Ed25519SecretKey {
 public:
  // A fresh key from libsodium's CSPRNG (crypto::init() must have run).
  static Ed25519SecretKey generate();
  // Exactly 32 seed bytes; the error never quotes them.
  static Result<Ed25519SecretKey> from_seed(std::string_view seed);

  Ed25519SecretKey(const Ed25519SecretKey& other);
  Ed25519SecretKey& operator=(const Ed25519SecretKey& other);
  ~Ed25519SecretKey();

  const Ed25519PublicKey& public_key() const { return public_key_; }
  // The 32-byte seed, for storing the key (encrypted) or exporting it.
  std::string_view seed() const { return {reinterpret_cast<const char*>(expanded_.data()), kEd25519SeedBytes}; }
  // libsodium's 64-byte secret key, as crypto_sign_detached takes it.
  const unsigned char* libsodium_key() const { return expanded_.data(); }

 private:
  Ed25519SecretKey() = default;
  std::array<unsigned char, 64> expanded_{};
  Ed25519PublicKey public_key_;
};

// Multikey publicKeyMultibase: 'z' + base58btc(0xed 0x01 || 32-byte key),
// which always starts "z6Mk".
std::string encode_public_key_multibase(const Ed25519PublicKey& key);
// Errors say what is wrong: not multibase base58btc, a multicodec header
// other than ed25519-pub (a secret key is called out as such), or a length
// other than 32 bytes.
Result<Ed25519PublicKey> decode_public_key_multibase(std::string_view text,
                                                     std::string_view field = "publicKeyMultibase");

// Multikey secretKeyMultibase: 'z' + base58btc(0x80 0x26 || 32-byte seed).
// The result is a secret: keep it out of logs.
std::string encode_secret_key_multibase(const Ed25519SecretKey& key);
// Errors describe the problem without quoting any of the text.
Result<Ed25519SecretKey> decode_secret_key_multibase(std::string_view text,
                                                     std::string_view field = "secretKeyMultibase");

}  // namespace staffroom::ld
