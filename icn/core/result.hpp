// Result<T>: a value or an Error naming why not — core's public API never throws.
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace icn {

// A rejection with its reason, e.g. "invalid hex digit 'g' at position 3". Callers add context
// as the error travels outwards: "decode tx: rlp: list longer than input".
struct Error {
  std::string message;

  Error context(std::string_view what) const& { return Error{std::string(what) + ": " + message}; }
  Error context(std::string_view what) && {
    message.insert(0, std::string(what) + ": ");
    return std::move(*this);
  }
};

inline Error fail(std::string message) {
  return Error{std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Error>, "Result<Error> is ambiguous");

 public:
  Result(const T& value) : v_(std::in_place_index<0>, value) {}
  Result(T&& value) : v_(std::in_place_index<0>, std::move(value)) {}
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
           !std::is_same_v<std::decay_t<U>, Error> && !std::is_same_v<std::decay_t<U>, Result>)
      Result(U&& value)
      : v_(std::in_place_index<0>, std::forward<U>(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

  T value_or(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace icn

#define ICN_CONCAT_INNER_(a, b) a##b
#define ICN_CONCAT_(a, b) ICN_CONCAT_INNER_(a, b)

// ICN_TRY(auto x, expr): declare x from a Result, or return its Error from the enclosing function.
#define ICN_TRY(decl, expr) ICN_TRY_IMPL_(ICN_CONCAT_(icn_try_, __LINE__), decl, expr)
#define ICN_TRY_IMPL_(tmp, decl, expr)     \
  auto tmp = (expr);                       \
  if (!tmp) return std::move(tmp).error(); \
  decl = std::move(tmp).value()

// ICN_TRY_CTX(auto x, expr, "what"): as ICN_TRY, prefixing the error with context.
#define ICN_TRY_CTX(decl, expr, what) \
  ICN_TRY_CTX_IMPL_(ICN_CONCAT_(icn_try_, __LINE__), decl, expr, what)
#define ICN_TRY_CTX_IMPL_(tmp, decl, expr, what)         \
  auto tmp = (expr);                                     \
  if (!tmp) return std::move(tmp).error().context(what); \
  decl = std::move(tmp).value()

// ICN_CHECK(status_expr): return the Error of a Status (or any Result) if it failed.
#define ICN_CHECK(expr) ICN_CHECK_IMPL_(ICN_CONCAT_(icn_chk_, __LINE__), expr)
#define ICN_CHECK_IMPL_(tmp, expr)           \
  do {                                       \
    auto tmp = (expr);                       \
    if (!tmp) return std::move(tmp).error(); \
  } while (0)
