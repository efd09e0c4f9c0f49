#include "credentials/jwt.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "ld/data_integrity.hpp"

namespace staffroom::credentials::jwt {

namespace json = boost::json;

namespace {

// ---- OpenSSL ownership ------------------------------------------------------------

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using ParamBuildPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;

// A failed OpenSSL call leaves entries on the thread's error queue; left
// there, they would be blamed on whatever OpenSSL call comes next.
void forget_openssl_errors() {
  ERR_clear_error();
}

// PEM reading must never fall back to OpenSSL's default, which prompts for a
// passphrase on the terminal.
int refuse_passphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) {
  return -1;
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// n or e of an RSA key, big-endian without leading zeros (RFC 7518 6.3.1).
std::string key_parameter(EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
    forget_openssl_errors();
    throw std::logic_error("an RSA key without its public parameters");
  }
  const BignumPtr bn(raw);
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

// The key is RSA (not RSA-PSS, EC, ...) and of an accepted size.
Status check_rsa_key(EVP_PKEY* pkey, std::string_view field) {
  if (EVP_PKEY_is_a(pkey, "RSA") != 1)
    return Error::validation(std::string(field), "is not an RSA key; RS256 signs with RSA");
  const int bits = EVP_PKEY_get_bits(pkey);
  if (bits < kMinRsaBits)
    return Error::validation(std::string(field), "is a " + std::to_string(bits) + "-bit RSA key; RS256 needs " +
                                                     std::to_string(kMinRsaBits) + " bits or more");
  if (bits > kMaxRsaBits)
    return Error::validation(std::string(field), "is a " + std::to_string(bits) + "-bit RSA key; at most " +
                                                     std::to_string(kMaxRsaBits) + " bits are accepted");
  return {};
}

// ---- JSON ---------------------------------------------------------------------------

// A value from the token or the credential, quoted for an error: short, so a
// hostile token cannot make the error text huge, cut on a UTF-8 character
// boundary, and with control characters replaced, so it cannot forge log lines.
std::string quote(std::string_view s) {
  constexpr std::size_t kMax = 80;
  std::size_t length = std::min(s.size(), kMax);
  if (length < s.size())
    while (length > 0 && (static_cast<unsigned char>(s[length]) & 0xc0) == 0x80) --length;
  std::string out = "'";
  for (const char c : s.substr(0, length)) out += static_cast<unsigned char>(c) < 0x20 || c == '\x7f' ? '?' : c;
  return out + (length < s.size() ? "...'" : "'");
}

std::string describe(const json::value& v) {
  if (const auto* s = v.if_string()) return quote(*s);
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::object:
      return "an object";
    case json::kind::array:
      return "an array";
    default:
      return "a number";
  }
}

const json::string* string_member(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr ? v->if_string() : nullptr;
}

// issuer, or issuer.id: OB 3.0 issuers are Profile objects, VC allows a URL.
std::optional<std::string> issuer_id(const json::object& credential) {
  const auto* issuer = credential.if_contains("issuer");
  if (issuer == nullptr) return std::nullopt;
  const json::string* id = issuer->if_string();
  if (const auto* profile = issuer->if_object()) id = string_member(*profile, "id");
  if (id == nullptr || id->empty()) return std::nullopt;
  return std::string(*id);
}

std::optional<std::string> non_empty_string(const json::object& o, std::string_view key) {
  const auto* s = string_member(o, key);
  if (s == nullptr || s->empty()) return std::nullopt;
  return std::string(*s);
}

// credentialSubject.id when the subject is one object with a string id.
std::optional<std::string> subject_id(const json::object& credential) {
  const auto* subject = credential.if_contains("credentialSubject");
  if (subject == nullptr || !subject->is_object()) return std::nullopt;
  return non_empty_string(subject->get_object(), "id");
}

// RFC 7519 section 4.1: the claims whose names a credential member must not
// take in the Credential layout (vc and vp would make it a VC 1.1 token).
constexpr std::array<std::string_view, 9> kReservedClaims = {"iss", "sub", "aud", "exp", "nbf",
                                                             "iat", "jti", "vc",  "vp"};
constexpr std::array<std::string_view, 7> kRegisteredClaims = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti"};
// JWK members that only a private key has (RFC 7518 section 6.3.2).
constexpr std::array<std::string_view, 7> kPrivateJwkMembers = {"d", "p", "q", "dp", "dq", "qi", "oth"};

bool holds_private_members(const json::object& jwk) {
  for (std::string_view name : kPrivateJwkMembers)
    if (jwk.contains(name)) return true;
  return false;
}

// ---- dates --------------------------------------------------------------------------

// 9999-12-31T23:59:59Z: NumericDates beyond it are refused, so adding the
// clock skew can never overflow.
constexpr std::int64_t kMaxNumericDate = 253402300799;

std::int64_t floor_seconds(EpochMs ms) {
  return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

std::string format_seconds(std::int64_t seconds) {
  return ld::format_xsd_date_time(seconds * 1000);
}

// A NumericDate (RFC 7519 section 2): a JSON number of seconds, which may
// have a fraction; whole seconds, rounded down.
std::optional<std::int64_t> numeric_date(const json::value& v) {
  std::optional<std::int64_t> seconds;
  if (const auto* i = v.if_int64()) {
    seconds = *i;
  } else if (const auto* u = v.if_uint64()) {
    if (*u <= static_cast<std::uint64_t>(kMaxNumericDate)) seconds = static_cast<std::int64_t>(*u);
  } else if (const auto* d = v.if_double()) {
    if (*d >= -static_cast<double>(kMaxNumericDate) && *d <= static_cast<double>(kMaxNumericDate))
      seconds = static_cast<std::int64_t>(std::floor(*d));
  }
  if (!seconds || *seconds < -kMaxNumericDate || *seconds > kMaxNumericDate) return std::nullopt;
  return seconds;
}

struct DateMember {
  std::string name;  // the member found: validFrom, or VC 1.1's issuanceDate
  std::optional<std::int64_t> seconds;
  bool present = false;
};

// validFrom (or, in a VC 1.1 credential, issuanceDate); validUntil (or
// expirationDate).
DateMember date_member(const json::object& credential, std::string_view name, std::string_view v11_name) {
  DateMember out;
  const json::value* v = credential.if_contains(name);
  out.name = std::string(name);
  if (v == nullptr && (v = credential.if_contains(v11_name)) != nullptr) out.name = std::string(v11_name);
  if (v == nullptr) return out;
  out.present = true;
  if (const auto* s = v->if_string()) {
    if (auto ms = ld::parse_xsd_date_time(*s)) out.seconds = floor_seconds(*ms);
  }
  return out;
}

// ---- compact serialization ------------------------------------------------------------

struct CompactParts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signing_input;  // header "." payload
};

Result<CompactParts> split_compact(std::string_view compact) {
  if (compact.size() > kMaxCompactBytes)
    return Error::validation("jwt", "is " + std::to_string(compact.size()) + " bytes; at most " +
                                        std::to_string(kMaxCompactBytes) + " are accepted");
  const std::size_t first = compact.find('.');
  const std::size_t second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos)
    return Error::validation("jwt", "is not a compact JWS: it must be three base64url parts joined by '.'");
  CompactParts parts;
  parts.header = compact.substr(0, first);
  parts.payload = compact.substr(first + 1, second - first - 1);
  parts.signature = compact.substr(second + 1);
  parts.signing_input = compact.substr(0, second);
  if (parts.header.empty()) return Error::validation("header", "is empty");
  if (parts.payload.empty()) return Error::validation("payload", "is empty");
  if (parts.signature.empty()) return Error::validation("signature", "is empty; unsecured JWTs are refused");
  return parts;
}

