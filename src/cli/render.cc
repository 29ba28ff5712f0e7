// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>

#include "commands.h"

namespace hoshi::cli {
namespace {

std::string LevelName(const Context& ctx, const catalog::CatalogVersion& catalog, int level) {
  if (const auto* def = catalog.FindLevel(level)) {
    return def->name.In(ctx.lang);
  }
  return fmt::format("★{}", level);
}

std::string CategoryTitle(const Context& ctx, const std::string& ja, const std::string& en) {
  return ctx.lang == Lang::kJa || en.empty() ? ja : en;
}

std::string AssessText(const Context& ctx, std::string_view key) {
  return Lookup(assess::AssessMessages(), key).In(ctx.lang);
}

void PrintSourceNote(const Context& ctx, const catalog::CatalogVersion& catalog) {
  if (catalog.text_source == "official") {
    ctx.out << Fmt(ctx, "out.source_official", catalog.source_sha256) << "\n";
  } else {
    ctx.out << "※ " << catalog.paraphrase_note.In(ctx.lang) << "\n";
  }
}

}  // namespace

void PrintCatalogList(const Context& ctx, const catalog::CatalogRegistry& registry) {
  const auto list = registry.List();
  ctx.out << Fmt(ctx, "out.catalog_list_header", static_cast<int>(list.size())) << "\n";
  for (const auto* c : list) {
    ctx.out << "\n" << c->key() << "  " << c->title.In(ctx.lang) << "\n";
    ctx.out << "  " << c->official_title_ja
            << (ctx.lang == Lang::kJa ? "（" + c->publisher + "、" + c->published + "）"
                                      : " (" + c->publisher + ", " + c->published + ")")
            << "\n";
    for (const auto& level : c->levels) {
      ctx.out << "  " << level.name.In(ctx.lang) << ": "
              << Fmt(ctx, "out.requirements_criteria",
                     static_cast<int>(c->RequirementsAt(level.level).size()),
                     static_cast<int>(c->CriteriaAt(level.level).size()))
              << "\n";
    }
  }
}

void PrintCatalog(const Context& ctx, const catalog::CatalogVersion& catalog, int level) {
  ctx.out << catalog.key() << "  " << catalog.title.In(ctx.lang) << "\n"
          << catalog.official_title_ja << "\n";
  PrintSourceNote(ctx, catalog);
  for (const auto& cat : catalog.categories) {
    bool printed_category = false;
    for (const auto& sub : cat.subcategories) {
      for (const auto& req : sub.requirements) {
        std::vector<const catalog::Criterion*> shown;
        for (const auto& c : req.criteria) {
          if (level == 0 || c.level <= level) {
            shown.push_back(&c);
          }
        }
        if (shown.empty()) {
          continue;
        }
        if (!printed_category) {
          ctx.out << "\n" << cat.id << " " << CategoryTitle(ctx, cat.title_ja, cat.title_en);
          if (!cat.csf_function.empty()) {
            ctx.out << "  [CSF " << cat.csf_function << "]";
          }
          ctx.out << "\n";
          printed_category = true;
        }
        ctx.out << "  " << req.id << " " << req.title_ja;
        if (ctx.lang == Lang::kEn && !req.title_en.empty()) {
          ctx.out << " (" << req.title_en << ")";
        }
        ctx.out << "\n";
        for (const auto* c : shown) {
          const std::string& text =
              c->official_text_ja.empty() ? c->guidance.In(ctx.lang) : c->official_text_ja;
          ctx.out << "    " << c->id << " ★" << c->level << "  " << text << "\n";
        }
      }
    }
  }
}

void PrintValidation(const Context& ctx, const catalog::CatalogVersion& catalog,
                     const catalog::ValidationReport& report) {
  ctx.out << (report.ok() ? Fmt(ctx, "out.valid", catalog.key())
                          : Fmt(ctx, "out.invalid", catalog.key()))
          << "\n";
  for (const auto& counts : report.counts) {
    ctx.out << "  " << LevelName(ctx, catalog, counts.level) << ": "
            << Fmt(ctx, "out.requirements_criteria", counts.requirements, counts.criteria) << "\n";
    if (!counts.criteria_per_category.empty()) {
      ctx.out << "    " << Msg(ctx, "out.per_category") << ":";
      for (const auto& [cat, n] : counts.criteria_per_category) {
        ctx.out << " " << cat << "=" << n;
      }
      ctx.out << "\n";
    }
  }
  for (const auto& problem : report.problems) {
    ctx.out << "  - " << problem.ToString(ctx.lang) << "\n";
  }
}

void PrintEvaluation(const Context& ctx, const catalog::CatalogVersion& catalog,
                     const assess::AnswerSet& answers, const assess::Evaluation& ev) {
  const std::string level = LevelName(ctx, catalog, ev.level);
  ctx.out << Fmt(ctx, "out.eval_title", catalog.title.In(ctx.lang) + " " + catalog.version, level)
          << "\n";
  if (!answers.organization_name.empty()) {
    std::string org = answers.organization_name;
    if (!answers.corporate_number.empty()) {
      org += ctx.lang == Lang::kJa ? "（法人番号 " + answers.corporate_number + "）"
                                   : " (corporate number " + answers.corporate_number + ")";
    }
    ctx.out << Fmt(ctx, "out.organization", org) << "\n";
  }
  ctx.out << Fmt(ctx, "out.evaluated_on", ev.evaluated_on.Format(ctx.lang)) << "\n";
  ctx.out << (ev.level_met
                  ? Fmt(ctx, "out.verdict_met", level)
                  : Fmt(ctx, "out.verdict_not_met", level, static_cast<int>(ev.gaps.size())))
          << "\n";
  const auto& c = ev.counts;
  ctx.out << Fmt(ctx, "out.counts", ev.criteria_at_level, c.implemented, c.partial,
                 c.not_implemented, c.unanswered, c.not_applicable);
  if (c.unknown > 0) {
    ctx.out << (ctx.lang == Lang::kJa ? "、" : ", ") << Fmt(ctx, "out.unknown_count", c.unknown);
  }
  ctx.out << "\n"
          << Fmt(ctx, "out.requirements_conformant", ev.requirements_conformant,
                 ev.requirements_at_level)
          << "\n";
  if (ev.score) {
    ctx.out << Fmt(ctx, "out.score", ev.score->score, ev.score->max_score,
                   ev.score->band.In(ctx.lang))
            << "\n";
  }
  ctx.out << "\n" << Msg(ctx, "out.by_category") << "\n";
  for (const auto& cat : ev.categories) {
    ctx.out << "  "
            << Fmt(ctx, "out.category_line", cat.id, CategoryTitle(ctx, cat.title_ja, cat.title_en),
                   cat.met, cat.applicable, cat.percent())
            << "\n";
  }
  if (!ev.gaps.empty()) {
    ctx.out << "\n" << Msg(ctx, "out.gaps") << "\n";
    std::string current;
    for (const auto& gap : ev.gaps) {
      if (gap.category_id != current) {
        current = gap.category_id;
        const auto* cat = catalog.FindCategory(current);
        ctx.out << "  [" << current << " "
                << (cat ? CategoryTitle(ctx, cat->title_ja, cat->title_en) : "") << "]\n";
      }
      ctx.out << "  ・"
              << Fmt(ctx, "out.gap_line", gap.criterion_id,
                     assess::StatusLabel(gap.status).In(ctx.lang),
                     gap.requirement_id + " " + gap.requirement_title_ja)
              << "\n";
      const auto* criterion = catalog.FindCriterion(gap.criterion_id);
      if (criterion != nullptr && !criterion->official_text_ja.empty()) {
        ctx.out << "      " << Msg(ctx, "out.official_text") << ": " << criterion->official_text_ja
                << "\n";
      }
      ctx.out << "      " << Msg(ctx, "out.guidance") << ": " << gap.guidance.In(ctx.lang) << "\n";
      if (!gap.evidence_hint.In(ctx.lang).empty()) {
        ctx.out << "      " << Msg(ctx, "out.evidence_hint") << ": "
                << gap.evidence_hint.In(ctx.lang) << "\n";
      }
    }
  }
  if (!ev.overdue.empty()) {
    ctx.out << "\n" << Msg(ctx, "out.overdue") << "\n";
    for (const auto& o : ev.overdue) {
      const std::string every =
          AssessText(ctx, o.recurrence == catalog::Recurrence::kYearly ? "recurrence.yearly"
                                                                       : "recurrence.monthly");
      if (o.last_checked) {
        ctx.out << "  ・"
                << Fmt(ctx, "out.overdue_line", o.criterion_id, every,
                       o.last_checked->Format(ctx.lang), o.due->Format(ctx.lang), o.days_overdue)
                << "\n";
      } else {
        ctx.out << "  ・" << Fmt(ctx, "out.overdue_never", o.criterion_id, every) << "\n";
      }
    }
  }
  if (!ev.gaps.empty()) {
    const auto& first = ev.gaps.front();
    ctx.out << "\n"
            << Fmt(ctx, "out.next_step", first.requirement_id, first.requirement_title_ja) << "\n";
  }
  ctx.out << "\n";
  PrintSourceNote(ctx, catalog);
}

void PrintPreparation(const Context& ctx, const catalog::CatalogVersion& from,
                      const catalog::CatalogVersion& to, const assess::PreparationView& view) {
  ctx.out << Fmt(ctx, "out.prepare_title", from.title.In(ctx.lang), to.title.In(ctx.lang),
                 view.to_level)
          << "\n"
          << Fmt(ctx, "out.prepare_counts", view.prepared, view.partly, view.not_prepared,
                 view.no_coverage, static_cast<int>(view.requirements.size()))
          << "\n\n";
  for (const auto& r : view.requirements) {
    ctx.out << "  " << r.requirement_id << " " << r.title_ja << " — "
            << AssessText(ctx, "prepare." + std::string(assess::PreparationName(r.preparation)));
    if (!r.sources.empty()) {
      ctx.out << " (";
      bool first = true;
      for (const auto& [item, status] : r.sources) {
        ctx.out << (first ? "" : ", ") << item << ":" << assess::StatusLabel(status).In(ctx.lang);
        first = false;
      }
      ctx.out << ")";
    }
    ctx.out << "\n";
  }
}

}  // namespace hoshi::cli
