// Expected failures as values. Every module returns Result<T> or Status at its
// boundary; exceptions are kept for bugs and broken invariants.
//
// The closed set of error codes lives here, and so does their mapping to HTTP
// statuses and problem-type slugs, so a new code cannot be added without
// deciding how the API reports it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace staffroom {

enum class ErrorCode {
  BadRequest,            // 400: malformed input that cannot be parsed
  Unauthenticated,       // 401
  Forbidden,             // 403
  Csrf,                  // 403: cookie session without a matching CSRF token
  NotFound,              // 404
  MethodNotAllowed,      // 405
  Conflict,              // 409
  PreconditionFailed,    // 412: If-Match / If-None-Match did not hold
  PayloadTooLarge,       // 413
  UnsupportedMediaType,  // 415
  Validation,            // 422: parsed, but fields are wrong
  RateLimited,           // 429
  HeaderTooLarge,        // 431
  Internal,              // 500
  Unavailable,           // 503
};

int http_status(ErrorCode code);
std::string_view problem_slug(ErrorCode code);   // "validation", "not-found", ...
std::string_view problem_title(ErrorCode code);  // "Validation failed", ...

struct FieldError {
  std::string field;
  std::string message;
  bool operator==(const FieldError&) const = default;
};

struct Error {
  ErrorCode code = ErrorCode::Internal;
  std::string detail;              // tells a person what to fix
  std::vector<FieldError> fields;  // for Validation
  int retry_after_seconds = 0;     // for RateLimited / Unavailable
  std::vector<std::string> allow;  // for MethodNotAllowed

  static Error bad_request(std::string d) { return {ErrorCode::BadRequest, std::move(d), {}, 0, {}}; }
  static Error unauthenticated(std::string d) { return {ErrorCode::Unauthenticated, std::move(d), {}, 0, {}}; }
  static Error forbidden(std::string d) { return {ErrorCode::Forbidden, std::move(d), {}, 0, {}}; }
  static Error not_found(std::string d) { return {ErrorCode::NotFound, std::move(d), {}, 0, {}}; }
  static Error conflict(std::string d) { return {ErrorCode::Conflict, std::move(d), {}, 0, {}}; }
  static Error precondition_failed(std::string d) { return {ErrorCode::PreconditionFailed, std::move(d), {}, 0, {}}; }
  static Error internal(std::string d) { return {ErrorCode::Internal, std::move(d), {}, 0, {}}; }
  static Error unavailable(std::string d) { return {ErrorCode::Unavailable, std::move(d), {}, 0, {}}; }
  static Error validation(std::vector<FieldError> f);
  static Error validation(std::string field, std::string message);
  static Error rate_limited(std::string d, int retry_after);
};

// A value or an Error. Deliberately small: has_value, value, error, and
// implicit construction from either side.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace staffroom

#define SR_CONCAT_INNER(a, b) a##b
#define SR_CONCAT(a, b) SR_CONCAT_INNER(a, b)

// The temporaries and the assigned-to declaration cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)

// Propagate the error of an expression returning Status or Result<T>.
#define SR_TRY(expr) SR_TRY_IMPL(SR_CONCAT(sr_try_, __COUNTER__), expr)
#define SR_TRY_IMPL(tmp, expr)                    \
  do {                                            \
    auto tmp = (expr);                            \
    if (!tmp.ok()) return std::move(tmp).error(); \
  } while (0)

// Assign the value of a Result<T> expression or return its error.
#define SR_ASSIGN(lhs, expr) SR_ASSIGN_IMPL(SR_CONCAT(sr_assign_, __COUNTER__), lhs, expr)
#define SR_ASSIGN_IMPL(tmp, lhs, expr)          \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
