// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/result.h"

namespace hoshi {

using Bytes = std::vector<std::uint8_t>;
using Sha256Digest = std::array<std::uint8_t, 32>;

/// Initialises libsodium once; safe to call from any thread, any number of times.
[[nodiscard]] Status InitCrypto();

/// SHA-256 of `data`.
[[nodiscard]] Sha256Digest Sha256(std::string_view data);
[[nodiscard]] Sha256Digest Sha256(std::span<const std::uint8_t> data);
/// Lower-case hex of the SHA-256 of `data`.
[[nodiscard]] std::string Sha256Hex(std::string_view data);

/// Incremental SHA-256 for streams. Not thread-safe; one instance per stream.
class Sha256Hasher {
 public:
  Sha256Hasher();
  void Update(std::string_view chunk);
  /// Finishes the hash; the hasher must not be used afterwards.
  [[nodiscard]] Sha256Digest Finish();

 private:
  alignas(64) std::array<unsigned char, 128> state_{};  // crypto_hash_sha256_state (104 bytes)
};

[[nodiscard]] std::string ToHex(std::span<const std::uint8_t> bytes);
[[nodiscard]] Result<Bytes> FromHex(std::string_view hex);
/// base64url without padding (RFC 4648 §5), as used by multibase 'u' and JWS.
[[nodiscard]] std::string Base64UrlEncode(std::span<const std::uint8_t> bytes);
[[nodiscard]] Result<Bytes> Base64UrlDecode(std::string_view text);
/// Base58 (Bitcoin alphabet), as used by multibase 'z' in Data Integrity proofs.
[[nodiscard]] std::string Base58Encode(std::span<const std::uint8_t> bytes);
[[nodiscard]] Result<Bytes> Base58Decode(std::string_view text);

/// An Ed25519 key pair. The secret key (64 bytes, libsodium layout) is wiped on destruction.
class Ed25519KeyPair {
 public:
  /// A fresh random key pair.
  [[nodiscard]] static Result<Ed25519KeyPair> Generate();
  /// Deterministic from a 32-byte seed.
  [[nodiscard]] static Result<Ed25519KeyPair> FromSeed(std::span<const std::uint8_t> seed);
  ~Ed25519KeyPair();
  Ed25519KeyPair(const Ed25519KeyPair&) = delete;
  Ed25519KeyPair& operator=(const Ed25519KeyPair&) = delete;
  Ed25519KeyPair(Ed25519KeyPair&& other) noexcept;
  Ed25519KeyPair& operator=(Ed25519KeyPair&& other) noexcept;

  [[nodiscard]] const std::array<std::uint8_t, 32>& public_key() const { return public_key_; }
  /// The 32-byte seed (to persist the key); handle as a secret.
  [[nodiscard]] std::array<std::uint8_t, 32> Seed() const;
  /// Detached 64-byte signature over `message`.
  [[nodiscard]] std::array<std::uint8_t, 64> Sign(std::span<const std::uint8_t> message) const;

 private:
  Ed25519KeyPair() = default;
  std::array<std::uint8_t, 32> public_key_{};
  std::array<std::uint8_t, 64> secret_key_{};
};

/// True when `signature` is a valid Ed25519 signature of `message` under `public_key`.
[[nodiscard]] bool Ed25519Verify(std::span<const std::uint8_t> public_key,
                                 std::span<const std::uint8_t> message,
                                 std::span<const std::uint8_t> signature);

/// `n` cryptographically random bytes.
[[nodiscard]] Bytes RandomBytes(std::size_t n);

inline std::span<const std::uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace hoshi
