// bench_credentials SECONDS CREDENTIAL_JSON SEED_HEX
//
// Signs the unsigned credential in CREDENTIAL_JSON with the Ed25519 key whose
// 32-byte seed is SEED_HEX (eddsa-rdfc-2022: JSON-LD to RDF, RDFC-1.0,
// SHA-256, Ed25519), one at a time on one thread for SECONDS, then verifies
// the signed credential the way POST /api/v1/verify does (shape, proof,
// issuer key, dates; the status list is not ours, so not fetched), again for
// SECONDS. Every run does the whole work: nothing canonical is cached between
// runs, only the parsed contexts, as any JSON-LD processor keeps them.
// The issuer id becomes the key's did:key. Prints one JSON line:
//   {"sign_per_s", "verify_per_s", "signs", "verifies", "signed"}
// Exits 1 when the signed credential does not verify.
#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "credentials/issue.hpp"
#include "credentials/verify.hpp"
#include "ld/contexts.hpp"
#include "ld/did.hpp"

using namespace staffroom;
namespace bj = boost::json;

namespace {

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    unsigned v = 0;
    if (std::sscanf(std::string(hex.substr(i, 2)).c_str(), "%2x", &v) != 1) return std::nullopt;
    out.push_back(static_cast<char>(v));
  }
  return out;
}

int fail(const std::string& why) {
  std::cerr << "bench_credentials: " << why << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return fail("usage: bench_credentials SECONDS CREDENTIAL_JSON SEED_HEX");
  crypto::init();
  const double seconds = std::atof(argv[1]);
  std::ifstream in(argv[2], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  auto doc = staffroom::json::parse_exact(text.str());
  if (!doc.ok() || !doc->is_object()) return fail("the credential file is not a JSON object");
  auto seed = from_hex(argv[3]);
  if (!seed) return fail("the seed is not hex");
  auto key = ld::Ed25519SecretKey::from_seed(*seed);
  if (!key.ok()) return fail(key.error().detail);
  auto credential = doc->as_object();
  const auto did = ld::did_key(key->public_key());
  if (auto* issuer = credential.if_contains("issuer"); issuer && issuer->is_object())
    issuer->as_object()["id"] = did;
  else
    credential["issuer"] = did;
  const auto method = ld::did_key_verification_method(key->public_key());

  using clock = std::chrono::steady_clock;
  const auto budget = std::chrono::duration<double>(seconds);
  bj::object signed_doc;
  long signs = 0;
  const auto sign_start = clock::now();
  while (clock::now() - sign_start < budget) {
    auto s = credentials::sign(credential, method, *key, now_ms());
    if (!s.ok()) return fail("signing failed: " + s.error().detail);
    signed_doc = std::move(*s);
    ++signs;
  }
  const double sign_s = std::chrono::duration<double>(clock::now() - sign_start).count();

  credentials::VerifyInput input;
  input.loader = ld::bundled_contexts();
  input.now = now_ms();
  const bj::value signed_value(signed_doc);
  long verifies = 0;
  bool ok = true;
  const auto verify_start = clock::now();
  while (clock::now() - verify_start < budget) {
    auto v = credentials::verify_credential(signed_value, input);
    ok = ok && v.verified;
    ++verifies;
  }
  const double verify_s = std::chrono::duration<double>(clock::now() - verify_start).count();
  if (!ok) return fail("the signed credential does not verify");
  std::cout << bj::serialize(bj::object{{"sign_per_s", static_cast<double>(signs) / sign_s},
                                        {"verify_per_s", static_cast<double>(verifies) / verify_s},
                                        {"signs", signs},
                                        {"verifies", verifies},
                                        {"signed", signed_doc}})
            << "\n";
  return 0;
}
