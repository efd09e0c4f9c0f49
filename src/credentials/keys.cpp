#include "credentials/keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "credentials/jwt.hpp"
#include "ld/multibase.hpp"

namespace staffroom::credentials {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kFormat = "staffroom.issuer-keys/1";

std::string os_error(int code) {
  return std::error_code(code, std::generic_category()).message();
}

std::string path_of(const std::string& dir) {
  return (fs::path(dir) / std::string(kKeyFileName)).string();
}

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const auto n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::internal("could not write the issuer key file: " + os_error(errno));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

Result<IssuerKey> IssuerKeys::generate(std::string id) {
  SR_ASSIGN(auto rsa, jwt::RsaKey::generate(2048));
  return IssuerKey{std::move(id), now_ms(), std::nullopt, ld::Ed25519SecretKey::generate(), rsa.private_pem()};
}

Result<IssuerKeys> IssuerKeys::open(const std::string& dir, std::string did_web_domain) {
  IssuerKeys out;
  out.dir_ = dir;
  out.domain_ = std::move(did_web_domain);
  if (!out.domain_.empty()) {
    std::string encoded;
    for (char c : out.domain_) encoded += c == ':' ? std::string("%3A") : std::string(1, c);
    if (auto url = ld::did_web_url("did:web:" + encoded); !url.ok())
      return Error::bad_request("--did-web '" + out.domain_ +
                                "' is not a domain a did:web can name: " + url.error().detail);
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Error::internal("could not create the key folder " + dir + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  const auto file = path_of(dir);
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    SR_ASSIGN(auto key, generate("key-1"));
    out.keys_.push_back(std::move(key));
    // Another process starting at the same moment (the server and a command)
    // may create the file first: then its keys are the ones, read below.
    SR_ASSIGN(bool created, out.save(/*create_only=*/true));
    if (created) return out;
    out.keys_.clear();
    if (::stat(file.c_str(), &st) != 0) return Error::internal("could not read the issuer key file " + file);
  }
  if ((st.st_mode & 077) != 0)
    return Error::internal("the issuer key file " + file +
                           " can be read by other users; it is not used. Make it private (chmod 600) or remove it");
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  json::error_code jec;
  auto doc = json::parse(text.str(), jec);
  const auto bad = [&](const std::string& what) { return Error::internal("the issuer key file " + file + " " + what); };
  if (jec || !doc.is_object()) return bad("is not JSON");
  const auto& o = doc.as_object();
  if (const auto* f = o.if_contains("format"); f == nullptr || !f->is_string() || f->as_string() != kFormat)
    return bad("is not in the format " + std::string(kFormat));
  const auto* keys = o.if_contains("keys");
  if (keys == nullptr || !keys->is_array() || keys->as_array().empty()) return bad("holds no keys");
  for (const auto& k : keys->as_array()) {
    if (!k.is_object()) return bad("holds a key that is not an object");
    const auto& ko = k.as_object();
    const auto* id = ko.if_contains("id");
    const auto* created = ko.if_contains("created_at");
    const auto* ed = ko.if_contains("ed25519");
    const auto* rsa = ko.if_contains("rsa_private_pem");
    if (!id || !id->is_string() || !created || !created->is_int64() || !ed || !ed->is_string() || !rsa ||
        !rsa->is_string())
      return bad("holds a key without id, created_at, ed25519 and rsa_private_pem");
    auto secret = ld::decode_secret_key_multibase(ed->as_string(), "ed25519");
    if (!secret.ok()) return bad("holds an unreadable Ed25519 key (" + std::string(id->as_string()) + ")");
    if (auto rsa_key = jwt::RsaKey::from_pem(rsa->as_string()); !rsa_key.ok())
      return bad("holds an unreadable RSA key (" + std::string(id->as_string()) + ")");
    std::optional<EpochMs> retired;
    if (const auto* r = ko.if_contains("retired_at"); r && r->is_int64()) retired = r->as_int64();
    out.keys_.push_back(
        IssuerKey{std::string(id->as_string()), created->as_int64(), retired, *secret, std::string(rsa->as_string())});
  }
  if (out.keys_.back().retired_at) return bad("has no current key: its last key is retired");
  return out;
}

Result<bool> IssuerKeys::save(bool create_only) const {
  json::array keys;
  for (const auto& k : keys_) {
    keys.push_back(json::object{{"id", k.id},
                                {"created_at", k.created_at},
                                {"retired_at", k.retired_at ? json::value(*k.retired_at) : json::value(nullptr)},
                                {"ed25519", ld::encode_secret_key_multibase(k.ed25519)},
                                {"rsa_private_pem", k.rsa_private_pem}});
  }
  const std::string text = json::serialize(json::object{{"format", kFormat}, {"keys", std::move(keys)}}) + "\n";
  const auto file = path_of(dir_);
  const auto temp = file + ".new." + std::to_string(::getpid());
  ::unlink(temp.c_str());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Error::internal("could not create " + temp + ": " + os_error(errno));
  auto written = write_all(fd, text);
  if (written.ok() && ::fsync(fd) != 0) written = Error::internal("could not flush the issuer key file");
  ::close(fd);
  if (!written.ok()) {
    ::unlink(temp.c_str());
    return std::move(written).error();
  }
  if (create_only) {
    const bool linked = ::link(temp.c_str(), file.c_str()) == 0;
    const int err = errno;
    ::unlink(temp.c_str());
    if (!linked && err == EEXIST) return false;
    if (!linked) return Error::internal("could not create " + file + ": " + os_error(err));
  } else if (::rename(temp.c_str(), file.c_str()) != 0) {
    ::unlink(temp.c_str());
    return Error::internal("could not replace " + file + ": " + os_error(errno));
  }
  if (const int d = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
    ::fsync(d);
    ::close(d);
  }
  return true;
}

Result<std::string> IssuerKeys::rotate() {
  const auto next = "key-" + std::to_string(keys_.size() + 1);
  SR_ASSIGN(auto key, generate(next));
  auto before = keys_;
  keys_.back().retired_at = now_ms();
  keys_.push_back(std::move(key));
  if (auto saved = save(false); !saved.ok()) {
    keys_ = std::move(before);
    return saved.error();
  }
  return next;
}

const IssuerKey* IssuerKeys::find(std::string_view id) const {
  for (const auto& k : keys_)
    if (k.id == id) return &k;
  return nullptr;
}

std::string IssuerKeys::did(const IssuerKey& key) const {
  if (domain_.empty()) return ld::did_key(key.ed25519.public_key());
  std::string encoded;
  for (char c : domain_) encoded += c == ':' ? std::string("%3A") : std::string(1, c);
  return "did:web:" + encoded;
}

std::string IssuerKeys::verification_method(const IssuerKey& key) const {
  if (domain_.empty()) return ld::did_key_verification_method(key.ed25519.public_key());
  return did(key) + "#" + key.id;
}

std::string IssuerKeys::rsa_key_id(const IssuerKey& key) const {
  return did(key) + "#" + key.id + "-rsa";
}

Result<json::object> IssuerKeys::did_document() const {
  if (domain_.empty()) return Error::not_found("this server's issuer uses did:key; it serves no DID document");
  std::vector<ld::MultikeyMethod> methods;
  for (const auto& k : keys_) methods.push_back({"#" + k.id, k.ed25519.public_key(), k.retired_at.has_value()});
  SR_ASSIGN(auto doc, ld::did_web_document(did(keys_.back()), methods));
  // The RSA keys of the VC-JWT rendering, as JSON Web Keys.
  auto& vms = doc["verificationMethod"].as_array();
  auto& assertion = doc["assertionMethod"].as_array();
  for (const auto& k : keys_) {
    SR_ASSIGN(auto rsa, jwt::RsaKey::from_pem(k.rsa_private_pem));
    const auto id = rsa_key_id(k);
    vms.push_back(
        json::object{{"id", id}, {"type", "JsonWebKey"}, {"controller", did(k)}, {"publicKeyJwk", rsa.public_jwk(id)}});
    assertion.emplace_back(id);
  }
  return doc;
}

ld::MethodResolver IssuerKeys::resolver() const {
  if (domain_.empty()) return {};
  auto doc = did_document();
  if (!doc.ok()) return {};
  return [document = json::value(std::move(*doc))](std::string_view method_id) -> Result<ld::ResolvedMethod> {
    return ld::find_verification_method(document, method_id);
  };
}

}  // namespace staffroom::credentials
