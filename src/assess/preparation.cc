// SPDX-License-Identifier: Apache-2.0
#include "hoshi/assess/preparation.h"

#include <map>

namespace hoshi::assess {

std::string_view PreparationName(Preparation p) {
  switch (p) {
    case Preparation::kPrepared:
      return "prepared";
    case Preparation::kPartly:
      return "partly";
    case Preparation::kNotPrepared:
      return "not_prepared";
    case Preparation::kNoCoverage:
      return "no_coverage";
  }
  return "no_coverage";
}

Result<PreparationView> BuildPreparationView(const catalog::CatalogMapping& mapping,
                                             const catalog::CatalogVersion& to, int to_level,
                                             const AnswerSet& from_answers) {
  if (mapping.to_catalog != to.key() || mapping.from_catalog != from_answers.catalog_key) {
    return MakeError(ErrorCode::kInvalidArgument, AssessMessages(), "prepare.wrong_catalogs",
                     mapping.id, from_answers.catalog_key, to.key());
  }
  // Invert the mapping: target requirement -> source items, in mapping order.
  std::map<std::string, std::vector<std::string>> sources_of;
  for (const auto& [item, requirements] : mapping.entries) {
    for (const auto& req : requirements) {
      sources_of[req].push_back(item);
    }
  }
  PreparationView view;
  view.mapping_id = mapping.id;
  view.from_catalog = mapping.from_catalog;
  view.to_catalog = mapping.to_catalog;
  view.to_level = to_level;
  for (const catalog::Requirement* req : to.RequirementsAt(to_level)) {
    PreparedRequirement pr;
    pr.requirement_id = req->id;
    pr.title_ja = req->title_ja;
    if (const auto* sub = to.FindSubcategory(req->subcategory_id)) {
      pr.category_id = sub->category_id;
    }
    int done = 0;
    int started = 0;
    auto it = sources_of.find(req->id);
    if (it != sources_of.end()) {
      for (const auto& item : it->second) {
        auto answer = from_answers.answers.find(item);
        const AnswerStatus status = answer == from_answers.answers.end() ? AnswerStatus::kUnanswered
                                                                         : answer->second.status;
        pr.sources.emplace_back(item, status);
        done += status == AnswerStatus::kImplemented ? 1 : 0;
        started += status == AnswerStatus::kPartial ? 1 : 0;
      }
    }
    if (pr.sources.empty()) {
      pr.preparation = Preparation::kNoCoverage;
      ++view.no_coverage;
    } else if (done == static_cast<int>(pr.sources.size())) {
      pr.preparation = Preparation::kPrepared;
      ++view.prepared;
    } else if (done + started > 0) {
      pr.preparation = Preparation::kPartly;
      ++view.partly;
    } else {
      pr.preparation = Preparation::kNotPrepared;
      ++view.not_prepared;
    }
    view.requirements.push_back(std::move(pr));
  }
  return view;
}

Json PreparationToJson(const PreparationView& view) {
  Json reqs = Json::array();
  for (const auto& r : view.requirements) {
    Json sources = Json::array();
    for (const auto& [item, status] : r.sources) {
      sources.push_back(Json{{"item", item}, {"status", StatusName(status)}});
    }
    reqs.push_back(Json{{"requirement", r.requirement_id},
                        {"category", r.category_id},
                        {"title_ja", r.title_ja},
                        {"preparation", PreparationName(r.preparation)},
                        {"sources", std::move(sources)}});
  }
  return Json{{"mapping", view.mapping_id},
              {"from", view.from_catalog},
              {"to", view.to_catalog},
              {"to_level", view.to_level},
              {"prepared", view.prepared},
              {"partly", view.partly},
              {"not_prepared", view.not_prepared},
              {"no_coverage", view.no_coverage},
              {"requirements", std::move(reqs)}};
}

}  // namespace hoshi::assess
