// libFuzzer target: what a credential verifier is shown, on arbitrary bytes.
// As JSON, the bytes go through JSON-LD expansion and deserialization to RDF
// with the bundled contexts (safe mode and not), RDFC-1.0, and the Data
// Integrity verifier; as text, through the N-Quads reader and
// canonicalization, multibase and did:key decoding, and dateTime parsing;
// and through what the issuing side reads from outside: a VC-JWT, a status
// list's encodedList, an award CSV file, an achievement's JSON.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credentials/issue.hpp"
#include "credentials/jwt.hpp"
#include "credentials/model.hpp"
#include "ld/contexts.hpp"
#include "ld/data_integrity.hpp"
#include "ld/did.hpp"
#include "ld/jsonld.hpp"
#include "ld/multibase.hpp"
#include "ld/rdf.hpp"
#include "ld/rdfc.hpp"

using namespace staffroom;
using namespace staffroom::ld;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parse_xsd_date_time(text.substr(0, 64));
  (void)multibase_decode(text.substr(0, 200));
  (void)did_key_public_key(text.substr(0, 200));
  (void)did_web_url(text.substr(0, 300));
  static const auto rsa = credentials::jwt::RsaKey::generate(2048);
  (void)credentials::jwt::verify_vc_jwt(text, *rsa, 1800000000);
  (void)credentials::jwt::read_unverified_header(text);
  (void)credentials::decode_status_list(text, 1 << 16);
  (void)credentials::parse_award_file(text);
  if (auto quads = parse_nquads(text); quads.ok()) {
    CanonicalizeOptions small;
    small.max_work = 2000;  // keeps each input fast; the bound itself is what is exercised
    (void)canonicalize(*quads, small);
  }

  boost::system::error_code ec;
  boost::json::parse_options opts;
  opts.max_depth = 64;
  boost::json::value doc = boost::json::parse(text, ec, {}, opts);
  if (ec) return 0;
  static const DocumentLoader loader = bundled_contexts();
  for (bool safe : {true, false}) {
    JsonLdOptions o{loader, "", safe};
    (void)expand(doc, o);
    if (auto dataset = to_rdf(doc, o); dataset.ok()) {
      CanonicalizeOptions small;
      small.max_work = 2000;
      (void)canonicalize(*dataset, small);
    }
  }
  if (doc.is_object()) (void)credentials::achievement_from_json(doc.as_object());
  (void)credentials::rule_from_json(doc);
  VerifyOptions v;
  v.loader = loader;
  (void)to_json(verify_proof(doc, v));
  return 0;
}
