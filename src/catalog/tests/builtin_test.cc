// SPDX-License-Identifier: Apache-2.0
// The shipped catalogs (catalogs/*.json) and mappings, checked against the published facts.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "hoshi/catalog/catalog.h"
#include "hoshi/catalog/registry.h"
#include "hoshi/core/file.h"
#include "hoshi/core/json.h"

namespace hoshi::catalog {
namespace {

constexpr std::string_view kScsKey = "scs-2026-03-27";
constexpr std::string_view kSaKey = "security-action-2026-01";

const CatalogRegistry& Builtin() {
  static const CatalogRegistry* registry = [] {
    auto loaded = CatalogRegistry::LoadBuiltin();
    if (!loaded) {
      ADD_FAILURE() << loaded.error().ToString(Lang::kEn) << "\n" << loaded.error().detail();
      return new CatalogRegistry();
    }
    return new CatalogRegistry(std::move(loaded).value());
  }();
  return *registry;
}

const CatalogVersion& Scs() {
  const CatalogVersion* c = Builtin().Find(kScsKey);
  HOSHI_CHECK(c != nullptr);  // LoadBuiltin is checked by CatalogBuiltinTest.LoadsEveryShippedFile
  return *c;
}

const CatalogVersion& SecurityAction() {
  const CatalogVersion* c = Builtin().Find(kSaKey);
  HOSHI_CHECK(c != nullptr);
  return *c;
}

TEST(CatalogBuiltinTest, LoadsEveryShippedFile) {
  auto loaded = CatalogRegistry::LoadBuiltin();
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString(Lang::kEn) << loaded.error().detail();
  const auto list = loaded->List();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]->key(), kScsKey);
  EXPECT_EQ(list[1]->key(), kSaKey);
  EXPECT_EQ(loaded->Latest("scs"), loaded->Find(kScsKey));
  EXPECT_EQ(loaded->Latest("nothing"), nullptr);
  EXPECT_EQ(loaded->Mappings().size(), 1u);
}

// Every shipped file is in the canonical form CatalogToJson writes (so the generators and the
// C++ serializer agree, and a re-export shows no diff).
TEST(CatalogBuiltinTest, ShippedFilesAreCanonical) {
  for (const char* name : {"scs-2026-03-27.json", "security-action-2026-01.json"}) {
    auto text = ReadFile(std::string(HOSHI_SOURCE_DIR) + "/catalogs/" + name);
    ASSERT_TRUE(text.ok()) << name;
    auto parsed = ParseCatalogJson(*text, name);
    ASSERT_TRUE(parsed.ok()) << parsed.error().ToString(Lang::kEn);
    EXPECT_EQ(CatalogToJson(*parsed), *text) << name;
  }
}

TEST(CatalogBuiltinTest, ScsValidatesWithThePublishedCounts) {
  const CatalogVersion& scs = Scs();
  EXPECT_EQ(scs.official_title_ja, "サプライチェーン強化に向けたセキュリティ対策評価制度");
  EXPECT_EQ(scs.publisher, "IPA");
  EXPECT_EQ(scs.version, "2026-03-27");
  EXPECT_EQ(scs.text_source, "paraphrase");
  const ValidationReport report = Validate(scs);
  for (const Error& e : report.problems) {
    ADD_FAILURE() << e.message(Lang::kEn);
  }
  ASSERT_EQ(report.counts.size(), 2u);
  const LevelCounts& star3 = report.counts[0];
  const LevelCounts& star4 = report.counts[1];
  EXPECT_EQ(star3.level, 3);
  EXPECT_EQ(star3.requirements, 26);
  EXPECT_EQ(star3.criteria, 81);
  EXPECT_EQ(star4.level, 4);
  EXPECT_EQ(star4.requirements, 43);
  EXPECT_EQ(star4.criteria, 153);
  const std::map<std::string, int> per3{{"1", 8}, {"2", 4}, {"3", 11}, {"4", 48},
                                        {"5", 3}, {"6", 6}, {"7", 1}};
  const std::map<std::string, int> per4{{"1", 19}, {"2", 7}, {"3", 29}, {"4", 82},
                                        {"5", 8},  {"6", 6}, {"7", 2}};
  EXPECT_EQ(star3.criteria_per_category, per3);
  EXPECT_EQ(star4.criteria_per_category, per4);
  // The published counts are in the data too, so Validate compares them.
  EXPECT_EQ(scs.FindLevel(3)->expected_requirements, 26);
  EXPECT_EQ(scs.FindLevel(3)->expected_criteria, 81);
  EXPECT_EQ(scs.FindLevel(4)->expected_requirements, 43);
  EXPECT_EQ(scs.FindLevel(4)->expected_criteria, 153);
  EXPECT_EQ(scs.FindLevel(3)->expected_criteria_per_category, per3);
  EXPECT_EQ(scs.FindLevel(4)->expected_criteria_per_category, per4);
  EXPECT_EQ(scs.categories.size(), 7u);
  int subcategories = 0;
  for (const Category& cat : scs.categories) {
    subcategories += static_cast<int>(cat.subcategories.size());
  }
  EXPECT_EQ(subcategories, 16);
}

