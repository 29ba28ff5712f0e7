// SPDX-License-Identifier: Apache-2.0
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "hoshi/assess/answers.h"

namespace hoshi::assess {
namespace {

TEST(AssessMessagesTest, EveryMessageHasBothLanguagesAndUniqueKeys) {
  std::set<std::string> keys;
  for (const auto& m : AssessMessages()) {
    EXPECT_TRUE(keys.insert(std::string(m.key)).second) << m.key;
    EXPECT_FALSE(m.ja.empty()) << m.key;
    EXPECT_FALSE(m.en.empty()) << m.key;
  }
}

}  // namespace
}  // namespace hoshi::assess
