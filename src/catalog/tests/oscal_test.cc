// SPDX-License-Identifier: Apache-2.0
#include "hoshi/catalog/oscal.h"

#include <functional>
#include <set>

#include <gtest/gtest.h>

#include "hoshi/catalog/registry.h"

#include "test_util.h"

namespace hoshi::catalog {
namespace {

constexpr std::string_view kUuid = "5f1e6d3a-0c1b-4f55-9a3e-2b7c1d9e8f00";
constexpr std::string_view kTime = "2026-04-22T00:00:00Z";

std::string PropValue(const Json& owner, std::string_view name) {
  for (const Json& p : owner.at("props")) {
    if (p.at("name") == name) {
      return p.at("value").get<std::string>();
    }
  }
  return "";
}

TEST(CatalogOscalTest, ScsCatalogShape) {
  auto registry = CatalogRegistry::LoadBuiltin();
  ASSERT_TRUE(registry.ok());
  const CatalogVersion& scs = *registry->Find("scs-2026-03-27");
  const Json doc = ToOscalCatalog(scs, kUuid, kTime);
  const Json& cat = doc.at("catalog");
  EXPECT_EQ(cat.at("uuid"), kUuid);
  EXPECT_EQ(cat.at("metadata").at("oscal-version"), "1.1.2");
  EXPECT_EQ(cat.at("metadata").at("last-modified"), kTime);
  EXPECT_EQ(cat.at("metadata").at("version"), "2026-03-27");
  EXPECT_EQ(cat.at("metadata").at("title"), scs.title.ja);
  EXPECT_EQ(cat.at("metadata").at("remarks"), scs.paraphrase_note.ja);
  ASSERT_EQ(cat.at("groups").size(), 7u);

  // Every id is a unique OSCAL token; count controls and criterion parts.
  std::set<std::string> ids;
  int controls = 0;
  int items = 0;
  int star3_items = 0;
  std::function<void(const Json&)> walk = [&](const Json& node) {
    if (node.contains("id")) {
      const std::string id = node.at("id").get<std::string>();
      EXPECT_TRUE(ids.insert(id).second) << id;
      EXPECT_TRUE(std::isalpha(static_cast<unsigned char>(id[0]))) << id;
    }
    if (node.contains("name") && node.at("name") == "item") {
      ++items;
      star3_items += PropValue(node, "level") == "3" ? 1 : 0;
    }
    for (const char* key : {"groups", "controls", "parts"}) {
      if (node.contains(key)) {
        for (const Json& child : node.at(key)) {
          if (std::string_view(key) == "controls") {
            ++controls;
          }
          walk(child);
        }
      }
    }
  };
  walk(cat);
  EXPECT_EQ(controls, 43);
  EXPECT_EQ(items, 153);
  EXPECT_EQ(star3_items, 81);

  const Json& first_group = cat.at("groups")[0];
  EXPECT_EQ(first_group.at("id"), "cat-1");
  EXPECT_EQ(first_group.at("title"), "ガバナンスの整備");
  EXPECT_EQ(PropValue(first_group, "csf-function"), "GV");
  const Json& sub = first_group.at("groups")[0];
  EXPECT_EQ(sub.at("id"), "sub-1-1");
  EXPECT_EQ(PropValue(sub, "csf-category"), "GV.OC");
  const Json& control = sub.at("controls")[0];
  EXPECT_EQ(control.at("id"), "req-1-1-1");
  EXPECT_EQ(control.at("title"), "社内ルール");
  EXPECT_EQ(PropValue(control, "label"), "1-1-1");
  EXPECT_EQ(PropValue(control, "level"), "4");
  const Json& statement = control.at("parts")[0];
  EXPECT_EQ(statement.at("name"), "statement");
  EXPECT_EQ(statement.at("parts")[1].at("id"), "crit-1-1-1-2");
  EXPECT_EQ(PropValue(statement.at("parts")[1], "recurrence"), "yearly");
}

TEST(CatalogOscalTest, EnglishExportUsesEnglishTitles) {
  const Json doc = ToOscalCatalog(testing::TinyCatalog(), kUuid, kTime, Lang::kEn);
  const Json& group = doc.at("catalog").at("groups")[0];
  EXPECT_EQ(group.at("title"), "Category");
  const Json& control = group.at("groups")[0].at("controls")[0];
  EXPECT_EQ(control.at("title"), "Requirement 1");
  EXPECT_EQ(control.at("parts")[0].at("prose"), "Summary");
  EXPECT_EQ(control.at("parts")[0].at("parts")[0].at("prose"), "Guidance 1");
}

TEST(CatalogOscalTest, OfficialTextIsTheJapaneseProse) {
  CatalogVersion c = testing::TinyCatalog();
  Criterion& crit = c.categories[0].subcategories[0].requirements[0].criteria[0];
  crit.official_text_ja = "公式の評価基準";
  const Json doc = ToOscalCatalog(c, kUuid, kTime);
  const Json& item =
      doc.at("catalog").at("groups")[0].at("groups")[0].at("controls")[0].at("parts")[0].at(
          "parts")[0];
  EXPECT_EQ(item.at("prose"), "公式の評価基準");
  EXPECT_EQ(item.at("parts")[0].at("name"), "guidance");
  EXPECT_EQ(item.at("parts")[0].at("prose"), "説明1");
}

}  // namespace
}  // namespace hoshi::catalog
