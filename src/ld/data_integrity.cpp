#include "ld/data_integrity.hpp"

#include <sodium.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <chrono>
#include <cstdio>

#include "core/crypto.hpp"
#include "ld/rdfc.hpp"

namespace staffroom::ld {

namespace {

// A proofValue is 'z' plus at most 88 base58 characters for 64 bytes; a
// little slack keeps the error about the length rather than the limit.
constexpr std::size_t kMaxProofValueChars = 120;

const boost::json::string* string_member(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value != nullptr ? value->if_string() : nullptr;
}

// A value from the input as it may appear in a message: strings quoted and
// cut short, control characters replaced, other kinds named.
std::string describe(const boost::json::value& value) {
  if (const auto* s = value.if_string()) {
    std::string out = "'";
    const std::size_t limit = 80;
    for (std::size_t i = 0; i < s->size() && i < limit; ++i) {
      const auto c = static_cast<unsigned char>((*s)[i]);
      out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
    }
    if (s->size() > limit) out += "...";
    return out + "'";
  }
  switch (value.kind()) {
    case boost::json::kind::null:
      return "null";
    case boost::json::kind::bool_:
      return "a boolean";
    case boost::json::kind::object:
      return "an object";
    case boost::json::kind::array:
      return "an array";
    default:
      return "a number";
  }
}

EpochMs system_now() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string to_std_string(const boost::json::string& s) {
  return std::string(s.data(), s.size());
}

// Reads a proof's domain: a string, or a non-empty array of strings.
std::optional<std::vector<std::string>> read_string_set(const boost::json::value& value) {
  if (const auto* s = value.if_string()) return std::vector<std::string>{to_std_string(*s)};
  const auto* array = value.if_array();
  if (array == nullptr || array->empty()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& entry : *array) {
    const auto* s = entry.if_string();
    if (s == nullptr) return std::nullopt;
    out.push_back(to_std_string(*s));
  }
  return out;
}

class ProofChecker {
 public:
  explicit ProofChecker(ProofResult& result) : result_(result) {}
  void pass(std::string_view name, std::string detail = {}) { add(name, CheckStatus::Passed, std::move(detail)); }
  void fail(std::string_view name, std::string detail) {
    add(name, CheckStatus::Failed, std::move(detail));
    failed_ = true;
  }
  void skip(std::string_view name, std::string detail) { add(name, CheckStatus::Skipped, std::move(detail)); }
  bool failed() const { return failed_; }

 private:
  void add(std::string_view name, CheckStatus status, std::string detail) {
    result_.checks.push_back({std::string(name), status, std::move(detail)});
  }
  ProofResult& result_;
  bool failed_ = false;
};

// The document's canonical N-Quads, computed at most once for all proofs
// that sign the document alone (every proof of a set without previousProof).
class SharedDocumentNquads {
 public:
  SharedDocumentNquads(const boost::json::object& unsecured, const DocumentLoader& loader)
      : unsecured_(unsecured), loader_(loader) {}
  const Result<std::string>& get() {
    if (!value_) value_.emplace(canonical_nquads(unsecured_, loader_));
    return *value_;
  }