Result<json::object> parse_header(std::string_view encoded) {
  SR_ASSIGN(const std::string text, base64url_decode(encoded, "header"));
  json::parse_options options;
  options.max_depth = 16;  // a header is flat, apart from a jwk
  boost::system::error_code ec;
  json::value v = json::parse(text, ec, {}, options);
  if (ec) return Error::validation("header", "is not JSON (" + ec.message() + ")");
  auto* object = v.if_object();
  if (object == nullptr) return Error::validation("header", "is " + describe(v) + ", not a JSON object");
  return std::move(*object);
}

// OB 3.0 section 8.2.3: alg, kid, jwk and typ. alg is checked first and on
// its own, so a token with the wrong algorithm never reaches the signature.
Status check_header(const json::object& header) {
  const auto* alg = header.if_contains("alg");
  if (alg == nullptr) return Error::validation("alg", "the header has no alg; only RS256 is accepted");
  const auto* alg_name = alg->if_string();
  if (alg_name == nullptr) return Error::validation("alg", "is " + describe(*alg) + ", not a string");
  if (*alg_name == "none")
    return Error::validation("alg", "'none' (an unsecured JWT) is refused; only RS256 is accepted");
  if (*alg_name != kAlgorithm)
    return Error::validation("alg", quote(*alg_name) + " is refused; only RS256 is accepted");

  std::vector<FieldError> problems;
  if (header.contains("crit"))
    problems.push_back({"crit", "names extensions this verifier does not understand (RFC 7515 section 4.1.11)"});
  if (const auto* typ = header.if_contains("typ"); typ != nullptr && !(typ->is_string() && typ->get_string() == "JWT"))
    problems.push_back({"typ", "is " + describe(*typ) + "; when present it must be 'JWT'"});
  const auto* kid = header.if_contains("kid");
  if (kid != nullptr && !kid->is_string()) problems.push_back({"kid", "is " + describe(*kid) + ", not a string"});
  const auto* jwk = header.if_contains("jwk");
  if (jwk != nullptr) {
    if (!jwk->is_object())
      problems.push_back({"jwk", "is " + describe(*jwk) + ", not a JSON object"});
    else if (holds_private_members(jwk->get_object()))
      problems.push_back({"jwk", "holds private key members; a header must carry only a public key"});
  }
  if (kid == nullptr && jwk == nullptr)
    problems.push_back({"kid", "the header has neither kid nor jwk; Open Badges 3.0 requires one of them"});
  if (!problems.empty()) return Error::validation(std::move(problems));
  return {};
}

