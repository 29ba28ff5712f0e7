// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "hoshi/core/clock.h"
#include "hoshi/core/result.h"

namespace hoshi::assess {

/// Life cycle of an assessment. Who may trigger which event is the server's business (api);
/// this is the pure state machine with its guards.
enum class State { kDraft, kSubmitted, kInReview, kReturned, kConfirmed, kCertified, kExpired };
enum class Event { kSubmit, kStartReview, kReturn, kConfirm, kCertify, kExpire, kReopen };

[[nodiscard]] std::string_view StateName(State s);  ///< "draft", "in_review", …
[[nodiscard]] std::optional<State> ParseState(std::string_view name);
[[nodiscard]] std::string_view EventName(Event e);  ///< "submit", "start_review", …
[[nodiscard]] std::optional<Event> ParseEvent(std::string_view name);
[[nodiscard]] LocalizedText StateLabel(State s);

/// Facts the guards look at, computed by the caller from the evaluation and the record.
struct TransitionContext {
  int unanswered = 0;  ///< applicable criteria still unanswered
  int gaps = 0;        ///< applicable criteria not met
  int level = 0;
  bool declaration_required = false;  ///< ★3: management self-declaration (自己適合宣誓)
  bool declaration_made = false;
  std::optional<Date> expires_on;  ///< for kExpire
  Date today;
};

/// One row of the transition table.
struct TransitionRule {
  State from;
  Event event;
  State to;
};

/// The transition table (data): draft→submitted→in_review→returned|confirmed→certified→expired,
/// returned→submitted (resubmit) and returned→draft (reopen).
[[nodiscard]] std::span<const TransitionRule> TransitionTable();

/// The state after `event`, or kFailedPrecondition naming why (a bilingual message):
/// the event is not allowed in `from`; submitting with unanswered criteria; confirming with gaps;
/// certifying without a required declaration; expiring before the expiry date.
[[nodiscard]] Result<State> Transition(State from, Event event, const TransitionContext& ctx);

/// Events allowed in `from` by the table (guards not evaluated).
[[nodiscard]] std::vector<Event> AllowedEvents(State from);

}  // namespace hoshi::assess
