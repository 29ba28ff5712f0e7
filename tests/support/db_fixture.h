// SPDX-License-Identifier: Apache-2.0
// A test fixture parameterised over storage backends: "sqlite::memory:" and "postgres".
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "hoshi/core/clock.h"
#include "hoshi/core/crypto.h"
#include "hoshi/storage/database.h"

namespace hoshi::testing {

// Runs on SQLite always and on PostgreSQL when HOSHI_TEST_PG_DSN is set (./test sets it).
class DbTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string url = GetParam();
    if (url == "postgres") {
      const char* dsn = std::getenv("HOSHI_TEST_PG_DSN");  // NOLINT(concurrency-mt-unsafe)
      if (dsn == nullptr || *dsn == '\0') {
        GTEST_SKIP() << "HOSHI_TEST_PG_DSN not set";
      }
      url = dsn;
    }
    auto conn = storage::Open(url);
    ASSERT_TRUE(conn.ok()) << conn.error().ToString(Lang::kEn) << " " << conn.error().detail();
    conn_ = std::move(conn).value();
    if (GetParam() == "postgres") {
      // Each test works in its own schema so runs in parallel do not collide.
      schema_ = "t_" + ToHex(RandomBytes(6));
      ASSERT_TRUE(
          conn_->ExecuteScript("CREATE SCHEMA " + schema_ + "; SET search_path TO " + schema_)
              .ok());
    }
    auto applied = storage::Migrate(*conn_);
    ASSERT_TRUE(applied.ok()) << applied.error().detail();
  }
  void TearDown() override {
    if (conn_ && !schema_.empty()) {
      conn_->ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE").IgnoreError();
    }
  }

  std::unique_ptr<storage::Connection> conn_;
  std::string schema_;
  FakeClock clock_{TimePoint(std::chrono::seconds(1795305600))};  // 2026-11-22T00:00:00Z
};

/// Names parameterised instances "Sqlite" / "Postgres".
inline std::string BackendName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param == "postgres" ? std::string("Postgres") : std::string("Sqlite");
}

/// Instantiates a DbTest-derived suite on both backends.
#define HOSHI_INSTANTIATE_DB_TEST(suite)                                                      \
  INSTANTIATE_TEST_SUITE_P(Backends, suite, ::testing::Values("sqlite::memory:", "postgres"), \
                           ::hoshi::testing::BackendName)

}  // namespace hoshi::testing