 private:
  const boost::json::object& unsecured_;
  const DocumentLoader& loader_;
  std::optional<Result<std::string>> value_;
};

struct ProofContext {
  const boost::json::object& document;
  const boost::json::object& unsecured;  // the document without "proof"
  const std::vector<const boost::json::value*>& all_proofs;
  const VerifyOptions& options;
  EpochMs now;
  SharedDocumentNquads& shared_nquads;
};

// Indices of the proofs `previousProof` names, or an error message.
Result<std::vector<std::size_t>> previous_proofs(const boost::json::value& reference,
                                                 const std::vector<const boost::json::value*>& all_proofs) {
  std::vector<std::string> ids;
  if (const auto* single = reference.if_string()) {
    ids.push_back(to_std_string(*single));
  } else if (const auto* array = reference.if_array()) {
    for (const auto& entry : *array) {
      const auto* id = entry.if_string();
      if (id == nullptr) return Error::bad_request("previousProof must be a string or an array of strings");
      ids.push_back(to_std_string(*id));
    }
  } else {
    return Error::bad_request("previousProof must be a string or an array of strings, not " + describe(reference));
  }
  std::vector<std::size_t> indices;
  for (const std::string& id : ids) {
    bool found = false;
    for (std::size_t i = 0; i < all_proofs.size() && !found; ++i) {
      const auto* object = all_proofs[i]->if_object();
      const auto* proof_id = object != nullptr ? string_member(*object, "id") : nullptr;
      if (proof_id != nullptr && *proof_id == id) {
        indices.push_back(i);
        found = true;
      }
    }
    if (!found) return Error::bad_request("previousProof names '" + id.substr(0, 80) + "', which no proof has as id");
  }
  return indices;
}

Result<ResolvedMethod> resolve_method(std::string_view method_id, const VerifyOptions& options) {
  if (method_id.substr(0, 8) == "did:key:") return resolve_did_key_method(method_id);
  if (!options.resolver) return Error::validation("verificationMethod", "no resolver is configured for this method");
  SR_ASSIGN(ResolvedMethod method, options.resolver(method_id));
  // A resolver that answers for another id would let one key stand in for
  // another; insist on the one asked for.
  if (method.id != method_id)
    return Error::validation("verificationMethod", "the resolver returned method '" + method.id.substr(0, 120) +
                                                       "' instead of the one asked for");
  return method;
}

ProofResult verify_one(std::size_t index, const ProofContext& context, std::vector<std::size_t>& depends_on) {
  ProofResult result;
  result.index = index;
  ProofChecker checks(result);
  const auto* proof = context.all_proofs[index]->if_object();
  if (proof == nullptr) {
    checks.fail(check::kProof, "proof must be a JSON object, not " + describe(*context.all_proofs[index]));
    return result;
  }
  checks.pass(check::kProof);
  const auto member = [&](std::string_view key) { return proof->if_contains(key); };

  // Prerequisites for the cryptographic checks: if any of these fails, the
  // signature is not worth checking (and may not even be checkable).
  bool can_verify = true;

  const auto* type = member("type");
  if (type == nullptr) {
    checks.fail(check::kType, "proof has no type");
    can_verify = false;
  } else if (!type->is_string() || type->get_string() != kDataIntegrityProof) {
    checks.fail(check::kType, "type is " + describe(*type) + ", expected 'DataIntegrityProof'");
    can_verify = false;
  } else {
    checks.pass(check::kType);
  }

  const auto* cryptosuite = member("cryptosuite");
  if (cryptosuite == nullptr) {
    checks.fail(check::kCryptosuite, "proof has no cryptosuite");
    can_verify = false;
  } else if (!cryptosuite->is_string() || cryptosuite->get_string() != kEddsaRdfc2022) {
    checks.fail(check::kCryptosuite,
                "cryptosuite is " + describe(*cryptosuite) + "; only 'eddsa-rdfc-2022' is supported");
    can_verify = false;
  } else {
    checks.pass(check::kCryptosuite);
  }

  const auto* purpose_value = member("proofPurpose");
  const boost::json::string* purpose = purpose_value != nullptr ? purpose_value->if_string() : nullptr;
  if (purpose_value == nullptr) {
    checks.fail(check::kProofPurpose, "proof has no proofPurpose");
    can_verify = false;
  } else if (purpose == nullptr) {
    checks.fail(check::kProofPurpose, "proofPurpose is " + describe(*purpose_value) + ", not a string");
    can_verify = false;
  } else if (*purpose != context.options.expected_proof_purpose) {
    checks.fail(check::kProofPurpose, "proofPurpose is " + describe(*purpose_value) + ", expected '" +
                                          context.options.expected_proof_purpose + "'");
  } else {
    checks.pass(check::kProofPurpose, to_std_string(*purpose));
  }

  if (context.options.expected_domains.empty()) {
    checks.skip(check::kDomain, "no domain expected");
  } else if (const auto* domain = member("domain"); domain == nullptr) {
    checks.fail(check::kDomain, "proof has no domain");
  } else if (auto domains = read_string_set(*domain); !domains) {
    checks.fail(check::kDomain, "domain must be a string or an array of strings");
  } else {
    auto expected = context.options.expected_domains;
    std::sort(domains->begin(), domains->end());
    std::sort(expected.begin(), expected.end());
    domains->erase(std::unique(domains->begin(), domains->end()), domains->end());
    expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
    if (*domains == expected) {
      checks.pass(check::kDomain);
    } else {
      checks.fail(check::kDomain, "domain " + describe(*domain) + " is not the expected one");
    }
  }

  if (!context.options.expected_challenge) {
    checks.skip(check::kChallenge, "no challenge expected");
  } else if (const auto* challenge = member("challenge"); challenge == nullptr) {
    checks.fail(check::kChallenge, "proof has no challenge");
  } else if (!challenge->is_string() || challenge->get_string() != *context.options.expected_challenge) {
    checks.fail(check::kChallenge, "challenge does not match the one expected");
  } else {
    checks.pass(check::kChallenge);
  }

  std::optional<EpochMs> created_ms;
  if (const auto* created = member("created"); created == nullptr) {
    checks.pass(check::kCreated, "not given (optional)");
  } else if (!created->is_string() || !(created_ms = parse_xsd_date_time(created->get_string()))) {
    checks.fail(check::kCreated, "created is " + describe(*created) + ", not an XML Schema dateTime");
    can_verify = false;  // the proof configuration step refuses it
  } else if (*created_ms > context.now + context.options.max_clock_skew_ms) {
    checks.fail(check::kCreated, "created " + describe(*created) + " is in the future");
  } else {
    checks.pass(check::kCreated, to_std_string(created->get_string()));
  }

  if (const auto* expires = member("expires"); expires == nullptr) {
    checks.pass(check::kExpires, "not given (optional)");
  } else if (std::optional<EpochMs> expires_ms;
             !expires->is_string() || !(expires_ms = parse_xsd_date_time(expires->get_string()))) {
    checks.fail(check::kExpires, "expires is " + describe(*expires) + ", not an XML Schema dateTime");
  } else if (*expires_ms <= context.now) {
    checks.fail(check::kExpires, "the proof expired at " + to_std_string(expires->get_string()));
  } else if (created_ms && *expires_ms < *created_ms) {
    checks.fail(check::kExpires, "expires is before created");
  } else {
    checks.pass(check::kExpires, to_std_string(expires->get_string()));
  }

  if (const auto* previous = member("previousProof"); previous == nullptr) {
    checks.skip(check::kPreviousProof, "not part of a proof chain");
  } else if (auto indices = previous_proofs(*previous, context.all_proofs); !indices.ok()) {
    checks.fail(check::kPreviousProof, indices.error().detail);
    can_verify = false;
  } else if (std::find(indices->begin(), indices->end(), index) != indices->end()) {
    checks.fail(check::kPreviousProof, "proof names itself as previousProof");
    can_verify = false;
  } else {
    // Whether the named proofs verify is settled once every proof is done.
    depends_on = *indices;
    checks.pass(check::kPreviousProof, std::to_string(indices->size()) + " previous proof(s) found");
  }

  std::optional<ResolvedMethod> method;
  if (const auto* method_value = member("verificationMethod"); method_value == nullptr) {
    checks.fail(check::kVerificationMethod, "proof has no verificationMethod");
  } else if (!method_value->is_string()) {
    checks.fail(check::kVerificationMethod, "verificationMethod is " + describe(*method_value) + ", not a string");
  } else {
    result.verification_method = to_std_string(method_value->get_string());
    auto resolved = resolve_method(result.verification_method, context.options);
    if (resolved.ok()) {
      result.controller = resolved->controller;
      checks.pass(check::kVerificationMethod, "controller " + resolved->controller);
      method = std::move(resolved).value();
    } else {
      checks.fail(check::kVerificationMethod,
                  "cannot resolve " + describe(*method_value) + ": " + resolved.error().detail);
    }
  }
  if (!method) can_verify = false;

  if (!method || purpose == nullptr) {
    checks.skip(check::kAuthorized, "needs a resolved verificationMethod and a proofPurpose");
  } else if (std::find(method->relationships.begin(), method->relationships.end(), to_std_string(*purpose)) ==
             method->relationships.end()) {
    checks.fail(check::kAuthorized,
                "the controller does not list the method under " + describe(*purpose_value) + " in its DID document");
  } else {
    checks.pass(check::kAuthorized);
  }

  std::string signature;
  if (const auto* proof_value = member("proofValue"); proof_value == nullptr) {
    checks.fail(check::kProofValue, "proof has no proofValue");
    can_verify = false;
  } else if (!proof_value->is_string()) {
    checks.fail(check::kProofValue, "proofValue is " + describe(*proof_value) + ", not a string");
    can_verify = false;
  } else if (auto decoded = multibase_decode(proof_value->get_string(), "proofValue", kMaxProofValueChars);
             !decoded.ok()) {
    checks.fail(check::kProofValue, decoded.error().detail);
    can_verify = false;
  } else if (decoded->size() != kEd25519SignatureBytes) {
    checks.fail(check::kProofValue,
                "proofValue decodes to " + std::to_string(decoded->size()) + " bytes; an Ed25519 signature is 64");
    can_verify = false;
  } else {
    checks.pass(check::kProofValue);
    signature = std::move(decoded).value();
  }

  if (!can_verify) {
    checks.skip(check::kTransformation, "not attempted: the checks above failed");
    checks.skip(check::kSignature, "not attempted: the checks above failed");
    return result;
  }

  // Transformation and proof configuration (sections 3.2.3 and 3.2.5).
  const std::string* document_nquads = nullptr;
  Result<std::string> chain_nquads = std::string();
  if (depends_on.empty()) {
    const auto& shared = context.shared_nquads.get();
    if (!shared.ok()) {
      checks.fail(check::kTransformation, "document: " + shared.error().detail);
      checks.skip(check::kSignature, "not attempted: the document could not be canonicalized");
      return result;
    }
    document_nquads = &shared.value();
  } else {
    // A chained proof signs the document together with the proofs it names.
    boost::json::object with_previous = context.unsecured;
    boost::json::array previous;
    for (std::size_t i : depends_on) previous.push_back(*context.all_proofs[i]);
    with_previous["proof"] = std::move(previous);
    chain_nquads = canonical_nquads(with_previous, context.options.loader);
    if (!chain_nquads.ok()) {
      checks.fail(check::kTransformation, "document: " + chain_nquads.error().detail);
      checks.skip(check::kSignature, "not attempted: the document could not be canonicalized");
      return result;
    }
    document_nquads = &chain_nquads.value();
  }

  boost::json::object proof_options = *proof;
  proof_options.erase("proofValue");
  auto config = proof_configuration(proof_options, context.document.at("@context"));
  Result<std::string> config_nquads =
      config.ok() ? canonical_nquads(*config, context.options.loader) : Result<std::string>(config.error());
  if (!config_nquads.ok()) {
    checks.fail(check::kTransformation, "proof configuration: " + config_nquads.error().detail);
    checks.skip(check::kSignature, "not attempted: the proof configuration could not be canonicalized");
    return result;
  }
  checks.pass(check::kTransformation);

  if (verify_canonical(*config_nquads, *document_nquads, signature, method->public_key)) {
    checks.pass(check::kSignature);
  } else {
    checks.fail(check::kSignature, "the Ed25519 signature does not match the document and proof configuration");
  }
  result.verified = !checks.failed();
  return result;
}

void fail_previous_proof(ProofResult& proof, const std::string& reason) {
  proof.verified = false;
  for (auto& c : proof.checks) {
    if (c.name != check::kPreviousProof) continue;
    c.status = CheckStatus::Failed;
    c.detail = reason;
  }
}

}  // namespace

// ---- cryptographic steps ---------------------------------------------------------

std::string hash_data(std::string_view proof_config_nquads, std::string_view document_nquads) {
  return crypto::sha256(proof_config_nquads) + crypto::sha256(document_nquads);
}

std::string sign_hash_data(std::string_view hash_data, const Ed25519SecretKey& key) {
  std::string signature(kEd25519SignatureBytes, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(hash_data.data()), hash_data.size(), key.libsodium_key());
  return signature;
}

bool verify_hash_data(std::string_view hash_data, std::string_view signature, const Ed25519PublicKey& key) {
  if (signature.size() != kEd25519SignatureBytes) return false;
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                     reinterpret_cast<const unsigned char*>(hash_data.data()), hash_data.size(),
                                     key.bytes.data()) == 0;
}

