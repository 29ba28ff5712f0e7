// SPDX-License-Identifier: Apache-2.0
#include <set>
#include <string_view>

#include <gtest/gtest.h>

#include "hoshi/http/server.h"

namespace hoshi::http {
namespace {

TEST(HttpMessagesTest, KeysAreUniqueAndPrefixed) {
  std::set<std::string_view> keys;
  for (const MessageEntry& entry : HttpMessages()) {
    EXPECT_TRUE(entry.key.starts_with("http.")) << entry.key;
    EXPECT_TRUE(keys.insert(entry.key).second) << "duplicate key " << entry.key;
  }
  EXPECT_GE(keys.size(), 10U);
}

TEST(HttpMessagesTest, BothLanguagesPresent) {
  for (const MessageEntry& entry : HttpMessages()) {
    EXPECT_FALSE(entry.ja.empty()) << entry.key;
    EXPECT_FALSE(entry.en.empty()) << entry.key;
    EXPECT_NE(entry.ja, entry.en) << entry.key;
  }
}

TEST(HttpMessagesTest, PlaceholdersMatchAcrossLanguages) {
  for (const MessageEntry& entry : HttpMessages()) {
    for (const std::string_view placeholder : {"{0}", "{1}", "{2}"}) {
      EXPECT_EQ(entry.ja.find(placeholder) == std::string_view::npos,
                entry.en.find(placeholder) == std::string_view::npos)
          << entry.key << " " << placeholder;
    }
  }
}

TEST(HttpMessagesTest, ServerErrorKeysExist) {
  for (const std::string_view key :
       {"http.malformed", "http.bad_target", "http.header_too_large", "http.body_too_large",
        "http.request_timeout", "http.internal", "http.upload_failed", "http.overloaded",
        "http.listen_failed"}) {
    const LocalizedText text = Lookup(HttpMessages(), key);
    EXPECT_NE(text.ja, key);
    EXPECT_NE(text.en, key);
  }
}

}  // namespace
}  // namespace hoshi::http
