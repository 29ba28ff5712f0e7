// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hoshi/core/clock.h"
#include "hoshi/core/crypto.h"
#include "hoshi/core/i18n.h"
#include "hoshi/core/result.h"
#include "hoshi/cred/data_integrity.h"
#include "hoshi/cred/issuer_key.h"
#include "hoshi/cred/messages.h"

/// ★ certifications as W3C Verifiable Credentials 2.0 secured with a Data Integrity proof
/// (eddsa-jcs-2022), their offline verification against a trusted issuer key, and the signed
/// revocation list. All functions are thread-safe (no shared state).
namespace hoshi::cred {

inline constexpr std::string_view kVcContextV2 = "https://www.w3.org/ns/credentials/v2";
/// The hoshitori vocabulary (ScsStarCredential, corporateNumber, level, …).
inline constexpr std::string_view kHoshitoriContext = "https://hoshitori.example/ns/scs/v1";
inline constexpr std::string_view kStarCredentialType = "ScsStarCredential";
/// The type of `credentialStatus` entries and of the revocation list document they point at.
inline constexpr std::string_view kRevocationListType = "HoshitoriRevocationList2026";
/// Credential files and revocation lists larger than these are refused without parsing.
inline constexpr std::size_t kMaxCredentialBytes = 1 << 20;
inline constexpr std::size_t kMaxRevocationListBytes = 32 << 20;

/// What a ★ credential certifies.
struct StarSubject {
  std::string corporate_number;   ///< 法人番号, 13 digits
  std::string name;               ///< organisation name
  int level = 0;                  ///< 3 or 4 (★)
  std::string catalog_key;        ///< e.g. "scs-2026-03-27"
  std::string scope;              ///< free text: scope of the certification
  Date issued_on;                 ///< first valid day (JST)
  Date expires_on;                ///< last valid day (JST), inclusive
  std::string assessment_digest;  ///< "sha256:<64 lower-case hex>" of the certified assessment
  bool operator==(const StarSubject&) const = default;
};

/// Builds and signs a VC 2.0 ★ credential:
///   "@context": [kVcContextV2, kHoshitoriContext], "id": "urn:uuid:<credential_id>",
///   "type": ["VerifiableCredential", "ScsStarCredential"],
///   "issuer": {"id": DidKey(issuer key), "name": issuer.name},
///   "validFrom": "<issued_on>T00:00:00+09:00", "validUntil": "<expires_on>T23:59:59+09:00",
///   "credentialSubject": {"id": "urn:corporate-number:<n>", "corporateNumber", "name", "level",
///                         "catalog", "scope", "assessmentDigest"},
///   "credentialStatus": {"id": "<status_list_url>#urn:uuid:<credential_id>",
///                        "type": kRevocationListType, "statusPurpose": "revocation",
///                        "revocationList": "<status_list_url>"},
///   "proof": DataIntegrityProof / eddsa-jcs-2022 / assertionMethod, created = `created`.
/// `credential_id` is a lower-case canonical UUID (e.g. from NewId()). Errors: kInvalidArgument
/// naming the bad field (corporate number, level, dates, digest, id, created, URL, names).
[[nodiscard]] Result<nlohmann::json> IssueStarCredential(const StarSubject& subject,
                                                         const IssuerKey& issuer,
                                                         std::string_view credential_id,
                                                         std::string_view created,
                                                         std::string_view status_list_url);

/// The credential as a file: its JCS canonical text, no trailing newline. Verification accepts
/// exactly this text, so changing any byte of the file makes it invalid.
/// Errors: kDataError when it cannot be canonicalized.
[[nodiscard]] Result<std::string> SerializeCredential(const nlohmann::json& credential);

/// The outcome of verifying a credential; see VerdictLabel() for the texts.
enum class Verdict {
  kValid,        ///< trusted signature, inside the validity window, not revoked
  kInvalid,      ///< anything wrong with the file, its structure, issuer or signature
  kExpired,      ///< correctly signed, `now` is after validUntil
  kRevoked,      ///< correctly signed and named in the verified revocation list
  kNotYetValid,  ///< correctly signed, `now` is before validFrom
};

/// The outcome of VerifyStarCredential. `subject` and `credential_id` (the bare UUID) are set
/// whenever the signature verified (also for kExpired, kNotYetValid and kRevoked).
struct Verification {
  Verdict verdict = Verdict::kInvalid;
  LocalizedText reason;
  std::optional<StarSubject> subject;
  std::string credential_id;
};

/// One revoked credential.
struct RevocationEntry {
  std::string credential_id;  ///< the bare UUID, as given to IssueStarCredential
  std::string revoked_at;     ///< RFC 3339
  std::string reason;         ///< free text
  bool operator==(const RevocationEntry&) const = default;
};

/// A snapshot of all revoked credentials, as published by the operator.
struct RevocationList {
  std::string issued_at;  ///< RFC 3339; also the proof's `created`
  std::vector<RevocationEntry> entries;
  bool operator==(const RevocationList&) const = default;
};

/// Verifies a credential file offline against the TRUSTED issuer public key (32 bytes). The key
/// named inside the credential is not trusted: its issuer id must be DidKey(trusted_public_key)
/// and its verificationMethod the matching "did:key:…#…". Checks, in order: size, JSON parse, the
/// exact canonical (JCS) form of the text, structure and types, proof type / cryptosuite /
/// purpose, the Ed25519 signature over the proof configuration and the document, the subject's
/// fields; then revocation when `revocations` (a list already checked by VerifyRevocationList) is
/// given, and the validity window against `now` (RFC 3339): before validFrom → kNotYetValid, after
/// validUntil → kExpired. Revocation wins over the validity window. Never fails: any problem is
/// kInvalid with a bilingual reason.
[[nodiscard]] Verification VerifyStarCredential(std::string_view credential_text,
                                                std::span<const std::uint8_t> trusted_public_key,
                                                std::string_view now,
                                                const RevocationList* revocations);

/// The signed revocation list:
///   {"@context": [kVcContextV2, kHoshitoriContext], "type": kRevocationListType,
///    "issuer": {"id": did:key, "name": …}, "issued": issued_at,
///    "entries": [{"credentialId": "urn:uuid:…", "revokedAt": …, "reason": …}, …],
///    "proof": DataIntegrityProof / eddsa-jcs-2022 / assertionMethod, created = issued_at}.
/// Errors: kInvalidArgument (bad timestamp, id that is not a UUID, duplicate id).
[[nodiscard]] Result<nlohmann::json> IssueRevocationList(const RevocationList& list,
                                                         const IssuerKey& issuer);

/// Parses and verifies a revocation list against the trusted issuer key (any JSON formatting is
/// accepted; the signature covers the content). Errors: kTooLarge, kDataError when the JSON, the
/// structure, the issuer or the signature is bad.
[[nodiscard]] Result<RevocationList> VerifyRevocationList(
    std::string_view text, std::span<const std::uint8_t> trusted_public_key);

/// 有効 / valid, 無効 / invalid, 期限切れ / expired, 失効 / revoked, 有効期間前 / not yet valid.
[[nodiscard]] LocalizedText VerdictLabel(Verdict v);
/// "valid", "invalid", "expired", "revoked", "not_yet_valid" (for JSON output and the API).
[[nodiscard]] std::string_view VerdictName(Verdict v);

}  // namespace hoshi::cred
