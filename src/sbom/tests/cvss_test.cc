// SPDX-License-Identifier: Apache-2.0
#include "hoshi/sbom/cvss.h"

#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "hoshi/core/file.h"

namespace hoshi::sbom {
namespace {

namespace fs = std::filesystem;

struct ScoreCase {
  std::string_view vector;
  double score;
  std::string_view source;  // where the expected score is published
};

// Expected scores from FIRST's specification documents and calculators, NVD, and the test data
// of RedHatProductSecurity/cvss (tests/vectors_simple2, vectors_simple3, vectors_simple31,
// vectors_simple4). During development every v2, v3.0, v3.1 and v4.0 base vector (110,889 in
// all) was also compared with an independent implementation (metaeffekt's ae-cvss-calculator
// 1.0.13): no difference.
constexpr ScoreCase kScoreCases[] = {
    // v3.1
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "FIRST v3.1 calculator; NVD"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "CVE-2021-44228 (Log4Shell), NVD"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6, "vectors_simple31"},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, "vectors_simple31"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8, "vectors_simple31"},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4, "NVD (typical stored XSS)"},
    {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:C/C:L/I:N/A:N", 4.1, "vectors_simple31"},
    {"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:N/A:N", 4.9, "vectors_simple31"},
    {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, "NVD (local privilege escalation)"},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1, "FIRST v3.1 calculator"},
    {"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6, "FIRST v3.1 calculator"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, "no impact"},
    // Temporal and environmental metrics are validated but do not change the base score.
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:R/CR:L/MAV:P", 9.8, "base only"},
    // v3.0
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "vectors_simple3"},
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:N/A:N", 4.7, "vectors_simple3"},
    {"CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:C/C:H/I:H/A:L", 8.9, "vectors_simple3"},
    {"CVSS:3.0/AV:N/AC:L/PR:L/UI:R/S:U/C:L/I:N/A:N", 3.5, "vectors_simple3"},
    // v2
    {"AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, "CVSS v2 guide; NVD"},
    {"AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0, "NVD"},
    {"AV:N/AC:M/Au:N/C:C/I:C/A:C", 9.3, "NVD"},
    {"AV:L/AC:H/Au:M/C:N/I:N/A:P", 0.8, "vectors_simple2"},
    {"AV:L/AC:M/Au:S/C:P/I:P/A:P", 4.1, "vectors_simple2"},
    {"AV:N/AC:M/Au:S/C:P/I:N/A:N", 3.5, "NVD"},
    {"AV:N/AC:L/Au:N/C:N/I:N/A:N", 0.0, "no impact (Python gives -0.0)"},
    {"(AV:N/AC:L/Au:N/C:P/I:P/A:P)", 7.5, "NVD's parenthesised form"},
    {"AV:N/AC:L/Au:N/C:P/I:P/A:P/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:H/IR:H/AR:H", 7.5, "base only"},
    // v4.0
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, "FIRST calculator"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0, "FIRST calculator"},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 4.6, "FIRST calculator"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L", 9.2, "vectors_simple4"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L", 7.8, "vectors_simple4"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:L/SA:N", 6.9, "vectors_simple4"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:L/SA:H", 7.9, "vectors_simple4"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N", 5.1, "vectors_simple4"},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N", 2.1, "vectors_simple4"},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N", 1.8, "vectors_simple4"},
    {"CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N", 4.0, "vectors_simple4"},
    {"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:N/VI:L/VA:N/SC:L/SI:H/SA:L", 7.0, "vectors_simple4"},
    {"CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L", 1.0, "FIRST calculator"},
    {"CVSS:4.0/AV:L/AC:H/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 7.3, "FIRST calculator"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0, "no impact"},
    // CVSS-B: threat, environmental and supplemental metrics are checked, not applied.
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:L/MAV:P/MSI:S/"
     "S:P/AU:Y/R:U/V:C/RE:H/U:Red",
     9.3, "base only"},
};

TEST(CvssTest, KnownVectorsScoreAsPublished) {
  for (const ScoreCase& c : kScoreCases) {
    const auto score = CvssBaseScore(c.vector);
    ASSERT_TRUE(score) << c.vector << ": " << score.error().message(Lang::kEn);
    EXPECT_DOUBLE_EQ(*score, c.score) << c.vector << " (" << c.source << ")";
  }
}

