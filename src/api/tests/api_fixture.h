// SPDX-License-Identifier: Apache-2.0
// A platform in a temporary data directory on SQLite or PostgreSQL (its own schema), with the
// demo data loaded, driven in-process through LocalSession.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "hoshi/api/platform.h"
#include "hoshi/core/clock.h"
#include "hoshi/core/crypto.h"
#include "hoshi/core/json.h"
#include "hoshi/storage/database.h"

namespace hoshi::api::testing {

inline constexpr std::string_view kPassword = "hoshitori-demo-2026";

class PlatformTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hoshi-api-" + ToHex(RandomBytes(6)));
    std::filesystem::create_directories(dir_);
    PlatformOptions options;
    options.data_dir = dir_;
    options.clock = &clock_;
    options.test_password_policy = true;
    options.db_connections = 2;
    if (GetParam() == "postgres") {
      const char* dsn = std::getenv("HOSHI_TEST_PG_DSN");  // NOLINT(concurrency-mt-unsafe)
      if (dsn == nullptr || *dsn == '\0') {
        GTEST_SKIP() << "HOSHI_TEST_PG_DSN not set";
      }
      admin_ = std::move(storage::Open(dsn)).value();
      schema_ = "api_" + ToHex(RandomBytes(6));
      ASSERT_TRUE(admin_->ExecuteScript("CREATE SCHEMA " + schema_).ok());
      const std::string base(dsn);
      options.db_url = base + (base.find('?') == std::string::npos ? "?" : "&") +
                       "options=-csearch_path%3D" + schema_;
    } else {
      options.db_url = "sqlite:" + (dir_ / "hoshitori.db").string();
    }
    auto platform = Platform::Create(options);
    ASSERT_TRUE(platform.ok()) << platform.error().ToString(Lang::kEn) << " "
                               << platform.error().detail();
    platform_ = std::move(platform).value();
    auto logins = platform_->SeedDemo();
    ASSERT_TRUE(logins.ok()) << logins.error().ToString(Lang::kEn);
    db_url_ = options.db_url;
  }

  void TearDown() override {
    platform_.reset();
    if (admin_ && !schema_.empty()) {
      admin_->ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE").IgnoreError();
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  /// A logged-in session for a demo e-mail.
  std::unique_ptr<LocalSession> As(std::string_view email) {
    auto s = std::make_unique<LocalSession>(*platform_);
    const Status st = s->Login(email, kPassword);
    EXPECT_TRUE(st.ok()) << email << ": " << (st.ok() ? "" : st.error().message(Lang::kEn));
    return s;
  }

  static Json Body(const http::Response& r) {
    auto j = ParseJson(r.body);
    return j.ok() ? *j : Json();
  }

  std::filesystem::path dir_;
  std::string db_url_;
  std::unique_ptr<storage::Connection> admin_;
  std::string schema_;
  FakeClock clock_{TimePoint(std::chrono::seconds(1795305600))};  // 2026-11-22T00:00:00Z
  std::unique_ptr<Platform> platform_;
};

inline std::string BackendName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param == "postgres" ? std::string("Postgres") : std::string("Sqlite");
}

}  // namespace hoshi::api::testing
