// SPDX-License-Identifier: Apache-2.0
#include "hoshi/cred/issuer_key.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "hoshi/cred/data_integrity.h"

namespace hoshi::cred {
namespace {

namespace fs = std::filesystem;

class IssuerKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("hoshi-cred-" + ToHex(RandomBytes(6)));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static unsigned Mode(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
  }
  static void Write(const fs::path& p, std::string_view content, fs::perms perms) {
    std::ofstream(p) << content;
    fs::permissions(p, perms);
  }

  fs::path dir_;
};

TEST_F(IssuerKeyTest, CreatesAPrivateKeyFileOnceAndReloadsIt) {
  const fs::path file = dir_ / "keys" / "sub" / "issuer.key";
  auto created = LoadOrCreateIssuerKey(file, "IPA");
  ASSERT_TRUE(created.ok()) << created.error().message().en;
  EXPECT_EQ(created->name, "IPA");
  EXPECT_EQ(Mode(file), 0600U);
  EXPECT_EQ(Mode(dir_ / "keys"), 0700U);
  EXPECT_EQ(Mode(dir_ / "keys" / "sub"), 0700U);
  // The file holds the seed as hex and a newline; no temporary file is left behind.
  std::ifstream in(file);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(content.size(), 65U);
  EXPECT_EQ(content.back(), '\n');
  EXPECT_EQ(content.substr(0, 64), ToHex(created->key.Seed()));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "keys" / "sub"), {}), 1);

  auto again = LoadOrCreateIssuerKey(file, "情報処理推進機構");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->key.public_key(), created->key.public_key());
  EXPECT_EQ(again->name, "情報処理推進機構");
  // A different file gets a different key.
  auto other = LoadOrCreateIssuerKey(dir_ / "other.key", "IPA");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->key.public_key(), created->key.public_key());
}

TEST_F(IssuerKeyTest, AcceptsHexAndBase64UrlSeeds) {
  Bytes seed(32);
  for (std::size_t i = 0; i < seed.size(); ++i) {
    seed[i] = static_cast<std::uint8_t>(0xa0 + i);
  }
  const auto expected = Ed25519KeyPair::FromSeed(seed);
  ASSERT_TRUE(expected.ok());
  Write(dir_ / "hex.key", "  " + ToHex(seed) + "\r\n", fs::perms::owner_read);
  Write(dir_ / "b64.key", Base64UrlEncode(seed), fs::perms::owner_read | fs::perms::owner_write);
  for (const char* name : {"hex.key", "b64.key"}) {
    auto key = LoadOrCreateIssuerKey(dir_ / name, "IPA");
    ASSERT_TRUE(key.ok()) << name << ": " << key.error().message().en;
    EXPECT_EQ(key->key.public_key(), expected->public_key()) << name;
  }
}

TEST_F(IssuerKeyTest, RefusesOpenPermissionsGarbageAndSymlinks) {
  const std::string hex(64, 'a');
  Write(dir_ / "open.key", hex,
        fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
            fs::perms::others_read);
  auto open = LoadOrCreateIssuerKey(dir_ / "open.key", "IPA");
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(open.error().reason(), "cred.key.permissions");

  Write(dir_ / "bad.key", "not a seed", fs::perms::owner_read);
  auto bad = LoadOrCreateIssuerKey(dir_ / "bad.key", "IPA");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kDataError);
  Write(dir_ / "short.key", std::string(62, 'a'), fs::perms::owner_read);
  EXPECT_FALSE(LoadOrCreateIssuerKey(dir_ / "short.key", "IPA").ok());
  Write(dir_ / "nothex.key", std::string(64, 'g'), fs::perms::owner_read);
  EXPECT_FALSE(LoadOrCreateIssuerKey(dir_ / "nothex.key", "IPA").ok());

  Write(dir_ / "target.key", hex, fs::perms::owner_read);
  fs::create_symlink(dir_ / "target.key", dir_ / "link.key");
  auto link = LoadOrCreateIssuerKey(dir_ / "link.key", "IPA");
  ASSERT_FALSE(link.ok());
  EXPECT_EQ(link.error().code(), ErrorCode::kPermissionDenied);
  // A dangling symlink is not replaced by a new key either.
  fs::create_symlink(dir_ / "nowhere.key", dir_ / "dangling.key");
  EXPECT_FALSE(LoadOrCreateIssuerKey(dir_ / "dangling.key", "IPA").ok());
  EXPECT_FALSE(fs::exists(dir_ / "nowhere.key"));

  fs::create_directory(dir_ / "dir.key");
  EXPECT_FALSE(LoadOrCreateIssuerKey(dir_ / "dir.key", "IPA").ok());
  EXPECT_FALSE(LoadOrCreateIssuerKey(dir_ / "x.key", "").ok());
}

TEST(LoadPublicKeyTest, AcceptsDidKeyMultikeyAndHex) {
  Bytes seed(32, 7);
  auto key = Ed25519KeyPair::FromSeed(seed);
  ASSERT_TRUE(key.ok());
  const Bytes expected(key->public_key().begin(), key->public_key().end());
  for (const std::string& text : {
           DidKey(key->public_key()),
           VerificationMethodFor(key->public_key()),
           MultibasePublicKey(key->public_key()),
           ToHex(key->public_key()),
           "  " + DidKey(key->public_key()) + "\n",
       }) {
    auto loaded = LoadPublicKey(text);
    ASSERT_TRUE(loaded.ok()) << text;
    EXPECT_EQ(*loaded, expected) << text;
  }
  for (const char* bad : {"", "did:web:example.com", "z123", "abcd",
                          "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
                          "gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg"}) {
    auto loaded = LoadPublicKey(bad);
    ASSERT_FALSE(loaded.ok()) << bad;
    EXPECT_EQ(loaded.error().code(), ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace hoshi::cred
