#include "ld/multibase.hpp"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <vector>

namespace staffroom::ld {

namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

// Value of each base58 character, kNotBase58 for bytes outside the alphabet.
constexpr unsigned char kNotBase58 = 0xff;
constexpr std::array<unsigned char, 256> make_digit_table() {
  std::array<unsigned char, 256> table{};
  for (auto& entry : table) entry = kNotBase58;
  for (std::size_t i = 0; i < kAlphabet.size(); ++i)
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<unsigned char>(i);
  return table;
}
constexpr auto kDigitValue = make_digit_table();

Error field_error(std::string_view field, std::string message) {
  return Error::validation(std::string(field), std::move(message));
}

std::string hex_number(std::uint64_t value) {
  char buf[20];
  const auto end = std::to_chars(buf, buf + sizeof buf, value, 16).ptr;
  return "0x" + std::string(buf, end);
}

// Splits multicodec-prefixed key bytes and checks header and length; the
// messages never include key bytes, so they are safe for secret keys too.
Result<std::string> strip_multicodec(std::string_view decoded, std::uint64_t expected_codec,
                                     std::size_t expected_length, std::string_view field, std::string_view what) {
  auto header = varint_decode(decoded);
  if (!header.ok()) return field_error(field, "has no valid multicodec header: " + header.error().detail);
  if (header->value != expected_codec) {
    if (header->value == kMulticodecEd25519Private && expected_codec == kMulticodecEd25519Public)
      return field_error(field, "holds an Ed25519 secret key (multicodec 0x1300), not a public key");
    if (header->value == kMulticodecEd25519Public && expected_codec == kMulticodecEd25519Private)
      return field_error(field, "holds an Ed25519 public key (multicodec 0xed), not a secret key");
    return field_error(field, "has multicodec header " + hex_number(header->value) + ", expected " + std::string(what));
  }
  const std::string_view raw = decoded.substr(header->length);
  if (raw.size() != expected_length)
    return field_error(field, std::string(what) + " must be " + std::to_string(expected_length) + " bytes, got " +
                                  std::to_string(raw.size()));
  return std::string(raw);
}

}  // namespace

std::string base58btc_encode(std::string_view bytes) {
  std::size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == '\0') ++zeros;
  // Base-58 digits, most significant first; log(256)/log(58) < 1.37.
  std::vector<unsigned char> digits((bytes.size() - zeros) * 137 / 100 + 1, 0);
  std::size_t used = 0;  // significant digits at the end of `digits`
  for (std::size_t i = zeros; i < bytes.size(); ++i) {
    unsigned carry = static_cast<unsigned char>(bytes[i]);
    std::size_t j = 0;
    for (auto it = digits.rbegin(); (carry != 0 || j < used) && it != digits.rend(); ++it, ++j) {
      carry += 256U * *it;
      *it = static_cast<unsigned char>(carry % 58);
      carry /= 58;
    }
    used = j;
  }
  std::string out(zeros, '1');
  out.reserve(zeros + used);
  for (std::size_t k = digits.size() - used; k < digits.size(); ++k) out.push_back(kAlphabet[digits[k]]);
  return out;
}

Result<std::string> base58btc_decode(std::string_view text, std::string_view field, std::size_t max_chars) {
  if (text.size() > max_chars)
    return field_error(field, "is " + std::to_string(text.size()) + " base58 characters, more than the " +
                                  std::to_string(max_chars) + " allowed");
  std::size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  // Bytes, most significant first; log(58)/log(256) < 0.74.
  std::vector<unsigned char> bytes((text.size() - ones) * 733 / 1000 + 1, 0);
  std::size_t used = 0;
  for (std::size_t i = ones; i < text.size(); ++i) {
    const unsigned char digit = kDigitValue[static_cast<unsigned char>(text[i])];
    if (digit == kNotBase58)
      return field_error(field, "has a character outside the base58btc alphabet at position " + std::to_string(i + 1));
    unsigned carry = digit;
    std::size_t j = 0;
    for (auto it = bytes.rbegin(); (carry != 0 || j < used) && it != bytes.rend(); ++it, ++j) {
      carry += 58U * *it;
      *it = static_cast<unsigned char>(carry & 0xff);
      carry >>= 8;
    }
    used = j;
  }
  std::string out(ones, '\0');
  out.append(reinterpret_cast<const char*>(bytes.data()) + (bytes.size() - used), used);
  return out;
}

std::string multibase_encode(std::string_view bytes) {
  return "z" + base58btc_encode(bytes);
}