TEST(CatalogBuiltinTest, ScsStar4OnlyRequirementsAreThePublishedSeventeen) {
  // scs-scheme.md §2.4.
  const std::set<std::string> expected{"1-1-1", "1-2-2", "1-4-1", "2-1-3", "2-1-5", "3-1-5",
                                       "3-2-1", "4-1-8", "4-1-9", "4-2-1", "4-3-1", "4-3-2",
                                       "4-3-3", "4-4-2", "4-4-3", "5-1-2", "5-2-1"};
  std::set<std::string> star3;
  for (const Requirement* r : Scs().RequirementsAt(3)) {
    star3.insert(r->id);
  }
  std::set<std::string> star4_only;
  for (const Requirement* r : Scs().RequirementsAt(4)) {
    if (star3.count(r->id) == 0) {
      star4_only.insert(r->id);
    }
  }
  EXPECT_EQ(star4_only, expected);
}

TEST(CatalogBuiltinTest, ScsWrongPublishedCountFailsNamingTheLevel) {
  CatalogVersion scs = Scs();
  scs.levels[0].expected_criteria = 83;  // the unverified December-2025 figure
  const ValidationReport report = Validate(scs);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].message(Lang::kJa).find("★3（Basic）"), std::string::npos);
  EXPECT_NE(report.problems[0].message(Lang::kJa).find("81 件"), std::string::npos);
  EXPECT_NE(report.problems[0].message(Lang::kEn).find("★3 (Basic)"), std::string::npos);
}

TEST(CatalogBuiltinTest, ScsEveryEntryHasBothLanguages) {
  const CatalogVersion& scs = Scs();
  EXPECT_FALSE(scs.paraphrase_note.ja.empty());
  EXPECT_NE(scs.paraphrase_note.ja.find("★3・★4 要求事項・評価基準"), std::string::npos);
  EXPECT_NE(scs.paraphrase_note.en.find("paraphrase"), std::string::npos);
  for (const Category& cat : scs.categories) {
    EXPECT_FALSE(cat.title_en.empty());
    EXPECT_FALSE(cat.csf_function.empty());
    for (const Subcategory& sub : cat.subcategories) {
      EXPECT_FALSE(sub.title_en.empty());
      EXPECT_EQ(sub.csf_category.substr(0, 2), cat.csf_function) << sub.id;
      for (const Requirement& req : sub.requirements) {
        EXPECT_FALSE(req.title_en.empty()) << req.id;
        EXPECT_FALSE(req.summary.ja.empty()) << req.id;
        EXPECT_FALSE(req.summary.en.empty()) << req.id;
        EXPECT_TRUE(req.official_text_ja.empty());
        for (const Criterion& crit : req.criteria) {
          EXPECT_TRUE(crit.level == 3 || crit.level == 4) << crit.id;
          EXPECT_FALSE(crit.guidance.ja.empty()) << crit.id;
          EXPECT_FALSE(crit.guidance.en.empty()) << crit.id;
          EXPECT_FALSE(crit.evidence_hint.ja.empty()) << crit.id;
          EXPECT_FALSE(crit.evidence_hint.en.empty()) << crit.id;
          EXPECT_TRUE(crit.official_text_ja.empty());
          EXPECT_FALSE(crit.scored);
        }
      }
    }
  }
}

