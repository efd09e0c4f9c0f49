// VC-JWT: base64url, RSA keys (PEM, JWK), a known-answer JWT made with the
// openssl command line, and everything a verifier must refuse.
//
// The known answers were computed once, outside this code, from the fixed
// 2048-bit key below (made with `openssl genpkey -algorithm RSA -pkeyopt
// rsa_keygen_bits:2048`): the signing input is kExpectedHeader and
// kExpectedPayload, each base64url-encoded and joined by '.', signed with
// `openssl dgst -sha256 -sign test.pem` and checked with `openssl dgst -sha256
// -verify public.pem -signature sig.bin`. The modulus is `openssl rsa
// -modulus` in base64url.
#include "credentials/jwt.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include "core/crypto.hpp"

using namespace staffroom;
using namespace staffroom::credentials::jwt;
namespace json = boost::json;

namespace {

constexpr std::string_view kTestKeyPem = R"(-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCwrOWhK4/sK/CJ
cT1sbmVPF5Dkmph1FfZtzNQpvlMYYW42N5Jqa7FUX5JVteP685NuvOo3Iac2r7RV
WkIyFyGTvTWkpekSoiQdvgn1oc0vwWor5V6myQMfYPQFfpDTAKzBKCHM3iW2oJAU
g8lxuA/Y7iQ7IlJhAwPZN5ZddfzfY1LflVb5/HCsCjJpHECHkN+I+ymeK/asfv/v
LBR9iM2KXfL/8dBs4xqTluPNmZS9XSuclTcfulO4h/M3RsHgJILAOrnYer00MTEy
JvBlV3OtnEwOVasRYo4M0s2vR0EZESZihSzwMMbibny+uL3X2S7DAynygjuuIWyS
d+Vkuf6TAgMBAAECggEAARg67Koa7pEsPTButGI6f690FTPaAoZfelWunGWZw94v
HcuodhRzEhmz73ZZGYqrlcqsaX6zmz9NHR/S+/M+oNjgGgtVVmlib5FoJA6i3OB+
9tpUBL+HT3rZlKZ3trC/NpoNVOTJd12Y+n3IiwQcUs20tBhs9JLPJz1Uw49eTx2Q
Zn8iL7aLW2OOdN0NF6tjtFzXZA4HlsaygEf1IiU2aLl07mErg52X+iZ3LR2/JGZ4
0BOFNWun1TB+6xNfUDmMAOZDQ6FiZgxPayNiJzB/vQk91EOlcyH/zrK0oGGAPHzo
Gl6h2SViZ9/tiX0758HdMgbyhNl3JqZVG62wkB0uHQKBgQDeaC9I78UCrNMIBnpP
zjoYizmuoGWJLvfvXKyOO7TIaXFQB4FKQCLOyhGQRzNF1+4yK82zqWlXAYwO8Jtw
eM1ijIwN9dwu45wNbL/f80l4820aQa5RObJeZ9jcr0JD4IDSsWuQChiG3NV3RJxD
AsWoAKo2ernztVFXF2fL+55AhQKBgQDLXGhkKKXs5pPDz8RCBMt9sw2JIw6hGZhV
IWR4ActDsEMw7Rj+KqbYHrQW4TLnO9bLj+HHKxj2TDrVlyY4wTLEA5mNlezjpNyl
v1zu806lhgtX8DhKdzDNPTAqhvY0ZJIOTr2jn5UMMjhEXVwVDeSEaTked4wJjeQY
jlllJ2w6NwKBgH6AC8UUe54V5sI9zPvvdKPZLKnimV351RPURmFwHFeRgd3fJu6w
pBuyW2MQ3FzxgI4Q1CNITJ4sRxmISSEj1M4k2tRl7yLMW0pXfJtIqZWd/4Rbr2aL
xqRjtLlxBePNofg06dU3qNOsb84yvB5xSTNRjX8HNxUjIGzE50jiiRRxAoGBAI8P
ewC6978ollryFoa7CMxs4eDPoMMEVn3M9/jUikIcBaitox9qseTn9JkD4+N33Stn
FNYgI3dhOSJ5KpJSl3v9bFCGYBflKrQPYzlWQMWA/wnmHDOGlfZMTU4dk6ZX+cfG
7PHmmdvymFK/ur+0/kWIIH6mawVtpEECIzFeAm0RAoGADVCUmLgdMBNEaKDzmeL+
9ZjVpdAL0UTG9mVNcmLySiA/qljFQwYPtvsk/f6tPr97F4mbmKOn66D6KoLg5NIB
51kWKqVWkcCQJXitJxlOXdLhlMcSoAIrSeLqhWzzTQFxnCJ1xM2MOO1+3PYyj1eM
ucnxEyfL4zMFBSnTusPNWcA=
-----END PRIVATE KEY-----
)";

constexpr std::string_view kTestPublicPem = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsKzloSuP7CvwiXE9bG5l
TxeQ5JqYdRX2bczUKb5TGGFuNjeSamuxVF+SVbXj+vOTbrzqNyGnNq+0VVpCMhch
k701pKXpEqIkHb4J9aHNL8FqK+VepskDH2D0BX6Q0wCswSghzN4ltqCQFIPJcbgP
2O4kOyJSYQMD2TeWXXX832NS35VW+fxwrAoyaRxAh5DfiPspniv2rH7/7ywUfYjN
il3y//HQbOMak5bjzZmUvV0rnJU3H7pTuIfzN0bB4CSCwDq52Hq9NDExMibwZVdz
rZxMDlWrEWKODNLNr0dBGREmYoUs8DDG4m58vri919kuwwMp8oI7riFsknflZLn+
kwIDAQAB
-----END PUBLIC KEY-----
)";

