// SPDX-License-Identifier: Apache-2.0
#include <fmt/format.h>

#include "hoshi/assess/answers.h"
#include "hoshi/core/json.h"

namespace hoshi::assess {
namespace {

// One line for a YAML comment: newlines folded into spaces.
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) {
    out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  return out;
}

std::string Msg(std::string_view key, Lang lang) {
  return Lookup(AssessMessages(), key).In(lang);
}

std::string RecurrenceText(catalog::Recurrence r, Lang lang) {
  return Msg(r == catalog::Recurrence::kYearly ? "recurrence.yearly" : "recurrence.monthly", lang);
}

std::string YamlTemplate(const catalog::CatalogVersion& catalog, int level, Lang lang) {
  const auto criteria = catalog.CriteriaAt(level);
  std::string out;
  const auto* level_def = catalog.FindLevel(level);
  fmt::format_to(std::back_inserter(out), "# {}\n# {} {} — {}\n", Msg("template.header", lang),
                 catalog.official_title_ja, catalog.version,
                 level_def ? level_def->name.In(lang) : fmt::format("★{}", level));
  fmt::format_to(
      std::back_inserter(out), "# {}\n",
      FormatMessage(AssessMessages(), "template.criteria_count", static_cast<int>(criteria.size()))
          .In(lang));
  fmt::format_to(std::back_inserter(out), "# {}\n", Msg("template.statuses", lang));
  if (catalog.scoring) {
    fmt::format_to(std::back_inserter(out), "# {}\n", Msg("template.unknown_status", lang));
  }
  fmt::format_to(std::back_inserter(out), "# {}\n# {}\n", Msg("template.evidence", lang),
                 Msg("template.last_checked", lang));
  if (catalog.text_source != "official") {
    fmt::format_to(std::back_inserter(out), "# {}\n", OneLine(catalog.paraphrase_note.In(lang)));
  }
  fmt::format_to(std::back_inserter(out),
                 "catalog: {}\nlevel: {}\norganization:\n  name: \"\"\n  corporate_number: \"\"\n"
                 "answers:\n",
                 catalog.key(), level);
  std::string current_category;
  std::string current_requirement;
  for (const catalog::Criterion* c : criteria) {
    const catalog::Category* cat = catalog.CategoryOfCriterion(c->id);
    if (cat != nullptr && cat->id != current_category) {
      current_category = cat->id;
      fmt::format_to(std::back_inserter(out), "\n  # ── {} {} ──\n", cat->id,
                     lang == Lang::kJa ? cat->title_ja : cat->title_en);
    }
    if (c->requirement_id != current_requirement) {
      current_requirement = c->requirement_id;
      if (const auto* req = catalog.FindRequirement(c->requirement_id)) {
        fmt::format_to(std::back_inserter(out), "  # {} {}\n", req->id, req->title_ja);
      }
    }
    fmt::format_to(std::back_inserter(out), "  \"{}\":\n", c->id);
    const std::string guidance =
        c->official_text_ja.empty() ? c->guidance.In(lang) : c->official_text_ja;
    fmt::format_to(std::back_inserter(out), "    # {}: {}\n",
                   c->official_text_ja.empty() ? Msg("template.guidance", lang) : "評価基準",
                   OneLine(guidance));
    if (!c->evidence_hint.In(lang).empty()) {
      fmt::format_to(std::back_inserter(out), "    # {}: {}\n", Msg("template.evidence_hint", lang),
                     OneLine(c->evidence_hint.In(lang)));
    }
    fmt::format_to(std::back_inserter(out),
                   "    status: unanswered\n    reason: \"\"\n"
                   "    note: \"\"\n    evidence: []\n");
    if (c->recurrence != catalog::Recurrence::kNone) {
      fmt::format_to(std::back_inserter(out), "    last_checked: \"\"  # {}: {}\n",
                     Msg("template.recurring", lang), RecurrenceText(c->recurrence, lang));
    }
  }
  return out;
}

std::string JsonTemplate(const catalog::CatalogVersion& catalog, int level, Lang lang) {
  Json answers = Json::object();
  for (const catalog::Criterion* c : catalog.CriteriaAt(level)) {
    Json a;
    if (const auto* req = catalog.FindRequirement(c->requirement_id)) {
      a["title"] = req->title_ja;
    }
    a["guidance"] = c->official_text_ja.empty() ? c->guidance.In(lang) : c->official_text_ja;
    a["evidence_hint"] = c->evidence_hint.In(lang);
    a["status"] = "unanswered";
    a["reason"] = "";
    a["note"] = "";
    a["evidence"] = Json::array();
    if (c->recurrence != catalog::Recurrence::kNone) {
      a["recurring"] = catalog::RecurrenceName(c->recurrence);
      a["last_checked"] = "";
    }
    answers[c->id] = std::move(a);
  }
  Json out{{"catalog", catalog.key()},
           {"level", level},
           {"organization", Json{{"name", ""}, {"corporate_number", ""}}},
           {"answers", std::move(answers)}};
  return DumpJson(out, 2) + "\n";
}

}  // namespace

std::string MakeTemplate(const catalog::CatalogVersion& catalog, int level, TemplateFormat format,
                         Lang lang) {
  return format == TemplateFormat::kYaml ? YamlTemplate(catalog, level, lang)
                                         : JsonTemplate(catalog, level, lang);
}

}  // namespace hoshi::assess
