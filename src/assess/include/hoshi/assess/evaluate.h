// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hoshi/assess/answers.h"
#include "hoshi/catalog/catalog.h"
#include "hoshi/core/clock.h"
#include "hoshi/core/json.h"

namespace hoshi::assess {

/// How many applicable criteria have each answer.
struct StatusCounts {
  int implemented = 0;
  int partial = 0;
  int not_implemented = 0;
  int unanswered = 0;
  int not_applicable = 0;
  int unknown = 0;
  [[nodiscard]] int total() const {
    return implemented + partial + not_implemented + unanswered + not_applicable + unknown;
  }
  void Add(AnswerStatus status);
};

enum class Conformance { kConformant, kPartial, kNonConformant, kNotApplicable };
[[nodiscard]] std::string_view ConformanceName(Conformance c);

/// A criterion counts as met when it is implemented, or (scored items) answered at all.
struct RequirementResult {
  std::string id;
  std::string category_id;
  std::string title_ja;
  Conformance conformance = Conformance::kNotApplicable;
  StatusCounts counts;
  int met = 0;         ///< applicable criteria met
  int applicable = 0;  ///< criteria at this level minus N/A
};

struct CategoryResult {
  std::string id;
  std::string title_ja;
  std::string title_en;
  StatusCounts counts;
  int met = 0;
  int applicable = 0;
  int requirements_conformant = 0;
  int requirements_total = 0;  ///< requirements with criteria at this level
  [[nodiscard]] int percent() const { return applicable == 0 ? 100 : met * 100 / applicable; }
};

/// One applicable criterion that keeps the level from being met.
struct Gap {
  std::string criterion_id;
  std::string requirement_id;
  std::string category_id;
  std::string requirement_title_ja;
  AnswerStatus status = AnswerStatus::kUnanswered;
  LocalizedText guidance;  ///< paraphrase
  LocalizedText evidence_hint;
};

/// A recurring check that is due: never recorded, or older than its interval.
struct OverdueCheck {
  std::string criterion_id;
  catalog::Recurrence recurrence = catalog::Recurrence::kNone;
  std::optional<Date> last_checked;
  std::optional<Date> due;  ///< last_checked + interval (none when never checked)
  std::int64_t days_overdue = 0;
};

/// The score of scored self-check items and its band (SECURITY ACTION ★2).
struct ScoreResult {
  int score = 0;
  int max_score = 0;
  int answered = 0;
  int items = 0;
  LocalizedText band;
};

/// Everything derived from an answer set.
struct Evaluation {
  std::string catalog_key;
  int level = 0;
  Date evaluated_on;
  bool level_met = false;
  StatusCounts counts;  ///< over applicable criteria (N/A included in not_applicable)
  int criteria_at_level = 0;
  int requirements_at_level = 0;
  int requirements_conformant = 0;
  std::vector<CategoryResult> categories;
  std::vector<RequirementResult> requirements;
  std::vector<Gap> gaps;  ///< ordered by category, then catalog order
  std::vector<OverdueCheck> overdue;
  std::optional<ScoreResult> score;
};

/// Evaluates `answers` against `catalog` at `level` as of `today`. Criteria without an answer
/// count as unanswered. Pure; thread-safe.
[[nodiscard]] Evaluation Evaluate(const catalog::CatalogVersion& catalog, int level,
                                  const AnswerSet& answers, Date today);

/// The evaluation as JSON (stable field names; dates ISO 8601; texts in both languages).
[[nodiscard]] Json EvaluationToJson(const Evaluation& evaluation,
                                    const catalog::CatalogVersion& catalog);

}  // namespace hoshi::assess