// 1024 bits: a real RSA key, too short for RS256.
constexpr std::string_view kShortKeyPem = R"(-----BEGIN PRIVATE KEY-----
MIICdwIBADANBgkqhkiG9w0BAQEFAASCAmEwggJdAgEAAoGBAJ2D+Vk8gYC0wsCj
Y30tp6cH9JRboUTwvTGs6xRX+20LFznb+j42VxmAsrEQapHi//9R649MHfA43C8s
XWwYpuERFyc3uaZZArmCE6y+Pb+pMSVvcoxHsLwXdrPyyFQ9Ya2M39IOQ3SjTenk
o8hUA1frtzJjykyJOOuW2XKifJstAgMBAAECgYBaic87ccHmXwBKhh/bhfCF29bD
p9+Mpuu4r/H3oZLNXMCe60htlgJ+kDEmAY+gB2CqO0Yw+cmDmMtG+jNAvPK+KIkh
VDP4VIeWhO0T381T6xE2ydZo4px7Ik4qYq5jtzfdWgMeuAlDpt89cywn6MR6ct6x
3gtw47OzQPeR+iAsgQJBAM6mB12BDMWEJT8dTAezccNCD4XgZRk9uHzaDqdO5rJ/
dhbaAds5OBQLzdfH8NkI+quVMRAXafLKdcZ6J+WKxh0CQQDDIhNvIv/BWnxrD4tR
LbumC4+sZmj1WtKSwrmYWARKebFFVX8d7qJHcnd6mdi5e9Etv8JddlrW4SCFeezg
L9xRAkEAwuPyrky3LtCiEBQhUGH8OJpk6W3n6xY6mAVPLJtNF6r+RC728TnVmZJI
X+lBTG8behcKXpK2aTRoPveWCPYIQQJAOefKzJgePUqU0VBzj0t6+/NCV26shuLE
yjhuyv6Th2ZFbMXKSx+dmIYnXoJ5BdHwaRsWmpWcr1dvRyy/VmfdgQJBAJssQ915
EFxxpX9An7Ub5nL+iQQP9OtkU+u6VZrP7517wjREf4tY+QSi+I8TE+H99UEMqbLX
ElBSAaFC73amaFg=
-----END PRIVATE KEY-----
)";

// P-256: a private key, but not RSA.
constexpr std::string_view kEcKeyPem = R"(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQglmE3OSMAiBkedakh
Tt2a/pIkr41fMoRZm/phcBhDs2ihRANCAAT8/UD1TSrnEyvCmFRKRAtbFJlMqQ5z
bhJgYtFkkVQFeJ4VvIs7mKMKJIYKn+MCNqpTcIPeKGreiumreTIbwyxe
-----END PRIVATE KEY-----
)";

constexpr std::string_view kTestModulus =
    "sKzloSuP7CvwiXE9bG5lTxeQ5JqYdRX2bczUKb5TGGFuNjeSamuxVF-SVbXj-vOTbrzqNyGnNq-0VVpCMhchk701pKXpEqIkHb4J9aHNL8FqK-"
    "VepskDH2D0BX6Q0wCswSghzN4ltqCQFIPJcbgP2O4kOyJSYQMD2TeWXXX832NS35VW-fxwrAoyaRxAh5DfiPspniv2rH7_7ywUfYjNil3y__"
    "HQbOMak5bjzZmUvV0rnJU3H7pTuIfzN0bB4CSCwDq52Hq9NDExMibwZVdzrZxMDlWrEWKODNLNr0dBGREmYoUs8DDG4m58vri919kuwwMp8oI7"
    "riFsknflZLn-kw";

// RS256 of kQuickFox with the test key.
constexpr std::string_view kQuickFox = "The quick brown fox jumps over the lazy dog";
constexpr std::string_view kQuickFoxSignature =
    "b4yeADBsjX0-D8Kc0eT1D_5fATJDEkTHlokx6GU8LupJC_xuHBsylz2QjhPaIFtuMDuPPNL01Etp78dFIiB4fqgVlCYmDeD9N7yuyp_q3yFh9giJ"
    "b1_r91a_HQpgwii4B4rFU_bfw4XtDLCjEijn4qWhSvjICZvkmEnqMvqlFXaYdXKAIOfLRxm05EhtH0sLQR9L3xu2E8_Y9_gRSbj3jye43tYGsbJ9"
    "XW0zQbMTEFxCP5JT65ifLPjDxSKaLFZZpuDYzmW1JaZAa_XUOq41Kqov2iDXoqhjAgF-MPQllu0imIS5FZJspNvVWJSZXY-"
    "HmhghgYaPQw7JizhtK2P4kA";

constexpr std::string_view kKid = "https://staffroom.example/issuers/district-7#rsa-1";
constexpr std::int64_t kValidFrom = 1714555800;   // 2024-05-01T09:30:00Z
constexpr std::int64_t kValidUntil = 1809163800;  // 2027-05-01T09:30:00Z
constexpr std::int64_t kNow = kValidFrom + 86400;

// The credential without its proof: exactly as the JWT's vc claim serializes.
constexpr std::string_view kUnsignedCredential =
    R"({"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],)"
    R"("id":"urn:uuid:8f2c1a9e-3b7d-4c1e-9a55-0d6f2b7e4c11","type":["VerifiableCredential","OpenBadgeCredential"],)"
    R"("issuer":{"id":"https://staffroom.example/issuers/district-7","type":["Profile"],"name":"Springfield District"},)"
    R"("validFrom":"2024-05-01T09:30:00Z","validUntil":"2027-05-01T09:30:00Z","name":"Connected Educator Month 2024",)"
    R"("credentialSubject":{"id":"did:example:ebfeb1f712ebc6f1c276e12ec21","type":["AchievementSubject"],)"
    R"("achievement":{"id":"https://staffroom.example/achievements/cem-2024","type":["Achievement"],)"
    R"("name":"Connected Educator","criteria":{"narrative":"Logged 15 hours of connected learning."}}}})";

constexpr std::string_view kProof =
    R"({"type":"DataIntegrityProof","cryptosuite":"eddsa-rdfc-2022","created":"2024-05-01T09:30:00Z",)"
    R"("verificationMethod":"did:example:issuer#key-1","proofPurpose":"assertionMethod",)"
    R"("proofValue":"z3FXQjecWufY46yg5abdVZsXqLhxhueuSoZgNSARiKBk9czhSePTFehP8c3PGfb6a22gkfUKKiZAsqhyKtfkECgJ"})";

