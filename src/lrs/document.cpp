#include "lrs/document.hpp"

#include <boost/json.hpp>

#include "core/crypto.hpp"
#include "core/json.hpp"

namespace staffroom::lrs {

namespace json = boost::json;

std::string_view kind_name(DocumentKind k) {
  switch (k) {
    case DocumentKind::State:
      return "state";
    case DocumentKind::ActivityProfile:
      return "activity_profile";
    case DocumentKind::AgentProfile:
      return "agent_profile";
  }
  return "state";
}

std::string_view id_param_name(DocumentKind k) {
  return k == DocumentKind::State ? "stateId" : "profileId";
}

std::string document_etag(std::string_view content) {
  return "\"" + crypto::sha1_hex(content) + "\"";
}

namespace {

// An If-Match / If-None-Match list ("a", W/"b", *) holds the ETag?
bool etag_listed(std::string_view header, const std::string& etag) {
  std::size_t start = 0;
  while (start <= header.size()) {
    auto comma = header.find(',', start);
    std::string item = staffroom::json::trim(
        header.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (item == "*") return true;
    if (item.starts_with("W/")) item = item.substr(2);
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') item = item.substr(1, item.size() - 2);
    // Compare without quotes, ignoring hex case.
    if (!item.empty() && staffroom::json::lower_ascii(item) ==
                             staffroom::json::lower_ascii(std::string_view(etag).substr(1, etag.size() - 2)))
      return true;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return false;
}

bool is_json(const std::string& content_type) {
  auto semi = content_type.find(';');
  return staffroom::json::lower_ascii(staffroom::json::trim(content_type.substr(0, semi))) == "application/json";
}

}  // namespace

Status check_preconditions(const std::optional<Document>& existing, const Preconditions& p, bool is_put,
                           DocumentKind kind, Version version) {
  if (p.if_match) {
    if (!existing) return Error::precondition_failed("If-Match was sent, but there is no such document");
    if (!etag_listed(*p.if_match, existing->etag))
      return Error::precondition_failed("the document has changed: its ETag is " + existing->etag +
                                        ", not the one in If-Match; read it again and retry");
  }
  if (p.if_none_match && existing && etag_listed(*p.if_none_match, existing->etag))
    return Error::precondition_failed("the document already exists (If-None-Match: " + *p.if_none_match + ")");
  if (is_put && !p.if_match && !p.if_none_match) {
    const bool blind_ok = kind == DocumentKind::State && version == Version::V1_0_3;
    if (existing && !blind_ok)
      return Error::conflict("the document exists; send If-Match with its ETag (" + existing->etag +
                             ") to replace it, so no one else's change is lost");
    if (!existing && kind != DocumentKind::State && version == Version::V1_0_3)
      return Error::bad_request("send If-None-Match: * to create a profile document, or If-Match to replace one");
  }
  return {};
}

Result<Document> merge_documents(const std::optional<Document>& existing, const std::string& content_type,
                                 const std::string& content) {
  Document out;
  out.content_type = content_type.empty() ? "application/octet-stream" : content_type;
  std::optional<json::value> posted;
  if (is_json(out.content_type)) {
    std::error_code ec;
    posted = json::parse(content, ec);
    if (ec) return Error::bad_request("the body is sent as application/json but is not valid JSON");
  }
  if (!existing) {
    out.content = content;
    out.etag = document_etag(out.content);
    return out;
  }
  if (!posted || !posted->is_object())
    return Error::bad_request(
        "POST merges a JSON object into a JSON document; send a JSON object as "
        "application/json, or use PUT to replace the document");
  if (!is_json(existing->content_type))
    return Error::bad_request("the stored document is " + existing->content_type +
                              ", not JSON, so nothing can be merged into it; use PUT to replace it");
  std::error_code ec;
  json::value kept = json::parse(existing->content, ec);
  if (ec || !kept.is_object())
    return Error::bad_request("the stored document is not a JSON object, so nothing can be merged into it; use PUT");
  for (const auto& kv : posted->as_object()) kept.as_object()[kv.key()] = kv.value();
  out.content_type = "application/json";
  out.content = staffroom::json::serialize(kept);
  out.etag = document_etag(out.content);
  return out;
}

}  // namespace staffroom::lrs
