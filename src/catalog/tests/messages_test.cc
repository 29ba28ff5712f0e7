// SPDX-License-Identifier: Apache-2.0
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "hoshi/catalog/catalog.h"

namespace hoshi::catalog {
namespace {

std::set<std::string> Placeholders(std::string_view text) {
  std::set<std::string> out;
  static const std::regex kPlaceholder(R"(\{[0-9]+\})");
  const std::string s(text);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kPlaceholder);
       it != std::sregex_iterator(); ++it) {
    out.insert(it->str());
  }
  return out;
}

TEST(CatalogMessagesTest, EveryMessageHasBothLanguagesAndTheSamePlaceholders) {
  std::set<std::string_view> keys;
  for (const MessageEntry& entry : CatalogMessages()) {
    EXPECT_TRUE(keys.insert(entry.key).second) << "duplicate key " << entry.key;
    EXPECT_FALSE(entry.ja.empty()) << entry.key;
    EXPECT_FALSE(entry.en.empty()) << entry.key;
    EXPECT_NE(entry.ja, entry.en) << entry.key;
    EXPECT_EQ(Placeholders(entry.ja), Placeholders(entry.en)) << entry.key;
    EXPECT_TRUE(entry.key.starts_with("catalog.") || entry.key.starts_with("ipa.") ||
                entry.key.starts_with("xlsx."))
        << entry.key;
  }
}

}  // namespace
}  // namespace hoshi::catalog
