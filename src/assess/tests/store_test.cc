// SPDX-License-Identifier: Apache-2.0
#include "hoshi/assess/store.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "db_fixture.h"

namespace hoshi::assess {
namespace {

using AssessmentStoreTest = testing::DbTest;

TEST_P(AssessmentStoreTest, CreateSaveLoadRoundTrip) {
  AssessmentStore store(*conn_, clock_);
  auto id = store.Create("org-1", "scs-2026-03-27", 3);
  ASSERT_TRUE(id.ok()) << id.error().detail();
  AnswerSet set;
  Answer a;
  a.criterion_id = "1-2-1-1";
  a.status = AnswerStatus::kImplemented;
  a.note = "統括責任者を任命済み";
  a.last_checked = Date{2026, 4, 1};
  a.evidence = {std::string(64, 'a'), std::string(64, 'b')};
  set.answers[a.criterion_id] = a;
  Answer n;
  n.criterion_id = "2-1-2-1";
  n.status = AnswerStatus::kNotApplicable;
  n.reason = "機密情報を共有する取引先がない";
  set.answers[n.criterion_id] = n;
  ASSERT_TRUE(store.SaveAnswers(*id, set).ok());
  auto loaded = store.Load(*id);
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail();
  EXPECT_EQ(loaded->state, State::kDraft);
  EXPECT_EQ(loaded->level, 3);
  EXPECT_EQ(loaded->created_at, "2026-11-22T00:00:00Z");
  ASSERT_EQ(loaded->answers.answers.size(), 2U);
  const Answer& back = loaded->answers.answers.at("1-2-1-1");
  EXPECT_EQ(back.note, "統括責任者を任命済み");
  EXPECT_EQ(back.last_checked->ToIso(), "2026-04-01");
  EXPECT_EQ(back.evidence.size(), 2U);
  EXPECT_EQ(loaded->answers.answers.at("2-1-2-1").reason, "機密情報を共有する取引先がない");
  // Saving again replaces, it does not append.
  set.answers.erase("2-1-2-1");
  ASSERT_TRUE(store.SaveAnswers(*id, set).ok());
  EXPECT_EQ(store.Load(*id)->answers.answers.size(), 1U);
}

TEST_P(AssessmentStoreTest, TransitionsAreRecordedAndGuardedAgainstRaces) {
  AssessmentStore store(*conn_, clock_);
  auto id = store.Create("org-1", "scs-2026-03-27", 3);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(store.RecordTransition(*id, State::kDraft, Event::kSubmit, State::kSubmitted).ok());
  // A second actor still believing the assessment is a draft is refused.
  auto stale = store.RecordTransition(*id, State::kDraft, Event::kSubmit, State::kSubmitted);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code(), ErrorCode::kFailedPrecondition);
  auto transitions = store.Transitions(*id);
  ASSERT_TRUE(transitions.ok());
  ASSERT_EQ(transitions->size(), 1U);
  EXPECT_EQ((*transitions)[0].to, State::kSubmitted);
  EXPECT_EQ(store.Load(*id)->state, State::kSubmitted);
}

TEST_P(AssessmentStoreTest, UnknownIdsAreNotFoundAndListsAreScoped) {
  AssessmentStore store(*conn_, clock_);
  EXPECT_EQ(store.Load("nope").error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store.SaveAnswers("nope", AnswerSet{}).error().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(store.Create("org-a", "scs-2026-03-27", 3).ok());
  clock_.Advance(std::chrono::seconds(1));
  ASSERT_TRUE(store.Create("org-a", "scs-2026-03-27", 4).ok());
  ASSERT_TRUE(store.Create("org-b", "scs-2026-03-27", 3).ok());
  auto list = store.ListForOrganization("org-a");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2U);
  EXPECT_EQ((*list)[0].level, 4);  // newest first
}

HOSHI_INSTANTIATE_DB_TEST(AssessmentStoreTest);

}  // namespace
}  // namespace hoshi::assess
