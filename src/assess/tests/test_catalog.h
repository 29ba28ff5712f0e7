// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "hoshi/catalog/catalog.h"

namespace hoshi::assess::testing {

/// A tiny two-level catalog: category 1 (req 1-1-1 with a ★3 recurring criterion and a ★4 one),
/// category 2 (req 2-1-1, ★3, monthly), category 3 (★4 only).
inline catalog::CatalogVersion TinyCatalog() {
  using catalog::Criterion;
  using catalog::Recurrence;
  catalog::CatalogVersion c;
  c.catalog_id = "tiny";
  c.version = "2026-01-01";
  c.official_title_ja = "テスト制度";
  c.title = {"テスト制度", "Test scheme"};
  c.paraphrase_note = {"言い換えです。", "This is a paraphrase."};
  c.levels = {{3, {"★3", "★3"}, 2, 3, {}}, {4, {"★4", "★4"}, 3, 5, {}}};
  auto crit = [](std::string id, std::string req, int level, Recurrence r) {
    Criterion k;
    k.id = std::move(id);
    k.requirement_id = std::move(req);
    k.level = level;
    k.guidance = {"ガイダンス " + k.id, "Guidance " + k.id};
    k.evidence_hint = {"証跡 " + k.id, "Evidence " + k.id};
    k.recurrence = r;
    return k;
  };
  catalog::Requirement r111{"1-1-1", "1-1", "規程", "Rules", {"規程を作る", "Write rules"}, "", {}};
  r111.criteria = {crit("1-1-1-1", "1-1-1", 3, Recurrence::kNone),
                   crit("1-1-1-2", "1-1-1", 3, Recurrence::kYearly),
                   crit("1-1-1-3", "1-1-1", 4, Recurrence::kNone)};
  catalog::Requirement r211{"2-1-1", "2-1", "ログ", "Logs", {"ログを見る", "Review logs"}, "", {}};
  r211.criteria = {crit("2-1-1-1", "2-1-1", 3, Recurrence::kMonthly)};
  catalog::Requirement r311{"3-1-1", "3-1", "監査", "Audit", {"監査する", "Audit"}, "", {}};
  r311.criteria = {crit("3-1-1-1", "3-1-1", 4, Recurrence::kNone)};
  c.categories = {
      {"1", "ガバナンス", "Governance", "GV", {{"1-1", "1", "方針", "Policy", "GV.PO", {r111}}}},
      {"2", "検知", "Detection", "DE", {{"2-1", "2", "監視", "Monitoring", "DE.CM", {r211}}}},
      {"3", "監査", "Audit", "GV", {{"3-1", "3", "監督", "Oversight", "GV.OV", {r311}}}},
  };
  return c;
}

/// A scored self-check catalog: level 1 one plain item, level 2 three scored items.
inline catalog::CatalogVersion ScoredCatalog() {
  catalog::CatalogVersion c;
  c.catalog_id = "check";
  c.version = "1";
  c.official_title_ja = "自己診断";
  c.title = {"自己診断", "Self-check"};
  c.levels = {{1, {"★1", "★1"}, {}, {}, {}}, {2, {"★2", "★2"}, {}, {}, {}}};
  catalog::Requirement base{"1-1", "1", "基本", "Basics", {"基本", "Basics"}, "", {}};
  catalog::Criterion p;
  p.id = "1-1-1";
  p.requirement_id = "1-1";
  p.level = 1;
  p.guidance = {"更新する", "Update"};
  base.criteria = {p};
  catalog::Requirement items{"2-1", "2", "診断", "Check", {"診断", "Check"}, "", {}};
  for (int i = 1; i <= 3; ++i) {
    catalog::Criterion k;
    k.id = "2-1-" + std::to_string(i);
    k.requirement_id = "2-1";
    k.level = 2;
    k.scored = true;
    k.guidance = {"項目", "Item"};
    items.criteria.push_back(k);
  }
  c.categories = {
      {"1", "五か条", "Principles", "", {{"1", "1", "五か条", "Principles", "", {base}}}},
      {"2", "自社診断", "Self-check", "", {{"2", "2", "診断", "Check", "", {items}}}}};
  catalog::Scoring s;
  s.level = 2;
  s.points = {{"implemented", 4}, {"partial", 2}, {"not_implemented", 0}, {"unknown", -1}};
  s.max_score = 12;
  s.bands = {{12, {"満点", "Full"}}, {6, {"半分以上", "Half"}}, {-100, {"要改善", "Improve"}}};
  c.scoring = s;
  return c;
}

}  // namespace hoshi::assess::testing