constexpr std::string_view kExpectedHeader =
    R"({"alg":"RS256","typ":"JWT","kid":"https://staffroom.example/issuers/district-7#rsa-1"})";

std::string expected_payload() {
  return std::string(R"({"iss":"https://staffroom.example/issuers/district-7",)"
                     R"("jti":"urn:uuid:8f2c1a9e-3b7d-4c1e-9a55-0d6f2b7e4c11",)"
                     R"("sub":"did:example:ebfeb1f712ebc6f1c276e12ec21",)"
                     R"("nbf":1714555800,"iat":1714555800,"exp":1809163800,"vc":)") +
         std::string(kUnsignedCredential) + "}";
}

constexpr std::string_view kExpectedSignature =
    "Qd_QynUrZuHQkQtbTBhGEllp6lyhJCtGlHmjxfbREzYdR7IZvyZEEzB40g7WKdE7mVEbtbXCIMwzH4CA_kFOOj4TEs7Uh2mG6rogLNEpI7vTcPTo"
    "R3d211vDXxJLOmmwEF3FJYYMkhI7-aDWnNcamM0Rfm5sPIoxStUY85opafEL-DV6DF-9TyH_7EmRgKZ_oVBtaIzbuRjwcCH8JG2DVkzuJ_"
    "4ZeKBEZyTXI7jpAAts3orgnvg9UFXoMqCjo1doiJIG78gvo20YwN8L29euliE1StLK5lUStcxhXSWOB7I4budV6ZceROeLQLlauVFLoRkE5UlpM"
    "UhVH6xdLRN8dQ";

std::string expected_jwt() {
  return base64url_encode(kExpectedHeader) + "." + base64url_encode(expected_payload()) + "." +
         std::string(kExpectedSignature);
}

const RsaKey& test_key() {
  static const RsaKey key = RsaKey::from_pem(kTestKeyPem).value();
  return key;
}

json::object parse_object(std::string_view text) {
  return json::parse(text).as_object();
}

json::object unsigned_credential() {
  return parse_object(kUnsignedCredential);
}

// The unsigned credential with its Data Integrity proof as the last member.
json::object signed_credential() {
  json::object credential = unsigned_credential();
  credential["proof"] = parse_object(kProof);
  return credential;
}

std::vector<std::string> split(const std::string& jwt) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot; (dot = jwt.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(jwt.substr(start, dot - start));
  parts.push_back(jwt.substr(start));
  return parts;
}

json::object decode_part(const std::string& part) {
  return parse_object(base64url_decode(part).value());
}

// A token with any header and payload, correctly signed: for the checks that
// come after the signature.
std::string make_token(const json::object& header, const json::object& payload, const RsaKey& key = test_key()) {
  const std::string input =
      base64url_encode(json::serialize(header)) + "." + base64url_encode(json::serialize(payload));
  return input + "." + base64url_encode(key.sign_rs256(input).value());
}

json::object standard_header() {
  return parse_object(kExpectedHeader);
}

json::object standard_payload() {
  return parse_object(expected_payload());
}

// A JSON string's text, or any other value serialized: for comparing with
// the string constants above.
std::string str(const json::value& v) {
  if (const auto* s = v.if_string()) return std::string(*s);
  return json::serialize(v);
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

}  // namespace

// ---- base64url ------------------------------------------------------------------------

TEST(Base64url, EncodesTheRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_decode("Zm9vYmE").value(), "fooba");
  EXPECT_EQ(base64url_decode("").value(), "");
}

TEST(Base64url, UsesTheUrlSafeAlphabet) {
  const std::string bytes = "\xfb\xff";
  EXPECT_EQ(base64url_encode(bytes), "-_8");
  EXPECT_EQ(base64url_decode("-_8").value(), bytes);
}

TEST(Base64url, RoundTripsRandomBytes) {
  for (std::size_t n = 0; n < 70; ++n) {
    const std::string data = crypto::random_bytes(n);
    auto back = base64url_decode(base64url_encode(data));
    ASSERT_TRUE(back.ok()) << back.error().detail;
    EXPECT_EQ(*back, data) << n;
  }
}

TEST(Base64url, RefusesPadding) {
  for (std::string_view padded : {"Zg==", "Zm8=", "Zm9vYg=="}) {
    auto r = base64url_decode(padded, "signature");
    ASSERT_FALSE(r.ok()) << padded;
    EXPECT_EQ(r.error().code, ErrorCode::Validation);
    EXPECT_TRUE(contains(r.error().detail, "padding")) << r.error().detail;
    EXPECT_TRUE(contains(r.error().detail, "signature")) << r.error().detail;
  }
}