// The credential a verified payload carries: the vc claim (VC 1.1), or the
// payload itself without the registered claims (VC 2.0).
Result<json::object> credential_of(const json::object& payload) {
  if (const auto* vc = payload.if_contains("vc")) {
    if (const auto* object = vc->if_object()) return *object;
    return Error::validation("vc", "is " + describe(*vc) + ", not a JSON object");
  }
  if (!payload.contains("@context"))
    return Error::validation("vc", "the payload carries no credential: no vc claim, and no @context of its own");
  json::object credential;
  for (const auto& member : payload) {
    const std::string_view key = member.key();
    if (std::find(kRegisteredClaims.begin(), kRegisteredClaims.end(), key) != kRegisteredClaims.end()) continue;
    credential.emplace(key, member.value());
  }
  return credential;
}

// OB 3.0 section 8.2.6.1: the claims say what the credential says, and the
// credential is valid now.
std::vector<FieldError> check_claims(const json::object& claims, const json::object& credential,
                                     std::int64_t now_seconds) {
  std::vector<FieldError> problems;
  auto claim_string = [&](std::string_view name) -> std::optional<std::string> {
    const auto* v = claims.if_contains(name);
    if (v == nullptr) return std::nullopt;
    if (const auto* s = v->if_string()) return std::string(*s);
    problems.push_back({std::string(name), "is " + describe(*v) + ", not a string"});
    return std::nullopt;
  };

  const auto iss = claim_string("iss");
  const auto issuer = issuer_id(credential);
  if (!issuer) {
    problems.push_back({"issuer", "the credential has no issuer id for iss to match"});
  } else if (!iss) {
    if (!claims.contains("iss"))
      problems.push_back({"iss", "is missing; the credential's issuer is " + quote(*issuer)});
  } else if (*iss != *issuer) {
    problems.push_back({"iss", "is " + quote(*iss) + " but the credential's issuer is " + quote(*issuer)});
  }

  const auto jti = claim_string("jti");
  const auto id = non_empty_string(credential, "id");
  if (!id) {
    problems.push_back({"id", "the credential has no id for jti to match"});
  } else if (!jti) {
    if (!claims.contains("jti")) problems.push_back({"jti", "is missing; the credential's id is " + quote(*id)});
  } else if (*jti != *id) {
    problems.push_back({"jti", "is " + quote(*jti) + " but the credential's id is " + quote(*id)});
  }

  const auto sub = claim_string("sub");
  const auto subject = subject_id(credential);
  if (subject && !sub && !claims.contains("sub")) {
    problems.push_back({"sub", "is missing; the credential's subject is " + quote(*subject)});
  } else if (subject && sub && *sub != *subject) {
    problems.push_back({"sub", "is " + quote(*sub) + " but the credential's subject is " + quote(*subject)});
  } else if (!subject && sub) {
    problems.push_back({"sub", "is " + quote(*sub) + " but the credential's subject has no id"});
  }

  auto claim_date = [&](std::string_view name) -> std::optional<std::int64_t> {
    const auto* v = claims.if_contains(name);
    if (v == nullptr) return std::nullopt;
    auto seconds = numeric_date(*v);
    if (!seconds) problems.push_back({std::string(name), "is " + describe(*v) + ", not a NumericDate"});
    return seconds;
  };

  const auto nbf = claim_date("nbf");
  const DateMember valid_from = date_member(credential, "validFrom", "issuanceDate");
  if (!claims.contains("nbf")) problems.push_back({"nbf", "is missing; Open Badges 3.0 requires it"});
  if (!valid_from.present) {
    problems.push_back({"validFrom", "the credential has no validFrom for nbf to match"});
  } else if (!valid_from.seconds) {
    problems.push_back({valid_from.name, "is not an XML Schema dateTime"});
  } else if (nbf && *nbf != *valid_from.seconds) {
    problems.push_back({"nbf", "is " + format_seconds(*nbf) + " but " + valid_from.name + " is " +
                                   format_seconds(*valid_from.seconds)});
  }
  if (nbf && *nbf - kClockSkewSeconds > now_seconds)
    problems.push_back({"nbf", "the credential is not valid before " + format_seconds(*nbf)});

  const auto exp = claim_date("exp");
  const DateMember valid_until = date_member(credential, "validUntil", "expirationDate");
  if (valid_until.present && !valid_until.seconds) {
    problems.push_back({valid_until.name, "is not an XML Schema dateTime"});
  } else if (valid_until.seconds && !claims.contains("exp")) {
    problems.push_back({"exp", "is missing though the credential's " + valid_until.name + " is " +
                                   format_seconds(*valid_until.seconds)});
  } else if (valid_until.seconds && exp && *exp != *valid_until.seconds) {
    problems.push_back({"exp", "is " + format_seconds(*exp) + " but " + valid_until.name + " is " +
                                   format_seconds(*valid_until.seconds)});
  }
  if (exp && now_seconds >= *exp + kClockSkewSeconds)
    problems.push_back({"exp", "the credential expired at " + format_seconds(*exp)});

  (void)claim_date("iat");  // not compared with anything, but must be a NumericDate
  return problems;
}

