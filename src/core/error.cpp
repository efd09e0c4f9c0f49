#include "core/error.hpp"

namespace staffroom {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::BadRequest:
      return 400;
    case ErrorCode::Unauthenticated:
      return 401;
    case ErrorCode::Forbidden:
      return 403;
    case ErrorCode::Csrf:
      return 403;
    case ErrorCode::NotFound:
      return 404;
    case ErrorCode::MethodNotAllowed:
      return 405;
    case ErrorCode::Conflict:
      return 409;
    case ErrorCode::PreconditionFailed:
      return 412;
    case ErrorCode::PayloadTooLarge:
      return 413;
    case ErrorCode::UnsupportedMediaType:
      return 415;
    case ErrorCode::Validation:
      return 422;
    case ErrorCode::RateLimited:
      return 429;
    case ErrorCode::HeaderTooLarge:
      return 431;
    case ErrorCode::Internal:
      return 500;
    case ErrorCode::Unavailable:
      return 503;
  }
  return 500;
}

std::string_view problem_slug(ErrorCode code) {
  switch (code) {
    case ErrorCode::BadRequest:
      return "bad-request";
    case ErrorCode::Unauthenticated:
      return "unauthenticated";
    case ErrorCode::Forbidden:
      return "forbidden";
    case ErrorCode::Csrf:
      return "csrf";
    case ErrorCode::NotFound:
      return "not-found";
    case ErrorCode::MethodNotAllowed:
      return "method-not-allowed";
    case ErrorCode::Conflict:
      return "conflict";
    case ErrorCode::PreconditionFailed:
      return "precondition-failed";
    case ErrorCode::PayloadTooLarge:
      return "payload-too-large";
    case ErrorCode::UnsupportedMediaType:
      return "unsupported-media-type";
    case ErrorCode::Validation:
      return "validation";
    case ErrorCode::RateLimited:
      return "rate-limited";
    case ErrorCode::HeaderTooLarge:
      return "header-too-large";
    case ErrorCode::Internal:
      return "internal";
    case ErrorCode::Unavailable:
      return "unavailable";
  }
  return "internal";
}

std::string_view problem_title(ErrorCode code) {
  switch (code) {
    case ErrorCode::BadRequest:
      return "Bad request";
    case ErrorCode::Unauthenticated:
      return "Sign-in required";
    case ErrorCode::Forbidden:
      return "Not allowed";
    case ErrorCode::Csrf:
      return "Missing or wrong CSRF token";
    case ErrorCode::NotFound:
      return "Not found";
    case ErrorCode::MethodNotAllowed:
      return "Method not allowed";
    case ErrorCode::Conflict:
      return "Conflict";
    case ErrorCode::PreconditionFailed:
      return "Precondition failed";
    case ErrorCode::PayloadTooLarge:
      return "Request body too large";
    case ErrorCode::UnsupportedMediaType:
      return "Unsupported media type";
    case ErrorCode::Validation:
      return "Validation failed";
    case ErrorCode::RateLimited:
      return "Too many requests";
    case ErrorCode::HeaderTooLarge:
      return "Request headers too large";
    case ErrorCode::Internal:
      return "Internal error";
    case ErrorCode::Unavailable:
      return "Service unavailable";
  }
  return "Internal error";
}

Error Error::validation(std::vector<FieldError> f) {
  std::string detail;
  for (const auto& e : f) {
    if (!detail.empty()) detail += "; ";
    detail += e.field + ": " + e.message;
  }
  return {ErrorCode::Validation, std::move(detail), std::move(f), 0, {}};
}

Error Error::validation(std::string field, std::string message) {
  return validation(std::vector<FieldError>{{std::move(field), std::move(message)}});
}

Error Error::rate_limited(std::string d, int retry_after) {
  return {ErrorCode::RateLimited, std::move(d), {}, retry_after, {}};
}

}  // namespace staffroom
