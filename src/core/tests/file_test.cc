// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/file.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "hoshi/core/crypto.h"

namespace hoshi {
namespace {

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("hoshi-file-" + ToHex(RandomBytes(6)));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(FileTest, WritesAtomicallyAndReadsBack) {
  const std::string path = (dir_ / "a.txt").string();
  ASSERT_TRUE(WriteFileAtomic(path, "星取り").ok());
  auto r = ReadFile(path);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "星取り");
  ASSERT_TRUE(WriteFileAtomic(path, "second").ok());
  EXPECT_EQ(*ReadFile(path), "second");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);
}

TEST_F(FileTest, ReportsMissingAndOversizedFiles) {
  auto missing = ReadFile((dir_ / "none").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  const std::string path = (dir_ / "big.txt").string();
  ASSERT_TRUE(WriteFileAtomic(path, std::string(1000, 'x')).ok());
  auto big = ReadFile(path, 999);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code(), ErrorCode::kTooLarge);
  auto dir = ReadFile(dir_.string());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().code(), ErrorCode::kIoError);
}

}  // namespace
}  // namespace hoshi