Status verify_into(std::string_view compact, const RsaKey& key, std::int64_t now_seconds, JwtVerification& out) {
  SR_ASSIGN(const CompactParts parts, split_compact(compact));
  SR_ASSIGN(out.header, parse_header(parts.header));
  SR_TRY(check_header(out.header));
  SR_ASSIGN(const std::string signature, base64url_decode(parts.signature, "signature"));
  if (!key.verify_rs256(parts.signing_input, signature))
    return Error::validation("signature",
                             "does not verify with the given key: the token was altered, or signed with another key");

  SR_ASSIGN(const std::string payload_text, base64url_decode(parts.payload, "payload"));
  auto parsed = staffroom::json::parse_exact(payload_text);
  if (!parsed.ok()) return Error::validation("payload", "is not JSON");
  auto* payload = parsed->if_object();
  if (payload == nullptr) return Error::validation("payload", "is " + describe(*parsed) + ", not a JSON object");
  out.claims = std::move(*payload);
  SR_ASSIGN(out.credential, credential_of(out.claims));
  auto problems = check_claims(out.claims, out.credential, now_seconds);
  if (!problems.empty()) return Error::validation(std::move(problems));
  return {};
}

}  // namespace

// ---- base64url ------------------------------------------------------------------------

std::string base64url_encode(std::string_view bytes) {
  return crypto::base64url(bytes);
}

Result<std::string> base64url_decode(std::string_view text, std::string_view field) {
  // Positions only, never the text: this also decodes key material.
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (ok) continue;
    if (c == '=')
      return Error::validation(std::string(field), "has padding ('=' at position " + std::to_string(i + 1) +
                                                       "); base64url in a JWT is unpadded");
    return Error::validation(std::string(field),
                             "has a character outside the base64url alphabet at position " + std::to_string(i + 1));
  }
  if (text.size() % 4 == 1)
    return Error::validation(std::string(field),
                             "is " + std::to_string(text.size()) + " characters long, which no base64url text is");
  auto decoded = crypto::base64url_decode(text);
  if (!decoded) return Error::validation(std::string(field), "has non-zero unused bits in its last character");
  return std::move(*decoded);
}

