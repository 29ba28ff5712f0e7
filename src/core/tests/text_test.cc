// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/text.h"

#include <gtest/gtest.h>

namespace hoshi {
namespace {

TEST(TextTest, Utf8LengthCountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("星取精機"), 4u);          // 3 bytes each
  EXPECT_EQ(Utf8Length("★3 認定"), 5u);           // mixed widths
  EXPECT_EQ(Utf8Length("\xF0\x9F\x94\x92"), 1u);  // a 4-byte code point
  static_assert(Utf8Length("日本") == 2);
}

}  // namespace
}  // namespace hoshi
