#include "http/openapi.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

namespace staffroom::http {

namespace {
std::string reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No content";
    case 304:
      return "Not modified";
    case 400:
      return "Malformed request";
    case 401:
      return "Sign-in required";
    case 403:
      return "Not allowed";
    case 404:
      return "Not found";
    case 409:
      return "Conflict";
    case 413:
      return "Body too large";
    case 415:
      return "Body is not JSON";
    case 422:
      return "Invalid fields";
    case 429:
      return "Too many requests";
    case 503:
      return "Unavailable";
    default:
      return "Answer";
  }
}
std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}
}  // namespace

boost::json::value openapi_document(const Router& router, const std::string& version) {
  namespace json = boost::json;
  json::object paths;
  for (const auto& r : router.routes()) {
    json::object op;
    op["operationId"] = r.doc.operation_id;
    op["summary"] = r.doc.summary;
    if (!r.doc.tag.empty()) op["tags"] = json::array{json::value(r.doc.tag)};
    op["x-staffroom-role"] = r.access.role;
    if (!r.access.scope_type.empty()) op["x-staffroom-scope"] = r.access.scope_type;
    if (r.access.role != "public") {
      op["security"] =
          json::array{json::object{{"cookieSession", json::array{}}}, json::object{{"bearerToken", json::array{}}}};
    } else {
      op["security"] = json::array{};
    }
    json::array params;
    for (const auto& seg : r.segments) {
      if (seg.size() > 2 && seg.front() == '{') {
        params.push_back(json::object{{"name", seg.substr(1, seg.size() - 2)},
                                      {"in", "path"},
                                      {"required", true},
                                      {"schema", json::object{{"type", "string"}}}});
      }
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    if (r.doc.json_body) {
      op["requestBody"] = json::object{
          {"required", true},
          {"content", json::object{{"application/json", json::object{{"schema", json::object{{"type", "object"}}}}}}}};
    }
    json::object responses;
    for (int status : r.doc.responses) {
      json::object resp{{"description", reason(status)}};
      if (status != 204 && status != 304) {
        resp["content"] = json::object{{r.doc.content_type, json::object{{"schema", json::object{}}}}};
      }
      responses[std::to_string(status)] = std::move(resp);
    }
    responses["default"] = json::object{
        {"description", "An error, as RFC 9457 problem details"},
        {"content", json::object{{"application/problem+json",
                                  json::object{{"schema", json::object{{"$ref", "#/components/schemas/Problem"}}}}}}}};
    op["responses"] = std::move(responses);
    auto& path_item = paths[r.pattern];
    if (!path_item.is_object()) path_item = json::object{};
    path_item.as_object()[lower(r.method)] = std::move(op);
  }
  json::object problem{
      {"type", "object"},
      {"required", json::array{"type", "title", "status", "detail"}},
      {"properties",
       json::object{
           {"type", json::object{{"type", "string"}}},
           {"title", json::object{{"type", "string"}}},
           {"status", json::object{{"type", "integer"}}},
           {"detail", json::object{{"type", "string"}}},
           {"instance", json::object{{"type", "string"}}},
           {"request_id", json::object{{"type", "string"}}},
           {"errors",
            json::object{{"type", "array"},
                         {"items", json::object{{"type", "object"},
                                                {"properties",
                                                 json::object{{"field", json::object{{"type", "string"}}},
                                                              {"message", json::object{{"type", "string"}}}}}}}}}}}};
  return json::object{
      {"openapi", "3.1.0"},
      {"info", json::object{{"title", "Staffroom API"},
                            {"version", version},
                            {"description", "Campaigns of online professional learning for educators."}}},
      {"paths", std::move(paths)},
      {"components",
       json::object{
           {"schemas", json::object{{"Problem", std::move(problem)}}},
           {"securitySchemes",
            json::object{{"cookieSession", json::object{{"type", "apiKey"}, {"in", "cookie"}, {"name", "sr_session"}}},
                         {"bearerToken", json::object{{"type", "http"}, {"scheme", "bearer"}}}}}}}};
}

}  // namespace staffroom::http
