// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "hoshi/assess/answers.h"
#include "hoshi/assess/workflow.h"
#include "hoshi/core/clock.h"
#include "hoshi/storage/database.h"

namespace hoshi::assess {

/// A stored assessment with its answers.
struct AssessmentRecord {
  std::string id;
  std::string organization_id;
  std::string catalog_key;
  int level = 0;
  State state = State::kDraft;
  std::string created_at;  ///< RFC 3339 UTC
  std::string updated_at;
  AnswerSet answers;
};

/// One recorded state change.
struct TransitionRecord {
  int seq = 0;
  State from = State::kDraft;
  State to = State::kDraft;
  Event event = Event::kSubmit;
  std::string at;
};

/// Persists assessments on any storage backend (SQLite or PostgreSQL). Borrows the connection
/// and clock, which must outlive it. Not thread-safe (one connection).
class AssessmentStore {
 public:
  AssessmentStore(storage::Connection& conn, const Clock& clock) : conn_(conn), clock_(clock) {}

  /// Creates a draft assessment; returns its id.
  [[nodiscard]] Result<std::string> Create(std::string_view organization_id,
                                           std::string_view catalog_key, int level);
  /// Replaces all answers (and their evidence) in one transaction. kNotFound for an unknown id.
  [[nodiscard]] Status SaveAnswers(std::string_view id, const AnswerSet& answers);
  /// kNotFound for an unknown id; kDataError when stored values are damaged.
  [[nodiscard]] Result<AssessmentRecord> Load(std::string_view id);
  /// Assessments of one organisation, newest first, without answers.
  [[nodiscard]] Result<std::vector<AssessmentRecord>> ListForOrganization(
      std::string_view organization_id);
  /// Moves the assessment from `from` to `to`, recording the event. kFailedPrecondition when the
  /// stored state is no longer `from` (a concurrent change).
  [[nodiscard]] Status RecordTransition(std::string_view id, State from, Event event, State to);
  [[nodiscard]] Result<std::vector<TransitionRecord>> Transitions(std::string_view id);

 private:
  storage::Connection& conn_;
  const Clock& clock_;
};

}  // namespace hoshi::assess
