// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/json.h"

#include <gtest/gtest.h>

namespace hoshi {
namespace {

TEST(JsonTest, ParsesAndDumpsWithSortedKeys) {
  auto j = ParseJson(R"({"b": 1, "a": "星"})");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(DumpJson(*j, -1), R"({"a":"星","b":1})");
}

TEST(JsonTest, ParseErrorNamesLineAndColumn) {
  auto j = ParseJson("{\n  \"a\": 1,\n  \"b\": ]\n}", "x.json");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.error().code(), ErrorCode::kDataError);
  ASSERT_TRUE(j.error().location().has_value());
  EXPECT_EQ(j.error().location()->source, "x.json");
  EXPECT_EQ(j.error().location()->line, 3);
  EXPECT_NE(j.error().message(Lang::kJa).find("JSON"), std::string::npos);
}

TEST(JsonTest, TruncatedInputIsAnErrorNotACrash) {
  for (const char* text : {"", "{", "[1,2", "{\"a\":", "\"unterminated", "nul"}) {
    EXPECT_FALSE(ParseJson(text).ok()) << text;
  }
}

TEST(JsonTest, TypedGettersReportFieldAndType) {
  auto j = ParseJson(R"({"name": "x", "n": 3, "flag": true, "s": 5})");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(*GetString(*j, "name"), "x");
  EXPECT_EQ(*GetInt(*j, "n"), 3);
  EXPECT_TRUE(*GetBool(*j, "flag"));
  auto missing = GetString(*j, "nope", "root");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message(Lang::kEn).find("root.nope"), std::string::npos);
  auto wrong = GetString(*j, "s");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message(Lang::kEn).find("string"), std::string::npos);
  EXPECT_EQ(*GetOptionalString(*j, "absent"), "");
  EXPECT_FALSE(GetOptionalString(*j, "n").ok());
}

}  // namespace
}  // namespace hoshi
