// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/i18n.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace hoshi {
namespace {

TEST(I18nTest, EveryCoreMessageHasBothLanguagesAndUniqueKeys) {
  std::set<std::string> keys;
  for (const auto& m : CoreMessages()) {
    EXPECT_TRUE(keys.insert(std::string(m.key)).second) << m.key;
    EXPECT_FALSE(m.ja.empty()) << m.key;
    EXPECT_FALSE(m.en.empty()) << m.key;
  }
}

TEST(I18nTest, ParsesLanguageNames) {
  EXPECT_EQ(ParseLang("ja"), Lang::kJa);
  EXPECT_EQ(ParseLang("ja_JP.UTF-8"), Lang::kJa);
  EXPECT_EQ(ParseLang("EN"), Lang::kEn);
  EXPECT_EQ(ParseLang("en_US.UTF-8"), Lang::kEn);
  EXPECT_FALSE(ParseLang("fr").has_value());
}

TEST(I18nTest, FormatsBothLanguagesAndNumbers) {
  auto t = FormatMessage(CoreMessages(), "core.at_line", "a.yaml", 7);
  EXPECT_EQ(t.ja, "a.yaml の 7 行目");
  EXPECT_EQ(t.en, "a.yaml, line 7");
  EXPECT_EQ(FormatNumber(0), "0");
  EXPECT_EQ(FormatNumber(1234567), "1,234,567");
  EXPECT_EQ(FormatNumber(-1000), "-1,000");
}

}  // namespace
}  // namespace hoshi