TEST(CatalogBuiltinTest, ScsRecurrenceCounts) {
  // scs-criteria-check.md: 23 yearly, 2 monthly (3-2-1-5 and 4-4-3-3).
  int yearly = 0;
  std::vector<std::string> monthly;
  for (const Criterion* c : Scs().CriteriaAt(4)) {
    yearly += c->recurrence == Recurrence::kYearly ? 1 : 0;
    if (c->recurrence == Recurrence::kMonthly) {
      monthly.push_back(c->id);
    }
  }
  EXPECT_EQ(yearly, 23);
  EXPECT_EQ(monthly, (std::vector<std::string>{"3-2-1-5", "4-4-3-3"}));
}

// Titles, levels and texts match the reference JSONL exactly.
TEST(CatalogBuiltinTest, ScsMatchesTheReferenceJsonl) {
  const std::string path = std::string(HOSHI_SHARED_DIR) + "/reference/scs-criteria.jsonl";
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << "reference file not present: " << path;
  }
  std::ifstream in(path);
  std::string line;
  int counts[4] = {0, 0, 0, 0};
  const CatalogVersion& scs = Scs();
  while (std::getline(in, line)) {
    if (line.empty()) {
      continue;
    }
    auto parsed = ParseJson(line, "scs-criteria.jsonl");
    ASSERT_TRUE(parsed.ok());
    const Json& j = *parsed;
    const std::string kind = j.at("kind").get<std::string>();
    const std::string id = j.at("id").get<std::string>();
    if (kind == "category") {
      ++counts[0];
      const Category* cat = scs.FindCategory(id);
      ASSERT_NE(cat, nullptr) << id;
      EXPECT_EQ(cat->title_ja, j.at("title_ja").get<std::string>());
      EXPECT_EQ(cat->csf_function, j.at("csf_function").get<std::string>());
    } else if (kind == "subcategory") {
      ++counts[1];
      const Subcategory* sub = scs.FindSubcategory(id);
      ASSERT_NE(sub, nullptr) << id;
      EXPECT_EQ(sub->title_ja, j.at("title_ja").get<std::string>());
      EXPECT_EQ(sub->csf_category, j.at("csf_category").get<std::string>());
      EXPECT_EQ(sub->category_id, j.at("category").get<std::string>());
    } else if (kind == "requirement") {
      ++counts[2];
      const Requirement* req = scs.FindRequirement(id);
      ASSERT_NE(req, nullptr) << id;
      EXPECT_EQ(req->title_ja, j.at("title_ja").get<std::string>()) << id;
      EXPECT_EQ(req->subcategory_id, j.at("subcategory").get<std::string>());
      EXPECT_EQ(req->summary.ja, j.at("summary_ja").get<std::string>());
      EXPECT_EQ(req->summary.en, j.at("summary_en").get<std::string>());
      // ○ for ★3 exactly when a ★3 criterion exists.
      bool has3 = false;
      for (const Criterion& c : req->criteria) {
        has3 = has3 || c.level == 3;
      }
      const auto& levels = j.at("levels");
      EXPECT_EQ(has3, std::find(levels.begin(), levels.end(), "3") != levels.end()) << id;
    } else if (kind == "criterion") {
      ++counts[3];
      const Criterion* crit = scs.FindCriterion(id);
      ASSERT_NE(crit, nullptr) << id;
      EXPECT_EQ(crit->requirement_id, j.at("requirement").get<std::string>());
      EXPECT_EQ(std::to_string(crit->level), j.at("level").get<std::string>()) << id;
      EXPECT_EQ(crit->guidance.ja, j.at("summary_ja").get<std::string>());
      EXPECT_EQ(crit->guidance.en, j.at("summary_en").get<std::string>());
      EXPECT_EQ(crit->evidence_hint.en, j.at("evidence").get<std::string>());
      const std::string recurring =
          j.at("recurring").is_null() ? "none" : j.at("recurring").get<std::string>();
      EXPECT_EQ(RecurrenceName(crit->recurrence), recurring) << id;
    }
  }
  EXPECT_EQ(counts[0], 7);
  EXPECT_EQ(counts[1], 16);
  EXPECT_EQ(counts[2], 43);
  EXPECT_EQ(counts[3], 153);
}

