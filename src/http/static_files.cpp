#include "http/static_files.hpp"

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.hpp"

namespace staffroom::http {

namespace fs = std::filesystem;

std::string content_type_for(std::string_view path) {
  auto dot = path.rfind('.');
  std::string_view ext = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

std::string gzip_compress(std::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out;
  out.resize(deflateBound(&zs, data.size()) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

void StaticFiles::add(const std::string& url_path, std::string body) {
  File f;
  f.content_type = content_type_for(url_path);
  f.etag = "\"" + crypto::sha256_hex(body).substr(0, 32) + "\"";
  f.immutable = url_path.starts_with("/assets/");
  const bool compressible = f.content_type.starts_with("text/") || f.content_type.starts_with("application/json") ||
                            f.content_type.starts_with("image/svg") ||
                            f.content_type.starts_with("application/manifest");
  if (compressible && body.size() >= 256) {
    std::string gz = gzip_compress(body);
    if (!gz.empty() && gz.size() < body.size()) f.gzip_body = std::move(gz);
  }
  f.body = std::move(body);
  files_[url_path] = std::move(f);
}

Result<StaticFiles> StaticFiles::load(const std::string& root) {
  StaticFiles sf;
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) return sf;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    if (!in) return Error::internal("cannot read web asset " + it->path().string());
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string rel = "/" + fs::relative(it->path(), root).generic_string();
    sf.add(rel, ss.str());
  }
  if (ec) return Error::internal("cannot list web assets in " + root + ": " + ec.message());
  return sf;
}

Response StaticFiles::answer(const File& f, const Request& request) const {
  Response r;
  r.set_header("content-type", f.content_type);
  r.set_header("etag", f.etag);
  r.set_header("cache-control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.set_header("x-content-type-options", "nosniff");
  if (!f.gzip_body.empty()) r.set_header("vary", "Accept-Encoding");
  if (auto inm = request.header("if-none-match"); inm && *inm == f.etag) {
    r.status = 304;
    return r;
  }
  if (!f.gzip_body.empty() && request.accepts_gzip()) {
    r.set_header("content-encoding", "gzip");
    r.body = f.gzip_body;
  } else {
    r.body = f.body;
  }
  return r;
}

std::optional<Response> StaticFiles::serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  const std::string& path = request.path;
  if (path.starts_with("/api/")) return std::nullopt;
  if (auto it = files_.find(path); it != files_.end()) return answer(it->second, request);
  // Client-side routes: extension-less paths get the app's index.html.
  const auto last_slash = path.rfind('/');
  const bool has_extension = path.find('.', last_slash) != std::string::npos;
  if (has_extension) return std::nullopt;
  if (auto it = files_.find("/index.html"); it != files_.end()) return answer(it->second, request);
  Response r = Response::text(503,
                              "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Staffroom</title>"
                              "<p>The web app has not been built. Run <code>make build</code> and restart.</p></html>",
                              "text/html; charset=utf-8");
  return r;
}

}  // namespace staffroom::http
