#include "ld/did.hpp"

#include <sodium.h>

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <set>

namespace staffroom::ld {

namespace {

constexpr std::string_view kDidKeyPrefix = "did:key:";
constexpr std::string_view kDidWebPrefix = "did:web:";

// did:key lists its one key under every relationship but keyAgreement (an
// Ed25519 key signs; it does not agree keys).
constexpr std::string_view kDidKeyRelationships[] = {"authentication", "assertionMethod", "capabilityInvocation",
                                                     "capabilityDelegation"};
constexpr std::string_view kAllRelationships[] = {"authentication", "assertionMethod", "keyAgreement",
                                                  "capabilityInvocation", "capabilityDelegation"};

bool is_alpha_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A fragment we are willing to mint or accept for a key id: unreserved URL
// characters only, so the id needs no escaping anywhere it is written.
bool is_simple_fragment(std::string_view fragment) {
  if (fragment.empty() || fragment.size() > 200) return false;
  for (char c : fragment)
    if (!is_alpha_digit(c) && c != '-' && c != '.' && c != '_' && c != '~') return false;
  return true;
}

// A DNS host name per RFC 1123: labels of letters, digits and inner hyphens.
// An all-numeric last label means an IPv4 address, which did:web forbids.
Status check_host(std::string_view host) {
  if (host.empty()) return Error::validation("did", "did:web has no domain name");
  if (host.size() > 253) return Error::validation("did", "did:web domain name is longer than 253 characters");
  std::size_t start = 0;
  bool last_label_numeric = true;
  while (start <= host.size()) {
    const std::size_t dot = std::min(host.find('.', start), host.size());
    const std::string_view label = host.substr(start, dot - start);
    if (label.empty() || label.size() > 63)
      return Error::validation("did", "did:web domain name has an empty or over-long label");
    if (label.front() == '-' || label.back() == '-')
      return Error::validation("did", "did:web domain labels cannot start or end with '-'");
    last_label_numeric = true;
    for (char c : label) {
      if (!is_alpha_digit(c) && c != '-')
        return Error::validation("did", "did:web domain name has a character outside letters, digits, '-' and '.'");
      if (c < '0' || c > '9') last_label_numeric = false;
    }
    start = dot + 1;
  }
  if (last_label_numeric) return Error::validation("did", "did:web cannot name an IP address, only a domain name");
  return {};
}

Status check_port(std::string_view port) {
  if (port.empty() || port.size() > 5 || port.front() == '0')
    return Error::validation("did", "did:web port must be a number from 1 to 65535");
  unsigned value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return Error::validation("did", "did:web port must be a number from 1 to 65535");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return Error::validation("did", "did:web port must be a number from 1 to 65535");
  return {};
}

// A path segment: DID idchars (letters, digits, ".-_", %HH). Decoded, it may
// not be "." or "..", nor hide a separator or control byte, so the URL can
// only point below the host's root where the segments say.
Status check_path_segment(std::string_view segment) {
  if (segment.empty()) return Error::validation("did", "did:web has an empty path segment");
  std::string decoded;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    const char c = segment[i];
    if (c == '%') {
      const int high = i + 2 < segment.size() ? hex_value(segment[i + 1]) : -1;
      const int low = high >= 0 ? hex_value(segment[i + 2]) : -1;
      if (low < 0) return Error::validation("did", "did:web path has a '%' not followed by two hex digits");
      const auto byte = static_cast<unsigned char>(high * 16 + low);
      if (byte < 0x20 || byte == 0x7f || byte == '/' || byte == '\\' || byte == '?' || byte == '#')
        return Error::validation("did", "did:web path segment encodes a separator or control character");
      decoded.push_back(static_cast<char>(byte));
      i += 2;
    } else if (is_alpha_digit(c) || c == '.' || c == '-' || c == '_') {
      decoded.push_back(c);
    } else {
      return Error::validation("did", "did:web path segment has a character DIDs do not allow");
    }
  }
  if (decoded == "." || decoded == "..") return Error::validation("did", "did:web path segment cannot be '.' or '..'");
  return {};
}

Status check_did_web(std::string_view did) {
  auto url = did_web_url(did);
  if (!url.ok()) return std::move(url).error();
  return {};
}

const boost::json::string* string_member(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr ? value->if_string() : nullptr;
}

// A method id as written in a document, made absolute against the document
// id when it is a bare fragment.
std::string absolute_id(std::string_view id, std::string_view document_id) {
  if (!id.empty() && id.front() == '#') return std::string(document_id) + std::string(id);
  return std::string(id);
}

}  // namespace

// ---- did:key ----------------------------------------------------------------

std::string did_key(const Ed25519PublicKey& key) {
  return std::string(kDidKeyPrefix) + encode_public_key_multibase(key);
}