std::string sign_canonical(std::string_view proof_config_nquads, std::string_view document_nquads,
                           const Ed25519SecretKey& key) {
  return sign_hash_data(hash_data(proof_config_nquads, document_nquads), key);
}

bool verify_canonical(std::string_view proof_config_nquads, std::string_view document_nquads,
                      std::string_view signature, const Ed25519PublicKey& key) {
  return verify_hash_data(hash_data(proof_config_nquads, document_nquads), signature, key);
}

// ---- JSON-LD steps ----------------------------------------------------------------

Result<std::string> canonical_nquads(const boost::json::value& document, const DocumentLoader& loader) {
  JsonLdOptions options;
  options.loader = loader;
  options.safe = true;
  SR_ASSIGN(const Dataset dataset, to_rdf(document, options));
  SR_ASSIGN(Canonicalized canonical, canonicalize(dataset));
  return std::move(canonical.nquads);
}

Result<boost::json::object> proof_configuration(const boost::json::object& proof_options,
                                                const boost::json::value& document_context) {
  const auto* type = string_member(proof_options, "type");
  if (type == nullptr || *type != kDataIntegrityProof)
    return Error::validation("type", "proof type must be 'DataIntegrityProof'");
  const auto* cryptosuite = string_member(proof_options, "cryptosuite");
  if (cryptosuite == nullptr || *cryptosuite != kEddsaRdfc2022)
    return Error::validation("cryptosuite", "cryptosuite must be 'eddsa-rdfc-2022'");
  if (const auto* created = proof_options.if_contains("created")) {
    if (!created->is_string() || !parse_xsd_date_time(created->get_string()))
      return Error::validation("created", "created must be an XML Schema dateTime, such as 2024-05-01T09:30:00Z");
  }
  boost::json::object config = proof_options;
  config["@context"] = document_context;
  return config;
}

