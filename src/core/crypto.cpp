#include "core/crypto.hpp"

#include <openssl/sha.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace staffroom::crypto {

namespace {
std::atomic<unsigned long long> g_ops{crypto_pwhash_OPSLIMIT_INTERACTIVE};
std::atomic<std::size_t> g_mem{crypto_pwhash_MEMLIMIT_INTERACTIVE};
}  // namespace

void init() {
  if (sodium_init() < 0) {
    std::fputs("fatal: libsodium failed to initialise\n", stderr);
    std::abort();
  }
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string base64url(std::string_view bytes) {
  const std::size_t len = sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string out(len, '\0');
  sodium_bin2base64(out.data(), len, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(len - 1);  // drop the terminating NUL
  return out;
}

std::string uuid_v7() {
  std::string b = random_bytes(16);
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  for (int i = 0; i < 6; ++i) b[static_cast<std::size_t>(i)] = static_cast<char>((ms >> (40 - 8 * i)) & 0xff);
  b[6] = static_cast<char>((static_cast<unsigned char>(b[6]) & 0x0f) | 0x70);
  b[8] = static_cast<char>((static_cast<unsigned char>(b[8]) & 0x3f) | 0x80);
  const std::string h = hex(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string base64(std::string_view bytes) {
  const std::size_t len = sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(len, '\0');
  sodium_bin2base64(out.data(), len, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(len - 1);
  return out;
}

std::string random_token(std::size_t n) {
  return base64url(random_bytes(n));
}

std::string hex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  out.pop_back();
  return out;
}

std::string sha256(std::string_view data) {
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size());
  return out;
}

std::string sha256_hex(std::string_view data) {
  return hex(sha256(data));
}

std::string sha1_hex(std::string_view data) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

namespace {
std::optional<std::string> decode64(std::string_view text, int variant) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, &end, variant) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(len);
  return out;
}
}  // namespace

std::optional<std::string> base64url_decode(std::string_view text) {
  return decode64(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::optional<std::string> base64_decode(std::string_view text) {
  return decode64(text, sodium_base64_VARIANT_ORIGINAL);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

PasswordCost default_password_cost() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

void set_password_cost(PasswordCost cost) {
  g_ops = cost.ops;
  g_mem = cost.mem_bytes;
}

Result<std::string> hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), g_ops.load(), g_mem.load(),
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Error::unavailable("the server is out of memory for password hashing; try again shortly");
  }
  return std::string(out);
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
  std::string h(stored_hash);  // needs NUL termination
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

}  // namespace staffroom::crypto
