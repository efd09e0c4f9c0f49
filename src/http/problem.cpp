#include "http/problem.hpp"

#include <boost/json.hpp>

namespace staffroom::http {

Response problem_response(const Error& error, std::string_view instance, std::string_view request_id) {
  boost::json::object body;
  body["type"] = "urn:staffroom:problem:" + std::string(problem_slug(error.code));
  body["title"] = problem_title(error.code);
  const int status = http_status(error.code);
  body["status"] = status;
  body["detail"] = error.detail.empty() ? std::string(problem_title(error.code)) : error.detail;
  if (!instance.empty()) body["instance"] = instance;
  if (!request_id.empty()) body["request_id"] = request_id;
  if (!error.fields.empty()) {
    boost::json::array errs;
    for (const auto& f : error.fields) errs.push_back(boost::json::object{{"field", f.field}, {"message", f.message}});
    body["errors"] = std::move(errs);
  }
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  r.headers.push_back({"content-type", "application/problem+json"});
  if (error.retry_after_seconds > 0) r.headers.push_back({"retry-after", std::to_string(error.retry_after_seconds)});
  if (!error.allow.empty()) {
    std::string allow;
    for (const auto& a : error.allow) allow += (allow.empty() ? "" : ", ") + a;
    r.headers.push_back({"allow", allow});
  }
  return r;
}

}  // namespace staffroom::http
