// The built web app, held in memory: each file with its content type, an
// ETag, and a gzip copy made once at start-up. Hashed files under /assets/ are
// cached for a year; everything else is revalidated. Unknown paths that look
// like client-side routes get index.html so the single-page app can route.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "core/error.hpp"
#include "http/message.hpp"

namespace staffroom::http {

class StaticFiles {
 public:
  // Loads every regular file under root. A missing root is not an error: the
  // API still serves, and pages answer with a message saying how to build them.
  static Result<StaticFiles> load(const std::string& root);

  // The answer for a GET or HEAD, or nullopt when this is not a static path.
  std::optional<Response> serve(const Request& request) const;
  std::size_t file_count() const { return files_.size(); }

  struct File {
    std::string content_type;
    std::string body;
    std::string gzip_body;  // empty when compression does not pay
    std::string etag;
    bool immutable = false;
  };
  void add(const std::string& url_path, std::string body);  // for tests and load()

 private:
  Response answer(const File& file, const Request& request) const;
  std::unordered_map<std::string, File> files_;
};

std::string content_type_for(std::string_view path);
std::string gzip_compress(std::string_view data);

}  // namespace staffroom::http