// ---- dates ---------------------------------------------------------------------------

std::optional<EpochMs> parse_xsd_date_time(std::string_view s) {
  std::size_t pos = 0;
  auto digits = [&](std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    pos += n;
    return true;
  };
  auto literal = [&](char c) {
    if (pos >= s.size() || s[pos] != c) return false;
    ++pos;
    return true;
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!digits(4, year) || !literal('-') || !digits(2, month) || !literal('-') || !digits(2, day) || !literal('T') ||
      !digits(2, hour) || !literal(':') || !digits(2, minute) || !literal(':') || !digits(2, second))
    return std::nullopt;
  if (year == 0) return std::nullopt;  // 0000 is 1 BCE in XML Schema 1.1; no credential needs it
  int millis = 0;
  bool fraction_nonzero = false;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (pos - start < 3) millis = millis * 10 + (s[pos] - '0');
      if (s[pos] != '0') fraction_nonzero = true;
      ++pos;
    }
    if (pos == start) return std::nullopt;
    for (std::size_t n = pos - start; n < 3; ++n) millis *= 10;
  }
  int offset_minutes = 0;
  if (pos < s.size()) {
    if (s[pos] == 'Z') {
      ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
      const int sign = s[pos] == '-' ? -1 : 1;
      ++pos;
      int offset_hours = 0, offset_mins = 0;
      if (!digits(2, offset_hours) || !literal(':') || !digits(2, offset_mins)) return std::nullopt;
      if (offset_mins > 59 || offset_hours > 14 || (offset_hours == 14 && offset_mins != 0)) return std::nullopt;
      offset_minutes = sign * (offset_hours * 60 + offset_mins);
    } else {
      return std::nullopt;
    }
  }
  if (pos != s.size()) return std::nullopt;

  using namespace std::chrono;
  const year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok() || minute > 59 || second > 59) return std::nullopt;
  // 24:00:00 is the end of the day, which XML Schema allows; nothing else past 23h.
  if (hour > 24 || (hour == 24 && (minute != 0 || second != 0 || fraction_nonzero))) return std::nullopt;
  const auto instant =
      sys_days{date} + hours{hour} + minutes{minute} + seconds{second} + milliseconds{millis} - minutes{offset_minutes};
  return duration_cast<milliseconds>(instant.time_since_epoch()).count();
}

