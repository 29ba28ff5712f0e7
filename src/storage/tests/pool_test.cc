// SPDX-License-Identifier: Apache-2.0
#include "hoshi/storage/pool.h"

#include <atomic>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "hoshi/core/crypto.h"

namespace hoshi::storage {
namespace {

class PoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hoshi-pool-" + ToHex(RandomBytes(6)));
    std::filesystem::create_directories(dir_);
    url_ = "sqlite:" + (dir_ / "pool.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::filesystem::path dir_;
  std::string url_;
};

TEST_F(PoolTest, BadUrlFailsAtCreate) {
  auto pool = ConnectionPool::Create("nosuchscheme://x", 2);
  EXPECT_FALSE(pool.ok());
}

TEST_F(PoolTest, ConnectionsAreReusedAndBounded) {
  auto pool = ConnectionPool::Create(url_, 2);
  ASSERT_TRUE(pool.ok());
  Connection* first = nullptr;
  {
    auto a = (*pool)->Acquire();
    ASSERT_TRUE(a.ok());
    first = &**a;
    ASSERT_TRUE((*a)->ExecuteScript("CREATE TABLE t (x INTEGER)").ok());
  }
  auto again = (*pool)->Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(&**again, first);  // the idle connection is handed out again
  // With both connections out, a third Acquire waits until one comes back.
  auto second = (*pool)->Acquire();
  ASSERT_TRUE(second.ok());
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    auto third = (*pool)->Acquire();
    got = third.ok();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(got.load());
  { Lease drop = std::move(*second); }
  waiter.join();
  EXPECT_TRUE(got.load());
}

TEST_F(PoolTest, LeftOpenTransactionIsRolledBackAndBrokenConnectionReplaced) {
  auto pool = ConnectionPool::Create(url_, 1);
  ASSERT_TRUE(pool.ok());
  {
    auto a = (*pool)->Acquire();
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE((*a)->ExecuteScript("CREATE TABLE t (x INTEGER)").ok());
    ASSERT_TRUE((*a)->Begin().ok());
    ASSERT_TRUE((*a)->Query("INSERT INTO t (x) VALUES (1)").ok());
    // Returned without commit: the pool rolls it back.
  }
  {
    auto b = (*pool)->Acquire();
    ASSERT_TRUE(b.ok());
    EXPECT_FALSE((*b)->in_transaction());
    auto rs = (*b)->Query("SELECT COUNT(*) FROM t");
    ASSERT_TRUE(rs.ok());
    EXPECT_EQ(*rs->rows[0].GetInt(0), 0);
    b->MarkBroken();
  }
  auto c = (*pool)->Acquire();
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE((*c)->in_transaction());
  auto rs = (*c)->Query("SELECT COUNT(*) FROM t");  // a fresh connection to the same database
  ASSERT_TRUE(rs.ok());
}

}  // namespace
}  // namespace hoshi::storage
