#include "credentials/issue.hpp"

#include <zlib.h>

#include <boost/json.hpp>

#include <cmath>

#include "core/crypto.hpp"
#include "ld/contexts.hpp"

namespace staffroom::credentials {

namespace json = boost::json;

std::string identity_hash(std::string_view email, std::string_view salt) {
  std::string data(email);
  data += salt;
  return "sha256$" + crypto::sha256_hex(data);
}

json::object identity_object(std::string_view email, std::string_view salt) {
  return json::object{{"type", "IdentityObject"},
                      {"identityHash", identity_hash(email, salt)},
                      {"identityType", "emailAddress"},
                      {"hashed", true},
                      {"salt", salt}};
}

json::object build_credential(const CredentialInput& in) {
  const auto& a = in.achievement;
  json::object achievement{{"id", in.achievement_url},
                           {"type", json::array{"Achievement"}},
                           {"name", a.name},
                           {"description", a.description},
                           {"criteria", json::object{{"id", in.achievement_url}, {"narrative", a.criteria}}}};
  const std::string image = a.image_url.empty() ? in.image_fallback_url : a.image_url;
  if (!image.empty()) achievement["image"] = json::object{{"id", image}, {"type", "Image"}, {"caption", a.name}};
  if (a.minutes) achievement["creditsAvailable"] = std::round(static_cast<double>(*a.minutes) / 60.0 * 100) / 100;
  if (!a.tags.empty()) {
    json::array tags;
    for (const auto& t : a.tags) tags.emplace_back(t);
    achievement["tag"] = std::move(tags);
  }
  if (!a.alignments.empty()) {
    json::array alignments;
    for (const auto& g : a.alignments) {
      json::object o{{"type", json::array{"Alignment"}}, {"targetName", g.target_name}, {"targetUrl", g.target_url}};
      if (!g.target_framework.empty()) o["targetFramework"] = g.target_framework;
      if (!g.target_code.empty()) o["targetCode"] = g.target_code;
      alignments.push_back(std::move(o));
    }
    achievement["alignment"] = std::move(alignments);
  }
  achievement["creator"] =
      json::object{{"id", in.issuer_id}, {"type", json::array{"Profile"}}, {"name", in.issuer_name}};

  json::object subject{{"type", json::array{"AchievementSubject"}},
                       {"identifier", json::array{identity_object(in.recipient_email, in.salt)}},
                       {"achievement", std::move(achievement)}};
  if (!in.narrative.empty()) subject["narrative"] = in.narrative;

  json::object issuer{{"id", in.issuer_id}, {"type", json::array{"Profile"}}, {"name", in.issuer_name}};
  if (!in.issuer_url.empty()) issuer["url"] = in.issuer_url;

  json::object doc{{"@context", json::array{kCredentialsV2Context, kObContext, kObExtensionsContext}},
                   {"id", "urn:uuid:" + in.uuid},
                   {"type", json::array{"VerifiableCredential", "OpenBadgeCredential"}},
                   {"name", a.name},
                   {"issuer", std::move(issuer)},
                   {"validFrom", ld::format_xsd_date_time(in.valid_from)}};
  if (in.valid_until) doc["validUntil"] = ld::format_xsd_date_time(*in.valid_until);
  doc["credentialSubject"] = std::move(subject);
  if (!in.evidence.empty()) {
    json::array evidence;
    for (const auto& e : in.evidence) {
      json::object o{{"id", e.id}, {"type", json::array{"Evidence"}}};
      if (!e.name.empty()) o["name"] = e.name;
      if (!e.narrative.empty()) o["narrative"] = e.narrative;
      evidence.push_back(std::move(o));
    }
    doc["evidence"] = std::move(evidence);
  }
  doc["credentialStatus"] = json::object{{"id", in.status_list_url + "#" + std::to_string(in.status_index)},
                                         {"type", "BitstringStatusListEntry"},
                                         {"statusPurpose", "revocation"},
                                         {"statusListIndex", std::to_string(in.status_index)},
                                         {"statusListCredential", in.status_list_url}};
  return doc;
}

namespace {

std::string hundredths(std::int64_t v) {
  std::string out = std::to_string(v / 100);
  if (v % 100 != 0) {
    const auto cents = v % 100;
    out += (cents < 10 ? ".0" : ".") + std::to_string(cents);
    while (out.back() == '0') out.pop_back();
  }
  return out;
}

}  // namespace

json::object build_credit_credential(const CreditInput& in) {
  const std::string hours = hundredths(in.minutes * 100 / 60);
  std::string amounts = hours + " clock hours";
  if (in.ceu_hundredths > 0) amounts += ", " + hundredths(in.ceu_hundredths) + " CEU";
  if (in.semester_credit_hundredths > 0)
    amounts += ", " + hundredths(in.semester_credit_hundredths) + " semester credit";
  json::object achievement{
      {"id", in.claim_url},
      {"type", json::array{"Achievement"}},
      {"achievementType", "Achievement"},
      {"name", "Professional learning credit (" + in.tier + ")"},
      {"description",
       in.district_name + " approved " + amounts + " of professional learning credit at the " + in.tier + " tier."},
      {"criteria",
       json::object{{"narrative", "Approved under " + in.district_name + "'s credit policy, version " +
                                      std::to_string(in.policy_version) + ", on the evidence the claim lists."}}},
      {"creditsAvailable", std::round(static_cast<double>(in.minutes) / 60.0 * 100.0) / 100.0},
      {"creator", json::object{{"id", in.issuer_id}, {"type", json::array{"Profile"}}, {"name", in.district_name}}}};
  return json::object{
      {"@context", json::array{kCredentialsV2Context, kObContext}},
      {"id", "urn:uuid:" + in.uuid},
      {"type", json::array{"VerifiableCredential", "OpenBadgeCredential"}},
      {"name", "Professional learning credit: " + amounts},
      {"issuer", json::object{{"id", in.issuer_id},
                              {"type", json::array{"Profile"}},
                              {"name", in.district_name},
                              {"url", in.district_url}}},
      {"validFrom", ld::format_xsd_date_time(in.decided_at - in.decided_at % 1000)},
      {"credentialSubject", json::object{{"type", json::array{"AchievementSubject"}},
                                         {"identifier", json::array{identity_object(in.recipient_email, in.salt)}},
                                         {"achievement", std::move(achievement)}}},
      {"evidence", json::array{json::object{{"id", in.claim_url},
                                            {"type", json::array{"Evidence"}},
                                            {"name", "Approved credit claim"},
                                            {"narrative", "The claim, its evidence and the decision, in " +
                                                              in.district_name + "'s records."}}}}};
}

json::object build_clr(const ClrInput& in) {
  json::array achievements, credentials;
  for (const auto& c : in.credentials) {
    credentials.push_back(c);
    if (const auto* s = c.if_contains("credentialSubject"); s && s->is_object())
      if (const auto* a = s->as_object().if_contains("achievement"); a && a->is_object()) achievements.push_back(*a);
  }
  return json::object{
      {"@context", json::array{kCredentialsV2Context, kClrContext, kObContext}},
      {"id", "urn:uuid:" + in.uuid},
      {"type", json::array{"VerifiableCredential", "ClrCredential"}},
      {"name", "Comprehensive Learner Record of " + in.learner_name + ", " + in.period},
      {"description", "Professional learning credit approved by districts and badges earned, " + in.period + "."},
      {"issuer",
       json::object{
           {"id", in.issuer_id}, {"type", json::array{"Profile"}}, {"name", in.issuer_name}, {"url", in.issuer_url}}},
      {"validFrom", ld::format_xsd_date_time(in.issued - in.issued % 1000)},
      {"credentialSubject", json::object{{"type", json::array{"ClrSubject"}},
                                         {"identifier", json::array{identity_object(in.recipient_email, in.salt)}},
                                         {"achievement", std::move(achievements)},
                                         {"verifiableCredential", std::move(credentials)}}}};
}

Result<json::object> sign(const json::object& document, const std::string& verification_method,
                          const ld::Ed25519SecretKey& key, EpochMs created) {
  static const ld::DocumentLoader loader = ld::bundled_contexts();
  ld::ProofOptions options;
  options.verification_method = verification_method;
  options.created = ld::format_xsd_date_time(created);
  return ld::create_proof(json::value(document), options, key, loader);
}

Result<std::string> encode_status_list(const std::vector<std::int64_t>& set_bits, std::int64_t capacity) {
  if (capacity <= 0 || capacity % 8 != 0) return Error::internal("a status list holds a positive multiple of 8 bits");
  std::string bits(static_cast<std::size_t>(capacity / 8), '\0');
  for (auto i : set_bits) {
    if (i < 0 || i >= capacity) return Error::internal("status index " + std::to_string(i) + " is outside the list");
    bits[static_cast<std::size_t>(i / 8)] =
        static_cast<char>(static_cast<unsigned char>(bits[static_cast<std::size_t>(i / 8)]) | (0x80U >> (i % 8)));
  }
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    return Error::internal("could not start compressing the status list");
  std::string out(deflateBound(&z, static_cast<uLong>(bits.size())) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(bits.data());
  z.avail_in = static_cast<uInt>(bits.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) return Error::internal("could not compress the status list");
  return "u" + crypto::base64url(out);
}

Result<std::vector<std::int64_t>> decode_status_list(std::string_view encoded, std::int64_t max_bytes) {
  if (encoded.empty() || encoded.front() != 'u')
    return Error::validation("encodedList", "must be multibase base64url (starting with 'u')");
  auto compressed = crypto::base64url_decode(encoded.substr(1));
  if (!compressed) return Error::validation("encodedList", "is not base64url");
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return Error::internal("could not start decompressing");
  std::string bits;
  std::string chunk(16384, '\0');
  z.next_in = reinterpret_cast<Bytef*>(compressed->data());
  z.avail_in = static_cast<uInt>(compressed->size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk.data());
    z.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&z, Z_NO_FLUSH);
    bits.append(chunk.data(), chunk.size() - z.avail_out);
    if (static_cast<std::int64_t>(bits.size()) > max_bytes) rc = Z_MEM_ERROR;
  }
  inflateEnd(&z);
  if (rc != Z_STREAM_END)
    return Error::validation("encodedList", "is not a complete GZIP stream within the size limit");
  std::vector<std::int64_t> out;
  for (std::size_t byte = 0; byte < bits.size(); ++byte) {
    const auto b = static_cast<unsigned char>(bits[byte]);
    if (b == 0) continue;
    for (int i = 0; i < 8; ++i)
      if ((b & (0x80U >> i)) != 0) out.push_back(static_cast<std::int64_t>(byte) * 8 + i);
  }
  return out;
}

json::object build_status_list_credential(const std::string& url, const std::string& issuer_id,
                                          const std::string& encoded_list, EpochMs valid_from, EpochMs valid_until) {
  return json::object{{"@context", json::array{kCredentialsV2Context}},
                      {"id", url},
                      {"type", json::array{"VerifiableCredential", "BitstringStatusListCredential"}},
                      {"issuer", issuer_id},
                      {"validFrom", ld::format_xsd_date_time(valid_from)},
                      {"validUntil", ld::format_xsd_date_time(valid_until)},
                      {"credentialSubject", json::object{{"id", url + "#list"},
                                                         {"type", "BitstringStatusList"},
                                                         {"statusPurpose", "revocation"},
                                                         {"encodedList", encoded_list}}}};
}

}  // namespace staffroom::credentials