std::string format_xsd_date_time(EpochMs ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> instant{milliseconds{ms}};
  const auto day_start = floor<days>(instant);
  const year_month_day date{day_start};
  const hh_mm_ss time{floor<seconds>(instant - day_start)};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return buf;
}

// ---- creating ---------------------------------------------------------------------------

Result<boost::json::object> create_proof(const boost::json::value& unsigned_document, const ProofOptions& options,
                                         const Ed25519SecretKey& key, const DocumentLoader& loader) {
  const auto* document = unsigned_document.if_object();
  if (document == nullptr) return Error::validation("document", "the document to sign must be a JSON object");
  const auto* context = document->if_contains("@context");
  if (context == nullptr)
    return Error::validation("@context", "the document has no @context; eddsa-rdfc-2022 signs JSON-LD");
  if (options.verification_method.empty())
    return Error::validation("verificationMethod", "a proof needs a verification method");
  if (options.proof_purpose.empty()) return Error::validation("proofPurpose", "a proof needs a proof purpose");
  if (options.created && !parse_xsd_date_time(*options.created))
    return Error::validation("created", "created must be an XML Schema dateTime, such as 2024-05-01T09:30:00Z");
  if (options.expires && !parse_xsd_date_time(*options.expires))
    return Error::validation("expires", "expires must be an XML Schema dateTime, such as 2025-05-01T09:30:00Z");
  if (options.challenge && options.challenge->empty())
    return Error::validation("challenge", "challenge, when given, cannot be empty");
  if (options.domain && options.domain->empty())
    return Error::validation("domain", "domain, when given, cannot be empty");
  // A did:key names its key; signing with another would mint a credential
  // nobody can verify.
  if (options.verification_method.substr(0, 8) == "did:key:") {
    SR_ASSIGN(const Ed25519PublicKey named, did_key_public_key(options.verification_method));
    if (!(named == key.public_key()))
      return Error::validation("verificationMethod", "the did:key verification method is not the signing key's");
  }

  // Existing proofs stay as they are; the new one joins them as a proof set
  // and, having no previousProof, signs the document without them.
  boost::json::array existing;
  boost::json::object unsecured = *document;
  if (const auto* proof = document->if_contains("proof")) {
    if (proof->is_object()) {
      existing.push_back(*proof);
    } else if (proof->is_array()) {
      existing = proof->get_array();
    } else {
      return Error::validation("proof", "the document's existing proof is neither an object nor an array");
    }
    if (existing.size() >= kMaxProofs)
      return Error::validation("proof", "the document already has " + std::to_string(existing.size()) + " proofs");
    unsecured.erase("proof");
  }

  // Key order follows the specification's examples.
  boost::json::object proof;
  proof["type"] = kDataIntegrityProof;
  proof["cryptosuite"] = kEddsaRdfc2022;
  proof["created"] = options.created ? *options.created : format_xsd_date_time(system_now());
  if (options.expires) proof["expires"] = *options.expires;
  proof["verificationMethod"] = options.verification_method;
  proof["proofPurpose"] = options.proof_purpose;
  if (options.challenge) proof["challenge"] = *options.challenge;
  if (options.domain) proof["domain"] = *options.domain;

  SR_ASSIGN(const boost::json::object config, proof_configuration(proof, *context));
  SR_ASSIGN(const std::string config_nquads, canonical_nquads(config, loader));
  SR_ASSIGN(const std::string document_nquads, canonical_nquads(unsecured, loader));
  proof["proofValue"] = multibase_encode(sign_canonical(config_nquads, document_nquads, key));

  boost::json::object secured = *document;
  if (existing.empty()) {
    secured["proof"] = std::move(proof);
  } else {
    existing.emplace_back(std::move(proof));
    secured["proof"] = std::move(existing);
  }
  return secured;
}

