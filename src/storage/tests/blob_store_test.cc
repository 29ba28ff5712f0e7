// SPDX-License-Identifier: Apache-2.0
#include "hoshi/storage/blob_store.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "hoshi/core/crypto.h"

namespace hoshi::storage {
namespace {

namespace fs = std::filesystem;

// sha256("abc")
constexpr std::string_view kAbcHash =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hoshi-blob-test-" + ToHex(RandomBytes(8)));
    Result<BlobStore> store = BlobStore::Open(dir_ / "store");
    ASSERT_TRUE(store.ok()) << store.error().detail();
    store_.emplace(std::move(store).value());
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  static std::string ReadAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // Files other than blobs (temporary files) anywhere under the store.
  std::vector<fs::path> StrayFiles() const {
    std::vector<fs::path> out;
    for (const auto& entry : fs::recursive_directory_iterator(store_->root())) {
      if (entry.is_regular_file() && !IsSha256Hex(entry.path().filename().string())) {
        out.push_back(entry.path());
      }
    }
    return out;
  }

  static mode_t Mode(const fs::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  }

  fs::path dir_;
  std::optional<BlobStore> store_;
};

TEST_F(BlobStoreTest, PutThenGet) {
  const Result<std::string> hash = store_->Put("abc");
  ASSERT_TRUE(hash.ok()) << hash.error().detail();
  EXPECT_EQ(*hash, kAbcHash);
  EXPECT_TRUE(store_->Contains(*hash));
  const Result<std::string> data = store_->Get(*hash);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(*data, "abc");
  EXPECT_EQ(*store_->PathOf(*hash), store_->root() / "ba" / "78" / std::string(kAbcHash));
  EXPECT_TRUE(store_->Verify(*hash).ok());
}

TEST_F(BlobStoreTest, EmptyAndBinaryContent) {
  const std::string binary("\0\x01\xff日本語", 12);
  const Result<std::string> empty = store_->Put("");
  const Result<std::string> bin = store_->Put(binary);
  ASSERT_TRUE(empty.ok());
  ASSERT_TRUE(bin.ok());
  EXPECT_EQ(*store_->Get(*empty), "");
  EXPECT_EQ(*store_->Get(*bin), binary);
  EXPECT_EQ(*bin, Sha256Hex(binary));
}

TEST_F(BlobStoreTest, PutIsIdempotent) {
  const Result<std::string> first = store_->Put("same content");
  const Result<std::string> second = store_->Put("same content");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  std::istringstream in("same content");
  const Result<std::string> streamed = store_->PutStream(in, 1024);
  ASSERT_TRUE(streamed.ok());
  EXPECT_EQ(*streamed, *first);
  EXPECT_TRUE(StrayFiles().empty());
}

TEST_F(BlobStoreTest, NeverOverwritesAnExistingBlob) {
  const Result<std::string> hash = store_->Put("original");
  ASSERT_TRUE(hash.ok());
  const fs::path path = *store_->PathOf(*hash);
  fs::permissions(path, fs::perms::owner_write, fs::perm_options::add);
  { std::ofstream(path, std::ios::binary | std::ios::trunc) << "tampered"; }
  // Putting the original content again leaves the existing file alone ...
  ASSERT_TRUE(store_->Put("original").ok());
  std::istringstream in("original");
  ASSERT_TRUE(store_->PutStream(in, 1024).ok());
  EXPECT_EQ(ReadAll(path), "tampered");
  // ... and Verify is how the damage is found.
  const Status verified = store_->Verify(*hash);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().code(), ErrorCode::kDataError);
  EXPECT_TRUE(StrayFiles().empty());
}

TEST_F(BlobStoreTest, VerifyDetectsModifiedBlob) {
  const Result<std::string> hash = store_->Put("evidence v1");
  ASSERT_TRUE(hash.ok());
  ASSERT_TRUE(store_->Verify(*hash).ok());
  const fs::path path = *store_->PathOf(*hash);
  fs::permissions(path, fs::perms::owner_write, fs::perm_options::add);
  { std::ofstream(path, std::ios::binary | std::ios::app) << "!"; }
  const Status verified = store_->Verify(*hash);
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().code(), ErrorCode::kDataError);
  EXPECT_EQ(verified.error().message().ja.find(dir_.string()), std::string::npos);
}

