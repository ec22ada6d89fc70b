// Errors from the Kubernetes API as values.
//
// An ApiError carries the server's metav1.Status (code, reason, message,
// causes) when the server answered, or marks a transport failure when it did
// not. Callers branch on the helpers (IsNotFound, IsConflict, ...) instead of
// parsing messages. Messages never contain credentials: everything that can
// reach one passes through RedactSecrets first.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/result.h"

namespace skiff::kube {

// One entry of metav1.Status.details.causes: which field failed and why.
struct StatusCause {
  std::string reason;   // e.g. "FieldValueInvalid"
  std::string message;
  std::string field;    // e.g. "spec.replicas"
};

struct ApiError {
  // HTTP status of the answer; 0 when no answer came (connection failure,
  // TLS failure, timeout) or the failure was local (bad config, bad input).
  int code = 0;
  std::string reason;   // metav1.Status reason: NotFound, Conflict, Invalid...
  std::string message;  // already redacted
  std::vector<StatusCause> causes;
  // Retry-After header in seconds, or -1 when absent.
  int retry_after_seconds = -1;
  // True when the request never got an HTTP answer.
  bool transport_failure = false;

  // Human-readable text: "<code> <reason>: <message> (field: cause...)".
  std::string String() const;

  // Lets SKIFF_RETURN_IF_ERROR / SKIFF_ASSIGN_OR_RETURN propagate an
  // ApiError out of a function that returns Result<T> or Status.
  operator Error() const { return Error{String()}; }  // NOLINT(google-explicit-constructor)
  operator Status() const { return Status(Error{String()}); }  // NOLINT
  template <typename T>
  operator Result<T>() const { return Result<T>(Error{String()}); }  // NOLINT
};

ApiError LocalError(std::string message);
ApiError TransportError(std::string message);

// Builds the error for a non-2xx answer from its body (a metav1.Status when
// the API server sent one; anything else is kept, truncated, as the message).
ApiError ErrorFromResponse(int http_code, std::string_view body);

bool IsNotFound(const ApiError& e);
bool IsAlreadyExists(const ApiError& e);
bool IsConflict(const ApiError& e);
bool IsInvalid(const ApiError& e);
bool IsGone(const ApiError& e);            // 410: resourceVersion too old
bool IsTooManyRequests(const ApiError& e);
bool IsUnauthorized(const ApiError& e);
bool IsForbidden(const ApiError& e);
bool IsServerError(const ApiError& e);     // 5xx
bool IsTransportFailure(const ApiError& e);
// 429, 5xx and connection failures: worth another attempt after a pause.
// 409 and 422 are not: the caller must re-read or fix its input.
bool IsRetryable(const ApiError& e);

// Replaces bearer tokens, "token"/"password" JSON values, PEM private keys
// and user:password@ in URLs with "[redacted]".
std::string RedactSecrets(std::string_view text);

// Result of an API call: a value, or an ApiError.
template <typename T>
class [[nodiscard]] ApiResult {
 public:
  ApiResult(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  ApiResult(ApiError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const ApiError& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, ApiError> v_;
};

// Ok, or an ApiError.
class [[nodiscard]] ApiStatus {
 public:
  ApiStatus() = default;
  ApiStatus(ApiError error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const ApiError& error() const { assert(!ok_); return error_; }

 private:
  ApiError error_;
  bool ok_ = true;
};

}  // namespace skiff::kube
