// SPDX-License-Identifier: Apache-2.0
#include "hoshi/catalog/catalog.h"

#include <algorithm>
#include <set>
#include <string>

#include "hoshi/core/result.h"

#include "messages.h"

namespace hoshi::catalog {
namespace {

using detail::CatalogError;
using detail::CatalogErrorWith;

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsSegment(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsAlnum);
}

// `id` is `parent` + "-" + one segment (or one segment when `parent` is empty).
bool IsChildId(std::string_view id, std::string_view parent) {
  if (parent.empty()) {
    return IsSegment(id);
  }
  return id.size() > parent.size() + 1 && id.substr(0, parent.size()) == parent &&
         id[parent.size()] == '-' && IsSegment(id.substr(parent.size() + 1));
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsDateOrMonth(std::string_view s) {
  if (s.size() != 7 && s.size() != 10) {
    return false;
  }
  if (!IsDigits(s.substr(0, 4)) || s[4] != '-' || !IsDigits(s.substr(5, 2))) {
    return false;
  }
  const int month = (s[5] - '0') * 10 + (s[6] - '0');
  if (month < 1 || month > 12) {
    return false;
  }
  if (s.size() == 7) {
    return true;
  }
  if (s[7] != '-' || !IsDigits(s.substr(8, 2))) {
    return false;
  }
  const int day = (s[8] - '0') * 10 + (s[9] - '0');
  return day >= 1 && day <= 31;
}

bool IsHex64(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

class Checker {
 public:
  explicit Checker(std::vector<Error>& problems) : problems_(problems) {}

  void Add(Error error) { problems_.push_back(std::move(error)); }

  void NonEmpty(std::string_view value, std::string_view field) {
    if (value.empty()) {
      Add(CatalogError(ErrorCode::kDataError, "catalog.empty_field", field));
    }
  }
  // Both languages present.
  void Both(const LocalizedText& text, std::string_view owner, std::string_view field) {
    if (text.ja.empty() || text.en.empty()) {
      Add(CatalogError(ErrorCode::kDataError, "catalog.text_incomplete", owner, field));
    }
  }
  void Both(std::string_view ja, std::string_view en, std::string_view owner,
            std::string_view field) {
    Both(LocalizedText{std::string(ja), std::string(en)}, owner, field);
  }
  // Both languages or neither.
  void BothOrNone(const LocalizedText& text, std::string_view owner, std::string_view field) {
    if (text.ja.empty() != text.en.empty()) {
      Add(CatalogError(ErrorCode::kDataError, "catalog.text_incomplete", owner, field));
    }
  }
  void Id(std::string_view id, std::string_view parent) {
    if (!IsChildId(id, parent)) {
      if (parent.empty()) {
        Add(CatalogError(ErrorCode::kDataError, "catalog.bad_top_id", id));
      } else {
        Add(CatalogError(ErrorCode::kDataError, "catalog.bad_id", id, parent));
      }
    }
    if (!ids_.insert(std::string(id)).second) {
      Add(CatalogError(ErrorCode::kDataError, "catalog.duplicate_id", id));
    }
  }
  void Parent(std::string_view id, std::string_view named, std::string_view actual) {
    if (named != actual) {
      Add(CatalogError(ErrorCode::kDataError, "catalog.parent_mismatch", id, named, actual));
    }
  }

 private:
  std::vector<Error>& problems_;
  std::set<std::string, std::less<>> ids_;
};

void CheckHeader(const CatalogVersion& c, Checker& check) {
  if (c.catalog_id.empty()) {
    check.NonEmpty(c.catalog_id, "catalog_id");
  } else if (!std::all_of(c.catalog_id.begin(), c.catalog_id.end(), [](char ch) {
               return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
             })) {
    check.Add(CatalogError(ErrorCode::kDataError, "catalog.bad_catalog_id", c.catalog_id));
  }
  if (c.version.empty() || c.version.size() > 64 ||
      !std::all_of(c.version.begin(), c.version.end(),
                   [](char ch) { return IsAlnum(ch) || ch == '.' || ch == '-' || ch == '_'; })) {
    check.Add(CatalogError(ErrorCode::kDataError, "catalog.bad_version", c.version));
  }
  check.NonEmpty(c.official_title_ja, "official_title_ja");
  check.Both(c.title, "catalog", "title");
  check.NonEmpty(c.publisher, "publisher");
  if (!c.published.empty() && !IsDateOrMonth(c.published)) {
    check.Add(CatalogError(ErrorCode::kDataError, "catalog.bad_date", c.published));
  }
  if (c.text_source == "paraphrase") {
    check.Both(c.paraphrase_note, "catalog", "paraphrase_note");
  } else if (c.text_source == "official") {
    check.BothOrNone(c.paraphrase_note, "catalog", "paraphrase_note");
    if (c.source_sha256.empty()) {
      check.Add(CatalogError(ErrorCode::kDataError, "catalog.missing_sha256"));
    }
  } else {
    check.Add(CatalogError(ErrorCode::kDataError, "catalog.bad_text_source", c.text_source));
  }
  if (!c.source_sha256.empty() && !IsHex64(c.source_sha256)) {
    check.Add(CatalogError(ErrorCode::kDataError, "catalog.bad_sha256", c.source_sha256));
  }
}

void CheckLevels(const CatalogVersion& c, Checker& check) {
  if (c.levels.empty()) {
    check.Add(CatalogError(ErrorCode::kDataError, "catalog.no_levels"));
  }
  std::set<int> seen;
  for (const LevelDef& level : c.levels) {
    if (level.level < 1 || level.level > 99) {
      check.Add(CatalogError(ErrorCode::kDataError, "catalog.bad_level", level.level));
    }
    if (!seen.insert(level.level).second) {
      check.Add(CatalogError(ErrorCode::kDataError, "catalog.duplicate_level", level.level));
    }
    check.Both(level.name, "levels." + std::to_string(level.level), "name");
  }
}

void CheckTree(const CatalogVersion& c, Checker& check) {
  for (const Category& cat : c.categories) {
    check.Id(cat.id, "");
    check.Both(cat.title_ja, cat.title_en, cat.id, "title");
    if (cat.subcategories.empty()) {
      check.Add(CatalogError(ErrorCode::kDataError, "catalog.no_children", cat.id));
    }
    for (const Subcategory& sub : cat.subcategories) {
      check.Id(sub.id, cat.id);
      check.Parent(sub.id, sub.category_id, cat.id);
      check.Both(sub.title_ja, sub.title_en, sub.id, "title");
      if (sub.requirements.empty()) {
        check.Add(CatalogError(ErrorCode::kDataError, "catalog.no_children", sub.id));
      }
      for (const Requirement& req : sub.requirements) {
        check.Id(req.id, sub.id);
        check.Parent(req.id, req.subcategory_id, sub.id);
        check.Both(req.title_ja, req.title_en, req.id, "title");
        check.BothOrNone(req.summary, req.id, "summary");
        if (req.criteria.empty()) {
          check.Add(CatalogError(ErrorCode::kDataError, "catalog.no_children", req.id));
        }
        for (const Criterion& crit : req.criteria) {
          check.Id(crit.id, req.id);
          check.Parent(crit.id, crit.requirement_id, req.id);
          if (c.FindLevel(crit.level) == nullptr) {
            check.Add(CatalogError(ErrorCode::kDataError, "catalog.undefined_level", crit.id,
                                   crit.level));
          }
          // Guidance is required, except in an imported catalog whose official text stands in for
          // it (a criterion added by a revision has no paraphrase yet).
          if (crit.official_text_ja.empty()) {
            check.Both(crit.guidance, crit.id, "guidance");
          } else {
            check.BothOrNone(crit.guidance, crit.id, "guidance");
          }
          check.BothOrNone(crit.evidence_hint, crit.id, "evidence_hint");
          check.BothOrNone(crit.note, crit.id, "note");
        }
      }
    }
  }
}

void CheckScoring(const CatalogVersion& c, Checker& check) {
  int scored_total = 0;
  for (const Category& cat : c.categories) {
    for (const Subcategory& sub : cat.subcategories) {
      for (const Requirement& req : sub.requirements) {
        for (const Criterion& crit : req.criteria) {
          scored_total += crit.scored ? 1 : 0;
        }
      }
    }
  }
  if (!c.scoring) {
    if (scored_total > 0) {
      check.Add(CatalogError(ErrorCode::kDataError, "catalog.scoring_missing"));
    }
    return;
  }
  const Scoring& s = *c.scoring;
  if (c.FindLevel(s.level) == nullptr) {
    check.Add(CatalogError(ErrorCode::kDataError, "catalog.scoring_level", s.level));
  }
  if (s.points.empty()) {
    check.Add(CatalogError(ErrorCode::kDataError, "catalog.scoring_no_points"));
    return;
  }
  if (s.bands.empty()) {
    check.Add(CatalogError(ErrorCode::kDataError, "catalog.scoring_no_bands"));
    return;
  }
  for (std::size_t i = 0; i < s.bands.size(); ++i) {
    check.Both(s.bands[i].label, "scoring.bands." + std::to_string(i), "label");
    if (i > 0 && s.bands[i].min_score >= s.bands[i - 1].min_score) {
      check.Add(CatalogError(ErrorCode::kDataError, "catalog.scoring_band_order"));
    }
  }
  int scored = 0;
  for (const Criterion* crit : c.CriteriaAt(s.level)) {
    scored += crit->scored ? 1 : 0;
  }
  int top = s.points.begin()->second;
  int bottom = top;
  for (const auto& [name, points] : s.points) {
    top = std::max(top, points);
    bottom = std::min(bottom, points);
  }
  if (s.max_score != scored * top) {
    check.Add(CatalogError(ErrorCode::kDataError, "catalog.scoring_max", s.max_score, scored, top));
  }
  if (s.bands.back().min_score > scored * bottom) {
    check.Add(CatalogError(ErrorCode::kDataError, "catalog.scoring_floor", s.bands.back().min_score,
                           scored * bottom));
  }
}

void CheckCounts(const CatalogVersion& c, std::vector<LevelCounts>& counts, Checker& check) {
  for (const LevelDef& level : c.levels) {
    LevelCounts n = CountAt(c, level.level);
    if (level.expected_requirements && *level.expected_requirements != n.requirements) {
      check.Add(CatalogErrorWith(ErrorCode::kDataError, "catalog.count_requirements", level.name,
                                 n.requirements, *level.expected_requirements));
    }
    if (level.expected_criteria && *level.expected_criteria != n.criteria) {
      check.Add(CatalogErrorWith(ErrorCode::kDataError, "catalog.count_criteria", level.name,
                                 n.criteria, *level.expected_criteria));
    }
    if (!level.expected_criteria_per_category.empty()) {
      for (const auto& [cat_id, computed] : n.criteria_per_category) {
        auto it = level.expected_criteria_per_category.find(cat_id);
        const int expected = it == level.expected_criteria_per_category.end() ? 0 : it->second;
        if (computed != expected) {
          check.Add(CatalogErrorWith(ErrorCode::kDataError, "catalog.count_category", level.name,
                                     cat_id, computed, expected));
        }
      }
      for (const auto& [cat_id, expected] : level.expected_criteria_per_category) {
        if (c.FindCategory(cat_id) == nullptr) {
          check.Add(CatalogErrorWith(ErrorCode::kDataError, "catalog.count_unknown_category",
                                     level.name, cat_id));
        }
      }
    }
    counts.push_back(std::move(n));
  }
}

}  // namespace

std::string_view RecurrenceName(Recurrence r) {
  switch (r) {
    case Recurrence::kMonthly:
      return "monthly";
    case Recurrence::kYearly:
      return "yearly";
    case Recurrence::kNone:
      break;
  }
  return "none";
}

std::optional<Recurrence> ParseRecurrence(std::string_view name) {
  if (name == "none") {
    return Recurrence::kNone;
  }
  if (name == "monthly") {
    return Recurrence::kMonthly;
  }
  if (name == "yearly") {
    return Recurrence::kYearly;
  }
  return std::nullopt;
}

const LevelDef* CatalogVersion::FindLevel(int level) const {
  for (const LevelDef& def : levels) {
    if (def.level == level) {
      return &def;
    }
  }
  return nullptr;
}

const Category* CatalogVersion::FindCategory(std::string_view id) const {
  for (const Category& cat : categories) {
    if (cat.id == id) {
      return &cat;
    }
  }
  return nullptr;
}

const Subcategory* CatalogVersion::FindSubcategory(std::string_view id) const {
  for (const Category& cat : categories) {
    for (const Subcategory& sub : cat.subcategories) {
      if (sub.id == id) {
        return &sub;
      }
    }
  }
  return nullptr;
}

const Requirement* CatalogVersion::FindRequirement(std::string_view id) const {
  for (const Category& cat : categories) {
    for (const Subcategory& sub : cat.subcategories) {
      for (const Requirement& req : sub.requirements) {
        if (req.id == id) {
          return &req;
        }
      }
    }
  }
  return nullptr;
}

const Criterion* CatalogVersion::FindCriterion(std::string_view id) const {
  for (const Category& cat : categories) {
    for (const Subcategory& sub : cat.subcategories) {
      for (const Requirement& req : sub.requirements) {
        for (const Criterion& crit : req.criteria) {
          if (crit.id == id) {
            return &crit;
          }
        }
      }
    }
  }
  return nullptr;
}

std::vector<const Criterion*> CatalogVersion::CriteriaAt(int level) const {
  std::vector<const Criterion*> out;
  for (const Category& cat : categories) {
    for (const Subcategory& sub : cat.subcategories) {
      for (const Requirement& req : sub.requirements) {
        for (const Criterion& crit : req.criteria) {
          if (crit.level <= level) {
            out.push_back(&crit);
          }
        }
      }
    }
  }
  return out;
}

std::vector<const Requirement*> CatalogVersion::RequirementsAt(int level) const {
  std::vector<const Requirement*> out;
  for (const Category& cat : categories) {
    for (const Subcategory& sub : cat.subcategories) {
      for (const Requirement& req : sub.requirements) {
        if (std::any_of(req.criteria.begin(), req.criteria.end(),
                        [level](const Criterion& crit) { return crit.level <= level; })) {
          out.push_back(&req);
        }
      }
    }
  }
  return out;
}

const Category* CatalogVersion::CategoryOfCriterion(std::string_view criterion_id) const {
  for (const Category& cat : categories) {
    for (const Subcategory& sub : cat.subcategories) {
      for (const Requirement& req : sub.requirements) {
        for (const Criterion& crit : req.criteria) {
          if (crit.id == criterion_id) {
            return &cat;
          }
        }
      }
    }
  }
  return nullptr;
}

LevelCounts CountAt(const CatalogVersion& catalog, int level) {
  LevelCounts n;
  n.level = level;
  for (const Category& cat : catalog.categories) {
    int& per_category = n.criteria_per_category[cat.id];
    for (const Subcategory& sub : cat.subcategories) {
      for (const Requirement& req : sub.requirements) {
        int applicable = 0;
        for (const Criterion& crit : req.criteria) {
          applicable += crit.level <= level ? 1 : 0;
        }
        n.requirements += applicable > 0 ? 1 : 0;
        n.criteria += applicable;
        per_category += applicable;
      }
    }
  }
  return n;
}

ValidationReport Validate(const CatalogVersion& catalog) {
  ValidationReport report;
  Checker check(report.problems);
  CheckHeader(catalog, check);
  CheckLevels(catalog, check);
  CheckTree(catalog, check);
  CheckScoring(catalog, check);
  CheckCounts(catalog, report.counts, check);
  return report;
}

}  // namespace hoshi::catalog
