// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/error_code.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace hoshi {
namespace {

TEST(ErrorCodeTest, TableHasOneRowPerCodeInEnumOrder) {
  const auto table = ErrorCodeTable();
  ASSERT_EQ(table.size(), static_cast<std::size_t>(ErrorCode::kInternal) + 1);
  for (std::size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(table[i].code), i) << table[i].api_name;
  }
}

TEST(ErrorCodeTest, ApiNamesAreUniqueAndRoundTrip) {
  std::set<std::string> names;
  for (const auto& row : ErrorCodeTable()) {
    EXPECT_TRUE(names.insert(std::string(row.api_name)).second) << row.api_name;
    EXPECT_EQ(ErrorCodeFromApiName(row.api_name), row.code);
  }
  EXPECT_FALSE(ErrorCodeFromApiName("no_such_code").has_value());
}

TEST(ErrorCodeTest, MappingMatchesTheStyleGuide) {
  struct Expect {
    ErrorCode code;
    int http;
    int exit;
  };
  // docs/architecture.md (error table) states exactly these values.
  const Expect expected[] = {
      {ErrorCode::kInvalidArgument, 400, 64},
      {ErrorCode::kDataError, 422, 65},
      {ErrorCode::kNotFound, 404, 66},
      {ErrorCode::kAlreadyExists, 409, 73},
      {ErrorCode::kFailedPrecondition, 409, 65},
      {ErrorCode::kUnauthenticated, 401, 77},
      {ErrorCode::kPermissionDenied, 403, 77},
      {ErrorCode::kTooLarge, 413, 65},
      {ErrorCode::kRateLimited, 429, 75},
      {ErrorCode::kUnavailable, 503, 69},
      {ErrorCode::kIoError, 500, 74},
      {ErrorCode::kInternal, 500, 70},
  };
  for (const auto& e : expected) {
    EXPECT_EQ(HttpStatus(e.code), e.http) << ApiName(e.code);
    EXPECT_EQ(ExitCode(e.code), e.exit) << ApiName(e.code);
  }
}

TEST(ErrorCodeTest, NoErrorUsesTheExitCodesReservedForOutcomes) {
  for (const auto& row : ErrorCodeTable()) {
    EXPECT_NE(row.exit_code, kExitOk);
    EXPECT_NE(row.exit_code, kExitNotMet);
    EXPECT_GE(row.http_status, 400);
  }
}

}  // namespace
}  // namespace hoshi