std::string did_key_verification_method(const Ed25519PublicKey& key) {
  const std::string multibase = encode_public_key_multibase(key);
  return std::string(kDidKeyPrefix) + multibase + "#" + multibase;
}

Result<Ed25519PublicKey> did_key_public_key(std::string_view did_or_method_id) {
  if (did_or_method_id.substr(0, kDidKeyPrefix.size()) != kDidKeyPrefix)
    return Error::validation("verificationMethod", "is not a did:key identifier");
  std::string_view rest = did_or_method_id.substr(kDidKeyPrefix.size());
  std::string_view fragment;
  bool has_fragment = false;
  if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
    fragment = rest.substr(hash + 1);
    rest = rest.substr(0, hash);
    has_fragment = true;
  }
  if (rest.find_first_of(":/?") != std::string_view::npos)
    return Error::validation("verificationMethod",
                             "did:key must be did:key:<multibase key> with no version, path or query");
  if (rest.empty() || rest.front() != 'z')
    return Error::validation("verificationMethod", "did:key value must be multibase base58btc (start with 'z')");
  SR_ASSIGN(const Ed25519PublicKey key, decode_public_key_multibase(rest, "verificationMethod"));
  if (has_fragment && fragment != rest)
    return Error::validation("verificationMethod", "did:key verification method fragment must repeat the key");
  // did:key requires the bytes to be a valid key of the type; libsodium's
  // check also refuses small-order points, for which signatures mean nothing.
  // The check multiplies by the group order (about 60 us, a fifth of a
  // whole verification) and a verifier meets the same issuer key over and
  // over, so each thread remembers the last key that passed.
  thread_local Ed25519PublicKey last_valid_key;
  thread_local bool have_last_valid_key = false;
  if (have_last_valid_key && last_valid_key == key) return key;
  if (crypto_core_ed25519_is_valid_point(key.bytes.data()) != 1)
    return Error::validation("verificationMethod", "did:key holds bytes that are not a valid Ed25519 public key");
  last_valid_key = key;
  have_last_valid_key = true;
  return key;
}

boost::json::object did_key_document(const Ed25519PublicKey& key) {
  const std::string did = did_key(key);
  const std::string method_id = did_key_verification_method(key);
  boost::json::object method;
  method["id"] = method_id;
  method["type"] = "Multikey";
  method["controller"] = did;
  method["publicKeyMultibase"] = encode_public_key_multibase(key);

  boost::json::object document;
  document["@context"] = boost::json::array{kDidContextV1, kMultikeyContextV1};
  document["id"] = did;
  document["verificationMethod"] = boost::json::array{method};
  for (std::string_view relationship : kDidKeyRelationships) document[relationship] = boost::json::array{method_id};
  return document;
}

Result<ResolvedMethod> resolve_did_key_method(std::string_view method_id) {
  if (method_id.find('#') == std::string_view::npos)
    return Error::validation("verificationMethod", "did:key verification method id needs the '#<key>' fragment");
  SR_ASSIGN(const Ed25519PublicKey key, did_key_public_key(method_id));
  ResolvedMethod method;
  method.id = did_key_verification_method(key);
  method.controller = did_key(key);
  method.public_key = key;
  for (std::string_view relationship : kDidKeyRelationships) method.relationships.emplace_back(relationship);
  return method;
}

// ---- did:web ----------------------------------------------------------------

