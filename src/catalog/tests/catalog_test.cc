// SPDX-License-Identifier: Apache-2.0
#include "hoshi/catalog/catalog.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace hoshi::catalog {
namespace {

using testing::AnyMessageContains;
using testing::TinyCatalog;

TEST(CatalogTest, RecurrenceNamesRoundTrip) {
  for (Recurrence r : {Recurrence::kNone, Recurrence::kMonthly, Recurrence::kYearly}) {
    EXPECT_EQ(ParseRecurrence(RecurrenceName(r)), r);
  }
  EXPECT_FALSE(ParseRecurrence("weekly").has_value());
}

TEST(CatalogTest, Lookups) {
  const CatalogVersion c = TinyCatalog();
  EXPECT_EQ(c.key(), "tiny-2026-01-01");
  ASSERT_NE(c.FindLevel(2), nullptr);
  EXPECT_EQ(c.FindLevel(3), nullptr);
  ASSERT_NE(c.FindCategory("1"), nullptr);
  EXPECT_EQ(c.FindCategory("2"), nullptr);
  ASSERT_NE(c.FindSubcategory("1-1"), nullptr);
  EXPECT_EQ(c.FindSubcategory("1-2"), nullptr);
  ASSERT_NE(c.FindRequirement("1-1-2"), nullptr);
  EXPECT_EQ(c.FindRequirement("1-1-2")->title_en, "Requirement 2");
  ASSERT_NE(c.FindCriterion("1-1-1-2"), nullptr);
  EXPECT_EQ(c.FindCriterion("1-1-1-2")->level, 2);
  EXPECT_EQ(c.FindCriterion("9-9-9-9"), nullptr);
  ASSERT_NE(c.CategoryOfCriterion("1-1-2-1"), nullptr);
  EXPECT_EQ(c.CategoryOfCriterion("1-1-2-1")->id, "1");
  EXPECT_EQ(c.CategoryOfCriterion("nope"), nullptr);
}

TEST(CatalogTest, CriteriaAndRequirementsAtLevel) {
  const CatalogVersion c = TinyCatalog();
  const auto at1 = c.CriteriaAt(1);
  ASSERT_EQ(at1.size(), 2u);
  EXPECT_EQ(at1[0]->id, "1-1-1-1");
  EXPECT_EQ(at1[1]->id, "1-1-2-1");
  EXPECT_EQ(c.CriteriaAt(2).size(), 3u);
  EXPECT_EQ(c.CriteriaAt(0).size(), 0u);
  EXPECT_EQ(c.RequirementsAt(1).size(), 2u);
  EXPECT_EQ(c.RequirementsAt(0).size(), 0u);
}

TEST(CatalogTest, ValidCatalogValidatesWithCounts) {
  const ValidationReport report = Validate(TinyCatalog());
  for (const Error& e : report.problems) {
    ADD_FAILURE() << e.message(Lang::kEn);
  }
  ASSERT_EQ(report.counts.size(), 2u);
  EXPECT_EQ(report.counts[0].level, 1);
  EXPECT_EQ(report.counts[0].requirements, 2);
  EXPECT_EQ(report.counts[0].criteria, 2);
  EXPECT_EQ(report.counts[1].criteria, 3);
  EXPECT_EQ(report.counts[1].criteria_per_category.at("1"), 3);
}

TEST(CatalogTest, WrongPublishedCountNamesTheLevel) {
  CatalogVersion c = TinyCatalog();
  c.levels[1].expected_criteria = 4;
  const ValidationReport report = Validate(c);
  ASSERT_EQ(report.problems.size(), 1u);
  const Error& e = report.problems[0];
  EXPECT_EQ(e.code(), ErrorCode::kDataError);
  EXPECT_NE(e.message(Lang::kJa).find("★2（テスト）"), std::string::npos) << e.message(Lang::kJa);
  EXPECT_NE(e.message(Lang::kJa).find("3 件"), std::string::npos);
  EXPECT_NE(e.message(Lang::kEn).find("★2 (test)"), std::string::npos) << e.message(Lang::kEn);
  EXPECT_NE(e.message(Lang::kEn).find("published count is 4"), std::string::npos);
}

TEST(CatalogTest, WrongPerCategoryCountIsReported) {
  CatalogVersion c = TinyCatalog();
  c.levels[0].expected_criteria_per_category = {{"1", 1}, {"9", 0}};
  const ValidationReport report = Validate(c);
  EXPECT_TRUE(AnyMessageContains(report.problems, "category '1': 2 criteria", Lang::kEn));
  EXPECT_TRUE(AnyMessageContains(report.problems, "category '9'", Lang::kEn));
}

TEST(CatalogTest, StructuralProblemsAreEachReported) {
  CatalogVersion c = TinyCatalog();
  Requirement& r1 = c.categories[0].subcategories[0].requirements[0];
  r1.criteria[0].id = "1-1-1";                                    // not under 1-1-1
  r1.criteria[1].level = 7;                                       // undefined level
  r1.title_en.clear();                                            // missing English title
  r1.criteria[1].guidance.en.clear();                             // guidance in one language only
  c.categories[0].subcategories[0].requirements[1].id = "1-1-1";  // duplicate
  c.categories[0].subcategories[0].category_id = "2";             // wrong parent
  const ValidationReport report = Validate(c);
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(AnyMessageContains(report.problems, "Malformed id '1-1-1'", Lang::kEn));
  EXPECT_TRUE(AnyMessageContains(report.problems, "Duplicate id '1-1-1'", Lang::kEn));
  EXPECT_TRUE(AnyMessageContains(report.problems, "level 7", Lang::kEn));
  EXPECT_TRUE(AnyMessageContains(report.problems, "'1-1-1': title", Lang::kEn));
  EXPECT_TRUE(AnyMessageContains(report.problems, "'1-1-1-2': guidance", Lang::kEn));
  EXPECT_TRUE(AnyMessageContains(report.problems, "names '2' as its parent", Lang::kEn));
  for (const Error& e : report.problems) {
    EXPECT_FALSE(e.message(Lang::kJa).empty());
    EXPECT_FALSE(e.message(Lang::kEn).empty());
    EXPECT_NE(e.message(Lang::kJa), e.message(Lang::kEn));
  }
}

TEST(CatalogTest, HeaderProblems) {
  CatalogVersion c = TinyCatalog();
  c.catalog_id = "Tiny!";
  c.version = "";
  c.published = "2026-13-01";
  c.text_source = "copied";
  c.levels.push_back(c.levels[0]);
  const ValidationReport report = Validate(c);
  EXPECT_TRUE(AnyMessageContains(report.problems, "Invalid catalog_id", Lang::kEn));
  EXPECT_TRUE(AnyMessageContains(report.problems, "Invalid version", Lang::kEn));
  EXPECT_TRUE(AnyMessageContains(report.problems, "Invalid published date", Lang::kEn));
  EXPECT_TRUE(AnyMessageContains(report.problems, "Invalid text_source", Lang::kEn));
  EXPECT_TRUE(AnyMessageContains(report.problems, "Level 1 is defined twice", Lang::kEn));
}

TEST(CatalogTest, OfficialCatalogNeedsHashAndMayLackGuidance) {
  CatalogVersion c = TinyCatalog();
  c.text_source = "official";
  Criterion& crit = c.categories[0].subcategories[0].requirements[0].criteria[0];
  crit.guidance = {};
  crit.official_text_ja = "公式の文言";
  ValidationReport report = Validate(c);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_TRUE(AnyMessageContains(report.problems, "needs source_sha256", Lang::kEn));
  c.source_sha256 = std::string(64, 'a');
  EXPECT_TRUE(Validate(c).ok());
  c.source_sha256 = std::string(64, 'G');
  EXPECT_FALSE(Validate(c).ok());
}

TEST(CatalogTest, ScoringRules) {
  CatalogVersion c = TinyCatalog();
  for (auto& req : c.categories[0].subcategories[0].requirements) {
    for (auto& crit : req.criteria) {
      crit.scored = true;
    }
  }
  EXPECT_TRUE(AnyMessageContains(Validate(c).problems, "no scoring rule", Lang::kEn));
  Scoring s;
  s.level = 2;
  s.points = {{"implemented", 4}, {"partial", 2}, {"not_implemented", 0}, {"unknown", -1}};
  s.max_score = 12;
  s.bands = {{12, {"満点", "Full"}}, {6, {"半分", "Half"}}, {-3, {"低い", "Low"}}};
  c.scoring = s;
  EXPECT_TRUE(Validate(c).ok());
  c.scoring->max_score = 100;
  EXPECT_TRUE(AnyMessageContains(Validate(c).problems, "max_score 100", Lang::kEn));
  c.scoring->max_score = 12;
  c.scoring->bands.back().min_score = 0;
  EXPECT_TRUE(AnyMessageContains(Validate(c).problems, "lowest possible score -3", Lang::kEn));
  c.scoring->bands = {{6, {"a", "a"}}, {12, {"b", "b"}}, {-3, {"c", "c"}}};
  EXPECT_TRUE(AnyMessageContains(Validate(c).problems, "descending", Lang::kEn));
  c.scoring->bands = {{12, {"満点", "Full"}}, {-3, {"低い", "Low"}}};
  c.scoring->level = 5;
  EXPECT_TRUE(AnyMessageContains(Validate(c).problems, "level 5", Lang::kEn));
}

TEST(CatalogTest, JsonRoundTrip) {
  CatalogVersion c = TinyCatalog();
  Scoring s;
  s.level = 2;
  s.points = {{"implemented", 4}};
  s.max_score = 0;
  s.bands = {{0, {"全部", "All"}}};
  c.scoring = s;
  c.categories[0].subcategories[0].requirements[0].official_text_ja = "公式";
  c.source_sha256 = std::string(64, 'b');
  const std::string text = CatalogToJson(c);
  auto parsed = ParseCatalogJson(text, "tiny.json");
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString(Lang::kEn);
  EXPECT_EQ(CatalogToJson(*parsed), text);
  const Criterion* crit = parsed->FindCriterion("1-1-1-2");
  ASSERT_NE(crit, nullptr);
  EXPECT_EQ(crit->requirement_id, "1-1-1");
  EXPECT_EQ(crit->recurrence, Recurrence::kMonthly);
  EXPECT_EQ(crit->note.en, "Note");
  EXPECT_EQ(parsed->FindSubcategory("1-1")->category_id, "1");
  EXPECT_EQ(parsed->FindRequirement("1-1-2")->subcategory_id, "1-1");
  EXPECT_EQ(parsed->levels[0].expected_criteria_per_category.at("1"), 2);
  EXPECT_FALSE(parsed->levels[1].expected_criteria_per_category.size());
  ASSERT_TRUE(parsed->scoring.has_value());
  EXPECT_EQ(parsed->scoring->points.at("implemented"), 4);
  EXPECT_EQ(parsed->sources, c.sources);
  EXPECT_EQ(parsed->source_sha256, c.source_sha256);
}

TEST(CatalogTest, ParseErrorsNameTheField) {
  const std::string good = CatalogToJson(TinyCatalog());
  auto syntax = ParseCatalogJson("{\n  \"format\": \n}", "broken.json");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().code(), ErrorCode::kDataError);
  ASSERT_TRUE(syntax.error().location().has_value());
  EXPECT_EQ(syntax.error().location()->line, 3);

