// SPDX-License-Identifier: Apache-2.0
#include "hoshi/assess/workflow.h"

#include <gtest/gtest.h>

namespace hoshi::assess {
namespace {

TransitionContext Ready() {
  TransitionContext ctx;
  ctx.level = 3;
  ctx.today = Date{2026, 11, 22};
  return ctx;
}

TEST(WorkflowTest, HappyPathToCertifiedAndExpired) {
  auto ctx = Ready();
  ctx.declaration_required = true;
  ctx.declaration_made = true;
  State s = State::kDraft;
  for (Event e : {Event::kSubmit, Event::kStartReview, Event::kConfirm, Event::kCertify}) {
    auto next = Transition(s, e, ctx);
    ASSERT_TRUE(next.ok()) << EventName(e) << ": " << next.error().message(Lang::kEn);
    s = *next;
  }
  EXPECT_EQ(s, State::kCertified);
  ctx.expires_on = Date{2027, 11, 21};
  EXPECT_FALSE(Transition(s, Event::kExpire, ctx).ok());
  ctx.today = Date{2027, 11, 22};
  EXPECT_EQ(*Transition(s, Event::kExpire, ctx), State::kExpired);
}

TEST(WorkflowTest, ReturnResubmitAndReopen) {
  const auto ctx = Ready();
  EXPECT_EQ(*Transition(State::kInReview, Event::kReturn, ctx), State::kReturned);
  EXPECT_EQ(*Transition(State::kReturned, Event::kSubmit, ctx), State::kSubmitted);
  EXPECT_EQ(*Transition(State::kReturned, Event::kReopen, ctx), State::kDraft);
}

TEST(WorkflowTest, GuardsRefuseWithBilingualReasons) {
  auto ctx = Ready();
  ctx.unanswered = 4;
  auto r = Transition(State::kDraft, Event::kSubmit, ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message(Lang::kJa).find("4 件"), std::string::npos);
  ctx.unanswered = 0;
  ctx.gaps = 2;
  r = Transition(State::kInReview, Event::kConfirm, ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message(Lang::kEn).find("2 gaps"), std::string::npos);
  ctx.gaps = 0;
  ctx.declaration_required = true;
  r = Transition(State::kConfirmed, Event::kCertify, ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message(Lang::kJa).find("自己適合宣誓"), std::string::npos);
  EXPECT_FALSE(Transition(State::kCertified, Event::kExpire, ctx).ok());  // no expiry date
}

TEST(WorkflowTest, EveryPairOutsideTheTableIsRefused) {
  const auto ctx = Ready();
  int allowed = 0;
  for (int si = 0; si <= static_cast<int>(State::kExpired); ++si) {
    for (int ei = 0; ei <= static_cast<int>(Event::kReopen); ++ei) {
      const auto s = static_cast<State>(si);
      const auto e = static_cast<Event>(ei);
      bool in_table = false;
      for (const auto& rule : TransitionTable()) {
        in_table |= rule.from == s && rule.event == e;
      }
      auto r = Transition(s, e, ctx);
      if (!in_table) {
        ASSERT_FALSE(r.ok()) << StateName(s) << " " << EventName(e);
        EXPECT_NE(r.error().message(Lang::kJa).find(StateLabel(s).ja), std::string::npos);
      } else {
        ++allowed;
      }
    }
  }
  EXPECT_EQ(allowed, 8);
  EXPECT_TRUE(AllowedEvents(State::kExpired).empty());
  EXPECT_EQ(AllowedEvents(State::kReturned).size(), 2U);
}

TEST(WorkflowTest, NamesRoundTrip) {
  for (int si = 0; si <= static_cast<int>(State::kExpired); ++si) {
    const auto s = static_cast<State>(si);
    EXPECT_EQ(ParseState(StateName(s)), s);
  }
  for (int ei = 0; ei <= static_cast<int>(Event::kReopen); ++ei) {
    const auto e = static_cast<Event>(ei);
    EXPECT_EQ(ParseEvent(EventName(e)), e);
  }
  EXPECT_FALSE(ParseState("approved").has_value());
}

}  // namespace
}  // namespace hoshi::assess
