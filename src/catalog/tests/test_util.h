// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the catalog tests.
#pragma once

#include <string>

#include "hoshi/catalog/catalog.h"

namespace hoshi::catalog::testing {

/// A small valid catalog: levels 1 and 2, one category, one sub-category, two requirements,
/// three criteria (1-1-1-1 and 1-1-2-1 at level 1, 1-1-1-2 at level 2).
inline CatalogVersion TinyCatalog() {
  CatalogVersion c;
  c.catalog_id = "tiny";
  c.version = "2026-01-01";
  c.official_title_ja = "テスト制度";
  c.title = {"テスト", "Test"};
  c.publisher = "hoshitori";
  c.published = "2026-01-01";
  c.paraphrase_note = {"言い換えです。", "A paraphrase."};
  LevelDef one;
  one.level = 1;
  one.name = {"★1（テスト）", "★1 (test)"};
  one.expected_requirements = 2;
  one.expected_criteria = 2;
  one.expected_criteria_per_category = {{"1", 2}};
  LevelDef two;
  two.level = 2;
  two.name = {"★2（テスト）", "★2 (test)"};
  two.expected_requirements = 2;
  two.expected_criteria = 3;
  c.levels = {one, two};
  Category cat{"1", "分類", "Category", "GV", {}};
  Subcategory sub{"1-1", "1", "中分類", "Subcategory", "GV.OC", {}};
  Requirement r1{"1-1-1", "1-1", "要求1", "Requirement 1", {"要旨", "Summary"}, "", {}};
  Criterion c1;
  c1.id = "1-1-1-1";
  c1.requirement_id = "1-1-1";
  c1.level = 1;
  c1.guidance = {"説明1", "Guidance 1"};
  c1.evidence_hint = {"証跡1", "Evidence 1"};
  c1.recurrence = Recurrence::kYearly;
  Criterion c2 = c1;
  c2.id = "1-1-1-2";
  c2.level = 2;
  c2.recurrence = Recurrence::kMonthly;
  c2.note = {"注記", "Note"};
  r1.criteria = {c1, c2};
  Requirement r2{"1-1-2", "1-1", "要求2", "Requirement 2", {}, "", {}};
  Criterion c3 = c1;
  c3.id = "1-1-2-1";
  c3.requirement_id = "1-1-2";
  c3.recurrence = Recurrence::kNone;
  r2.criteria = {c3};
  sub.requirements = {r1, r2};
  cat.subcategories = {sub};
  c.categories = {cat};
  c.sources = {"https://example.org/scheme"};
  return c;
}

/// True when some problem's message contains `text` in `lang`.
template <typename Errors>
bool AnyMessageContains(const Errors& errors, const std::string& text, Lang lang = Lang::kJa) {
  for (const auto& e : errors) {
    if (e.message(lang).find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace hoshi::catalog::testing