// ---- RsaKey -----------------------------------------------------------------------------

RsaKey::RsaKey(RsaKey&& other) noexcept
    : pkey_(std::exchange(other.pkey_, nullptr)), has_private_(std::exchange(other.has_private_, false)) {}

RsaKey& RsaKey::operator=(RsaKey&& other) noexcept {
  if (this != &other) {
    EVP_PKEY_free(pkey_);
    pkey_ = std::exchange(other.pkey_, nullptr);
    has_private_ = std::exchange(other.has_private_, false);
  }
  return *this;
}

RsaKey::~RsaKey() {
  EVP_PKEY_free(pkey_);  // clears the private components before freeing them
}

Result<RsaKey> RsaKey::generate(int bits) {
  if (bits < kMinRsaBits || bits > kMaxRsaBits)
    return Error::validation("bits", "must be from " + std::to_string(kMinRsaBits) + " to " +
                                         std::to_string(kMaxRsaBits) + ", not " + std::to_string(bits));
  const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) <= 0 ||
      EVP_PKEY_generate(ctx.get(), &raw) <= 0) {
    forget_openssl_errors();
    return Error::internal("OpenSSL could not generate an RSA key");
  }
  return RsaKey(raw, true);
}

Result<RsaKey> RsaKey::from_pem(std::string_view private_pem) {
  constexpr std::size_t kMaxPemBytes = std::size_t{64} * 1024;
  constexpr std::string_view kField = "privateKey";
  // Every message describes the text; none quotes it.
  if (private_pem.size() > kMaxPemBytes)
    return Error::validation(std::string(kField), "is longer than 64 KiB; an RSA private key in PEM is a few KiB");
  const bool has_private_block = private_pem.find("PRIVATE KEY-----") != std::string_view::npos;
  if (!has_private_block && private_pem.find("PUBLIC KEY-----") != std::string_view::npos)
    return Error::validation(std::string(kField), "holds a public key; signing needs the private key");
  if (private_pem.find("ENCRYPTED") != std::string_view::npos)
    return Error::validation(std::string(kField), "is encrypted; give the key unencrypted (PKCS#8 or PKCS#1 PEM)");
  if (!has_private_block)
    return Error::validation(std::string(kField), "is not a PEM private key (-----BEGIN PRIVATE KEY-----)");

  const BioPtr bio(BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size())));
  PkeyPtr pkey(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, refuse_passphrase, nullptr) : nullptr);
  if (!pkey) {
    forget_openssl_errors();
    return Error::validation(std::string(kField), "is not a readable PEM private key");
  }
  SR_TRY(check_rsa_key(pkey.get(), kField));
  return RsaKey(pkey.release(), true);
}

