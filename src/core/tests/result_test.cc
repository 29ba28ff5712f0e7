// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/result.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace hoshi {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) {
    return Error(ErrorCode::kInvalidArgument, {"奇数です", "odd"});
  }
  return x / 2;
}

Result<int> Quarter(int x) {
  HOSHI_ASSIGN_OR_RETURN(int half, Half(x));
  HOSHI_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckEven(int x) {
  HOSHI_RETURN_IF_ERROR(Half(x));
  return Status::Ok();
}

TEST(ResultTest, ValueAndErrorPropagate) {
  auto ok = Quarter(8);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 2);
  auto bad = Quarter(6);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message(Lang::kJa), "奇数です");
  EXPECT_EQ(bad.error().message(Lang::kEn), "odd");
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_FALSE(CheckEven(3).ok());
}

TEST(ResultTest, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);
  ASSERT_TRUE(r);
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

TEST(ResultTest, ErrorToStringNamesTheLocation) {
  Error e(ErrorCode::kDataError, {"不明な項目です", "unknown item"});
  e.WithLocation({"answers.yaml", 12, 3});
  EXPECT_EQ(e.ToString(Lang::kJa), "answers.yaml の 12 行目: 不明な項目です");
  EXPECT_EQ(e.ToString(Lang::kEn), "answers.yaml, line 12: unknown item");
}

TEST(ResultTest, StatusFromResultKeepsTheError) {
  Result<int> r = Half(3);
  Status s = r.status();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Result<int>(4).status().ok());
}

}  // namespace
}  // namespace hoshi
