// SPDX-License-Identifier: Apache-2.0
#include "hoshi/assess/answers.h"

#include <gtest/gtest.h>

#include "test_catalog.h"

namespace hoshi::assess {
namespace {

const Date kToday{2026, 11, 22};

ParsedAnswers Parse(std::string_view text, int level = 3) {
  static const catalog::CatalogVersion kCatalog = testing::TinyCatalog();
  return ParseAnswers(text, "answers.yaml", kCatalog, level, kToday);
}

TEST(AnswersTest, ParsesFullAndShorthandAnswers) {
  auto parsed = Parse(R"(catalog: tiny-2026-01-01
level: 3
organization:
  name: 星取製作所
  corporate_number: "1234567890123"
answers:
  "1-1-1-1": implemented
  "1-1-1-2":
    status: 一部実施
    note: 年次点検を計画中
    last_checked: 2026-01-10
    evidence: [e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855]
  "2-1-1-1":
    status: not_applicable
    reason: 監視対象の機器がない
)");
  ASSERT_TRUE(parsed.ok()) << parsed.errors.front().ToString(Lang::kEn);
  const auto& a = parsed.answers;
  EXPECT_EQ(a.organization_name, "星取製作所");
  EXPECT_EQ(a.answers.size(), 3U);
  EXPECT_EQ(a.answers.at("1-1-1-1").status, AnswerStatus::kImplemented);
  EXPECT_EQ(a.answers.at("1-1-1-2").status, AnswerStatus::kPartial);
  EXPECT_EQ(a.answers.at("1-1-1-2").last_checked->ToIso(), "2026-01-10");
  EXPECT_EQ(a.answers.at("1-1-1-2").evidence.size(), 1U);
  EXPECT_EQ(a.answers.at("1-1-1-2").line, 8);
  EXPECT_EQ(a.answers.at("2-1-1-1").reason, "監視対象の機器がない");
}

TEST(AnswersTest, JsonFilesAreAccepted) {
  auto parsed = Parse(R"({"catalog": "tiny-2026-01-01", "level": 3,
  "answers": {"1-1-1-1": {"status": "implemented", "title": "規程"},
              "2-1-1-1": {"status": "not_implemented"}}})");
  ASSERT_TRUE(parsed.ok()) << parsed.errors.front().ToString(Lang::kEn);
  EXPECT_EQ(parsed.answers.answers.at("2-1-1-1").status, AnswerStatus::kNotImplemented);
}

TEST(AnswersTest, BrokenFileReportsEveryProblemWithItsLineInJapanese) {
  auto parsed = Parse(R"(level: 3
answers:
  "1-1-1-1": implemented
  "9-9-9-9": implemented
  "1-1-1-2":
    status: done
  "2-1-1-1":
    status: not_applicable
)");
  ASSERT_EQ(parsed.errors.size(), 3U);
  EXPECT_EQ(parsed.errors[0].location()->line, 4);
  EXPECT_EQ(parsed.errors[0].code(), ErrorCode::kDataError);
  EXPECT_EQ(parsed.errors[0].ToString(Lang::kJa),
            "answers.yaml の 4 行目: 評価基準「9-9-9-9」は tiny-2026-01-01 "
            "にありません。IDを確認してください。");
  EXPECT_EQ(parsed.errors[1].location()->line, 6);
  EXPECT_NE(parsed.errors[1].message(Lang::kJa).find("done"), std::string::npos);
  EXPECT_EQ(parsed.errors[2].location()->line, 7);
  EXPECT_NE(parsed.errors[2].message(Lang::kJa).find("理由"), std::string::npos);
  EXPECT_NE(parsed.errors[2].message(Lang::kEn).find("without a reason"), std::string::npos);
}

TEST(AnswersTest, SyntaxErrorNamesTheLine) {
  auto parsed = Parse("level: 3\nanswers:\n  \"1-1-1-1\": [unclosed\n  x: y\n");
  ASSERT_EQ(parsed.errors.size(), 1U);
  EXPECT_GE(parsed.errors[0].location()->line, 3);
}

TEST(AnswersTest, RejectsBadDatesHashesFieldsAndMismatches) {
  auto parsed = Parse(R"(catalog: other-1
level: 4
answers:
  "1-1-1-1":
    status: implemented
    last_checked: 2026-02-30
  "1-1-1-2":
    status: implemented
    last_checked: 2027-01-01
    evidence: ["../../etc/passwd"]
  "2-1-1-1":
    stauts: implemented
)",
                      3);
  std::vector<int> lines;
  for (const auto& e : parsed.errors) {
    lines.push_back(e.location()->line);
  }
  EXPECT_EQ(lines, (std::vector<int>{1, 2, 6, 9, 10, 12}));
}