Result<RsaKey> RsaKey::public_from_jwk(const json::object& jwk) {
  const auto* kty = string_member(jwk, "kty");
  if (kty == nullptr) return Error::validation("jwk.kty", "is missing; an RSA JWK has kty 'RSA'");
  if (*kty != "RSA") return Error::validation("jwk.kty", "is " + quote(*kty) + "; RS256 needs an RSA key");
  if (holds_private_members(jwk))
    return Error::validation("jwk", "holds private key members; give only the public key (n and e)");
  if (const auto* alg = jwk.if_contains("alg");
      alg != nullptr && !(alg->is_string() && alg->get_string() == kAlgorithm))
    return Error::validation("jwk.alg", "is " + describe(*alg) + "; the key must be for RS256");
  if (const auto* use = jwk.if_contains("use"); use != nullptr && !(use->is_string() && use->get_string() == "sig"))
    return Error::validation("jwk.use", "is " + describe(*use) + "; the key must be for signatures ('sig')");

  const auto* n_text = string_member(jwk, "n");
  const auto* e_text = string_member(jwk, "e");
  if (n_text == nullptr) return Error::validation("jwk.n", "is missing or not a string");
  if (e_text == nullptr) return Error::validation("jwk.e", "is missing or not a string");
  // Bounded before decoding: n is at most kMaxRsaBits, allowing a zero byte.
  if (n_text->size() > (kMaxRsaBits / 8 + 1) * 4 / 3 + 4)
    return Error::validation("jwk.n", "is longer than a " + std::to_string(kMaxRsaBits) + "-bit modulus");
  SR_ASSIGN(const std::string n, base64url_decode(*n_text, "jwk.n"));
  SR_ASSIGN(const std::string e, base64url_decode(*e_text, "jwk.e"));
  if (n.empty() || (static_cast<unsigned char>(n.back()) & 1) == 0)
    return Error::validation("jwk.n", "is not an RSA modulus (it must be odd)");
  const std::size_t e_start = e.find_first_not_of('\0');
  if (e_start == std::string::npos || e.size() - e_start > 8)
    return Error::validation("jwk.e", "must be a positive number of at most 64 bits");
  if ((static_cast<unsigned char>(e.back()) & 1) == 0 || (e.size() - e_start == 1 && e.back() == '\x01'))
    return Error::validation("jwk.e", "is not an RSA public exponent (it must be odd and more than 1)");

  const BignumPtr n_bn(BN_bin2bn(bytes_of(n), static_cast<int>(n.size()), nullptr));
  const BignumPtr e_bn(BN_bin2bn(bytes_of(e), static_cast<int>(e.size()), nullptr));
  const ParamBuildPtr build(OSSL_PARAM_BLD_new());
  ParamsPtr params;
  if (n_bn && e_bn && build && OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_N, n_bn.get()) == 1 &&
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_RSA_E, e_bn.get()) == 1)
    params.reset(OSSL_PARAM_BLD_to_param(build.get()));
  const PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
    forget_openssl_errors();
    return Error::validation("jwk", "n and e do not make an RSA public key");
  }
  PkeyPtr pkey(raw);
  SR_TRY(check_rsa_key(pkey.get(), "jwk.n"));
  return RsaKey(pkey.release(), false);
}

int RsaKey::bits() const {
  return EVP_PKEY_get_bits(pkey_);
}

std::string RsaKey::private_pem() const {
  if (!has_private_) return {};
  // The secure-heap BIO wipes its buffer when freed and when it grows.
  const BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey_, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    forget_openssl_errors();
    throw std::runtime_error("OpenSSL could not write a private key as PEM");  // out of memory
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

json::object RsaKey::public_jwk(std::string_view kid) const {
  json::object jwk;
  jwk["kty"] = "RSA";
  jwk["n"] = base64url_encode(key_parameter(pkey_, OSSL_PKEY_PARAM_RSA_N));
  jwk["e"] = base64url_encode(key_parameter(pkey_, OSSL_PKEY_PARAM_RSA_E));
  jwk["alg"] = kAlgorithm;
  jwk["use"] = "sig";
  if (!kid.empty()) jwk["kid"] = kid;
  return jwk;
}

Result<std::string> RsaKey::sign_rs256(std::string_view data) const {
  if (!has_private_) return Error::validation("key", "is a public key; signing needs the private key");
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  std::string signature(static_cast<std::size_t>(EVP_PKEY_get_size(pkey_)), '\0');
  std::size_t length = signature.size();
  // An RSA key's default padding is PKCS#1 v1.5, which is what RS256 is.
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey_) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, bytes_of(data),
                     data.size()) != 1) {
    forget_openssl_errors();
    return Error::internal("OpenSSL could not sign with the RSA key");
  }
  signature.resize(length);
  return signature;
}

bool RsaKey::verify_rs256(std::string_view data, std::string_view signature) const {
  // RFC 8017 section 8.2.2: the signature is exactly as long as the modulus.
  if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(pkey_))) return false;
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey_) == 1 &&
                  EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(), bytes_of(data), data.size()) == 1;
  forget_openssl_errors();  // a bad signature is an expected outcome, not an OpenSSL error to report later
  return ok;
}

// ---- signing ----------------------------------------------------------------------------

