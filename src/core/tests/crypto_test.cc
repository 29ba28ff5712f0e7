// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/crypto.h"

#include <gtest/gtest.h>

namespace hoshi {
namespace {

TEST(CryptoTest, Sha256KnownAnswers) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256Hasher h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(ToHex(h.Finish()), Sha256Hex("abc"));
}

TEST(CryptoTest, Ed25519Rfc8032TestVector1) {
  // RFC 8032 §7.1, TEST 1 (empty message).
  auto seed = FromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  ASSERT_TRUE(seed.ok());
  auto kp = Ed25519KeyPair::FromSeed(*seed);
  ASSERT_TRUE(kp.ok());
  EXPECT_EQ(ToHex(kp->public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const auto sig = kp->Sign({});
  EXPECT_EQ(ToHex(sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(Ed25519Verify(kp->public_key(), {}, sig));
  EXPECT_EQ(ToHex(kp->Seed()), ToHex(*seed));
}

TEST(CryptoTest, TamperedMessageOrSignatureFails) {
  auto kp = Ed25519KeyPair::Generate();
  ASSERT_TRUE(kp.ok());
  const std::string msg = "★3 認定";
  auto sig = kp->Sign(AsBytes(msg));
  EXPECT_TRUE(Ed25519Verify(kp->public_key(), AsBytes(msg), sig));
  std::string tampered = msg;
  tampered[0] = static_cast<char>(tampered[0] ^ 1);
  EXPECT_FALSE(Ed25519Verify(kp->public_key(), AsBytes(tampered), sig));
  sig[10] ^= 0x01;
  EXPECT_FALSE(Ed25519Verify(kp->public_key(), AsBytes(msg), sig));
  EXPECT_FALSE(Ed25519Verify(kp->public_key(), AsBytes(msg), std::span<const std::uint8_t>{}));
}

TEST(CryptoTest, EncodingsRoundTrip) {
  const Bytes data{0, 0, 1, 2, 250, 251, 252, 253, 254, 255};
  auto hex = FromHex(ToHex(data));
  ASSERT_TRUE(hex.ok());
  EXPECT_EQ(*hex, data);
  auto b64 = Base64UrlDecode(Base64UrlEncode(data));
  ASSERT_TRUE(b64.ok());
  EXPECT_EQ(*b64, data);
  auto b58 = Base58Decode(Base58Encode(data));
  ASSERT_TRUE(b58.ok());
  EXPECT_EQ(*b58, data);
  EXPECT_EQ(Base58Encode(AsBytes("Hello World!")), "2NEpo7TZRRrLZSi2U");
  EXPECT_FALSE(FromHex("abc").ok());
  EXPECT_FALSE(FromHex("zz").ok());
  EXPECT_FALSE(Base58Decode("0OIl").ok());
  EXPECT_FALSE(Base64UrlDecode("***").ok());
}

TEST(CryptoTest, RandomBytesDiffer) {
  EXPECT_EQ(RandomBytes(32).size(), 32U);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

}  // namespace
}  // namespace hoshi
