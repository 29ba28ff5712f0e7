// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "hoshi/core/i18n.h"
#include "hoshi/core/result.h"

namespace hoshi {

using TimePoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

/// The source of "now". Inject it; tests use FakeClock. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual TimePoint Now() const = 0;
};

/// The real wall clock.
class SystemClock final : public Clock {
 public:
  [[nodiscard]] TimePoint Now() const override;
  /// A process-wide instance.
  static const SystemClock& Instance();
};

/// A clock that only moves when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  [[nodiscard]] TimePoint Now() const override;
  void Set(TimePoint t);
  void Advance(std::chrono::microseconds d);

 private:
  mutable std::mutex mu_;
  TimePoint now_;
};

/// A calendar date (proleptic Gregorian), as used for validity periods and recurring checks.
/// Dates are in Japan Standard Time (UTC+9, no DST) when derived from a TimePoint.
struct Date {
  int year = 1970;
  unsigned month = 1;
  unsigned day = 1;

  /// Parses "YYYY-MM-DD" strictly (zero-padded, a real calendar day).
  [[nodiscard]] static Result<Date> Parse(std::string_view text);
  /// The JST calendar date of `t`.
  [[nodiscard]] static Date FromTimePoint(TimePoint t);
  /// Days since 1970-01-01.
  [[nodiscard]] std::int64_t DaysSinceEpoch() const;
  [[nodiscard]] static Date FromDaysSinceEpoch(std::int64_t days);

  /// Adds calendar months; the day is clamped to the end of the month (01-31 + 1 month = 02-28).
  [[nodiscard]] Date AddMonths(int months) const;
  [[nodiscard]] Date AddYears(int years) const { return AddMonths(years * 12); }
  [[nodiscard]] Date AddDays(std::int64_t days) const {
    return FromDaysSinceEpoch(DaysSinceEpoch() + days);
  }

  /// "2026-11-22".
  [[nodiscard]] std::string ToIso() const;
  /// ja: "2026年11月22日", en: "22 Nov 2026".
  [[nodiscard]] std::string Format(Lang lang) const;

  auto operator<=>(const Date&) const =
      default;  // NOLINT(modernize-use-nullptr): clang-tidy 14 bug
};

/// Parses an RFC 3339 timestamp ("2026-11-22T09:00:00Z", "...+09:00", fractional seconds ok).
[[nodiscard]] Result<TimePoint> ParseTimestamp(std::string_view text);
/// RFC 3339 in UTC with seconds precision: "2026-11-22T00:00:00Z".
[[nodiscard]] std::string FormatTimestamp(TimePoint t);
/// RFC 3339 in UTC with milliseconds: "2026-11-22T00:00:00.123Z" (lead times, event times).
[[nodiscard]] std::string FormatTimestampMillis(TimePoint t);

}  // namespace hoshi
