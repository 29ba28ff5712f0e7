// SPDX-License-Identifier: Apache-2.0
#include <set>
#include <utility>

#include "hoshi/core/id.h"
#include "hoshi/core/json.h"
#include "hoshi/cred/vc.h"

#include "internal.h"

namespace hoshi::cred {
namespace {

using Json = nlohmann::json;

Error ListStructure(std::string_view field) {
  return MakeError(ErrorCode::kDataError, CredMessages(), "cred.list.structure",
                   std::string(field));
}

Json ListContext() {
  return Json::array({kVcContextV2, kHoshitoriContext});
}

}  // namespace

Result<Json> IssueRevocationList(const RevocationList& list, const IssuerKey& issuer) {
  if (!ParseTimestamp(list.issued_at)) {
    return MakeError(ErrorCode::kInvalidArgument, CredMessages(), "cred.bad_timestamp",
                     list.issued_at);
  }
  if (issuer.name.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, CredMessages(), "cred.empty_issuer_name");
  }
  Json entries = Json::array();
  std::set<std::string_view> seen;
  for (const RevocationEntry& entry : list.entries) {
    if (!IsValidId(entry.credential_id)) {
      return MakeError(ErrorCode::kInvalidArgument, CredMessages(), "cred.bad_credential_id",
                       entry.credential_id);
    }
    if (!seen.insert(entry.credential_id).second) {
      return MakeError(ErrorCode::kInvalidArgument, CredMessages(), "cred.list.duplicate",
                       entry.credential_id);
    }
    if (!ParseTimestamp(entry.revoked_at)) {
      return MakeError(ErrorCode::kInvalidArgument, CredMessages(), "cred.bad_timestamp",
                       entry.revoked_at);
    }
    entries.push_back(Json{
        {"credentialId", std::string(detail::kUuidUrnPrefix) + entry.credential_id},
        {"revokedAt", entry.revoked_at},
        {"reason", entry.reason},
    });
  }
  const auto& public_key = issuer.key.public_key();
  Json document = Json::object();
  document["@context"] = ListContext();
  document["type"] = kRevocationListType;
  document["issuer"] = Json{{"id", DidKey(public_key)}, {"name", issuer.name}};
  document["issued"] = list.issued_at;
  document["entries"] = std::move(entries);
  ProofOptions options;
  options.created = list.issued_at;
  options.verification_method = VerificationMethodFor(public_key);
  auto secured = AddProof(document, options, issuer.key);
  if (!secured) {
    return Error(ErrorCode::kInvalidArgument, secured.error().message())
        .WithReason(secured.error().reason());
  }
  return secured;
}

Result<RevocationList> VerifyRevocationList(std::string_view text,
                                            std::span<const std::uint8_t> trusted_public_key) {
  if (text.size() > kMaxRevocationListBytes) {
    return MakeError(ErrorCode::kTooLarge, CredMessages(), "cred.list.too_large",
                     FormatNumber(static_cast<long long>(kMaxRevocationListBytes)));
  }
  auto parsed = ParseJson(text);
  if (!parsed) {
    return Error(ErrorCode::kDataError,
                 detail::FormatLocalized("cred.list.not_json", {parsed.error().message()}))
        .WithReason("cred.list.not_json");
  }
  const Json& document = *parsed;
  if (!document.is_object()) {
    return ListStructure("list");
  }
  const Json* context = detail::Member(document, "@context");
  if (context == nullptr || *context != ListContext()) {
    return ListStructure("@context");
  }
  if (!detail::IsString(detail::Member(document, "type"), kRevocationListType)) {
    return ListStructure("type");
  }
  if (trusted_public_key.size() != 32) {
    return MakeError(ErrorCode::kDataError, CredMessages(), "cred.verify.bad_trusted_key");
  }
  const std::string* issuer_id = detail::StringMember(detail::Member(document, "issuer"), "id");
  const Json* proof = detail::Member(document, "proof");
  const std::string* method = detail::StringMember(proof, "verificationMethod");
  if (issuer_id == nullptr || *issuer_id != DidKey(trusted_public_key) || method == nullptr ||
      *method != VerificationMethodFor(trusted_public_key)) {
    return MakeError(ErrorCode::kDataError, CredMessages(), "cred.list.wrong_issuer");
  }
  if (!detail::IsString(detail::Member(*proof, "proofPurpose"), kProofPurpose)) {
    return ListStructure("proof.proofPurpose");
  }
  if (Status status = VerifyProof(document, trusted_public_key); !status.ok()) {
    return Error(ErrorCode::kDataError,
                 detail::FormatLocalized("cred.list.bad_signature", {status.error().message()}))
        .WithReason("cred.list.bad_signature");
  }
  // Signed by the trusted issuer: read the entries.
  RevocationList list;
  const std::string* issued = detail::StringMember(&document, "issued");
  if (issued == nullptr || !ParseTimestamp(*issued)) {
    return ListStructure("issued");
  }
  list.issued_at = *issued;
  const Json* entries = detail::Member(document, "entries");
  if (entries == nullptr || !entries->is_array()) {
    return ListStructure("entries");
  }
  std::set<std::string> seen;
  for (const Json& entry : *entries) {
    const std::string* id = detail::StringMember(&entry, "credentialId");
    const std::string* revoked_at = detail::StringMember(&entry, "revokedAt");
    const std::string* reason = detail::StringMember(&entry, "reason");
    if (id == nullptr || !id->starts_with(detail::kUuidUrnPrefix) ||
        !IsValidId(std::string_view(*id).substr(detail::kUuidUrnPrefix.size())) ||
        revoked_at == nullptr || !ParseTimestamp(*revoked_at) || reason == nullptr) {
      return ListStructure("entries");
    }
    RevocationEntry out{id->substr(detail::kUuidUrnPrefix.size()), *revoked_at, *reason};
    if (!seen.insert(out.credential_id).second) {
      return MakeError(ErrorCode::kDataError, CredMessages(), "cred.list.duplicate",
                       out.credential_id);
    }
    list.entries.push_back(std::move(out));
  }
  return list;
}

}  // namespace hoshi::cred