constexpr std::string_view kInvalidVectors[] = {
    "",
    "CVSS:3.1/",
    "CVSS:3.1",
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",            // A missing
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",       // trailing slash
    "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",        // X is not a base value
    "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",   // duplicate
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/FOO:1",  // unknown metric
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E",      // no colon
    "CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",       // empty field
    "CVSS:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h",        // case matters
    "CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",        // no such version
    "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",                 // v2 has no prefix
    "AV:N/AC:L/Au:N/C:P/I:P",
    "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",  // v3 metrics without the prefix
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",  // S only for MSI/MSA
    "CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",       // AT missing
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",  // UI:R is v3
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red",
    "7.5",
    "HIGH",
};

TEST(CvssTest, InvalidVectorsAreDataErrors) {
  for (const std::string_view vector : kInvalidVectors) {
    const auto score = CvssBaseScore(vector);
    ASSERT_FALSE(score) << vector << " scored " << *score;
    EXPECT_EQ(score.error().code(), ErrorCode::kDataError) << vector;
    EXPECT_EQ(score.error().reason(), "sbom.cvss_invalid") << vector;
    EXPECT_NE(score.error().message(Lang::kJa), score.error().message(Lang::kEn));
  }
  // Absurd input is refused without echoing all of it.
  const std::string huge = "CVSS:3.1/" + std::string(100000, 'A');
  const auto score = CvssBaseScore(huge);
  ASSERT_FALSE(score);
  EXPECT_LT(score.error().message(Lang::kEn).size(), 300U);
}

TEST(CvssTest, EveryBaseVectorScoresWithinRange) {
  // All 2,592 v3 base vectors: valid, in [0, 10], one decimal, zero exactly when no impact.
  const std::string_view av = "NALP";
  const std::string_view cia = "HLN";
  std::size_t checked = 0;
  for (const char a : av) {
    for (const char ac : std::string_view("LH")) {
      for (const char pr : std::string_view("NLH")) {
        for (const char ui : std::string_view("NR")) {
          for (const char s : std::string_view("UC")) {
            for (const char c : cia) {
              for (const char i : cia) {
                for (const char x : cia) {
                  std::ostringstream v;
                  v << "CVSS:3.1/AV:" << a << "/AC:" << ac << "/PR:" << pr << "/UI:" << ui
                    << "/S:" << s << "/C:" << c << "/I:" << i << "/A:" << x;
                  const auto score = CvssBaseScore(v.str());
                  ASSERT_TRUE(score) << v.str();
                  EXPECT_GE(*score, 0.0);
                  EXPECT_LE(*score, 10.0);
                  EXPECT_DOUBLE_EQ(*score * 10, std::round(*score * 10)) << v.str();
                  EXPECT_EQ(*score == 0.0, c == 'N' && i == 'N' && x == 'N') << v.str();
                  ++checked;
                }
              }
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(checked, 2592U);
}

// Every CVSS vector written anywhere in the shared advisory records (severity[].score,
// database_specific.cvss, details text) must parse and score within [0, 10].
TEST(CvssTest, SharedAdvisoryVectorsAllScore) {
  const fs::path root = fs::path(HOSHI_SHARED_DIR) / "data/advisories/osv";
  if (!fs::is_directory(root)) {
    GTEST_SKIP() << "shared advisory data not found at " << root;
  }
  std::map<std::string, std::size_t> per_version;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    const auto read = ReadFile(entry.path().string());
    ASSERT_TRUE(read) << entry.path();
    const std::string& text = *read;
    for (std::size_t at = text.find("CVSS:"); at != std::string::npos;
         at = text.find("CVSS:", at + 1)) {
      std::size_t end = at;
      while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                   text[end] == ':' || text[end] == '/' || text[end] == '.')) {
        ++end;
      }
      std::string vector = text.substr(at, end - at);
      while (!vector.empty() && (vector.back() == '.' || vector.back() == '/')) {
        vector.pop_back();  // a sentence's full stop after a vector in details
      }
      if (vector.size() <= 9 || vector[9 - 1] != '/') {
        continue;  // "CVSS:" in prose, not a vector
      }
      const auto score = CvssBaseScore(vector);
      ASSERT_TRUE(score) << entry.path() << ": " << vector << ": "
                         << score.error().message(Lang::kEn);
      EXPECT_GE(*score, 0.0) << vector;
      EXPECT_LE(*score, 10.0) << vector;
      ++per_version[vector.substr(0, 8)];
    }
  }
  // The counts `grep -rhoE 'CVSS:3.0/…'` etc. give on the shared data.
  EXPECT_EQ(per_version["CVSS:3.0"], 76U);
  EXPECT_EQ(per_version["CVSS:3.1"], 846U);
  EXPECT_EQ(per_version["CVSS:4.0"], 114U);
  EXPECT_EQ(per_version.size(), 3U);
}

}  // namespace
}  // namespace hoshi::sbom