TEST(AnswersTest, UnknownOnlyForScoredItemsAndAboveLevelIgnored) {
  auto parsed =
      Parse("level: 3\nanswers:\n  \"1-1-1-1\": わからない\n  \"1-1-1-3\": implemented\n");
  ASSERT_EQ(parsed.errors.size(), 1U);
  EXPECT_EQ(parsed.errors[0].location()->line, 3);
  EXPECT_EQ(parsed.ignored, (std::vector<std::string>{"1-1-1-3"}));
  auto scored = ParseAnswers("level: 2\nanswers:\n  \"2-1-1\": わからない\n", "x",
                             testing::ScoredCatalog(), 0, kToday);
  EXPECT_TRUE(scored.ok());
  EXPECT_EQ(scored.answers.level, 2);
}

TEST(AnswersTest, LevelComesFromTheFileWhenNotGiven) {
  auto parsed = Parse("level: 4\nanswers: {}\n", 0);
  EXPECT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.answers.level, 4);
  auto none = Parse("answers: {}\n", 0);
  EXPECT_FALSE(none.ok());
  auto bad_level = Parse("level: 7\nanswers: {}\n", 0);
  EXPECT_FALSE(bad_level.ok());
}

TEST(AnswersTest, OversizedFileIsRefused) {
  std::string big = "answers:\n";
  big.append(kMaxAnswerFileBytes, '#');
  auto parsed = Parse(big);
  ASSERT_EQ(parsed.errors.size(), 1U);
  EXPECT_EQ(parsed.errors[0].code(), ErrorCode::kDataError);
}

TEST(AnswersTest, StatusNamesRoundTrip) {
  for (auto s :
       {AnswerStatus::kUnanswered, AnswerStatus::kImplemented, AnswerStatus::kPartial,
        AnswerStatus::kNotImplemented, AnswerStatus::kNotApplicable, AnswerStatus::kUnknown}) {
    EXPECT_EQ(ParseStatus(StatusName(s)), s);
    EXPECT_FALSE(StatusLabel(s).ja.empty());
    EXPECT_NE(StatusLabel(s).ja, StatusLabel(s).en);
  }
  EXPECT_EQ(ParseStatus("Implemented"), AnswerStatus::kImplemented);
  EXPECT_EQ(ParseStatus("実施していない"), AnswerStatus::kNotImplemented);
  EXPECT_FALSE(ParseStatus("yes").has_value());
}

TEST(TemplateTest, YamlTemplateParsesBackAsAllUnanswered) {
  const auto catalog = testing::TinyCatalog();
  for (Lang lang : {Lang::kJa, Lang::kEn}) {
    const std::string yaml = MakeTemplate(catalog, 4, TemplateFormat::kYaml, lang);
    EXPECT_NE(yaml.find("# 1-1-1 規程"), std::string::npos);
    auto parsed = ParseAnswers(yaml, "t.yaml", catalog, 4, kToday);
    ASSERT_TRUE(parsed.ok()) << parsed.errors.front().ToString(Lang::kEn);
    EXPECT_EQ(parsed.answers.answers.size(), 5U);
    for (const auto& [id, a] : parsed.answers.answers) {
      EXPECT_EQ(a.status, AnswerStatus::kUnanswered) << id;
    }
  }
  const std::string json = MakeTemplate(catalog, 3, TemplateFormat::kJson, Lang::kJa);
  auto parsed = ParseAnswers(json, "t.json", catalog, 3, kToday);
  ASSERT_TRUE(parsed.ok()) << parsed.errors.front().ToString(Lang::kEn);
  EXPECT_EQ(parsed.answers.answers.size(), 3U);
}

}  // namespace
}  // namespace hoshi::assess