TEST(CatalogBuiltinTest, SecurityActionLevelsAndCounts) {
  const CatalogVersion& sa = SecurityAction();
  const ValidationReport report = Validate(sa);
  for (const Error& e : report.problems) {
    ADD_FAILURE() << e.message(Lang::kEn);
  }
  ASSERT_EQ(report.counts.size(), 2u);
  EXPECT_EQ(report.counts[0].level, 1);
  EXPECT_EQ(report.counts[0].criteria, 5);
  EXPECT_EQ(report.counts[0].requirements, 5);
  EXPECT_EQ(report.counts[1].level, 2);
  EXPECT_EQ(report.counts[1].criteria, 31);
  EXPECT_EQ(report.counts[1].criteria_per_category,
            (std::map<std::string, int>{{"1", 5}, {"2", 25}, {"3", 1}}));
  // The three parts of the self-check, as sub-categories.
  const Category* check = sa.FindCategory("2");
  ASSERT_NE(check, nullptr);
  ASSERT_EQ(check->subcategories.size(), 3u);
  EXPECT_EQ(check->subcategories[0].title_ja, "基本的対策");
  EXPECT_EQ(check->subcategories[0].requirements.size(), 5u);
  EXPECT_EQ(check->subcategories[1].title_ja, "従業員としての対策");
  EXPECT_EQ(check->subcategories[1].requirements.size(), 13u);
  EXPECT_EQ(check->subcategories[2].title_ja, "組織としての対策");
  EXPECT_EQ(check->subcategories[2].requirements.size(), 7u);
  EXPECT_EQ(sa.FindRequirement("2-1-1")->title_ja, "脆弱性対策");
  EXPECT_EQ(sa.FindRequirement("2-2-11")->title_ja, "バックアップ");
  EXPECT_EQ(sa.FindRequirement("2-3-22")->title_ja, "取引先との契約");
  EXPECT_EQ(sa.FindRequirement("2-3-25")->title_ja, "ルール化・明示");
  const Criterion* policy = sa.FindCriterion("3-1-1-1");
  ASSERT_NE(policy, nullptr);
  EXPECT_EQ(policy->level, 2);
  EXPECT_FALSE(policy->scored);
  EXPECT_EQ(sa.FindRequirement("3-1-1")->title_ja, "情報セキュリティ基本方針を定めて公開");
  int scored = 0;
  for (const Criterion* c : sa.CriteriaAt(2)) {
    scored += c->scored ? 1 : 0;
    if (c->scored) {
      EXPECT_EQ(c->level, 2);
    }
  }
  EXPECT_EQ(scored, 25);
  for (const Criterion* c : sa.CriteriaAt(1)) {
    EXPECT_FALSE(c->scored);
  }
}

TEST(CatalogBuiltinTest, SecurityActionUnconfirmedItemsSaySo) {
  const CatalogVersion& sa = SecurityAction();
  for (const char* id : {"2-3-23-1", "2-3-24-1"}) {
    const Criterion* c = sa.FindCriterion(id);
    ASSERT_NE(c, nullptr);
    EXPECT_NE(c->note.ja.find("確認できていません"), std::string::npos) << id;
    EXPECT_NE(c->note.en.find("not confirmed"), std::string::npos) << id;
  }
  EXPECT_TRUE(sa.FindCriterion("2-1-1-1")->note.ja.empty());
}

