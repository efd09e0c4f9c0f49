#include "lrs/model.hpp"

#include <algorithm>

#include "core/json.hpp"

namespace staffroom::lrs {

std::vector<std::string> default_scopes() {
  return {"statements/write", "statements/read/mine", "documents"};
}

bool Client::has_scope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

std::vector<FieldError> check_client(const std::string& name, const std::vector<std::string>& scopes) {
  std::vector<FieldError> errors;
  const auto trimmed = json::trim(name);
  if (trimmed.empty() || json::utf8_length(trimmed) > 100) {
    errors.push_back({"name", "is required, at most 100 characters, like \"Webinar platform\""});
  }
  if (scopes.empty()) errors.push_back({"scopes", "needs at least one scope"});
  for (std::size_t i = 0; i < scopes.size(); ++i) {
    if (std::find(std::begin(kScopes), std::end(kScopes), scopes[i]) == std::end(kScopes)) {
      errors.push_back({"scopes[" + std::to_string(i) + "]",
                        "must be statements/write, statements/read/mine, statements/read or documents"});
    } else if (std::find(scopes.begin(), scopes.begin() + static_cast<std::ptrdiff_t>(i), scopes[i]) !=
               scopes.begin() + static_cast<std::ptrdiff_t>(i)) {
      errors.push_back({"scopes[" + std::to_string(i) + "]", "is listed twice"});
    }
  }
  return errors;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::vector<std::string> split_scopes(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::optional<std::string> negotiate_version(std::string_view header) {
  // MAJOR.MINOR.PATCH with digits only; the patch level is ignored.
  const auto first = header.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = header.find('.', first + 1);
  const auto major = header.substr(0, first);
  const auto minor =
      header.substr(first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1);
  const auto patch = second == std::string_view::npos ? std::string_view() : header.substr(second + 1);
  auto digits = [](std::string_view s) {
    return !s.empty() && s.size() <= 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(major) || !digits(minor) || (second != std::string_view::npos && !digits(patch))) return std::nullopt;
  if (major == "1" && minor == "0") return std::string("1.0.3");
  if (major == "2" && minor == "0") return std::string("2.0.0");
  return std::nullopt;
}

}  // namespace staffroom::lrs