  std::string unknown = good;
  unknown.replace(unknown.find("\"recurrence\""), 12, "\"recurence\"");
  auto r1 = ParseCatalogJson(unknown, "x.json");
  ASSERT_FALSE(r1.ok());
  EXPECT_NE(r1.error().message(Lang::kEn).find("recurence"), std::string::npos)
      << r1.error().message(Lang::kEn);
  EXPECT_NE(r1.error().message(Lang::kEn).find("categories[0].subcategories[0]"),
            std::string::npos);
  EXPECT_EQ(r1.error().location()->source, "x.json");

  std::string bad_recurrence = good;
  bad_recurrence.replace(bad_recurrence.find("\"yearly\""), 8, "\"weekly\"");
  auto r2 = ParseCatalogJson(bad_recurrence, "x.json");
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.error().message(Lang::kEn).find("weekly"), std::string::npos);

  std::string bad_format = good;
  bad_format.replace(bad_format.find("hoshitori-catalog"), 17, "something-else!!!");
  EXPECT_FALSE(ParseCatalogJson(bad_format, "x.json").ok());

  std::string no_title = good;
  no_title.replace(no_title.find("\"title_en\": \"Category\","), 24, "");
  auto r3 = ParseCatalogJson(no_title, "x.json");
  ASSERT_FALSE(r3.ok());
  EXPECT_NE(r3.error().message(Lang::kEn).find("title_en"), std::string::npos);
}

}  // namespace
}  // namespace hoshi::catalog