TEST(CatalogBuiltinTest, SecurityActionScoring) {
  const CatalogVersion& sa = SecurityAction();
  ASSERT_TRUE(sa.scoring.has_value());
  const Scoring& s = *sa.scoring;
  EXPECT_EQ(s.level, 2);
  EXPECT_EQ(s.max_score, 100);
  EXPECT_EQ(s.points,
            (std::map<std::string, int>{
                {"implemented", 4}, {"partial", 2}, {"not_implemented", 0}, {"unknown", -1}}));
  ASSERT_EQ(s.bands.size(), 4u);
  EXPECT_EQ(s.bands[0].min_score, 100);
  EXPECT_EQ(s.bands[1].min_score, 70);
  EXPECT_EQ(s.bands[2].min_score, 50);
  EXPECT_LE(s.bands[3].min_score, -25);  // 25 × "わからない"
  for (const ScoreBand& b : s.bands) {
    EXPECT_FALSE(b.label.ja.empty());
    EXPECT_FALSE(b.label.en.empty());
  }
  // Band lookup as a consumer does it: the first band whose lower bound the score reaches.
  auto band_of = [&](int score) {
    for (std::size_t i = 0; i < s.bands.size(); ++i) {
      if (score >= s.bands[i].min_score) {
        return static_cast<int>(i);
      }
    }
    return -1;
  };
  EXPECT_EQ(band_of(100), 0);
  EXPECT_EQ(band_of(99), 1);
  EXPECT_EQ(band_of(70), 1);
  EXPECT_EQ(band_of(69), 2);
  EXPECT_EQ(band_of(50), 2);
  EXPECT_EQ(band_of(49), 3);
  EXPECT_EQ(band_of(-25), 3);
}

TEST(CatalogBuiltinTest, MappingReferencesOnlyExistingIds) {
  const CatalogMapping* m = Builtin().FindMapping(kSaKey, kScsKey);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->id, "security-action-2026-01-to-scs-2026-03-27");
  EXPECT_FALSE(m->note.ja.empty());
  EXPECT_FALSE(m->note.en.empty());
  EXPECT_TRUE(ValidateMapping(*m, SecurityAction(), Scs()).empty());
  std::map<std::string, std::vector<std::string>> by_from;
  for (const auto& [from, to] : m->entries) {
    ASSERT_NE(SecurityAction().FindCriterion(from), nullptr) << from;
    ASSERT_FALSE(to.empty()) << from;
    for (const std::string& req : to) {
      EXPECT_NE(Scs().FindRequirement(req), nullptr) << from << " -> " << req;
    }
    by_from[from] = to;
  }
  // Every ★1/★2 criterion is mapped.
  EXPECT_EQ(by_from.size(), SecurityAction().CriteriaAt(2).size());
  auto maps_to = [&](const std::string& from, const std::string& to) {
    const auto& list = by_from[from];
    return std::find(list.begin(), list.end(), to) != list.end();
  };
  EXPECT_TRUE(maps_to("2-1-1-1", "4-4-4"));  // 脆弱性対策
  EXPECT_TRUE(maps_to("2-1-2-1", "4-4-5"));  // ウイルス対策
  EXPECT_TRUE(maps_to("2-1-3-1", "4-1-5"));  // パスワード管理
  EXPECT_TRUE(maps_to("2-1-3-1", "4-1-6"));
  EXPECT_TRUE(maps_to("2-2-11-1", "4-3-4"));  // バックアップ
  EXPECT_TRUE(maps_to("2-3-22-1", "2-1-2"));  // 取引先との契約
  EXPECT_TRUE(maps_to("2-3-24-1", "6-1-1"));  // 事故への備え

  // A broken mapping is reported id by id.
  CatalogMapping broken = *m;
  broken.entries.push_back({"9-9-9-9", {"4-4-4"}});
  broken.entries.push_back({"2-1-1-1", {"8-8-8"}});
  const auto problems = ValidateMapping(broken, SecurityAction(), Scs());
  ASSERT_EQ(problems.size(), 3u);  // unknown from, duplicate from, unknown to
  EXPECT_NE(problems[0].message(Lang::kEn).find("9-9-9-9"), std::string::npos);
}

TEST(CatalogBuiltinTest, MappingJsonErrors) {
  EXPECT_FALSE(ParseMappingJson("{}", "m.json").ok());
  auto wrong = ParseMappingJson(
      R"({"format": "hoshitori-catalog-mapping", "format_version": 1, "id": "x",
          "from_catalog": "a", "to_catalog": "b", "title": {"ja": "t", "en": "t"},
          "entries": [{"from": "1", "to": "2"}]})",
      "m.json");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message(Lang::kEn).find("entries[0].to"), std::string::npos)
      << wrong.error().message(Lang::kEn);
}

}  // namespace
}  // namespace hoshi::catalog
