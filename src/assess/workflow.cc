// SPDX-License-Identifier: Apache-2.0
#include "hoshi/assess/workflow.h"

#include <array>

#include "hoshi/assess/answers.h"

namespace hoshi::assess {
namespace {

constexpr std::array<std::pair<State, std::string_view>, 7> kStateNames{{
    {State::kDraft, "draft"},
    {State::kSubmitted, "submitted"},
    {State::kInReview, "in_review"},
    {State::kReturned, "returned"},
    {State::kConfirmed, "confirmed"},
    {State::kCertified, "certified"},
    {State::kExpired, "expired"},
}};

constexpr std::array<std::pair<Event, std::string_view>, 7> kEventNames{{
    {Event::kSubmit, "submit"},
    {Event::kStartReview, "start_review"},
    {Event::kReturn, "return"},
    {Event::kConfirm, "confirm"},
    {Event::kCertify, "certify"},
    {Event::kExpire, "expire"},
    {Event::kReopen, "reopen"},
}};

constexpr std::array kTable{
    TransitionRule{State::kDraft, Event::kSubmit, State::kSubmitted},
    TransitionRule{State::kSubmitted, Event::kStartReview, State::kInReview},
    TransitionRule{State::kInReview, Event::kReturn, State::kReturned},
    TransitionRule{State::kInReview, Event::kConfirm, State::kConfirmed},
    TransitionRule{State::kReturned, Event::kSubmit, State::kSubmitted},
    TransitionRule{State::kReturned, Event::kReopen, State::kDraft},
    TransitionRule{State::kConfirmed, Event::kCertify, State::kCertified},
    TransitionRule{State::kCertified, Event::kExpire, State::kExpired},
};

Error Refuse(std::string_view key, auto&&... args) {
  return MakeError(ErrorCode::kFailedPrecondition, AssessMessages(), key, args...);
}

}  // namespace

std::string_view StateName(State s) {
  for (const auto& [state, name] : kStateNames) {
    if (state == s) {
      return name;
    }
  }
  return "draft";
}

std::optional<State> ParseState(std::string_view name) {
  for (const auto& [state, n] : kStateNames) {
    if (n == name) {
      return state;
    }
  }
  return std::nullopt;
}

std::string_view EventName(Event e) {
  for (const auto& [event, name] : kEventNames) {
    if (event == e) {
      return name;
    }
  }
  return "submit";
}

std::optional<Event> ParseEvent(std::string_view name) {
  for (const auto& [event, n] : kEventNames) {
    if (n == name) {
      return event;
    }
  }
  return std::nullopt;
}

LocalizedText StateLabel(State s) {
  return Lookup(AssessMessages(), "state." + std::string(StateName(s)));
}

std::span<const TransitionRule> TransitionTable() {
  return kTable;
}

std::vector<Event> AllowedEvents(State from) {
  std::vector<Event> out;
  for (const auto& rule : kTable) {
    if (rule.from == from) {
      out.push_back(rule.event);
    }
  }
  return out;
}

Result<State> Transition(State from, Event event, const TransitionContext& ctx) {
  const TransitionRule* rule = nullptr;
  for (const auto& r : kTable) {
    if (r.from == from && r.event == event) {
      rule = &r;
      break;
    }
  }
  if (rule == nullptr) {
    const LocalizedText state = StateLabel(from);
    const LocalizedText ev = Lookup(AssessMessages(), "event." + std::string(EventName(event)));
    const LocalizedText tmpl = Lookup(AssessMessages(), "workflow.not_allowed");
    return Error(ErrorCode::kFailedPrecondition,
                 LocalizedText{fmt::format(fmt::runtime(tmpl.ja), state.ja, ev.ja),
                               fmt::format(fmt::runtime(tmpl.en), state.en, ev.en)});
  }
  switch (event) {
    case Event::kSubmit:
      if (ctx.unanswered > 0) {
        return Refuse("workflow.unanswered", ctx.unanswered);
      }
      break;
    case Event::kConfirm:
      if (ctx.gaps > 0) {
        return Refuse("workflow.not_met", ctx.level, ctx.gaps);
      }
      break;
    case Event::kCertify:
      if (ctx.declaration_required && !ctx.declaration_made) {
        return Refuse("workflow.no_declaration");
      }
      break;
    case Event::kExpire:
      if (!ctx.expires_on) {
        return Refuse("workflow.no_expiry");
      }
      if (ctx.today <= *ctx.expires_on) {
        return Refuse("workflow.not_expired", ctx.expires_on->ToIso());
      }
      break;
    case Event::kStartReview:
    case Event::kReturn:
    case Event::kReopen:
      break;
  }
  return rule->to;
}

}  // namespace hoshi::assess
