// SPDX-License-Identifier: Apache-2.0
#include "hoshi/cred/data_integrity.h"

#include <algorithm>
#include <array>

#include "hoshi/core/clock.h"
#include "hoshi/cred/jcs.h"
#include "hoshi/cred/messages.h"

#include "internal.h"

namespace hoshi::cred {
namespace {

using Json = nlohmann::json;

/// Multicodec `ed25519-pub` (0xed) as an unsigned varint.
constexpr std::array<std::uint8_t, 2> kEd25519PubPrefix = {0xed, 0x01};
constexpr std::string_view kDidKeyPrefix = "did:key:";

Error BadKey(std::string_view text) {
  return MakeError(ErrorCode::kInvalidArgument, CredMessages(), "cred.bad_public_key",
                   std::string(text.substr(0, 80)));
}

Error ProofError(std::string_view key) {
  return MakeError(ErrorCode::kDataError, CredMessages(), key);
}

using detail::IsString;
using detail::Member;

}  // namespace

std::string MultibasePublicKey(std::span<const std::uint8_t> public_key) {
  Bytes bytes(kEd25519PubPrefix.begin(), kEd25519PubPrefix.end());
  bytes.insert(bytes.end(), public_key.begin(), public_key.end());
  return "z" + Base58Encode(bytes);
}

std::string DidKey(std::span<const std::uint8_t> public_key) {
  return std::string(kDidKeyPrefix) + MultibasePublicKey(public_key);
}

std::string VerificationMethodFor(std::span<const std::uint8_t> public_key) {
  const std::string multibase = MultibasePublicKey(public_key);
  return std::string(kDidKeyPrefix) + multibase + "#" + multibase;
}

Result<Bytes> PublicKeyFromMultibase(std::string_view multibase) {
  if (multibase.size() < 2 || multibase.front() != 'z') {
    return BadKey(multibase);
  }
  auto decoded = Base58Decode(multibase.substr(1));
  if (!decoded || decoded->size() != kEd25519PubPrefix.size() + 32 ||
      (*decoded)[0] != kEd25519PubPrefix[0] || (*decoded)[1] != kEd25519PubPrefix[1]) {
    return BadKey(multibase);
  }
  // Only the canonical encoding (no leading '1's standing for zero bytes beyond the prefix).
  if (Base58Encode(*decoded) != multibase.substr(1)) {
    return BadKey(multibase);
  }
  return Bytes(decoded->begin() + 2, decoded->end());
}

Result<Bytes> PublicKeyFromDidKey(std::string_view did) {
  if (!did.starts_with(kDidKeyPrefix)) {
    return BadKey(did);
  }
  std::string_view id = did.substr(kDidKeyPrefix.size());
  if (const auto hash = id.find('#'); hash != std::string_view::npos) {
    if (id.substr(hash + 1) != id.substr(0, hash)) {
      return BadKey(did);
    }
    id = id.substr(0, hash);
  }
  auto key = PublicKeyFromMultibase(id);
  if (!key) {
    return BadKey(did);
  }
  return key;
}

Result<Json> ProofConfiguration(const Json& unsecured_document, const ProofOptions& options) {
  if (options.verification_method.empty() || options.proof_purpose.empty() ||
      !ParseTimestamp(options.created)) {
    return MakeError(ErrorCode::kInvalidArgument, CredMessages(), "cred.bad_proof_options");
  }
  Json config = Json::object();
  config["type"] = kProofType;
  config["cryptosuite"] = kCryptosuite;
  config["created"] = options.created;
  config["verificationMethod"] = options.verification_method;
  config["proofPurpose"] = options.proof_purpose;
  if (unsecured_document.is_object()) {
    if (const Json* context = Member(unsecured_document, "@context"); context != nullptr) {
      config["@context"] = *context;
    }
  }
  return config;
}

Result<Bytes> HashData(const Json& proof_config, const Json& unsecured_document) {
  HOSHI_ASSIGN_OR_RETURN(const std::string canonical_config, Canonicalize(proof_config));
  HOSHI_ASSIGN_OR_RETURN(const std::string canonical_document, Canonicalize(unsecured_document));
  const Sha256Digest config_hash = Sha256(canonical_config);
  const Sha256Digest document_hash = Sha256(canonical_document);
  Bytes out(config_hash.begin(), config_hash.end());
  out.insert(out.end(), document_hash.begin(), document_hash.end());
  return out;
}

Result<Json> AddProof(const Json& unsecured_document, const ProofOptions& options,
                      const Ed25519KeyPair& key) {
  if (!unsecured_document.is_object() || unsecured_document.contains("proof")) {
    return MakeError(ErrorCode::kInvalidArgument, CredMessages(), "cred.not_unsecured");
  }
  HOSHI_ASSIGN_OR_RETURN(Json proof, ProofConfiguration(unsecured_document, options));
  HOSHI_ASSIGN_OR_RETURN(const Bytes hash_data, HashData(proof, unsecured_document));
  const auto signature = key.Sign(hash_data);
  proof["proofValue"] = "z" + Base58Encode(signature);
  Json secured = unsecured_document;
  secured["proof"] = std::move(proof);
  return secured;
}

Status VerifyProof(const Json& secured_document, std::span<const std::uint8_t> public_key) {
  if (!secured_document.is_object()) {
    return ProofError("cred.proof_missing");
  }
  const Json* proof = Member(secured_document, "proof");
  if (proof == nullptr || !proof->is_object()) {
    // A proof set (array) is not produced by hoshitori and is not accepted either.
    return ProofError("cred.proof_missing");
  }
  if (!IsString(Member(*proof, "type"), kProofType) ||
      !IsString(Member(*proof, "cryptosuite"), kCryptosuite)) {
    return ProofError("cred.proof_cryptosuite");
  }
  const Json* proof_value = Member(*proof, "proofValue");
  if (proof_value == nullptr || !proof_value->is_string()) {
    return ProofError("cred.proof_value");
  }
  const std::string& value = proof_value->get_ref<const std::string&>();
  if (value.size() < 2 || value.front() != 'z') {
    return ProofError("cred.proof_value");
  }
  auto signature = Base58Decode(std::string_view(value).substr(1));
  if (!signature || signature->size() != 64 ||
      Base58Encode(*signature) != std::string_view(value).substr(1)) {
    return ProofError("cred.proof_value");
  }
  // §3.3.2 steps 1-2: the unsecured document and the proof options.
  Json unsecured = secured_document;
  unsecured.erase("proof");
  Json proof_options = *proof;
  proof_options.erase("proofValue");
  const Json* created = Member(proof_options, "created");
  if (created != nullptr &&
      (!created->is_string() || !ParseTimestamp(created->get<std::string>()))) {
    return ProofError("cred.proof_structure");
  }
  // §3.3.2 step 4: the document's @context must start with the proof's; the proof's is used.
  if (const Json* proof_context = Member(proof_options, "@context"); proof_context != nullptr) {
    const Json* document_context = Member(unsecured, "@context");
    if (document_context == nullptr) {
      return ProofError("cred.proof_context");
    }
    const Json proof_list =
        proof_context->is_array() ? *proof_context : Json::array({*proof_context});
    const Json document_list =
        document_context->is_array() ? *document_context : Json::array({*document_context});
    if (proof_list.size() > document_list.size() ||
        !std::equal(proof_list.begin(), proof_list.end(), document_list.begin())) {
      return ProofError("cred.proof_context");
    }
    unsecured["@context"] = *proof_context;
  } else if (const Json* document_context = Member(unsecured, "@context");
             document_context != nullptr) {
    // §3.3.5: the proof configuration carries the document's @context.
    proof_options["@context"] = *document_context;
  }
  // §3.3.5 proof configuration = the proof options (with the @context just checked); §3.3.4.
  auto hash_data = HashData(proof_options, unsecured);
  if (!hash_data) {
    return ProofError("cred.proof_structure");
  }
  if (!Ed25519Verify(public_key, *hash_data, *signature)) {
    return ProofError("cred.proof_signature");
  }
  return Status::Ok();
}

}  // namespace hoshi::cred
