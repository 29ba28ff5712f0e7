// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "hoshi/core/error_code.h"
#include "hoshi/core/i18n.h"

namespace hoshi {

/// Where in a user's input an error was found (file name as the user gave it, 1-based line and
/// column; 0 when unknown).
struct SourceLocation {
  std::string source;
  int line = 0;
  int column = 0;
  bool operator==(const SourceLocation&) const = default;
};

/// An expected failure: a code, a user-facing message in Japanese and English, an optional
/// location in the user's input, and a detail for logs only (may hold paths or library text,
/// never shown in API bodies).
class Error {
 public:
  Error(ErrorCode code, LocalizedText message) : code_(code), message_(std::move(message)) {}

  [[nodiscard]] ErrorCode code() const { return code_; }
  [[nodiscard]] const LocalizedText& message() const { return message_; }
  [[nodiscard]] const std::string& message(Lang lang) const { return message_.In(lang); }
  [[nodiscard]] const std::optional<SourceLocation>& location() const { return location_; }
  [[nodiscard]] const std::string& detail() const { return detail_; }
  /// A stable, fine-grained reason (the message key, e.g. "org.corporate_number_check_digit");
  /// empty when the error was not built from a message table. Sent in API error bodies.
  [[nodiscard]] const std::string& reason() const { return reason_; }

  Error& WithLocation(SourceLocation location) & {
    location_ = std::move(location);
    return *this;
  }
  Error&& WithLocation(SourceLocation location) && {
    location_ = std::move(location);
    return std::move(*this);
  }
  Error& WithDetail(std::string detail) & {
    detail_ = std::move(detail);
    return *this;
  }
  Error&& WithDetail(std::string detail) && {
    detail_ = std::move(detail);
    return std::move(*this);
  }

  Error& WithReason(std::string reason) & {
    reason_ = std::move(reason);
    return *this;
  }
  Error&& WithReason(std::string reason) && {
    reason_ = std::move(reason);
    return std::move(*this);
  }

  /// "file, line 3: message" in the given language (location first when known).
  [[nodiscard]] std::string ToString(Lang lang) const;

 private:
  ErrorCode code_;
  LocalizedText message_;
  std::optional<SourceLocation> location_;
  std::string detail_;
  std::string reason_;
};

/// Builds an Error from a message table entry, formatting both languages with `args`.
template <typename... Args>
[[nodiscard]] Error MakeError(ErrorCode code, std::span<const MessageEntry> table,
                              std::string_view key, Args&&... args) {
  return Error(code, FormatMessage(table, key, std::forward<Args>(args)...))
      .WithReason(std::string(key));
}

/// Success, or an Error. Discarding one is a compile error under -Werror.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  static Status Ok() { return Status(); }
  [[nodiscard]] bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  /// Precondition: !ok().
  [[nodiscard]] const Error& error() const& { return *error_; }
  [[nodiscard]] Error&& error() && { return std::move(*error_); }
  /// Drops the status on purpose (greppable).
  void IgnoreError() const {}

 private:
  std::optional<Error> error_;
};

/// A value or an Error. The API mirrors C++23 std::expected.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}      // NOLINT
  Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  // Implicit on purpose (like std::expected); the constraints exclude copies and moves.
  // NOLINTBEGIN(bugprone-forwarding-reference-overload,google-explicit-constructor)
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
           !std::is_same_v<std::decay_t<U>, Error> && !std::is_same_v<std::decay_t<U>, Result>)
      Result(U&& value)
      : data_(std::in_place_index<0>, T(std::forward<U>(value))) {}
  // NOLINTEND(bugprone-forwarding-reference-overload,google-explicit-constructor)

  [[nodiscard]] bool has_value() const { return data_.index() == 0; }
  [[nodiscard]] bool ok() const { return has_value(); }
  explicit operator bool() const { return has_value(); }

  [[nodiscard]] T& value() & { return std::get<0>(data_); }
  [[nodiscard]] const T& value() const& { return std::get<0>(data_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(data_)); }
  [[nodiscard]] const Error& error() const& { return std::get<1>(data_); }
  [[nodiscard]] Error&& error() && { return std::get<1>(std::move(data_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// The status part (Ok or the error), dropping the value.
  [[nodiscard]] Status status() const { return has_value() ? Status() : Status(error()); }
  void IgnoreError() const {}

 private:
  std::variant<T, Error> data_;
};

}  // namespace hoshi

#define HOSHI_CONCAT_INNER(a, b) a##b
#define HOSHI_CONCAT(a, b) HOSHI_CONCAT_INNER(a, b)

/// Returns the error of a Status or Result expression from the enclosing function.
#define HOSHI_RETURN_IF_ERROR(expr)            \
  do {                                         \
    auto hoshi_status_ = (expr);               \
    if (!hoshi_status_) {                      \
      return std::move(hoshi_status_).error(); \
    }                                          \
  } while (false)

#define HOSHI_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp) {                                       \
    return std::move(tmp).error();                  \
  }                                                 \
  lhs = std::move(tmp).value()

/// `HOSHI_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result or returns its error.
#define HOSHI_ASSIGN_OR_RETURN(lhs, expr) \
  HOSHI_ASSIGN_OR_RETURN_IMPL(HOSHI_CONCAT(hoshi_result_, __LINE__), lhs, expr)

/// Always-on invariant check: logs and aborts. Only for states that would corrupt data.
#define HOSHI_CHECK(cond) \
  ((cond) ? static_cast<void>(0) : ::hoshi::detail::CheckFailed(#cond, __FILE__, __LINE__))
#ifdef NDEBUG
#define HOSHI_DCHECK(cond) static_cast<void>(0)
#else
#define HOSHI_DCHECK(cond) HOSHI_CHECK(cond)
#endif

namespace hoshi::detail {
[[noreturn]] void CheckFailed(const char* cond, const char* file, int line);
}  // namespace hoshi::detail
