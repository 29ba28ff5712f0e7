// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

#include "hoshi/assess/answers.h"
#include "hoshi/catalog/registry.h"
#include "hoshi/core/json.h"

namespace hoshi::assess {

/// How far a lower-rung self-check prepares one requirement of the target catalog.
enum class Preparation { kPrepared, kPartly, kNotPrepared, kNoCoverage };
[[nodiscard]] std::string_view PreparationName(Preparation p);

struct PreparedRequirement {
  std::string requirement_id;
  std::string category_id;
  std::string title_ja;
  Preparation preparation = Preparation::kNoCoverage;
  /// The source items mapped to this requirement and their answers.
  std::vector<std::pair<std::string, AnswerStatus>> sources;
};

/// The ★2 → ★3 view: every requirement of `to` at `to_level`, with the SECURITY ACTION items
/// that prepare it (per `mapping`) and whether they are done.
struct PreparationView {
  std::string mapping_id;
  std::string from_catalog;
  std::string to_catalog;
  int to_level = 0;
  std::vector<PreparedRequirement> requirements;
  int prepared = 0;
  int partly = 0;
  int not_prepared = 0;
  int no_coverage = 0;
};

/// Builds the view. An item counts as done when "implemented". A requirement is prepared when all
/// its mapped items are done, partly when some are done or partial, not prepared when none, and
/// has no coverage when no item maps to it. kInvalidArgument if the mapping does not connect the
/// two catalogs.
[[nodiscard]] Result<PreparationView> BuildPreparationView(const catalog::CatalogMapping& mapping,
                                                           const catalog::CatalogVersion& to,
                                                           int to_level,
                                                           const AnswerSet& from_answers);

[[nodiscard]] Json PreparationToJson(const PreparationView& view);

}  // namespace hoshi::assess
