// Result<T> and Status: errors as values, since g++ 12 has no std::expected.
//
// An Error carries a human-readable message that already names its context
// (file:line, field path, object identity). Callers add context on the way up
// with Error::Wrap so the final message reads outermost-first.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace skiff {

struct Error {
  std::string message;

  // Returns a copy whose message is "context: message".
  Error Wrap(std::string_view context) const {
    std::string m(context);
    m += ": ";
    m += message;
    return Error{std::move(m)};
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Status is Result<void>: ok, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  static Status Ok() { return Status(); }
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Error MakeError(std::string message) { return Error{std::move(message)}; }

}  // namespace skiff

// Propagates a failed Status or Result from the enclosing function.
#define SKIFF_RETURN_IF_ERROR(expr)                  \
  do {                                               \
    auto skiff_status_ = (expr);                     \
    if (!skiff_status_.ok()) return skiff_status_.error(); \
  } while (0)

#define SKIFF_CONCAT_INNER_(a, b) a##b
#define SKIFF_CONCAT_(a, b) SKIFF_CONCAT_INNER_(a, b)
// Declares `lhs` from a Result's value, or returns its error.
#define SKIFF_ASSIGN_OR_RETURN(lhs, expr)                                  \
  auto SKIFF_CONCAT_(skiff_result_, __LINE__) = (expr);                    \
  if (!SKIFF_CONCAT_(skiff_result_, __LINE__).ok())                        \
    return SKIFF_CONCAT_(skiff_result_, __LINE__).error();                 \
  lhs = std::move(SKIFF_CONCAT_(skiff_result_, __LINE__)).value()
