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

TEST(TextTest, HexDigitValues) {
  EXPECT_EQ(HexDigitValue('0'), 0);
  EXPECT_EQ(HexDigitValue('9'), 9);
  EXPECT_EQ(HexDigitValue('a'), 10);
  EXPECT_EQ(HexDigitValue('F'), 15);
  EXPECT_EQ(HexDigitValue('g'), -1);
  EXPECT_EQ(HexDigitValue('%'), -1);
  static_assert(HexDigitValue('c') == 12);
}

TEST(TextTest, DisplayWidthCountsWideCharactersTwice) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("high"), 4u);
  EXPECT_EQ(DisplayWidth("重大度"), 6u);
  EXPECT_EQ(DisplayWidth("ﾊﾟｯｹｰｼﾞ"), 7u);  // half-width katakana stay narrow
  EXPECT_EQ(DisplayWidth("ＡＢ"), 4u);     // full-width Latin is wide
  EXPECT_EQ(DisplayWidth("★3 認定"), 7u);  // ★ is narrow here (ambiguous width)
  static_assert(DisplayWidth("星取り") == 6);
}

}  // namespace
}  // namespace hoshi
