// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/clock.h"

#include <gtest/gtest.h>

#include "hoshi/core/id.h"

namespace hoshi {
namespace {

TEST(DateTest, ParsesStrictIsoDates) {
  auto d = Date::Parse("2026-03-27");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->year, 2026);
  EXPECT_EQ(d->month, 3U);
  EXPECT_EQ(d->day, 27U);
  for (const char* bad : {"2026-3-27", "2026-02-29", "2026-13-01", "2026-00-10", "26-03-27",
                          "2026/03/27", "", "2026-03-27x", "abcd-ef-gh"}) {
    auto r = Date::Parse(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code(), ErrorCode::kDataError);
    }
  }
  EXPECT_TRUE(Date::Parse("2024-02-29").ok());
}

TEST(DateTest, DayArithmeticRoundTrips) {
  for (std::int64_t days : {-1000000LL, -1LL, 0LL, 1LL, 20000LL, 20779LL, 2932896LL}) {
    EXPECT_EQ(Date::FromDaysSinceEpoch(days).DaysSinceEpoch(), days);
  }
  EXPECT_EQ(Date::FromDaysSinceEpoch(0).ToIso(), "1970-01-01");
  EXPECT_EQ((Date{2026, 11, 22}.DaysSinceEpoch()), 20779);
}

TEST(DateTest, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ((Date{2026, 1, 31}.AddMonths(1).ToIso()), "2026-02-28");
  EXPECT_EQ((Date{2024, 2, 29}.AddYears(1).ToIso()), "2025-02-28");
  EXPECT_EQ((Date{2026, 11, 22}.AddYears(3).ToIso()), "2029-11-22");
  EXPECT_EQ((Date{2026, 12, 15}.AddMonths(1).ToIso()), "2027-01-15");
  EXPECT_EQ((Date{2026, 1, 15}.AddMonths(-1).ToIso()), "2025-12-15");
}

TEST(DateTest, FormatsForJapanAndEnglish) {
  EXPECT_EQ((Date{2026, 3, 27}.Format(Lang::kJa)), "2026年3月27日");
  EXPECT_EQ((Date{2026, 3, 27}.Format(Lang::kEn)), "27 Mar 2026");
}

TEST(DateTest, TimePointsAreReadInJapanStandardTime) {
  auto t = ParseTimestamp("2026-11-21T15:00:00Z");  // 2026-11-22 00:00 JST
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Date::FromTimePoint(*t).ToIso(), "2026-11-22");
  auto t2 = ParseTimestamp("2026-11-21T14:59:59Z");
  ASSERT_TRUE(t2.ok());
  EXPECT_EQ(Date::FromTimePoint(*t2).ToIso(), "2026-11-21");
}

TEST(TimestampTest, ParsesOffsetsAndFractions) {
  auto a = ParseTimestamp("2026-11-22T09:00:00+09:00");
  auto b = ParseTimestamp("2026-11-22T00:00:00Z");
  auto c = ParseTimestamp("2026-11-22T00:00:00.250Z");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ((*c - *b).count(), 250000);
  EXPECT_EQ(FormatTimestamp(*b), "2026-11-22T00:00:00Z");
  EXPECT_EQ(FormatTimestampMillis(*c), "2026-11-22T00:00:00.250Z");
  EXPECT_EQ(FormatTimestampMillis(*b), "2026-11-22T00:00:00.000Z");
  auto before_epoch = ParseTimestamp("1969-12-31T23:59:59.500Z");
  ASSERT_TRUE(before_epoch.ok());
  EXPECT_EQ(FormatTimestampMillis(*before_epoch), "1969-12-31T23:59:59.500Z");
  EXPECT_FALSE(ParseTimestamp("2026-11-22 nope").ok());
  EXPECT_FALSE(ParseTimestamp("2026-11-22T25:00:00Z").ok());
}

TEST(FakeClockTest, MovesOnlyWhenTold) {
  auto start = ParseTimestamp("2026-11-22T00:00:00Z");
  ASSERT_TRUE(start.ok());
  FakeClock clock(*start);
  EXPECT_EQ(clock.Now(), *start);
  clock.Advance(std::chrono::hours(24));
  EXPECT_EQ(FormatTimestamp(clock.Now()), "2026-11-23T00:00:00Z");
}

TEST(IdTest, NewIdsAreUuidV7AndTimeOrdered) {
  auto start = ParseTimestamp("2026-11-22T00:00:00Z");
  ASSERT_TRUE(start.ok());
  FakeClock clock(*start);
  const std::string a = NewId(clock);
  clock.Advance(std::chrono::milliseconds(1));
  const std::string b = NewId(clock);
  EXPECT_TRUE(IsValidId(a));
  EXPECT_TRUE(IsValidId(b));
  EXPECT_EQ(a[14], '7');
  EXPECT_LT(a, b);
  EXPECT_NE(a, b);
  EXPECT_FALSE(IsValidId("not-an-id"));
  EXPECT_FALSE(IsValidId("0195A0B4-0000-7000-8000-000000000000"));
}

}  // namespace
}  // namespace hoshi
