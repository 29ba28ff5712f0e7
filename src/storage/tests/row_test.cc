// SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hoshi/storage/database.h"

namespace hoshi::storage {
namespace {

Row MakeRow() {
  return Row({Value(nullptr), Value(std::int64_t{42}), Value(2.5), Value(std::string("テキスト")),
              Value(Bytes{0x00, 0xff})});
}

TEST(RowTest, GettersReturnMatchingTypes) {
  const Row row = MakeRow();
  EXPECT_EQ(row.size(), 5u);
  EXPECT_TRUE(row.IsNull(0));
  EXPECT_FALSE(row.IsNull(1));
  EXPECT_EQ(*row.GetInt(1), 42);
  EXPECT_DOUBLE_EQ(*row.GetDouble(2), 2.5);
  EXPECT_EQ(*row.GetText(3), "テキスト");
  EXPECT_EQ(*row.GetBytes(4), (Bytes{0x00, 0xff}));
}

TEST(RowTest, TypeMismatchIsInternalError) {
  const Row row = MakeRow();
  const Result<std::int64_t> from_text = row.GetInt(3);
  ASSERT_FALSE(from_text.ok());
  EXPECT_EQ(from_text.error().code(), ErrorCode::kInternal);
  EXPECT_FALSE(row.GetInt(0).ok());  // NULL is not an integer
  EXPECT_FALSE(row.GetText(1).ok());
  EXPECT_FALSE(row.GetBytes(3).ok());
  EXPECT_FALSE(row.GetText(4).ok());
  EXPECT_FALSE(row.GetDouble(3).ok());
}

TEST(RowTest, IntegerWidensToDouble) {
  const Row row = MakeRow();
  EXPECT_DOUBLE_EQ(*row.GetDouble(1), 42.0);
}

TEST(RowTest, OutOfRangeColumnIsAnErrorNotACrash) {
  const Row row = MakeRow();
  EXPECT_FALSE(row.IsNull(9));
  const Result<std::int64_t> r = row.GetInt(9);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInternal);
  EXPECT_FALSE(row.GetText(5).ok());
}

TEST(DialectTest, Names) {
  EXPECT_EQ(DialectName(Dialect::kSqlite), "sqlite");
  EXPECT_EQ(DialectName(Dialect::kPostgres), "postgres");
}

}  // namespace
}  // namespace hoshi::storage
