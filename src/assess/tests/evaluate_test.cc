// SPDX-License-Identifier: Apache-2.0
#include "hoshi/assess/evaluate.h"

#include <gtest/gtest.h>

#include "test_catalog.h"

namespace hoshi::assess {
namespace {

const Date kToday{2026, 11, 22};

AnswerSet Answers(std::initializer_list<std::pair<std::string, AnswerStatus>> items) {
  AnswerSet set;
  set.catalog_key = "tiny-2026-01-01";
  for (const auto& [id, status] : items) {
    Answer a;
    a.criterion_id = id;
    a.status = status;
    if (status == AnswerStatus::kNotApplicable) {
      a.reason = "対象外";
    }
    set.answers.emplace(id, a);
  }
  return set;
}

TEST(EvaluateTest, AllImplementedMeetsTheLevel) {
  const auto catalog = testing::TinyCatalog();
  auto answers = Answers({{"1-1-1-1", AnswerStatus::kImplemented},
                          {"1-1-1-2", AnswerStatus::kImplemented},
                          {"2-1-1-1", AnswerStatus::kImplemented}});
  answers.answers["1-1-1-2"].last_checked = Date{2026, 6, 1};
  answers.answers["2-1-1-1"].last_checked = Date{2026, 11, 1};
  const auto ev = Evaluate(catalog, 3, answers, kToday);
  EXPECT_TRUE(ev.level_met);
  EXPECT_EQ(ev.criteria_at_level, 3);
  EXPECT_EQ(ev.requirements_at_level, 2);
  EXPECT_EQ(ev.requirements_conformant, 2);
  EXPECT_EQ(ev.categories.size(), 2U);  // the ★4-only category is not shown at ★3
  EXPECT_TRUE(ev.gaps.empty());
  EXPECT_TRUE(ev.overdue.empty());
  // The same answers do not meet ★4: two ★4 criteria are unanswered.
  const auto ev4 = Evaluate(catalog, 4, answers, kToday);
  EXPECT_FALSE(ev4.level_met);
  ASSERT_EQ(ev4.gaps.size(), 2U);
  EXPECT_EQ(ev4.gaps[0].criterion_id, "1-1-1-3");
  EXPECT_EQ(ev4.gaps[1].criterion_id, "3-1-1-1");
  EXPECT_EQ(ev4.counts.unanswered, 2);
}

TEST(EvaluateTest, NotApplicableIsExcludedAndPartialIsAGap) {
  const auto catalog = testing::TinyCatalog();
  const auto ev = Evaluate(catalog, 3,
                           Answers({{"1-1-1-1", AnswerStatus::kPartial},
                                    {"1-1-1-2", AnswerStatus::kNotApplicable},
                                    {"2-1-1-1", AnswerStatus::kNotApplicable}}),
                           kToday);
  EXPECT_FALSE(ev.level_met);
  ASSERT_EQ(ev.gaps.size(), 1U);
  EXPECT_EQ(ev.gaps[0].status, AnswerStatus::kPartial);
  EXPECT_EQ(ev.gaps[0].guidance.ja, "ガイダンス 1-1-1-1");
  ASSERT_EQ(ev.requirements.size(), 2U);
  EXPECT_EQ(ev.requirements[0].conformance, Conformance::kPartial);
  EXPECT_EQ(ev.requirements[1].conformance, Conformance::kNotApplicable);
  EXPECT_EQ(ev.counts.not_applicable, 2);
  EXPECT_EQ(ev.categories[1].percent(), 100);
}

TEST(EvaluateTest, NothingImplementedIsNonConformant) {
  const auto ev = Evaluate(testing::TinyCatalog(), 3, AnswerSet{}, kToday);
  EXPECT_FALSE(ev.level_met);
  EXPECT_EQ(ev.gaps.size(), 3U);
  EXPECT_EQ(ev.requirements[0].conformance, Conformance::kNonConformant);
  EXPECT_EQ(ev.counts.unanswered, 3);
}

TEST(EvaluateTest, RecurringChecksFallDue) {
  const auto catalog = testing::TinyCatalog();
  auto answers = Answers({{"1-1-1-1", AnswerStatus::kImplemented},
                          {"1-1-1-2", AnswerStatus::kImplemented},
                          {"2-1-1-1", AnswerStatus::kImplemented}});
  answers.answers["1-1-1-2"].last_checked = Date{2025, 11, 21};  // yearly: due 2026-11-21
  // 2-1-1-1 monthly, never recorded.
  const auto ev = Evaluate(catalog, 3, answers, kToday);
  ASSERT_EQ(ev.overdue.size(), 2U);
  EXPECT_EQ(ev.overdue[0].criterion_id, "1-1-1-2");
  EXPECT_EQ(ev.overdue[0].due->ToIso(), "2026-11-21");
  EXPECT_EQ(ev.overdue[0].days_overdue, 1);
  EXPECT_EQ(ev.overdue[1].criterion_id, "2-1-1-1");
  EXPECT_FALSE(ev.overdue[1].last_checked.has_value());
  // Exactly one year ago is still on time.
  answers.answers["1-1-1-2"].last_checked = Date{2025, 11, 22};
  answers.answers["2-1-1-1"].last_checked = Date{2026, 10, 22};
  EXPECT_TRUE(Evaluate(catalog, 3, answers, kToday).overdue.empty());
}

TEST(EvaluateTest, ScoredSelfCheckGivesScoreAndBand) {
  const auto catalog = testing::ScoredCatalog();
  AnswerSet set;
  set.catalog_key = catalog.key();
  auto put = [&](const std::string& id, AnswerStatus s) {
    Answer a;
    a.criterion_id = id;
    a.status = s;
    set.answers[id] = a;
  };
  put("1-1-1", AnswerStatus::kImplemented);
  put("2-1-1", AnswerStatus::kImplemented);
  put("2-1-2", AnswerStatus::kPartial);
  put("2-1-3", AnswerStatus::kUnknown);
  auto ev = Evaluate(catalog, 2, set, kToday);
  ASSERT_TRUE(ev.score.has_value());
  EXPECT_EQ(ev.score->score, 5);  // 4 + 2 - 1
  EXPECT_EQ(ev.score->band.ja, "要改善");
  EXPECT_TRUE(ev.level_met);  // scored items only need an answer
  put("2-1-2", AnswerStatus::kImplemented);
  put("2-1-3", AnswerStatus::kImplemented);
  ev = Evaluate(catalog, 2, set, kToday);
  EXPECT_EQ(ev.score->score, 12);
  EXPECT_EQ(ev.score->band.en, "Full");
  set.answers.erase("2-1-3");
  ev = Evaluate(catalog, 2, set, kToday);
  EXPECT_FALSE(ev.level_met);
  EXPECT_EQ(ev.score->answered, 2);
  // ★1 has no scored items, so no score.
  EXPECT_FALSE(Evaluate(catalog, 1, set, kToday).score.has_value());
}

TEST(EvaluateTest, JsonNamesEverythingStably) {
  const auto catalog = testing::TinyCatalog();
  const auto ev = Evaluate(catalog, 3, Answers({{"1-1-1-1", AnswerStatus::kImplemented}}), kToday);
  const Json j = EvaluationToJson(ev, catalog);
  EXPECT_EQ(j["catalog"], "tiny-2026-01-01");
  EXPECT_EQ(j["level_met"], false);
  EXPECT_EQ(j["evaluated_on"], "2026-11-22");
  EXPECT_EQ(j["gaps"].size(), 2U);
  EXPECT_EQ(j["gaps"][0]["status"], "unanswered");
  EXPECT_EQ(j["paraphrase_note"]["ja"], "言い換えです。");
  EXPECT_TRUE(j["score"].is_null());
}

}  // namespace
}  // namespace hoshi::assess