// ---- verifying ----------------------------------------------------------------------------

std::string_view to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::Passed:
      return "passed";
    case CheckStatus::Failed:
      return "failed";
    case CheckStatus::Skipped:
      return "skipped";
  }
  return "skipped";
}

const ProofCheck* ProofResult::first_failure() const {
  for (const auto& c : checks)
    if (c.status == CheckStatus::Failed) return &c;
  return nullptr;
}

std::string VerificationResult::summary() const {
  if (verified) return "verified";
  std::string out;
  auto add = [&](const std::string& text) {
    if (!out.empty()) out += "; ";
    out += text;
  };
  for (const auto& e : errors) add(e);
  for (const auto& proof : proofs)
    for (const auto& c : proof.checks)
      if (c.status == CheckStatus::Failed) add("proof " + std::to_string(proof.index) + " " + c.name + ": " + c.detail);
  if (out.empty()) add("not verified");
  return out;
}

VerificationResult verify_proof(const boost::json::value& secured_document, const VerifyOptions& options) {
  VerificationResult result;
  const auto* document = secured_document.if_object();
  if (document == nullptr) {
    result.errors.push_back("the secured document is " + describe(secured_document) + ", not a JSON object");
    return result;
  }
  const auto* proof = document->if_contains("proof");
  if (proof == nullptr) {
    result.errors.emplace_back("the document has no proof");
    return result;
  }
  std::vector<const boost::json::value*> all_proofs;
  if (proof->is_object()) {
    all_proofs.push_back(proof);
  } else if (const auto* array = proof->if_array()) {
    if (array->empty()) result.errors.emplace_back("the document's proof is an empty array");
    if (array->size() > kMaxProofs)
      result.errors.push_back("the document has " + std::to_string(array->size()) + " proofs; at most " +
                              std::to_string(kMaxProofs) + " are checked");
    for (const auto& entry : *array) all_proofs.push_back(&entry);
  } else {
    result.errors.push_back("proof is " + describe(*proof) + "; it must be an object or an array of objects");
  }
  if (!document->contains("@context"))
    result.errors.emplace_back("the document has no @context; eddsa-rdfc-2022 proofs sign JSON-LD");
  if (!result.errors.empty()) return result;

  boost::json::object unsecured = *document;
  unsecured.erase("proof");
  SharedDocumentNquads shared(unsecured, options.loader);
  const ProofContext context{*document, unsecured, all_proofs, options, options.now ? *options.now : system_now(),
                             shared};

  std::vector<std::vector<std::size_t>> depends_on(all_proofs.size());
  for (std::size_t i = 0; i < all_proofs.size(); ++i) result.proofs.push_back(verify_one(i, context, depends_on[i]));

  // Signatures cannot form a cycle (each would have to cover the other's
  // value), so previousProof references that do are refused before the
  // chains are settled.
  for (std::size_t i = 0; i < all_proofs.size(); ++i) {
    std::vector<std::size_t> stack = depends_on[i];
    std::vector<bool> seen(all_proofs.size(), false);
    bool cycle = false;
    while (!stack.empty() && !cycle) {
      const std::size_t j = stack.back();
      stack.pop_back();
      if (j == i) cycle = true;
      if (seen[j]) continue;
      seen[j] = true;
      stack.insert(stack.end(), depends_on[j].begin(), depends_on[j].end());
    }
    if (cycle) fail_previous_proof(result.proofs[i], "previousProof references form a cycle");
  }
  // A chained proof counts only if the proofs it builds on do; repeating
  // until nothing changes settles chains of any length.
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < all_proofs.size(); ++i) {
      if (!result.proofs[i].verified) continue;
      for (std::size_t j : depends_on[i]) {
        if (result.proofs[j].verified) continue;
        fail_previous_proof(result.proofs[i], "previous proof " + std::to_string(j) + " does not verify");
        changed = true;
        break;
      }
    }
  }

  result.verified = !result.proofs.empty() && std::all_of(result.proofs.begin(), result.proofs.end(),
                                                          [](const ProofResult& p) { return p.verified; });
  return result;
}

boost::json::object to_json(const VerificationResult& result) {
  boost::json::object out;
  out["verified"] = result.verified;
  boost::json::array errors;
  for (const auto& e : result.errors) errors.emplace_back(e);
  out["errors"] = std::move(errors);
  boost::json::array proofs;
  for (const auto& proof : result.proofs) {
    boost::json::object p;
    p["index"] = proof.index;
    p["verificationMethod"] = proof.verification_method;
    p["controller"] = proof.controller;
    p["verified"] = proof.verified;
    boost::json::array checks;
    for (const auto& c : proof.checks) {
      boost::json::object entry;
      entry["check"] = c.name;
      entry["status"] = to_string(c.status);
      entry["detail"] = c.detail;
      checks.emplace_back(std::move(entry));
    }
    p["checks"] = std::move(checks);
    proofs.emplace_back(std::move(p));
  }
  out["proofs"] = std::move(proofs);
  return out;
}

}  // namespace staffroom::ld