TEST(Base64url, RefusesCharactersOutsideTheAlphabetByPosition) {
  auto plus = base64url_decode("Zm9v+A", "payload");
  ASSERT_FALSE(plus.ok());
  EXPECT_TRUE(contains(plus.error().detail, "alphabet at position 5")) << plus.error().detail;
  for (std::string_view bad : {"Zm9v/A", "Zm 9v", "Zm9v\n", "Zm9v.", "Zm9\xc3\xa9"}) {
    auto r = base64url_decode(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_TRUE(contains(r.error().detail, "alphabet")) << r.error().detail;
  }
  EXPECT_FALSE(base64url_decode(std::string_view("Zm\0v", 4)).ok());
}

TEST(Base64url, RefusesImpossibleLengthsAndNonCanonicalText) {
  auto one = base64url_decode("Z");
  ASSERT_FALSE(one.ok());
  EXPECT_TRUE(contains(one.error().detail, "long")) << one.error().detail;
  EXPECT_FALSE(base64url_decode("Zm9vY").ok());
  // "Zg" is "f"; "Zh" has the same first byte and a set bit that encodes
  // nothing, so accepting it would give one signature several spellings.
  auto loose = base64url_decode("Zh");
  ASSERT_FALSE(loose.ok());
  EXPECT_TRUE(contains(loose.error().detail, "unused bits")) << loose.error().detail;
}

// ---- RsaKey -----------------------------------------------------------------------------

static_assert(!std::is_copy_constructible_v<RsaKey>);
static_assert(!std::is_copy_assignable_v<RsaKey>);
static_assert(std::is_nothrow_move_constructible_v<RsaKey>);
static_assert(std::is_nothrow_move_assignable_v<RsaKey>);

TEST(RsaKey, ReadsAPemKeyAndWritesItBackAsPkcs8) {
  const RsaKey& key = test_key();
  EXPECT_TRUE(key.has_private_key());
  EXPECT_EQ(key.bits(), 2048);
  const std::string pem = key.private_pem();
  EXPECT_TRUE(pem.starts_with("-----BEGIN PRIVATE KEY-----\n")) << "not PKCS#8";
  auto again = RsaKey::from_pem(pem);
  ASSERT_TRUE(again.ok()) << again.error().detail;
  EXPECT_EQ(again->public_jwk("k"), key.public_jwk("k"));
  EXPECT_EQ(again->sign_rs256(kQuickFox).value(), key.sign_rs256(kQuickFox).value());
}

TEST(RsaKey, PublicJwkHasExactlyThePublicMembers) {
  const json::object jwk = test_key().public_jwk(kKid);
  std::set<std::string> names;
  for (const auto& member : jwk) names.insert(std::string(member.key()));
  EXPECT_EQ(names, (std::set<std::string>{"kty", "n", "e", "alg", "use", "kid"}));
  EXPECT_EQ(str(jwk.at("kty")), "RSA");
  EXPECT_EQ(str(jwk.at("n")), kTestModulus);
  EXPECT_EQ(str(jwk.at("e")), "AQAB");  // 65537
  EXPECT_EQ(str(jwk.at("alg")), "RS256");
  EXPECT_EQ(str(jwk.at("use")), "sig");
  EXPECT_EQ(str(jwk.at("kid")), kKid);
  EXPECT_FALSE(test_key().public_jwk("").contains("kid"));
}

TEST(RsaKey, SignsTheKnownAnswer) {
  auto signature = test_key().sign_rs256(kQuickFox);
  ASSERT_TRUE(signature.ok()) << signature.error().detail;
  EXPECT_EQ(base64url_encode(*signature), kQuickFoxSignature);
  EXPECT_TRUE(test_key().verify_rs256(kQuickFox, *signature));
  EXPECT_FALSE(test_key().verify_rs256("The quick brown fox jumps over the lazy cat", *signature));
  EXPECT_FALSE(test_key().verify_rs256(kQuickFox, signature->substr(1)));
  EXPECT_FALSE(test_key().verify_rs256(kQuickFox, ""));
}

TEST(RsaKey, JwkRoundTripsToAPublicKeyThatVerifies) {
  auto public_key = RsaKey::public_from_jwk(test_key().public_jwk(kKid));
  ASSERT_TRUE(public_key.ok()) << public_key.error().detail;
  EXPECT_FALSE(public_key->has_private_key());
  EXPECT_EQ(public_key->private_pem(), "");
  EXPECT_EQ(public_key->bits(), 2048);
  EXPECT_EQ(public_key->public_jwk(kKid), test_key().public_jwk(kKid));
  EXPECT_TRUE(public_key->verify_rs256(kQuickFox, base64url_decode(kQuickFoxSignature).value()));
  auto sign = public_key->sign_rs256(kQuickFox);
  ASSERT_FALSE(sign.ok());
  EXPECT_EQ(sign.error().code, ErrorCode::Validation);

  // A minimal JWK, as another issuer publishes it, is enough.
  json::object minimal{{"kty", "RSA"}, {"n", std::string(kTestModulus)}, {"e", "AQAB"}};
  EXPECT_TRUE(RsaKey::public_from_jwk(minimal).ok());
}

TEST(RsaKey, GeneratesKeysOfTheRequestedSize) {
  auto key = RsaKey::generate(2048);
  ASSERT_TRUE(key.ok()) << key.error().detail;
  EXPECT_TRUE(key->has_private_key());
  EXPECT_EQ(key->bits(), 2048);
  EXPECT_NE(str(key->public_jwk("").at("n")), kTestModulus);
  auto own_public = RsaKey::public_from_jwk(key->public_jwk(""));
  ASSERT_TRUE(own_public.ok());
  const std::string signature = key->sign_rs256(kQuickFox).value();
  EXPECT_TRUE(own_public->verify_rs256(kQuickFox, signature));
  EXPECT_FALSE(test_key().verify_rs256(kQuickFox, signature));

  for (int bits : {0, 1024, 2047, kMaxRsaBits + 1}) {
    auto refused = RsaKey::generate(bits);
    ASSERT_FALSE(refused.ok()) << bits;
    EXPECT_EQ(refused.error().code, ErrorCode::Validation);
  }
}

TEST(RsaKey, MovesOwnership) {
  RsaKey first = RsaKey::from_pem(kTestKeyPem).value();
  RsaKey second = std::move(first);
  EXPECT_EQ(str(second.public_jwk("").at("n")), kTestModulus);
  RsaKey third = RsaKey::public_from_jwk(test_key().public_jwk("")).value();
  third = std::move(second);
  EXPECT_TRUE(third.has_private_key());
  EXPECT_TRUE(third.sign_rs256(kQuickFox).ok());
}

TEST(RsaKey, RefusesBadPemWithoutQuotingIt) {
  // A truncated body: BEGIN and END lines around too little DER.
  const std::string pem(kTestKeyPem);
  const std::string truncated = pem.substr(0, pem.find('\n', 200) + 1) + "-----END PRIVATE KEY-----\n";
  struct Case {
    std::string pem;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"", "not a PEM private key"},
      {"not a key at all", "not a PEM private key"},
      {std::string(kTestPublicPem), "public key"},
      {"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0w\n-----END ENCRYPTED PRIVATE KEY-----\n",
       "encrypted"},
      {truncated, "not a readable PEM private key"},
      {std::string(kShortKeyPem), "1024-bit"},
      {std::string(kEcKeyPem), "not an RSA key"},
      {std::string(70000, 'A'), "64 KiB"},
  };
  for (const auto& c : cases) {
    auto r = RsaKey::from_pem(c.pem);
    ASSERT_FALSE(r.ok()) << c.says;
    EXPECT_EQ(r.error().code, ErrorCode::Validation);
    EXPECT_TRUE(contains(r.error().detail, c.says)) << r.error().detail;
    EXPECT_TRUE(contains(r.error().detail, "privateKey")) << r.error().detail;
    // No line of any key text is ever repeated back.
    for (std::string_view secret : {kTestKeyPem, kShortKeyPem, kEcKeyPem}) {
      std::size_t start = secret.find('\n') + 1;
      for (std::size_t end; (end = secret.find('\n', start)) != std::string_view::npos; start = end + 1) {
        const std::string_view line = secret.substr(start, end - start);
        if (line.starts_with("-----")) continue;
        EXPECT_FALSE(contains(r.error().detail, line.substr(0, 16))) << r.error().detail;
      }
    }
  }
}

