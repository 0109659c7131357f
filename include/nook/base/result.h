// Error and Result<T>: the only error channel in nook (no exceptions anywhere in src/).
// Shaped like std::expected; wrap() adds context in front of a message, and main() is the
// only place that turns an Error into a log line and an exit status.
#pragma once

#include <cerrno>
#include <string>
#include <utility>
#include <variant>

namespace nook {

struct Error {
  int err = 0;          // errno value, 0 when the error is not from a syscall
  std::string message;  // "operation `object`: cause"; strerror(err) is appended by text()

  // The full one-line message, errno text appended once.
  std::string text() const;
  // Prefixes context: Error{"open `x`"}.wrap("load config") → "load config: open `x`".
  Error wrap(std::string_view context) &&;
};

// An Error carrying the current errno.
Error sys_error(std::string message);
// An Error with no errno.
Error make_error(std::string message);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& value() const& { return std::get<0>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  Error& error() & { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }
  const Error& error() const& { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

}  // namespace nook

// Propagates an Error: `auto x = NOOK_TRY(f());` or `NOOK_TRY(g());`.
#define NOOK_TRY(expr)                                    \
  ({                                                      \
    auto nook_try_r_ = (expr);                            \
    if (!nook_try_r_.ok()) return std::move(nook_try_r_).error(); \
    std::move(nook_try_r_).value();                       \
  })
