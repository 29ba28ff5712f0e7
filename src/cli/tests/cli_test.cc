// SPDX-License-Identifier: Apache-2.0
#include "hoshi/cli/cli.h"

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace hoshi::cli {
namespace {

int RunArgs(std::vector<const char*> args, std::string& out, std::string& err,
            const Environment& env = {}) {
  args.insert(args.begin(), "hoshitori");
  std::ostringstream o;
  std::ostringstream e;
  const int code = Run(args, env, o, e);
  out = o.str();
  err = e.str();
  return code;
}

TEST(CliTest, EveryMessageHasBothLanguagesAndUniqueKeys) {
  std::set<std::string> keys;
  for (const auto& m : CliMessages()) {
    EXPECT_TRUE(keys.insert(std::string(m.key)).second) << m.key;
    EXPECT_FALSE(m.ja.empty()) << m.key;
    EXPECT_FALSE(m.en.empty()) << m.key;
  }
}

TEST(CliTest, HelpIsJapaneseByDefaultAndEnglishOnRequest) {
  std::string out;
  std::string err;
  EXPECT_EQ(RunArgs({"--help"}, out, err), 0);
  EXPECT_NE(out.find("要求事項カタログ"), std::string::npos) << out;
  EXPECT_EQ(RunArgs({"--lang", "en", "--help"}, out, err), 0);
  EXPECT_NE(out.find("requirement catalogs"), std::string::npos) << out;
  Environment env;
  env.lang = "en";
  EXPECT_EQ(RunArgs({"assess", "--help"}, out, err, env), 0);
  EXPECT_NE(out.find("Evaluate an answer file"), std::string::npos) << out;
}

TEST(CliTest, UsageErrorsExit64InTheUsersLanguage) {
  std::string out;
  std::string err;
  EXPECT_EQ(RunArgs({"assess", "template", "--catalog", "scs-2026-03-27"}, out, err), 64);
  EXPECT_NE(err.find("コマンドの指定が正しくありません"), std::string::npos) << err;
  EXPECT_EQ(RunArgs({}, out, err), 64);
  EXPECT_EQ(RunArgs({"--lang=de", "version"}, out, err), 64);
}

TEST(CliTest, VersionPrints) {
  std::string out;
  std::string err;
  EXPECT_EQ(RunArgs({"version"}, out, err), 0);
  EXPECT_EQ(out.rfind("hoshitori ", 0), 0U);
}

}  // namespace
}  // namespace hoshi::cli
