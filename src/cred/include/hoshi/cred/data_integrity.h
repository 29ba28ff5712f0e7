// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hoshi/core/crypto.h"
#include "hoshi/core/result.h"

/// W3C Data Integrity proofs with the cryptosuite `eddsa-jcs-2022` ("Data Integrity EdDSA
/// Cryptosuites v1.0" §3.3): JCS (RFC 8785) transformation, SHA-256 hashing of the canonical proof
/// configuration and of the canonical document, Ed25519 signature of the 64 concatenated bytes,
/// proofValue = multibase base58btc ('z'). Every function here is a pure function and thread-safe.
namespace hoshi::cred {

inline constexpr std::string_view kProofType = "DataIntegrityProof";
inline constexpr std::string_view kCryptosuite = "eddsa-jcs-2022";
inline constexpr std::string_view kProofPurpose = "assertionMethod";

/// The options of a proof to create (the proof configuration minus `@context`).
struct ProofOptions {
  std::string created;              ///< RFC 3339 date-time
  std::string verification_method;  ///< e.g. "did:key:z6Mk…#z6Mk…"
  std::string proof_purpose = std::string(kProofPurpose);
};

/// "did:key:z6Mk…": the did:key of an Ed25519 public key (multicodec 0xed01 + the 32 bytes,
/// base58btc, multibase 'z').
[[nodiscard]] std::string DidKey(std::span<const std::uint8_t> public_key);
/// "z6Mk…": the Multikey `publicKeyMultibase` form of an Ed25519 public key.
[[nodiscard]] std::string MultibasePublicKey(std::span<const std::uint8_t> public_key);
/// "did:key:z6Mk…#z6Mk…": the verification method of the key, as used in proofs.
[[nodiscard]] std::string VerificationMethodFor(std::span<const std::uint8_t> public_key);
/// The 32-byte public key of a did:key ("did:key:z6Mk…", optionally with its "#z6Mk…" fragment,
/// which must then repeat the key). Errors: kInvalidArgument when it is not an Ed25519 did:key.
[[nodiscard]] Result<Bytes> PublicKeyFromDidKey(std::string_view did);
/// The 32-byte public key of a Multikey "z6Mk…" string. Errors: kInvalidArgument.
[[nodiscard]] Result<Bytes> PublicKeyFromMultibase(std::string_view multibase);

/// The proof configuration (eddsa-jcs-2022 §3.3.5): type, cryptosuite, created,
/// verificationMethod, proofPurpose and the document's `@context` when it has one.
/// Errors: kInvalidArgument when `created` is not an RFC 3339 date-time or a field is empty.
[[nodiscard]] Result<nlohmann::json> ProofConfiguration(const nlohmann::json& unsecured_document,
                                                        const ProofOptions& options);

/// hashData (eddsa-jcs-2022 §3.3.4): SHA-256(JCS(proof_config)) || SHA-256(JCS(document)),
/// 64 bytes. Errors: kDataError when either cannot be canonicalized.
[[nodiscard]] Result<Bytes> HashData(const nlohmann::json& proof_config,
                                     const nlohmann::json& unsecured_document);

/// Adds a `proof` (eddsa-jcs-2022) to `unsecured_document` (a JSON object without `proof`) and
/// returns the secured document. Errors: kInvalidArgument (not an object, already has a proof,
/// bad options), kDataError (not canonicalizable).
[[nodiscard]] Result<nlohmann::json> AddProof(const nlohmann::json& unsecured_document,
                                              const ProofOptions& options,
                                              const Ed25519KeyPair& key);

/// Verifies the single eddsa-jcs-2022 `proof` of `secured_document` against `public_key` (the
/// caller decides which key to trust; the proof's verificationMethod is NOT resolved here).
/// Follows §3.3.2, including the check that the document's `@context` starts with the proof's.
/// The proofValue must be the canonical base58btc form of a 64-byte signature.
/// Errors: kDataError naming what failed (structure, cryptosuite, encoding, signature).
[[nodiscard]] Status VerifyProof(const nlohmann::json& secured_document,
                                 std::span<const std::uint8_t> public_key);

}  // namespace hoshi::cred
