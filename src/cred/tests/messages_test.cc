// SPDX-License-Identifier: Apache-2.0
#include "hoshi/cred/messages.h"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace hoshi::cred {
namespace {

TEST(CredMessagesTest, EveryMessageHasBothLanguagesAndAUniqueKey) {
  std::set<std::string> keys;
  for (const MessageEntry& m : CredMessages()) {
    EXPECT_TRUE(keys.insert(std::string(m.key)).second) << m.key;
    EXPECT_TRUE(m.key.starts_with("cred.")) << m.key;
    EXPECT_FALSE(m.ja.empty()) << m.key;
    EXPECT_FALSE(m.en.empty()) << m.key;
    EXPECT_NE(m.ja, m.en) << m.key;
  }
}

// Every "cred.*" key used by the module's sources is in the table (a missing key would show the
// raw key to users).
TEST(CredMessagesTest, EveryKeyUsedInTheSourcesExists) {
  std::set<std::string> known;
  for (const MessageEntry& m : CredMessages()) {
    known.insert(std::string(m.key));
  }
  const std::regex key_re(R"re("(cred\.[a-z_.]+)")re");
  int used = 0;
  for (const char* file :
       {"data_integrity.cc", "issuer_key.cc", "jcs.cc", "revocation.cc", "vc.cc", "internal.h"}) {
    std::ifstream in(std::string(HOSHI_SOURCE_DIR) + "/src/cred/" + file);
    ASSERT_TRUE(in) << file;
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    for (auto it = std::sregex_iterator(text.begin(), text.end(), key_re);
         it != std::sregex_iterator(); ++it) {
      EXPECT_TRUE(known.contains((*it)[1].str())) << file << ": " << (*it)[1].str();
      ++used;
    }
  }
  EXPECT_GT(used, 30);
}

}  // namespace
}  // namespace hoshi::cred