TEST(RsaKey, RefusesJwksThatAreNotRs256PublicKeys) {
  const json::object good = test_key().public_jwk(kKid);
  const std::string n = base64url_decode(kTestModulus).value();
  std::string short_n = n.substr(0, 128);
  short_n.back() = static_cast<char>(short_n.back() | 1);

  struct Case {
    std::string name;
    std::string value;  // "" removes the member
    std::string says;
  };
  const std::vector<Case> cases = {
      {"kty", "EC", "jwk.kty"},
      {"kty", "", "jwk.kty"},
      {"d", "AQAB", "private key members"},
      {"p", "AQAB", "private key members"},
      {"alg", "HS256", "jwk.alg"},
      {"use", "enc", "jwk.use"},
      {"n", "", "jwk.n"},
      {"n", std::string(kTestModulus) + "=", "padding"},
      {"n", base64url_encode(short_n), "1024-bit"},
      {"n", base64url_encode(n.substr(0, 255) + "\x02"), "odd"},
      {"n", std::string(2000, 'A'), "jwk.n"},
      {"e", "", "jwk.e"},
      {"e", "AQ", "jwk.e"},            // 1
      {"e", "Ag", "jwk.e"},            // 2
      {"e", "AA", "jwk.e"},            // 0
      {"e", "AQAAAAAAAAAB", "jwk.e"},  // 9 bytes
  };
  for (const auto& c : cases) {
    json::object jwk = good;
    if (c.value.empty())
      jwk.erase(c.name);
    else
      jwk[c.name] = c.value;
    auto r = RsaKey::public_from_jwk(jwk);
    ASSERT_FALSE(r.ok()) << c.name << "=" << c.value;
    EXPECT_EQ(r.error().code, ErrorCode::Validation);
    EXPECT_TRUE(contains(r.error().detail, c.says)) << c.name << ": " << r.error().detail;
  }
}

// ---- signing ------------------------------------------------------------------------------

TEST(SignVcJwt, MatchesTheKnownAnswer) {
  auto jwt = sign_vc_jwt(signed_credential(), test_key(), kKid);
  ASSERT_TRUE(jwt.ok()) << jwt.error().detail;
  EXPECT_EQ(*jwt, expected_jwt());
}

TEST(SignVcJwt, IsDeterministic) {
  // RSASSA-PKCS1-v1_5 has no randomness, and iat comes from the credential.
  const auto first = sign_vc_jwt(signed_credential(), test_key(), kKid);
  const auto second = sign_vc_jwt(signed_credential(), test_key(), kKid);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
}

