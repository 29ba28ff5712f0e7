// SPDX-License-Identifier: Apache-2.0
#include "hoshi/catalog/registry.h"

#include <gtest/gtest.h>

#include "hoshi/storage/database.h"

#include "test_util.h"

namespace hoshi::catalog {
namespace {

using testing::TinyCatalog;

constexpr std::string_view kImportedAt = "2026-04-22T09:00:00Z";

TEST(CatalogRegistryTest, AddFindListAndLatest) {
  CatalogRegistry registry;
  ASSERT_TRUE(registry.Add(TinyCatalog()).ok());
  CatalogVersion newer = TinyCatalog();
  newer.version = "2026-02-01";
  ASSERT_TRUE(registry.Add(newer).ok());
  ASSERT_NE(registry.Find("tiny-2026-01-01"), nullptr);
  EXPECT_EQ(registry.Find("tiny-2026-03-01"), nullptr);
  const auto list = registry.List();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]->version, "2026-01-01");
  ASSERT_NE(registry.Latest("tiny"), nullptr);
  EXPECT_EQ(registry.Latest("tiny")->version, "2026-02-01");
  EXPECT_TRUE(registry.Mappings().empty());
  EXPECT_EQ(registry.FindMapping("a", "b"), nullptr);
}

TEST(CatalogRegistryTest, AddRejectsDuplicatesAndInvalidCatalogs) {
  CatalogRegistry registry;
  ASSERT_TRUE(registry.Add(TinyCatalog()).ok());
  const Status again = registry.Add(TinyCatalog());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(again.error().message(Lang::kJa).find("tiny-2026-01-01"), std::string::npos);

  CatalogVersion invalid = TinyCatalog();
  invalid.version = "2026-05-01";
  invalid.levels[0].expected_requirements = 9;
  const Status bad = registry.Add(invalid);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kDataError);
  EXPECT_NE(bad.error().message(Lang::kEn).find("published count is 9"), std::string::npos)
      << bad.error().message(Lang::kEn);
  EXPECT_EQ(registry.Find("tiny-2026-05-01"), nullptr);
}

class CatalogStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto conn = storage::Open("sqlite::memory:");
    ASSERT_TRUE(conn.ok()) << conn.error().ToString(Lang::kEn);
    conn_ = std::move(conn).value();
    auto migrated = storage::Migrate(*conn_);
    ASSERT_TRUE(migrated.ok()) << migrated.error().ToString(Lang::kEn);
  }
  std::unique_ptr<storage::Connection> conn_;
};

TEST_F(CatalogStoreTest, StoreAndLoadRoundTrip) {
  auto builtin = CatalogRegistry::LoadBuiltin();
  ASSERT_TRUE(builtin.ok());
  // An "imported" revision of the SCS catalog.
  CatalogVersion revised = *builtin->Find("scs-2026-03-27");
  revised.version = "2026-04-21";
  revised.published = "2026-04-21";
  revised.text_source = "official";
  revised.source_sha256 = std::string(64, 'c');
  revised.categories[0].subcategories[0].requirements[0].official_text_ja = "公式の本文";
  ASSERT_TRUE(StoreCatalog(*conn_, revised, kImportedAt).ok());
  ASSERT_TRUE(StoreCatalog(*conn_, TinyCatalog(), kImportedAt).ok());

  const Status again = StoreCatalog(*conn_, revised, kImportedAt);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);

  auto rows = conn_->Query(
      "SELECT catalog_id, version, source_sha256, imported_at FROM catalog_versions "
      "WHERE catalog_key = ?",
      std::vector<storage::Value>{std::string("scs-2026-04-21")});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->rows.size(), 1u);
  EXPECT_EQ(*rows->rows[0].GetText(0), "scs");
  EXPECT_EQ(*rows->rows[0].GetText(1), "2026-04-21");
  EXPECT_EQ(*rows->rows[0].GetText(2), std::string(64, 'c'));
  EXPECT_EQ(*rows->rows[0].GetText(3), kImportedAt);

  CatalogRegistry registry = std::move(builtin).value();
  ASSERT_TRUE(registry.LoadStored(*conn_).ok());
  const CatalogVersion* loaded = registry.Find("scs-2026-04-21");
  ASSERT_NE(loaded, nullptr);
  EXPECT_EQ(CatalogToJson(*loaded), CatalogToJson(revised));
  EXPECT_EQ(registry.Latest("scs"), loaded);
  EXPECT_NE(registry.Find("tiny-2026-01-01"), nullptr);
  EXPECT_EQ(registry.List().size(), 4u);
}

TEST_F(CatalogStoreTest, StoreRefusesInvalidCatalogs) {
  CatalogVersion invalid = TinyCatalog();
  invalid.categories[0].title_en.clear();
  const Status stored = StoreCatalog(*conn_, invalid, kImportedAt);
  ASSERT_FALSE(stored.ok());
  EXPECT_EQ(stored.error().code(), ErrorCode::kDataError);
  auto rows = conn_->Query("SELECT COUNT(*) FROM catalog_versions");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows->rows[0].GetInt(0), 0);
}

TEST_F(CatalogStoreTest, StoredCopyOfABuiltinKeyIsSkipped) {
  auto builtin = CatalogRegistry::LoadBuiltin();
  ASSERT_TRUE(builtin.ok());
  CatalogVersion copy = *builtin->Find("security-action-2026-01");
  copy.title.en = "stored copy";
  ASSERT_TRUE(StoreCatalog(*conn_, copy, kImportedAt).ok());
  CatalogRegistry registry = std::move(builtin).value();
  ASSERT_TRUE(registry.LoadStored(*conn_).ok());
  EXPECT_NE(registry.Find("security-action-2026-01")->title.en, "stored copy");
}

TEST_F(CatalogStoreTest, CorruptStoredDocumentIsADataError) {
  auto inserted = conn_->Query(
      "INSERT INTO catalog_versions (catalog_key, catalog_id, version, document, source_sha256, "
      "imported_at) VALUES (?, ?, ?, ?, ?, ?)",
      std::vector<storage::Value>{std::string("x-1"), std::string("x"), std::string("1"),
                                  std::string("{not json"), std::string(""),
                                  std::string(kImportedAt)});
  ASSERT_TRUE(inserted.ok()) << inserted.error().ToString(Lang::kEn);
  CatalogRegistry registry;
  const Status loaded = registry.LoadStored(*conn_);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().code(), ErrorCode::kDataError);
  EXPECT_NE(loaded.error().message(Lang::kJa).find("x-1"), std::string::npos);
}

}  // namespace
}  // namespace hoshi::catalog
