// SPDX-License-Identifier: Apache-2.0
// Test fixture for the org stores: each test gets a fresh, migrated database, SQLite in memory
// always and PostgreSQL when HOSHI_TEST_PG_DSN is set (each PostgreSQL test in its own schema).
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "hoshi/core/clock.h"
#include "hoshi/core/crypto.h"
#include "hoshi/storage/database.h"

namespace hoshi::org::test_support {

#define HOSHI_ORG_ASSERT_OK(expr)                                                       \
  do {                                                                                  \
    const auto& hoshi_status_ = (expr);                                                 \
    ASSERT_TRUE(hoshi_status_.ok())                                                     \
        << #expr << ": " << hoshi_status_.error().ToString(::hoshi::Lang::kEn) << " / " \
        << hoshi_status_.error().detail();                                              \
  } while (false)

#define HOSHI_ORG_ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr)                                   \
  auto tmp = (expr);                                                                          \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.error().ToString(::hoshi::Lang::kEn) << " / " \
                        << tmp.error().detail();                                              \
  lhs = std::move(tmp).value()

#define HOSHI_ORG_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  HOSHI_ORG_ASSERT_OK_AND_ASSIGN_IMPL(HOSHI_CONCAT(hoshi_org_assert_, __LINE__), lhs, expr)

class OrgDbTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = GetParam();
    if (url_ == "postgres") {
      const char* dsn = std::getenv("HOSHI_TEST_PG_DSN");  // NOLINT(concurrency-mt-unsafe)
      if (dsn == nullptr || *dsn == '\0') {
        GTEST_SKIP() << "HOSHI_TEST_PG_DSN not set";
      }
      url_ = dsn;
      schema_ = "t_" + ToHex(RandomBytes(6));
    }
    auto conn = OpenConnection();
    ASSERT_TRUE(conn.ok()) << conn.error().ToString(Lang::kEn) << " " << conn.error().detail();
    conn_ = std::move(conn).value();
    auto applied = storage::Migrate(*conn_);
    ASSERT_TRUE(applied.ok()) << applied.error().detail();
  }

  void TearDown() override {
    if (conn_ && !schema_.empty()) {
      conn_->ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE").IgnoreError();
    }
  }

  [[nodiscard]] bool is_postgres() const { return !schema_.empty(); }

  /// A new connection to the test database (same schema on PostgreSQL; for SQLite in memory a
  /// separate database, so only meaningful on PostgreSQL).
  Result<std::unique_ptr<storage::Connection>> OpenConnection() {
    HOSHI_ASSIGN_OR_RETURN(auto conn, storage::Open(url_));
    if (!schema_.empty()) {
      HOSHI_RETURN_IF_ERROR(conn->ExecuteScript("CREATE SCHEMA IF NOT EXISTS " + schema_ +
                                                "; SET search_path TO " + schema_));
    }
    return conn;
  }

  /// Runs raw SQL (tampering, inspection) and fails the test on error.
  storage::ResultSet Sql(std::string_view sql, std::vector<storage::Value> params = {}) {
    auto rs = conn_->Query(sql, params);
    EXPECT_TRUE(rs.ok()) << sql << ": " << (rs.ok() ? "" : rs.error().detail());
    return rs.ok() ? std::move(rs).value() : storage::ResultSet{};
  }

  std::string url_;
  std::string schema_;
  std::unique_ptr<storage::Connection> conn_;
  FakeClock clock_{TimePoint(std::chrono::seconds(1795305600))};  // 2026-11-22T00:00:00Z
};

inline std::string BackendName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param == "postgres" ? std::string("Postgres") : std::string("Sqlite");
}

}  // namespace hoshi::org::test_support
