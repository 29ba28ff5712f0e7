// SPDX-License-Identifier: Apache-2.0
#include "hoshi/storage/messages.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace hoshi::storage {
namespace {

TEST(StorageMessagesTest, KeysAreUniqueAndPrefixed) {
  std::set<std::string_view> keys;
  for (const MessageEntry& entry : StorageMessages()) {
    EXPECT_TRUE(entry.key.starts_with("storage.")) << entry.key;
    EXPECT_TRUE(keys.insert(entry.key).second) << "duplicate key " << entry.key;
  }
}

TEST(StorageMessagesTest, BothLanguagesPresent) {
  for (const MessageEntry& entry : StorageMessages()) {
    EXPECT_FALSE(entry.ja.empty()) << entry.key;
    EXPECT_FALSE(entry.en.empty()) << entry.key;
    EXPECT_NE(entry.ja, entry.en) << entry.key;
  }
}

TEST(StorageMessagesTest, PlaceholdersMatchAcrossLanguages) {
  for (const MessageEntry& entry : StorageMessages()) {
    for (const std::string_view placeholder : {"{0}", "{1}", "{2}"}) {
      EXPECT_EQ(entry.ja.find(placeholder) == std::string_view::npos,
                entry.en.find(placeholder) == std::string_view::npos)
          << entry.key << " " << placeholder;
    }
  }
}

TEST(StorageMessagesTest, KnownMessages) {
  const LocalizedText duplicate = Lookup(StorageMessages(), "storage.duplicate");
  EXPECT_EQ(duplicate.ja, "このデータはすでに存在します。");
  EXPECT_EQ(duplicate.en, "This data already exists.");
  const LocalizedText unavailable = Lookup(StorageMessages(), "storage.unavailable");
  EXPECT_EQ(unavailable.ja, "データベースに接続できません。");
  EXPECT_EQ(unavailable.en, "Cannot connect to the database.");
}

}  // namespace
}  // namespace hoshi::storage