TEST_F(BlobStoreTest, PutStreamHashesWhileCopying) {
  std::string big(300 * 1024 + 17, 'x');
  for (std::size_t i = 0; i < big.size(); i += 1000) {
    big[i] = static_cast<char>('a' + i % 26);
  }
  std::istringstream in(big);
  const Result<std::string> hash = store_->PutStream(in, big.size());  // exactly at the limit
  ASSERT_TRUE(hash.ok()) << hash.error().detail();
  EXPECT_EQ(*hash, Sha256Hex(big));
  EXPECT_EQ(*store_->Get(*hash), big);
  EXPECT_TRUE(StrayFiles().empty());
}

TEST_F(BlobStoreTest, PutStreamOverLimitLeavesNothingBehind) {
  const std::string big(200 * 1024, 'y');
  std::istringstream in(big);
  const Result<std::string> hash = store_->PutStream(in, big.size() - 1);
  ASSERT_FALSE(hash.ok());
  EXPECT_EQ(hash.error().code(), ErrorCode::kTooLarge);
  EXPECT_FALSE(store_->Contains(Sha256Hex(big)));
  std::size_t entries = 0;
  for (const auto& entry : fs::recursive_directory_iterator(store_->root())) {
    ADD_FAILURE() << "left behind: " << entry.path();
    ++entries;
  }
  EXPECT_EQ(entries, 0u);
}

TEST_F(BlobStoreTest, GetRespectsMaxBytes) {
  const Result<std::string> hash = store_->Put(std::string(1000, 'z'));
  ASSERT_TRUE(hash.ok());
  const Result<std::string> data = store_->Get(*hash, 999);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.error().code(), ErrorCode::kTooLarge);
  EXPECT_TRUE(store_->Get(*hash, 1000).ok());
}

TEST_F(BlobStoreTest, MissingBlobIsNotFound) {
  const std::string hash = Sha256Hex("never stored");
  EXPECT_FALSE(store_->Contains(hash));
  const Result<std::string> data = store_->Get(hash);
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->Verify(hash).error().code(), ErrorCode::kNotFound);
}

TEST_F(BlobStoreTest, RejectsMalformedHashes) {
  ASSERT_TRUE(store_->Put("abc").ok());
  for (const std::string_view bad :
       {std::string_view("../../etc/passwd"), std::string_view(""), std::string_view("ba"),
        std::string_view("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"),
        std::string_view("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a"),
        std::string_view("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0"),
        std::string_view("../7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        std::string_view("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a/"),
        std::string_view("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f2001\0ad",
                         64)}) {
    EXPECT_FALSE(IsSha256Hex(bad)) << bad;
    const Result<fs::path> path = store_->PathOf(bad);
    ASSERT_FALSE(path.ok()) << bad;
    EXPECT_EQ(path.error().code(), ErrorCode::kInvalidArgument);
    const Result<std::string> data = store_->Get(bad);
    ASSERT_FALSE(data.ok());
    EXPECT_EQ(data.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(store_->Verify(bad).error().code(), ErrorCode::kInvalidArgument);
    EXPECT_FALSE(store_->Contains(bad));
    // The user message never echoes the input.
    EXPECT_EQ(data.error().message().en.find("passwd"), std::string::npos);
  }
  EXPECT_TRUE(IsSha256Hex(kAbcHash));
}

TEST_F(BlobStoreTest, DirectoriesArePrivate) {
  const Result<std::string> hash = store_->Put("abc");
  ASSERT_TRUE(hash.ok());
  const fs::path blob = *store_->PathOf(*hash);
  EXPECT_EQ(Mode(store_->root()), 0700u);
  EXPECT_EQ(Mode(blob.parent_path()), 0700u);
  EXPECT_EQ(Mode(blob.parent_path().parent_path()), 0700u);
  EXPECT_EQ(Mode(blob), 0400u);
}

TEST_F(BlobStoreTest, DirectoriesArePrivateUnderPermissiveUmask) {
  const mode_t old = ::umask(0);
  Result<BlobStore> store = BlobStore::Open(dir_ / "other");
  ::umask(old);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(Mode(store->root()), 0700u);
}

TEST_F(BlobStoreTest, ReopenSeesExistingBlobs) {
  const Result<std::string> hash = store_->Put("persisted");
  ASSERT_TRUE(hash.ok());
  Result<BlobStore> again = BlobStore::Open(store_->root());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again->Get(*hash), "persisted");
}

TEST_F(BlobStoreTest, OpenFailsOnAFile) {
  { std::ofstream(dir_ / "file") << "x"; }
  const Result<BlobStore> store = BlobStore::Open(dir_ / "file");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code(), ErrorCode::kIoError);
}

}  // namespace
}  // namespace hoshi::storage