TEST(SignVcJwt, ClaimsMirrorTheCredentialWithoutItsProof) {
  const auto parts = split(sign_vc_jwt(signed_credential(), test_key(), kKid).value());
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(decode_part(parts[0]), (json::object{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", std::string(kKid)}}));
  const json::object payload = decode_part(parts[1]);
  EXPECT_EQ(str(payload.at("iss")), "https://staffroom.example/issuers/district-7");
  EXPECT_EQ(str(payload.at("jti")), "urn:uuid:8f2c1a9e-3b7d-4c1e-9a55-0d6f2b7e4c11");
  EXPECT_EQ(str(payload.at("sub")), "did:example:ebfeb1f712ebc6f1c276e12ec21");
  EXPECT_EQ(payload.at("nbf"), kValidFrom);
  EXPECT_EQ(payload.at("iat"), kValidFrom);
  EXPECT_EQ(payload.at("exp"), kValidUntil);
  EXPECT_EQ(payload.at("vc"), unsigned_credential());
  EXPECT_FALSE(payload.at("vc").as_object().contains("proof"));
  EXPECT_EQ(payload.size(), 7u);
}

TEST(SignVcJwt, TakesAnIssuerGivenAsAString) {
  json::object credential = unsigned_credential();
  credential["issuer"] = "https://staffroom.example/issuers/district-7";
  const auto jwt = sign_vc_jwt(credential, test_key(), kKid);
  ASSERT_TRUE(jwt.ok()) << jwt.error().detail;
  EXPECT_EQ(str(decode_part(split(*jwt)[1]).at("iss")), "https://staffroom.example/issuers/district-7");
  EXPECT_TRUE(verify_vc_jwt(*jwt, test_key(), kNow).verified);
}

TEST(SignVcJwt, LeavesOutSubAndExpWhenTheCredentialHasNeither) {
  json::object credential = unsigned_credential();
  credential.erase("validUntil");
  credential.at("credentialSubject").as_object().erase("id");
  const auto jwt = sign_vc_jwt(credential, test_key(), kKid);
  ASSERT_TRUE(jwt.ok()) << jwt.error().detail;
  const json::object payload = decode_part(split(*jwt)[1]);
  EXPECT_FALSE(payload.contains("sub"));
  EXPECT_FALSE(payload.contains("exp"));
  const auto result = verify_vc_jwt(*jwt, test_key(), kValidFrom + 100LL * 365 * 86400);
  EXPECT_TRUE(result.verified) << result.error;
}

TEST(SignVcJwt, ReadsOffsetsAndRoundsFractionsDown) {
  json::object credential = unsigned_credential();
  credential["validFrom"] = "2024-05-01T11:30:00.900+02:00";
  const auto jwt = sign_vc_jwt(credential, test_key(), kKid);
  ASSERT_TRUE(jwt.ok()) << jwt.error().detail;
  EXPECT_EQ(decode_part(split(*jwt)[1]).at("nbf"), kValidFrom);
  EXPECT_TRUE(verify_vc_jwt(*jwt, test_key(), kNow).verified);
}

TEST(SignVcJwt, UsesTheGivenIssuedAt) {
  SignOptions options;
  options.issued_at = kNow;
  const auto jwt = sign_vc_jwt(unsigned_credential(), test_key(), kKid, options);
  ASSERT_TRUE(jwt.ok()) << jwt.error().detail;
  const json::object payload = decode_part(split(*jwt)[1]);
  EXPECT_EQ(payload.at("iat"), kNow);
  EXPECT_EQ(payload.at("nbf"), kValidFrom);
}

TEST(SignVcJwt, NamesEveryMissingOrBadMember) {
  json::object credential = unsigned_credential();
  credential.erase("issuer");
  credential.erase("id");
  credential.erase("validFrom");
  auto missing = sign_vc_jwt(credential, test_key(), kKid);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::Validation);
  std::set<std::string> fields;
  for (const auto& f : missing.error().fields) fields.insert(f.field);
  EXPECT_EQ(fields, (std::set<std::string>{"issuer", "id", "validFrom"}));

  struct Case {
    std::string member;
    json::value value;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"issuer", json::object{{"type", "Profile"}}, "issuer"},
      {"issuer", "", "issuer"},
      {"id", 42, "id"},
      {"validFrom", "May 1st, 2024", "validFrom"},
      {"validFrom", "2024-05-01", "validFrom"},
      {"validUntil", "2024-05-01T09:00:00Z", "validUntil"},  // before validFrom
      {"validUntil", true, "validUntil"},
      {"credentialSubject", json::object{{"id", 7}}, "credentialSubject.id"},
  };
  for (const auto& c : cases) {
    json::object bad = unsigned_credential();
    bad[c.member] = c.value;
    auto r = sign_vc_jwt(bad, test_key(), kKid);
    ASSERT_FALSE(r.ok()) << c.member << " = " << json::serialize(c.value);
    ASSERT_EQ(r.error().fields.size(), 1u) << r.error().detail;
    EXPECT_EQ(r.error().fields[0].field, c.field) << r.error().detail;
  }
}

TEST(SignVcJwt, RefusesAPublicKeyAndAnEmptyKid) {
  const RsaKey public_key = RsaKey::public_from_jwk(test_key().public_jwk("")).value();
  auto with_public = sign_vc_jwt(unsigned_credential(), public_key, kKid);
  ASSERT_FALSE(with_public.ok());
  EXPECT_TRUE(contains(with_public.error().detail, "private key")) << with_public.error().detail;
  auto without_kid = sign_vc_jwt(unsigned_credential(), test_key(), "");
  ASSERT_FALSE(without_kid.ok());
  EXPECT_TRUE(contains(without_kid.error().detail, "kid")) << without_kid.error().detail;
}

TEST(SignVcJwt, CredentialLayoutPutsTheCredentialAtTheTop) {
  SignOptions options;
  options.layout = PayloadLayout::Credential;
  const auto jwt = sign_vc_jwt(signed_credential(), test_key(), kKid, options);
  ASSERT_TRUE(jwt.ok()) << jwt.error().detail;
  const json::object payload = decode_part(split(*jwt)[1]);
  EXPECT_FALSE(payload.contains("vc"));
  EXPECT_FALSE(payload.contains("proof"));
  EXPECT_EQ(payload.at("@context"), unsigned_credential().at("@context"));
  EXPECT_EQ(str(payload.at("iss")), "https://staffroom.example/issuers/district-7");
  EXPECT_EQ(payload.at("nbf"), kValidFrom);

  const auto result = verify_vc_jwt(*jwt, test_key(), kNow);
  EXPECT_TRUE(result.verified) << result.error;
  EXPECT_EQ(result.credential, unsigned_credential());

  // A member named like a claim would be overwritten, so it is refused.
  json::object clash = unsigned_credential();
  clash["exp"] = 1;
  EXPECT_FALSE(sign_vc_jwt(clash, test_key(), kKid, options).ok());
  EXPECT_TRUE(sign_vc_jwt(clash, test_key(), kKid).ok());
}

// ---- verifying ----------------------------------------------------------------------------

TEST(VerifyVcJwt, AcceptsWhatSignVcJwtMakes) {
  const auto jwt = sign_vc_jwt(signed_credential(), test_key(), kKid).value();
  const auto result = verify_vc_jwt(jwt, test_key(), kNow);
  EXPECT_TRUE(result.verified) << result.error;
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(str(result.header.at("kid")), kKid);
  EXPECT_EQ(str(result.claims.at("jti")), "urn:uuid:8f2c1a9e-3b7d-4c1e-9a55-0d6f2b7e4c11");
  EXPECT_EQ(result.credential, unsigned_credential());
}

TEST(VerifyVcJwt, VerifiesTheKnownAnswerWithThePublishedJwkAlone) {
  const RsaKey public_key =
      RsaKey::public_from_jwk(parse_object(R"({"kty":"RSA","e":"AQAB","n":")" + std::string(kTestModulus) + R"("})"))
          .value();
  const auto result = verify_vc_jwt(expected_jwt(), public_key, kNow);
  EXPECT_TRUE(result.verified) << result.error;
  EXPECT_EQ(str(result.credential.at("name")), "Connected Educator Month 2024");
}

TEST(VerifyVcJwt, RefusesATamperedPayloadHeaderOrSignature) {
  const std::string jwt = expected_jwt();
  const auto parts = split(jwt);

  json::object payload = standard_payload();
  payload["vc"].as_object()["name"] = "Master Educator";
  const std::string new_payload = parts[0] + "." + base64url_encode(json::serialize(payload)) + "." + parts[2];

  json::object header = standard_header();
  header["kid"] = "https://attacker.example/keys#1";
  const std::string new_header = base64url_encode(json::serialize(header)) + "." + parts[1] + "." + parts[2];

  std::string flipped = parts[2];
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  const std::string new_signature = parts[0] + "." + parts[1] + "." + flipped;
  const std::string short_signature = parts[0] + "." + parts[1] + "." + parts[2].substr(0, parts[2].size() - 4);

  const RsaKey other = RsaKey::generate(2048).value();
  const std::string other_key = sign_vc_jwt(signed_credential(), other, kKid).value();

  for (const std::string& token : {new_payload, new_header, new_signature, short_signature, other_key}) {
    const auto result = verify_vc_jwt(token, test_key(), kNow);
    EXPECT_FALSE(result.verified);
    EXPECT_TRUE(contains(result.error, "signature")) << result.error;
    EXPECT_TRUE(result.claims.empty()) << "unauthenticated claims were returned";
    EXPECT_TRUE(result.credential.empty());
  }
}

TEST(VerifyVcJwt, EveryChangedCharacterIsRefused) {
  const std::string jwt = expected_jwt();
  for (std::size_t i = 0; i < jwt.size(); ++i) {
    std::string changed = jwt;
    changed[i] = changed[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(verify_vc_jwt(changed, test_key(), kNow).verified) << "position " << i;
  }
}

TEST(VerifyVcJwt, RefusesAlgNone) {
  const auto parts = split(expected_jwt());
  json::object header = standard_header();
  header["alg"] = "none";
  const std::string none_header = base64url_encode(json::serialize(header));

  const auto unsecured = verify_vc_jwt(none_header + "." + parts[1] + ".", test_key(), kNow);
  EXPECT_FALSE(unsecured.verified);
  EXPECT_TRUE(contains(unsecured.error, "unsecured")) << unsecured.error;

  const auto with_signature = verify_vc_jwt(none_header + "." + parts[1] + "." + parts[2], test_key(), kNow);
  EXPECT_FALSE(with_signature.verified);
  EXPECT_TRUE(contains(with_signature.error, "'none'")) << with_signature.error;
}

TEST(VerifyVcJwt, RefusesEveryAlgorithmButRs256) {
  const auto parts = split(expected_jwt());
  // HS256 keyed with the public key is the classic forgery against verifiers
  // that let the token pick the algorithm.
  const std::string hs256_signature = base64url_encode(crypto::sha256(std::string(kTestPublicPem) + parts[1]));
  for (const json::value& alg :
       {json::value("HS256"), json::value("RS384"), json::value("RS512"), json::value("PS256"), json::value("ES256"),
        json::value("EdDSA"), json::value("rs256"), json::value("RS256 "), json::value(256), json::value()}) {
    json::object header = standard_header();
    header["alg"] = alg;
    for (const std::string& signature : {hs256_signature, parts[2]}) {
      const std::string token = base64url_encode(json::serialize(header)) + "." + parts[1] + "." + signature;
      const auto result = verify_vc_jwt(token, test_key(), kNow);
      EXPECT_FALSE(result.verified) << json::serialize(alg);
      EXPECT_TRUE(contains(result.error, "alg")) << result.error;
    }
  }
  json::object no_alg = standard_header();
  no_alg.erase("alg");
  const auto result = verify_vc_jwt(make_token(no_alg, standard_payload()), test_key(), kNow);
  EXPECT_FALSE(result.verified);
  EXPECT_TRUE(contains(result.error, "alg")) << result.error;
}

TEST(VerifyVcJwt, ChecksTheRestOfTheHeader) {
  struct Case {
    std::string member;
    json::value value;  // null removes the member
    bool verifies;
    std::string says;
  };
  const json::object public_jwk = test_key().public_jwk("");
  json::object private_jwk = public_jwk;
  private_jwk["d"] = "AQAB";
  const std::vector<Case> cases = {
      {"typ", "JOSE", false, "typ"},
      {"typ", nullptr, true, ""},  // typ is optional
      {"crit", json::array{"exp"}, false, "crit"},
      {"kid", 7, false, "kid"},
      {"kid", nullptr, false, "neither kid nor jwk"},
      {"jwk", private_jwk, false, "private key"},
      {"jwk", "AQAB", false, "jwk"},
      {"cty", "JWT", true, ""},  // other members are ignored
  };
  for (const auto& c : cases) {
    json::object header = standard_header();
    if (c.value.is_null())
      header.erase(c.member);
    else
      header[c.member] = c.value;
    const auto result = verify_vc_jwt(make_token(header, standard_payload()), test_key(), kNow);
    EXPECT_EQ(result.verified, c.verifies) << c.member << ": " << result.error;
    EXPECT_TRUE(contains(result.error, c.says)) << result.error;
  }

  // OB 3.0 allows the public key in jwk instead of a kid.
  json::object with_jwk = standard_header();
  with_jwk.erase("kid");
  with_jwk["jwk"] = public_jwk;
  const auto result = verify_vc_jwt(make_token(with_jwk, standard_payload()), test_key(), kNow);
  EXPECT_TRUE(result.verified) << result.error;
}

TEST(VerifyVcJwt, RefusesExpiredAndNotYetValidCredentials) {
  const std::string jwt = expected_jwt();
  EXPECT_TRUE(verify_vc_jwt(jwt, test_key(), kValidFrom - kClockSkewSeconds).verified);
  EXPECT_TRUE(verify_vc_jwt(jwt, test_key(), kValidUntil + kClockSkewSeconds - 1).verified);

  const auto early = verify_vc_jwt(jwt, test_key(), kValidFrom - kClockSkewSeconds - 1);
  EXPECT_FALSE(early.verified);
  EXPECT_TRUE(contains(early.error, "not valid before 2024-05-01T09:30:00Z")) << early.error;

  const auto late = verify_vc_jwt(jwt, test_key(), kValidUntil + kClockSkewSeconds);
  EXPECT_FALSE(late.verified);
  EXPECT_TRUE(contains(late.error, "expired at 2027-05-01T09:30:00Z")) << late.error;
  // The signature held, so what the token says is still there to show.
  EXPECT_EQ(late.credential, unsigned_credential());
  EXPECT_EQ(late.claims.at("exp"), kValidUntil);
}

TEST(VerifyVcJwt, RefusesClaimsThatDisagreeWithTheCredential) {
  struct Case {
    std::string claim;
    json::value value;  // null removes the claim
    std::string says;
  };
  const std::vector<Case> cases = {
      {"iss", "https://attacker.example", "iss"},
      {"iss", nullptr, "iss"},
      {"iss", 1, "iss"},
      {"jti", "urn:uuid:00000000-0000-0000-0000-000000000000", "jti"},
      {"jti", nullptr, "jti"},
      {"sub", "did:example:someone-else", "sub"},
      {"sub", nullptr, "sub"},
      {"nbf", kValidFrom - 3600, "nbf"},
      {"nbf", nullptr, "nbf"},
      {"nbf", "2024-05-01T09:30:00Z", "NumericDate"},
      {"exp", kValidUntil + 3600, "exp"},
      {"exp", nullptr, "exp"},
      {"iat", "yesterday", "iat"},
      {"vc", "a credential", "vc"},
      {"vc", nullptr, "no credential"},
  };
  for (const auto& c : cases) {
    json::object payload = standard_payload();
    if (c.value.is_null())
      payload.erase(c.claim);
    else
      payload[c.claim] = c.value;
    const auto result = verify_vc_jwt(make_token(standard_header(), payload), test_key(), kNow);
    EXPECT_FALSE(result.verified) << c.claim << " = " << json::serialize(c.value);
    EXPECT_TRUE(contains(result.error, c.says)) << result.error;
  }

  // sub without a subject id is as wrong as a missing sub.
  json::object payload = standard_payload();
  payload["vc"].as_object()["credentialSubject"].as_object().erase("id");
  const auto result = verify_vc_jwt(make_token(standard_header(), payload), test_key(), kNow);
  EXPECT_FALSE(result.verified);
  EXPECT_TRUE(contains(result.error, "sub")) << result.error;
}

TEST(VerifyVcJwt, AcceptsFractionalNumericDatesAndVc11DateNames) {
  json::object payload = standard_payload();
  payload["nbf"] = static_cast<double>(kValidFrom) + 0.25;
  json::object& vc = payload["vc"].as_object();
  const json::value valid_from = vc.at("validFrom");  // copies: inserting may move the members
  const json::value valid_until = vc.at("validUntil");
  vc["issuanceDate"] = valid_from;
  vc["expirationDate"] = valid_until;
  vc.erase("validFrom");
  vc.erase("validUntil");
  const auto result = verify_vc_jwt(make_token(standard_header(), payload), test_key(), kNow);
  EXPECT_TRUE(result.verified) << result.error;
}

TEST(VerifyVcJwt, NeverThrowsOnMalformedInput) {
  const auto parts = split(expected_jwt());
  const std::string not_json = base64url_encode("not json");
  const std::string array = base64url_encode("[1]");
  const std::vector<std::string> inputs = {
      "",
      ".",
      "..",
      "...",
      "a.b",
      "a.b.c.d",
      parts[0] + "." + parts[1],
      "!!!." + parts[1] + "." + parts[2],
      not_json + "." + parts[1] + "." + parts[2],
      array + "." + parts[1] + "." + parts[2],
      parts[0] + ".." + parts[2],
      "." + parts[1] + "." + parts[2],
      parts[0] + "." + parts[1] + "." + parts[2] + "\n",
      " " + expected_jwt(),
      std::string("\0\0.\0.\0", 6),
  };
  for (const auto& input : inputs) {
    JwtVerification result;
    EXPECT_NO_THROW(result = verify_vc_jwt(input, test_key(), kNow)) << input;
    EXPECT_FALSE(result.verified) << input;
    EXPECT_FALSE(result.error.empty()) << input;
  }
  for (int i = 0; i < 300; ++i) {
    std::string noise = crypto::random_bytes(static_cast<std::size_t>(i % 40));
    noise += "." + crypto::random_token(i % 17) + "." + crypto::random_token(i % 300);
    EXPECT_NO_THROW((void)verify_vc_jwt(noise, test_key(), kNow));
  }

  // A correctly signed payload that is not JSON, or not an object.
  for (const std::string& body : {std::string("not json"), std::string("[1,2]"), std::string("{\"a\":")}) {
    const std::string input = parts[0] + "." + base64url_encode(body);
    const std::string token = input + "." + base64url_encode(test_key().sign_rs256(input).value());
    JwtVerification result;
    EXPECT_NO_THROW(result = verify_vc_jwt(token, test_key(), kNow));
    EXPECT_FALSE(result.verified);
    EXPECT_TRUE(contains(result.error, "payload")) << result.error;
  }
}

TEST(VerifyVcJwt, RefusesInputOverOneMebibyte) {
  std::string huge = expected_jwt();
  huge.insert(huge.find('.') + 1, std::string(kMaxCompactBytes, 'A'));
  const auto result = verify_vc_jwt(huge, test_key(), kNow);
  EXPECT_FALSE(result.verified);
  EXPECT_TRUE(contains(result.error, "at most")) << result.error;
  EXPECT_TRUE(result.header.empty());
}

TEST(ReadUnverifiedHeader, ReadsTheKid) {
  auto header = read_unverified_header(expected_jwt());
  ASSERT_TRUE(header.ok()) << header.error().detail;
  EXPECT_EQ(str(header->at("kid")), kKid);
  EXPECT_FALSE(read_unverified_header("not a jwt").ok());
}
