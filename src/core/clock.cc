// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/clock.h"

#include <array>
#include <charconv>

#include <fmt/format.h>

namespace hoshi {
namespace {

constexpr std::int64_t kJstOffsetSeconds = std::int64_t{9} * 3600;

bool IsLeap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned DaysInMonth(int y, unsigned m) {
  constexpr std::array<unsigned, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays.at(m - 1);
}

bool ParseDigits(std::string_view text, std::size_t pos, std::size_t len, int& out) {
  if (pos + len > text.size()) {
    return false;
  }
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
  return ec == std::errc() && ptr == text.data() + pos + len;
}

Error BadDate(std::string_view text) {
  return MakeError(ErrorCode::kDataError, CoreMessages(), "core.date_invalid", text);
}

}  // namespace

TimePoint SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

const SystemClock& SystemClock::Instance() {
  static const SystemClock kInstance;
  return kInstance;
}

TimePoint FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

void FakeClock::Set(TimePoint t) {
  std::lock_guard lock(mu_);
  now_ = t;
}

void FakeClock::Advance(std::chrono::microseconds d) {
  std::lock_guard lock(mu_);
  now_ += d;
}

Result<Date> Date::Parse(std::string_view text) {
  int y = 0;
  int m = 0;
  int d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ParseDigits(text, 0, 4, y) ||
      !ParseDigits(text, 5, 2, m) || !ParseDigits(text, 8, 2, d)) {
    return BadDate(text);
  }
  if (m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > DaysInMonth(y, m)) {
    return BadDate(text);
  }
  return Date{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
}

Date Date::FromTimePoint(TimePoint t) {
  const std::int64_t secs =
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count() +
      kJstOffsetSeconds;
  std::int64_t days = secs / 86400;
  if (secs % 86400 < 0) {
    --days;
  }
  return FromDaysSinceEpoch(days);
}

std::int64_t Date::DaysSinceEpoch() const {
  // Howard Hinnant's days_from_civil.
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = month > 2 ? month - 3 : month + 9;
  const unsigned doy = (153 * mp + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Date Date::FromDaysSinceEpoch(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const auto y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0));
  return Date{y, m, d};
}

Date Date::AddMonths(int months) const {
  int total = year * 12 + static_cast<int>(month) - 1 + months;
  const int y = total >= 0 ? total / 12 : (total - 11) / 12;
  const auto m = static_cast<unsigned>(total - y * 12 + 1);
  const unsigned d = std::min(day, DaysInMonth(y, m));
  return Date{y, m, d};
}

std::string Date::ToIso() const {
  return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
}

std::string Date::Format(Lang lang) const {
  if (lang == Lang::kJa) {
    return fmt::format("{}年{}月{}日", year, month, day);
  }
  constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{} {} {}", day, kMonths.at(month - 1), year);
}

Result<TimePoint> ParseTimestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
  if (text.size() < 20) {
    return BadDate(text);
  }
  HOSHI_ASSIGN_OR_RETURN(Date date, Date::Parse(text.substr(0, 10)));
  int hh = 0;
  int mm = 0;
  int ss = 0;
  if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !ParseDigits(text, 11, 2, hh) ||
      text[13] != ':' || !ParseDigits(text, 14, 2, mm) || text[16] != ':' ||
      !ParseDigits(text, 17, 2, ss) || hh > 23 || mm > 59 || ss > 60) {
    return BadDate(text);
  }
  std::size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) {
        micros = micros * 10 + (text[pos] - '0');
      }
      ++digits;
      ++pos;
    }
    if (digits == 0) {
      return BadDate(text);
    }
    for (int i = digits; i < 6; ++i) {
      micros *= 10;
    }
  }
  std::int64_t offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) {
    offset = 0;
  } else if (pos + 6 == text.size() && (text[pos] == '+' || text[pos] == '-') &&
             text[pos + 3] == ':') {
    int oh = 0;
    int om = 0;
    if (!ParseDigits(text, pos + 1, 2, oh) || !ParseDigits(text, pos + 4, 2, om) || oh > 23 ||
        om > 59) {
      return BadDate(text);
    }
    offset = (std::int64_t{oh} * 3600 + std::int64_t{om} * 60) * (text[pos] == '+' ? 1 : -1);
  } else {
    return BadDate(text);
  }
  const std::int64_t secs =
      date.DaysSinceEpoch() * 86400 + std::int64_t{hh} * 3600 + std::int64_t{mm} * 60 + ss - offset;
  return TimePoint(std::chrono::microseconds(secs * 1000000 + micros));
}

std::string FormatTimestamp(TimePoint t) {
  const std::int64_t secs =
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const Date d = Date::FromDaysSinceEpoch(days);
  return fmt::format("{}T{:02d}:{:02d}:{:02d}Z", d.ToIso(), rem / 3600, (rem / 60) % 60, rem % 60);
}

std::string FormatTimestampMillis(TimePoint t) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
  const std::int64_t frac =
      (ms - std::chrono::floor<std::chrono::seconds>(ms)).count();  // 0..999 even before 1970
  std::string text = FormatTimestamp(std::chrono::floor<std::chrono::seconds>(ms));
  text.pop_back();  // 'Z'
  return fmt::format("{}.{:03d}Z", text, frac);
}

}  // namespace hoshi
