// SPDX-License-Identifier: Apache-2.0
#include "hoshi/assess/evaluate.h"

namespace hoshi::assess {
namespace {

bool IsMet(const catalog::Criterion& criterion, AnswerStatus status) {
  if (criterion.scored) {
    return status != AnswerStatus::kUnanswered;
  }
  return status == AnswerStatus::kImplemented;
}

std::optional<OverdueCheck> CheckRecurrence(const catalog::Criterion& criterion,
                                            const Answer* answer, Date today) {
  if (criterion.recurrence == catalog::Recurrence::kNone || answer == nullptr ||
      answer->status != AnswerStatus::kImplemented) {
    return std::nullopt;  // only an implemented recurring control can fall behind schedule
  }
  OverdueCheck check;
  check.criterion_id = criterion.id;
  check.recurrence = criterion.recurrence;
  if (!answer->last_checked) {
    return check;
  }
  check.last_checked = answer->last_checked;
  const Date due = criterion.recurrence == catalog::Recurrence::kYearly
                       ? answer->last_checked->AddYears(1)
                       : answer->last_checked->AddMonths(1);
  if (today <= due) {
    return std::nullopt;
  }
  check.due = due;
  check.days_overdue = today.DaysSinceEpoch() - due.DaysSinceEpoch();
  return check;
}

Json CountsToJson(const StatusCounts& c) {
  return Json{{"implemented", c.implemented},         {"partial", c.partial},
              {"not_implemented", c.not_implemented}, {"unanswered", c.unanswered},
              {"not_applicable", c.not_applicable},   {"unknown", c.unknown}};
}

Json TextToJson(const LocalizedText& t) {
  return Json{{"ja", t.ja}, {"en", t.en}};
}

}  // namespace

void StatusCounts::Add(AnswerStatus status) {
  switch (status) {
    case AnswerStatus::kImplemented:
      ++implemented;
      break;
    case AnswerStatus::kPartial:
      ++partial;
      break;
    case AnswerStatus::kNotImplemented:
      ++not_implemented;
      break;
    case AnswerStatus::kUnanswered:
      ++unanswered;
      break;
    case AnswerStatus::kNotApplicable:
      ++not_applicable;
      break;
    case AnswerStatus::kUnknown:
      ++unknown;
      break;
  }
}

std::string_view ConformanceName(Conformance c) {
  switch (c) {
    case Conformance::kConformant:
      return "conformant";
    case Conformance::kPartial:
      return "partial";
    case Conformance::kNonConformant:
      return "non_conformant";
    case Conformance::kNotApplicable:
      return "not_applicable";
  }
  return "not_applicable";
}

Evaluation Evaluate(const catalog::CatalogVersion& catalog, int level, const AnswerSet& answers,
                    Date today) {
  Evaluation ev;
  ev.catalog_key = catalog.key();
  ev.level = level;
  ev.evaluated_on = today;
  int scored_items = 0;
  int score = 0;
  int scored_answered = 0;
  for (const auto& category : catalog.categories) {
    CategoryResult cat;
    cat.id = category.id;
    cat.title_ja = category.title_ja;
    cat.title_en = category.title_en;
    for (const auto& sub : category.subcategories) {
      for (const auto& req : sub.requirements) {
        RequirementResult rr;
        rr.id = req.id;
        rr.category_id = category.id;
        rr.title_ja = req.title_ja;
        int at_level = 0;
        for (const auto& criterion : req.criteria) {
          if (criterion.level > level) {
            continue;
          }
          ++at_level;
          ++ev.criteria_at_level;
          auto it = answers.answers.find(criterion.id);
          const Answer* answer = it == answers.answers.end() ? nullptr : &it->second;
          const AnswerStatus status = answer ? answer->status : AnswerStatus::kUnanswered;
          rr.counts.Add(status);
          if (criterion.scored) {
            ++scored_items;
            if (status != AnswerStatus::kUnanswered && catalog.scoring) {
              ++scored_answered;
              auto points = catalog.scoring->points.find(std::string(StatusName(status)));
              if (points != catalog.scoring->points.end()) {
                score += points->second;
              }
            }
          }
          if (status == AnswerStatus::kNotApplicable) {
            continue;
          }
          ++rr.applicable;
          if (IsMet(criterion, status)) {
            ++rr.met;
          } else {
            ev.gaps.push_back(Gap{criterion.id, req.id, category.id, req.title_ja, status,
                                  criterion.guidance, criterion.evidence_hint});
          }
          if (auto overdue = CheckRecurrence(criterion, answer, today)) {
            ev.overdue.push_back(std::move(*overdue));
          }
        }
        if (at_level == 0) {
          continue;
        }
        if (rr.applicable == 0) {
          rr.conformance = Conformance::kNotApplicable;
        } else if (rr.met == rr.applicable) {
          rr.conformance = Conformance::kConformant;
        } else if (rr.met > 0 || rr.counts.partial > 0) {
          rr.conformance = Conformance::kPartial;
        } else {
          rr.conformance = Conformance::kNonConformant;
        }
        ++ev.requirements_at_level;
        ++cat.requirements_total;
        if (rr.conformance == Conformance::kConformant ||
            rr.conformance == Conformance::kNotApplicable) {
          ++ev.requirements_conformant;
          ++cat.requirements_conformant;
        }
        cat.met += rr.met;
        cat.applicable += rr.applicable;
        const StatusCounts& c = rr.counts;
        cat.counts.implemented += c.implemented;
        cat.counts.partial += c.partial;
        cat.counts.not_implemented += c.not_implemented;
        cat.counts.unanswered += c.unanswered;
        cat.counts.not_applicable += c.not_applicable;
        cat.counts.unknown += c.unknown;
        ev.requirements.push_back(std::move(rr));
      }
    }
    if (cat.requirements_total == 0) {
      continue;  // e.g. a ★4-only category in a ★3 view
    }
    ev.counts.implemented += cat.counts.implemented;
    ev.counts.partial += cat.counts.partial;
    ev.counts.not_implemented += cat.counts.not_implemented;
    ev.counts.unanswered += cat.counts.unanswered;
    ev.counts.not_applicable += cat.counts.not_applicable;
    ev.counts.unknown += cat.counts.unknown;
    ev.categories.push_back(std::move(cat));
  }
  ev.level_met = ev.criteria_at_level > 0 && ev.gaps.empty();
  if (catalog.scoring && catalog.scoring->level <= level && scored_items > 0) {
    ScoreResult sr;
    sr.score = score;
    sr.max_score = catalog.scoring->max_score;
    sr.answered = scored_answered;
    sr.items = scored_items;
    for (const auto& band : catalog.scoring->bands) {
      if (score >= band.min_score) {
        sr.band = band.label;
        break;
      }
    }
    ev.score = std::move(sr);
  }
  return ev;
}

Json EvaluationToJson(const Evaluation& ev, const catalog::CatalogVersion& catalog) {
  Json out;
  out["catalog"] = ev.catalog_key;
  out["catalog_title"] = catalog.official_title_ja;
  out["level"] = ev.level;
  out["evaluated_on"] = ev.evaluated_on.ToIso();
  out["level_met"] = ev.level_met;
  out["criteria_at_level"] = ev.criteria_at_level;
  out["requirements_at_level"] = ev.requirements_at_level;
  out["requirements_conformant"] = ev.requirements_conformant;
  out["counts"] = CountsToJson(ev.counts);
  out["text_source"] = catalog.text_source;
  out["paraphrase_note"] = TextToJson(catalog.paraphrase_note);
  Json cats = Json::array();
  for (const auto& c : ev.categories) {
    cats.push_back(Json{{"id", c.id},
                        {"title_ja", c.title_ja},
                        {"title_en", c.title_en},
                        {"met", c.met},
                        {"applicable", c.applicable},
                        {"percent", c.percent()},
                        {"requirements_conformant", c.requirements_conformant},
                        {"requirements_total", c.requirements_total},
                        {"counts", CountsToJson(c.counts)}});
  }
  out["categories"] = std::move(cats);
  Json reqs = Json::array();
  for (const auto& r : ev.requirements) {
    reqs.push_back(Json{{"id", r.id},
                        {"category", r.category_id},
                        {"title_ja", r.title_ja},
                        {"conformance", ConformanceName(r.conformance)},
                        {"met", r.met},
                        {"applicable", r.applicable}});
  }
  out["requirements"] = std::move(reqs);
  Json gaps = Json::array();
  for (const auto& g : ev.gaps) {
    gaps.push_back(Json{{"criterion", g.criterion_id},
                        {"requirement", g.requirement_id},
                        {"category", g.category_id},
                        {"requirement_title_ja", g.requirement_title_ja},
                        {"status", StatusName(g.status)},
                        {"guidance", TextToJson(g.guidance)},
                        {"evidence_hint", TextToJson(g.evidence_hint)}});
  }
  out["gaps"] = std::move(gaps);
  Json overdue = Json::array();
  for (const auto& o : ev.overdue) {
    Json item{{"criterion", o.criterion_id},
              {"recurrence", catalog::RecurrenceName(o.recurrence)},
              {"days_overdue", o.days_overdue}};
    item["last_checked"] = o.last_checked ? Json(o.last_checked->ToIso()) : Json(nullptr);
    item["due"] = o.due ? Json(o.due->ToIso()) : Json(nullptr);
    overdue.push_back(std::move(item));
  }
  out["overdue_checks"] = std::move(overdue);
  if (ev.score) {
    out["score"] = Json{{"score", ev.score->score},
                        {"max_score", ev.score->max_score},
                        {"answered", ev.score->answered},
                        {"items", ev.score->items},
                        {"band", TextToJson(ev.score->band)}};
  } else {
    out["score"] = nullptr;
  }
  return out;
}

}  // namespace hoshi::assess