Result<std::string> sign_vc_jwt(const json::object& credential, const RsaKey& key, std::string_view kid,
                                const SignOptions& options) {
  std::vector<FieldError> problems;
  if (!key.has_private_key()) problems.push_back({"key", "is a public key; signing needs the private key"});
  if (kid.empty()) problems.push_back({"kid", "is empty; verifiers dereference it to find the public key"});

  const auto iss = issuer_id(credential);
  if (!iss)
    problems.push_back({"issuer", credential.contains("issuer")
                                      ? "has no id (a string, or an object with a string id); it becomes iss"
                                      : "the credential has no issuer; its id becomes iss"});
  const auto jti = non_empty_string(credential, "id");
  if (!jti) problems.push_back({"id", "the credential has no id; it becomes jti"});

  std::optional<std::int64_t> nbf;
  if (const auto* from = credential.if_contains("validFrom"); from == nullptr) {
    problems.push_back({"validFrom", "the credential has no validFrom; it becomes nbf"});
  } else if (std::optional<EpochMs> ms; !from->is_string() || !(ms = ld::parse_xsd_date_time(from->get_string()))) {
    problems.push_back(
        {"validFrom", "is " + describe(*from) + ", not an XML Schema dateTime such as 2024-05-01T09:30:00Z"});
  } else {
    nbf = floor_seconds(*ms);
  }
  std::optional<std::int64_t> exp;
  if (const auto* until = credential.if_contains("validUntil"); until == nullptr) {
    // optional: no exp
  } else if (std::optional<EpochMs> ms; !until->is_string() || !(ms = ld::parse_xsd_date_time(until->get_string()))) {
    problems.push_back(
        {"validUntil", "is " + describe(*until) + ", not an XML Schema dateTime such as 2025-05-01T09:30:00Z"});
  } else {
    exp = floor_seconds(*ms);
    if (nbf && *exp <= *nbf) problems.push_back({"validUntil", "is not after validFrom"});
  }

  std::optional<std::string> sub;
  if (const auto* subject = credential.if_contains("credentialSubject"); subject && subject->is_object()) {
    if (const auto* id = subject->get_object().if_contains("id")) {
      if (id->is_string() && !id->get_string().empty())
        sub = std::string(id->get_string());
      else
        problems.push_back({"credentialSubject.id", "is " + describe(*id) + ", not a non-empty string"});
    }
  }

  if (options.layout == PayloadLayout::Credential) {
    for (std::string_view name : kReservedClaims)
      if (credential.contains(name))
        problems.push_back(
            {std::string(name), "the credential has a member named like a JWT claim, which would clash"});
  }
  if (!problems.empty()) return Error::validation(std::move(problems));

  // The JWT is its own proof: the Data Integrity proof stays out of it (OB
  // 3.0 lets a JWT-proofed credential omit proof), and the rest keeps its order.
  json::object vc;
  for (const auto& member : credential)
    if (member.key() != "proof") vc.emplace(member.key(), member.value());

  json::object header;
  header["alg"] = kAlgorithm;
  header["typ"] = "JWT";
  header["kid"] = kid;
  if (options.embed_public_key) header["jwk"] = key.public_jwk(kid);

  json::object payload;
  const bool in_claim = options.layout == PayloadLayout::VcClaim;
  if (!in_claim) payload = vc;
  payload["iss"] = *iss;
  payload["jti"] = *jti;
  if (sub) payload["sub"] = *sub;
  payload["nbf"] = *nbf;
  payload["iat"] = options.issued_at.value_or(*nbf);
  if (exp) payload["exp"] = *exp;
  if (in_claim) payload["vc"] = std::move(vc);

  const std::string signing_input =
      base64url_encode(json::serialize(header)) + "." + base64url_encode(json::serialize(payload));
  // The signature adds one '.' and 4/3 of the modulus size.
  const std::size_t signature_chars = (static_cast<std::size_t>(key.bits()) / 8 * 4 + 2) / 3;
  if (signing_input.size() + 1 + signature_chars > kMaxCompactBytes)
    return Error::validation("credential",
                             "is too large: its JWT would be over " + std::to_string(kMaxCompactBytes) + " bytes");
  SR_ASSIGN(const std::string signature, key.sign_rs256(signing_input));
  return signing_input + "." + base64url_encode(signature);
}

// ---- verifying ----------------------------------------------------------------------------

JwtVerification verify_vc_jwt(std::string_view compact, const RsaKey& public_key, std::int64_t now_seconds) {
  JwtVerification out;
  const Status status = verify_into(compact, public_key, now_seconds, out);
  out.verified = status.ok();
  if (!status.ok()) out.error = status.error().detail;
  return out;
}

Result<json::object> read_unverified_header(std::string_view compact) {
  SR_ASSIGN(const CompactParts parts, split_compact(compact));
  return parse_header(parts.header);
}

}  // namespace staffroom::credentials::jwt