Result<std::string> did_web_url(std::string_view did) {
  if (did.substr(0, kDidWebPrefix.size()) != kDidWebPrefix) return Error::validation("did", "is not a did:web DID");
  const std::string_view id = did.substr(kDidWebPrefix.size());
  if (id.find_first_of("#?/") != std::string_view::npos)
    return Error::validation("did", "did:web DID cannot have a fragment, query or '/'");

  std::vector<std::string_view> segments;
  for (std::size_t start = 0;;) {
    const std::size_t colon = id.find(':', start);
    segments.push_back(id.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }

  // The first segment is the host, with the port's colon percent-encoded.
  std::string_view host = segments.front();
  std::string_view port;
  for (std::string_view encoded_colon : {"%3A", "%3a"}) {
    if (const auto at = host.find(encoded_colon); at != std::string_view::npos) {
      port = host.substr(at + encoded_colon.size());
      host = host.substr(0, at);
      SR_TRY(check_port(port));
      break;
    }
  }
  SR_TRY(check_host(host));

  std::string url = "https://" + std::string(host);
  if (!port.empty()) url += ":" + std::string(port);
  if (segments.size() == 1) return url + "/.well-known/did.json";
  for (std::size_t i = 1; i < segments.size(); ++i) {
    SR_TRY(check_path_segment(segments[i]));
    url += "/" + std::string(segments[i]);
  }
  return url + "/did.json";
}

Result<boost::json::object> did_web_document(std::string_view did, const std::vector<MultikeyMethod>& methods) {
  SR_TRY(check_did_web(did));
  if (methods.empty()) return Error::validation("verificationMethod", "a DID document needs at least one key");
  bool any_current = false;
  std::set<std::string> seen;
  boost::json::array verification_methods;
  boost::json::array assertion;
  boost::json::array authentication;
  for (const MultikeyMethod& m : methods) {
    std::string id = absolute_id(m.id, did);
    const std::string prefix = std::string(did) + "#";
    if (id.substr(0, prefix.size()) != prefix || !is_simple_fragment(std::string_view(id).substr(prefix.size())))
      return Error::validation("verificationMethod", "key id '" + m.id + "' must be '#<fragment>' or '" + prefix +
                                                         "<fragment>', the fragment of letters, digits and '-._~'");
    if (!seen.insert(id).second) return Error::validation("verificationMethod", "key id '" + id + "' is listed twice");

    boost::json::object method;
    method["id"] = id;
    method["type"] = "Multikey";
    method["controller"] = did;
    method["publicKeyMultibase"] = encode_public_key_multibase(m.public_key);
    verification_methods.emplace_back(std::move(method));
    assertion.emplace_back(id);
    if (!m.retired) {
      authentication.emplace_back(id);
      any_current = true;
    }
  }
  if (!any_current)
    return Error::validation("verificationMethod", "every key is retired; a DID document needs a current key");

  boost::json::object document;
  document["@context"] = boost::json::array{kDidContextV1, kMultikeyContextV1};
  document["id"] = did;
  document["verificationMethod"] = std::move(verification_methods);
  document["assertionMethod"] = std::move(assertion);
  document["authentication"] = std::move(authentication);
  return document;
}

// ---- controller documents -----------------------------------------------------

Result<ResolvedMethod> find_verification_method(const boost::json::value& controller_document,
                                                std::string_view method_id) {
  const auto hash = method_id.find('#');
  if (hash == std::string_view::npos || hash + 1 == method_id.size())
    return Error::validation("verificationMethod", "verification method id has no '#fragment'");
  const std::string_view document_url = method_id.substr(0, hash);

  const auto* document = controller_document.if_object();
  if (document == nullptr) return Error::validation("verificationMethod", "controller document is not a JSON object");
  const auto* document_id = string_member(*document, "id");
  if (document_id == nullptr) return Error::validation("verificationMethod", "controller document has no string id");
  if (*document_id != document_url)
    return Error::validation("verificationMethod", "controller document id '" + std::string(*document_id) +
                                                       "' is not '" + std::string(document_url) + "'");

  // The method may be listed under verificationMethod or embedded in a
  // relationship; either way its absolute id must be the one asked for.
  const boost::json::object* found = nullptr;
  auto consider = [&](const boost::json::value& entry) {
    const auto* object = entry.if_object();
    if (found != nullptr || object == nullptr) return;
    const auto* id = string_member(*object, "id");
    if (id != nullptr && absolute_id(*id, *document_id) == method_id) found = object;
  };
  std::vector<std::string> relationships;
  if (const auto* list = document->if_contains("verificationMethod")) {
    if (const auto* array = list->if_array())
      for (const auto& entry : *array) consider(entry);
  }
  for (std::string_view relationship : kAllRelationships) {
    const auto* list = document->if_contains(relationship);
    const auto* array = list != nullptr ? list->if_array() : nullptr;
    if (array == nullptr) continue;
    bool listed = false;
    for (const auto& entry : *array) {
      consider(entry);
      if (const auto* ref = entry.if_string()) listed = listed || absolute_id(*ref, *document_id) == method_id;
      if (const auto* object = entry.if_object()) {
        const auto* id = string_member(*object, "id");
        listed = listed || (id != nullptr && absolute_id(*id, *document_id) == method_id);
      }
    }
    if (listed) relationships.emplace_back(relationship);
  }
  if (found == nullptr)
    return Error::validation("verificationMethod",
                             "controller document has no verification method '" + std::string(method_id) + "'");

  const auto* type = string_member(*found, "type");
  if (type == nullptr || (*type != "Multikey" && *type != "Ed25519VerificationKey2020"))
    return Error::validation("verificationMethod", "verification method type must be Multikey");
  const auto* controller = string_member(*found, "controller");
  if (controller == nullptr || absolute_id(*controller, *document_id) != *document_id)
    return Error::validation("verificationMethod", "verification method controller is not the controller document");
  const auto* multibase = string_member(*found, "publicKeyMultibase");
  if (multibase == nullptr)
    return Error::validation("verificationMethod", "verification method has no publicKeyMultibase");
  SR_ASSIGN(const Ed25519PublicKey key, decode_public_key_multibase(*multibase));

  ResolvedMethod method;
  method.id = std::string(method_id);
  method.controller = std::string(*document_id);
  method.public_key = key;
  method.relationships = std::move(relationships);
  return method;
}

}  // namespace staffroom::ld