Result<std::string> multibase_decode(std::string_view text, std::string_view field, std::size_t max_chars) {
  if (text.empty()) return field_error(field, "is empty; expected multibase base58btc text starting with 'z'");
  if (text.front() != 'z') {
    const unsigned char header = static_cast<unsigned char>(text.front());
    std::string shown =
        (header >= 0x21 && header < 0x7f) ? "'" + std::string(1, text.front()) + "'" : "a non-printable byte";
    return field_error(field, "has multibase header " + shown + "; only base58btc ('z') is accepted");
  }
  return base58btc_decode(text.substr(1), field, max_chars);
}

std::string varint_encode(std::uint64_t value) {
  std::string out;
  do {
    auto byte = static_cast<unsigned char>(value & 0x7f);
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (value != 0);
  return out;
}

Result<VarintPrefix> varint_decode(std::string_view bytes) {
  // The multiformats unsigned-varint spec caps varints at 9 bytes (63 bits)
  // and requires the shortest form, so every value has one encoding.
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < bytes.size() && i < 9; ++i) {
    const auto byte = static_cast<unsigned char>(bytes[i]);
    value |= static_cast<std::uint64_t>(byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      if (byte == 0 && i > 0) return Error::bad_request("varint is not minimally encoded");
      return VarintPrefix{value, i + 1};
    }
  }
  if (bytes.size() >= 9) return Error::bad_request("varint is longer than 9 bytes");
  return Error::bad_request("varint is truncated");
}

Result<Ed25519PublicKey> Ed25519PublicKey::from_bytes(std::string_view raw, std::string_view field) {
  if (raw.size() != kEd25519PublicKeyBytes)
    return field_error(field, "an Ed25519 public key must be 32 bytes, got " + std::to_string(raw.size()));
  Ed25519PublicKey key;
  std::copy(raw.begin(), raw.end(), reinterpret_cast<char*>(key.bytes.data()));
  return key;
}

Ed25519SecretKey Ed25519SecretKey::generate() {
  Ed25519SecretKey key;
  crypto_sign_keypair(key.public_key_.bytes.data(), key.expanded_.data());
  return key;
}

Result<Ed25519SecretKey> Ed25519SecretKey::from_seed(std::string_view seed) {
  if (seed.size() != kEd25519SeedBytes)
    return Error::validation("secretKey", "an Ed25519 secret key must be 32 bytes, got " + std::to_string(seed.size()));
  Ed25519SecretKey key;
  crypto_sign_seed_keypair(key.public_key_.bytes.data(), key.expanded_.data(),
                           reinterpret_cast<const unsigned char*>(seed.data()));
  return key;
}

Ed25519SecretKey::Ed25519SecretKey(const Ed25519SecretKey& other)
    : expanded_(other.expanded_), public_key_(other.public_key_) {}

Ed25519SecretKey& Ed25519SecretKey::operator=(const Ed25519SecretKey& other) {
  if (this != &other) {
    expanded_ = other.expanded_;
    public_key_ = other.public_key_;
  }
  return *this;
}

Ed25519SecretKey::~Ed25519SecretKey() {
  sodium_memzero(expanded_.data(), expanded_.size());
}

std::string encode_public_key_multibase(const Ed25519PublicKey& key) {
  return multibase_encode(varint_encode(kMulticodecEd25519Public) + std::string(key.view()));
}

Result<Ed25519PublicKey> decode_public_key_multibase(std::string_view text, std::string_view field) {
  SR_ASSIGN(const std::string decoded, multibase_decode(text, field));
  SR_ASSIGN(const std::string raw, strip_multicodec(decoded, kMulticodecEd25519Public, kEd25519PublicKeyBytes, field,
                                                    "an Ed25519 public key (multicodec 0xed)"));
  return Ed25519PublicKey::from_bytes(raw, field);
}

std::string encode_secret_key_multibase(const Ed25519SecretKey& key) {
  std::string payload = varint_encode(kMulticodecEd25519Private);
  payload.append(key.seed());
  std::string text = multibase_encode(payload);
  sodium_memzero(payload.data(), payload.size());
  return text;
}

Result<Ed25519SecretKey> decode_secret_key_multibase(std::string_view text, std::string_view field) {
  // Errors give positions and lengths only, never any of the text: even the
  // first character is key material when the 'z' header is missing.
  if (text.empty() || text.front() != 'z')
    return field_error(field, "is not multibase base58btc text (it must start with 'z')");
  auto decoded = multibase_decode(text, field);
  if (!decoded.ok()) return std::move(decoded).error();
  auto raw = strip_multicodec(*decoded, kMulticodecEd25519Private, kEd25519SeedBytes, field,
                              "an Ed25519 secret key (multicodec 0x1300)");
  sodium_memzero(decoded->data(), decoded->size());
  if (!raw.ok()) return std::move(raw).error();
  auto key = Ed25519SecretKey::from_seed(*raw);
  sodium_memzero(raw->data(), raw->size());
  return key;
}

}  // namespace staffroom::ld
