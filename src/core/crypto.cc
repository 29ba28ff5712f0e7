// SPDX-License-Identifier: Apache-2.0
#include "hoshi/core/crypto.h"

#include <algorithm>
#include <cstring>

#include <sodium.h>

#include "hoshi/core/text.h"

namespace hoshi {
namespace {

static_assert(sizeof(crypto_hash_sha256_state) <= 128, "Sha256Hasher state buffer too small");
static_assert(crypto_sign_SECRETKEYBYTES == 64 && crypto_sign_PUBLICKEYBYTES == 32);

crypto_hash_sha256_state* State(std::array<unsigned char, 128>& buf) {
  return reinterpret_cast<crypto_hash_sha256_state*>(buf.data());
}

constexpr std::string_view kBase58Alphabet =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

Error BadEncoding() {
  return MakeError(ErrorCode::kDataError, CoreMessages(), "core.bad_hex");
}

}  // namespace

Status InitCrypto() {
  static const int kRc = sodium_init();
  if (kRc < 0) {
    return MakeError(ErrorCode::kInternal, CoreMessages(), "core.crypto_init");
  }
  return Status::Ok();
}

Sha256Digest Sha256(std::span<const std::uint8_t> data) {
  Sha256Digest out{};
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

Sha256Digest Sha256(std::string_view data) {
  return Sha256(AsBytes(data));
}

std::string Sha256Hex(std::string_view data) {
  return ToHex(Sha256(data));
}

Sha256Hasher::Sha256Hasher() {
  crypto_hash_sha256_init(State(state_));
}

void Sha256Hasher::Update(std::string_view chunk) {
  crypto_hash_sha256_update(State(state_), reinterpret_cast<const unsigned char*>(chunk.data()),
                            chunk.size());
}

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest out{};
  crypto_hash_sha256_final(State(state_), out.data());
  return out;
}

std::string ToHex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

Result<Bytes> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return BadEncoding();
  }

  Bytes out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = HexDigitValue(hex[i]);
    const int lo = HexDigitValue(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return BadEncoding();
    }
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return out;
}

std::string Base64UrlEncode(std::span<const std::uint8_t> bytes) {
  const std::size_t len =
      sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string out(len, '\0');
  sodium_bin2base64(out.data(), len, bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<Bytes> Base64UrlDecode(std::string_view text) {
  Bytes out(text.size() * 3 / 4 + 3);
  std::size_t bin_len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &bin_len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return BadEncoding();
  }
  out.resize(bin_len);
  return out;
}

std::string Base58Encode(std::span<const std::uint8_t> bytes) {
  std::size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) {
    ++zeros;
  }
  std::vector<std::uint8_t> b58((bytes.size() - zeros) * 138 / 100 + 1, 0);
  std::size_t length = 0;
  for (std::size_t i = zeros; i < bytes.size(); ++i) {
    int carry = bytes[i];
    std::size_t j = 0;
    for (auto it = b58.rbegin(); (carry != 0 || j < length) && it != b58.rend(); ++it, ++j) {
      carry += 256 * (*it);
      *it = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    length = j;
  }
  auto it = b58.begin() + static_cast<std::ptrdiff_t>(b58.size() - length);
  std::string out(zeros, '1');
  for (; it != b58.end(); ++it) {
    out.push_back(kBase58Alphabet[*it]);
  }
  return out;
}

Result<Bytes> Base58Decode(std::string_view text) {
  std::size_t zeros = 0;
  while (zeros < text.size() && text[zeros] == '1') {
    ++zeros;
  }
  std::vector<std::uint8_t> b256((text.size() - zeros) * 733 / 1000 + 1, 0);
  std::size_t length = 0;
  for (std::size_t i = zeros; i < text.size(); ++i) {
    const auto pos = kBase58Alphabet.find(text[i]);
    if (pos == std::string_view::npos) {
      return BadEncoding();
    }
    int carry = static_cast<int>(pos);
    std::size_t j = 0;
    for (auto it = b256.rbegin(); (carry != 0 || j < length) && it != b256.rend(); ++it, ++j) {
      carry += 58 * (*it);
      *it = static_cast<std::uint8_t>(carry % 256);
      carry /= 256;
    }
    length = j;
  }
  Bytes out(zeros, 0);
  out.insert(out.end(), b256.end() - static_cast<std::ptrdiff_t>(length), b256.end());
  return out;
}

Result<Ed25519KeyPair> Ed25519KeyPair::Generate() {
  HOSHI_RETURN_IF_ERROR(InitCrypto());
  Ed25519KeyPair kp;
  crypto_sign_keypair(kp.public_key_.data(), kp.secret_key_.data());
  return kp;
}

Result<Ed25519KeyPair> Ed25519KeyPair::FromSeed(std::span<const std::uint8_t> seed) {
  HOSHI_RETURN_IF_ERROR(InitCrypto());
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return MakeError(ErrorCode::kDataError, CoreMessages(), "core.bad_key");
  }
  Ed25519KeyPair kp;
  crypto_sign_seed_keypair(kp.public_key_.data(), kp.secret_key_.data(), seed.data());
  return kp;
}

Ed25519KeyPair::~Ed25519KeyPair() {
  sodium_memzero(secret_key_.data(), secret_key_.size());
}

Ed25519KeyPair::Ed25519KeyPair(Ed25519KeyPair&& other) noexcept
    : public_key_(other.public_key_), secret_key_(other.secret_key_) {
  sodium_memzero(other.secret_key_.data(), other.secret_key_.size());
}

Ed25519KeyPair& Ed25519KeyPair::operator=(Ed25519KeyPair&& other) noexcept {
  if (this != &other) {
    public_key_ = other.public_key_;
    secret_key_ = other.secret_key_;
    sodium_memzero(other.secret_key_.data(), other.secret_key_.size());
  }
  return *this;
}

std::array<std::uint8_t, 32> Ed25519KeyPair::Seed() const {
  std::array<std::uint8_t, 32> seed{};
  crypto_sign_ed25519_sk_to_seed(seed.data(), secret_key_.data());
  return seed;
}

std::array<std::uint8_t, 64> Ed25519KeyPair::Sign(std::span<const std::uint8_t> message) const {
  std::array<std::uint8_t, 64> sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key_.data());
  return sig;
}

bool Ed25519Verify(std::span<const std::uint8_t> public_key, std::span<const std::uint8_t> message,
                   std::span<const std::uint8_t> signature) {
  if (!InitCrypto().ok() || public_key.size() != crypto_sign_PUBLICKEYBYTES ||
      signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     public_key.data()) == 0;
}

Bytes RandomBytes(std::size_t n) {
  InitCrypto().IgnoreError();  // sodium_init failing leaves randombytes on its safe default.
  Bytes out(n);
  randombytes_buf(out.data(), n);
  return out;
}

}  // namespace hoshi
