// libFuzzer target: xAPI statement input, on arbitrary bytes. The JSON
// parser feeds the statement validator (both versions, single and batch),
// then what the LRS adds, the ids and canonical formats and the signature
// check; the same bytes go through the multipart reader, the agent
// parameter, timestamps, durations, language tags and document merging. No
// database.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/multipart.hpp"
#include "lrs/document.hpp"
#include "lrs/statement.hpp"

using namespace staffroom;
using namespace staffroom::lrs;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)parse_timestamp(text.substr(0, 64));
  (void)parse_duration(text.substr(0, 64));
  (void)is_language_tag(text.substr(0, 64));
  (void)agent_key(text.substr(0, 2000));
  (void)http::parse_multipart(text, "b");
  (void)http::parse_media_type(text.substr(0, 200));
  (void)merge_documents(Document{"application/json", "{\"a\":1}", "\"x\"", 0}, "application/json", std::string(text));

  std::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return 0;
  for (Version version : {Version::V1_0_3, Version::V2_0_0}) {
    std::vector<FieldError> errors;
    const auto one = [&](const boost::json::value& item) {
      auto checked = check_statement(item, version, "", errors);
      if (!checked) return;
      (void)ids_format(checked->statement);
      (void)canonical_format(checked->statement, {"fr-FR", "en"});
      (void)check_signature(*checked, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "sig");
      auto text = prepare_statement(*checked, R"({"mbox":"mailto:lrs@example.org"})", version);
      stamp_stored(text, checked->facts, 1344366000000);
      // What the LRS stores is one JSON object, with stored, a timestamp and
      // its authority.
      std::error_code stored_ec;
      const auto stored = boost::json::parse(text, stored_ec);
      if (stored_ec || !stored.is_object() || !stored.as_object().contains("stored") ||
          !stored.as_object().contains("timestamp") || !stored.as_object().contains("authority"))
        std::abort();
    };
    if (v.is_array()) {
      for (const auto& item : v.as_array()) one(item);
    } else {
      one(v);
    }
  }
  return 0;
}
