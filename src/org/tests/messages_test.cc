// SPDX-License-Identifier: Apache-2.0
#include "hoshi/org/messages.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace hoshi::org {
namespace {

std::set<std::string> Placeholders(std::string_view text) {
  static const std::regex kPlaceholder(R"(\{[0-9]+\})");
  const std::string s(text);
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), kPlaceholder);
       it != std::sregex_iterator(); ++it) {
    out.insert(it->str());
  }
  return out;
}

TEST(OrgMessagesTest, EveryMessageHasBothLanguagesAndUniqueKeys) {
  std::set<std::string> keys;
  for (const auto& m : OrgMessages()) {
    EXPECT_TRUE(keys.insert(std::string(m.key)).second) << m.key;
    EXPECT_TRUE(m.key.starts_with("org.")) << m.key;
    EXPECT_FALSE(m.ja.empty()) << m.key;
    EXPECT_FALSE(m.en.empty()) << m.key;
    EXPECT_EQ(Placeholders(m.ja), Placeholders(m.en)) << m.key;
  }
}

TEST(OrgMessagesTest, EveryKeyUsedInTheSourcesExists) {
  std::set<std::string> keys;
  for (const auto& m : OrgMessages()) {
    keys.insert(std::string(m.key));
  }
  static const std::regex kKey(R"re("(org\.[a-z_]+(\.[a-z_]+)?)")re");
  int used = 0;
  for (const char* file : {"audit.cc", "corporate_number.cc", "identity.cc", "roles.cc"}) {
    std::ifstream in(std::string(HOSHI_SOURCE_DIR) + "/src/org/" + file);
    ASSERT_TRUE(in) << file;
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kKey);
         it != std::sregex_iterator(); ++it) {
      const std::string key = (*it)[1].str();
      if (key == "org.kind.") {
        continue;  // prefix completed at run time (tested in RolesTest)
      }
      ++used;
      EXPECT_TRUE(keys.contains(key)) << key << " in " << file;
    }
  }
  EXPECT_GT(used, 20);
}

}  // namespace
}  // namespace hoshi::org
