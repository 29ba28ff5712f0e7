// SPDX-License-Identifier: Apache-2.0
#include "hoshi/cred/vc.h"

#include <algorithm>
#include <utility>

#include "hoshi/core/id.h"
#include "hoshi/core/json.h"
#include "hoshi/cred/jcs.h"

#include "internal.h"

namespace hoshi::cred {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kVcType = "VerifiableCredential";
constexpr std::string_view kCorporateNumberPrefix = "urn:corporate-number:";
constexpr std::string_view kStartOfDay = "T00:00:00+09:00";
constexpr std::string_view kEndOfDay = "T23:59:59+09:00";

Error InvalidArgument(std::string_view key) {
  return MakeError(ErrorCode::kInvalidArgument, CredMessages(), key);
}
template <typename... Args>
Error InvalidArgument(std::string_view key, Args&&... args) {
  return MakeError(ErrorCode::kInvalidArgument, CredMessages(), key, std::forward<Args>(args)...);
}

bool IsCorporateNumber(std::string_view text) {
  return text.size() == 13 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status CheckSubject(const StarSubject& subject) {
  if (!IsCorporateNumber(subject.corporate_number)) {
    return InvalidArgument("cred.bad_corporate_number", subject.corporate_number);
  }
  if (subject.name.empty()) {
    return InvalidArgument("cred.empty_name");
  }
  if (subject.level != 3 && subject.level != 4) {
    return InvalidArgument("cred.bad_level", subject.level);
  }
  if (subject.catalog_key.empty()) {
    return InvalidArgument("cred.empty_catalog");
  }
  if (subject.expires_on < subject.issued_on) {
    return InvalidArgument("cred.bad_dates", subject.issued_on.ToIso(), subject.expires_on.ToIso());
  }
  if (!detail::IsSha256Digest(subject.assessment_digest)) {
    return InvalidArgument("cred.bad_digest");
  }
  return Status::Ok();
}

/// A verification that failed, with the reason.
template <typename... Args>
Verification Invalid(std::string_view key, Args&&... args) {
  Verification v;
  v.verdict = Verdict::kInvalid;
  v.reason = FormatMessage(CredMessages(), key, std::forward<Args>(args)...);
  return v;
}

Verification InvalidStructure(std::string_view field) {
  return Invalid("cred.verify.structure", field);
}

/// The credentialSubject read into a StarSubject, or the name of the first bad field.
struct SubjectRead {
  StarSubject subject;
  std::string_view bad_field;
};

SubjectRead ReadSubject(const Json& credential) {
  SubjectRead out;
  const auto fail = [&out](std::string_view field) {
    out.bad_field = field;
    return out;
  };
  const Json* subject = detail::Member(credential, "credentialSubject");
  if (subject == nullptr || !subject->is_object()) {
    return fail("credentialSubject");
  }
  const auto read_string = [subject](std::string_view key, std::string& into) {
    const std::string* value = detail::StringMember(subject, key);
    if (value != nullptr) {
      into = *value;
    }
    return value != nullptr;
  };
  StarSubject& s = out.subject;
  std::string subject_id;
  if (!read_string("id", subject_id) || !read_string("corporateNumber", s.corporate_number) ||
      !IsCorporateNumber(s.corporate_number) ||
      subject_id != std::string(kCorporateNumberPrefix) + s.corporate_number) {
    return fail("credentialSubject.corporateNumber");
  }
  if (!read_string("name", s.name) || s.name.empty()) {
    return fail("credentialSubject.name");
  }
  const Json* level = detail::Member(*subject, "level");
  if (level == nullptr || !level->is_number_integer() ||
      (level->get<std::int64_t>() != 3 && level->get<std::int64_t>() != 4)) {
    return fail("credentialSubject.level");
  }
  s.level = static_cast<int>(level->get<std::int64_t>());
  if (!read_string("catalog", s.catalog_key) || s.catalog_key.empty()) {
    return fail("credentialSubject.catalog");
  }
  if (!read_string("scope", s.scope)) {
    return fail("credentialSubject.scope");
  }
  if (!read_string("assessmentDigest", s.assessment_digest) ||
      !detail::IsSha256Digest(s.assessment_digest)) {
    return fail("credentialSubject.assessmentDigest");
  }
  return out;
}

}  // namespace

Result<Json> IssueStarCredential(const StarSubject& subject, const IssuerKey& issuer,
                                 std::string_view credential_id, std::string_view created,
                                 std::string_view status_list_url) {
  HOSHI_RETURN_IF_ERROR(CheckSubject(subject));
  if (!IsValidId(credential_id)) {
    return InvalidArgument("cred.bad_credential_id", std::string(credential_id));
  }
  if (!ParseTimestamp(created)) {
    return InvalidArgument("cred.bad_timestamp", std::string(created));
  }
  if (!detail::IsUrlLike(status_list_url)) {
    return InvalidArgument("cred.bad_status_url", std::string(status_list_url));
  }
  if (issuer.name.empty()) {
    return InvalidArgument("cred.empty_issuer_name");
  }
  const std::string id = std::string(detail::kUuidUrnPrefix) + std::string(credential_id);
  const auto& public_key = issuer.key.public_key();
  Json credential = Json::object();
  credential["@context"] = Json::array({kVcContextV2, kHoshitoriContext});
  credential["id"] = id;
  credential["type"] = Json::array({kVcType, kStarCredentialType});
  credential["issuer"] = Json{{"id", DidKey(public_key)}, {"name", issuer.name}};
  credential["validFrom"] = subject.issued_on.ToIso() + std::string(kStartOfDay);
  credential["validUntil"] = subject.expires_on.ToIso() + std::string(kEndOfDay);
  credential["credentialSubject"] = Json{
      {"id", std::string(kCorporateNumberPrefix) + subject.corporate_number},
      {"corporateNumber", subject.corporate_number},
      {"name", subject.name},
      {"level", subject.level},
      {"catalog", subject.catalog_key},
      {"scope", subject.scope},
      {"assessmentDigest", subject.assessment_digest},
  };
  credential["credentialStatus"] = Json{
      {"id", std::string(status_list_url) + "#" + id},
      {"type", kRevocationListType},
      {"statusPurpose", "revocation"},
      {"revocationList", std::string(status_list_url)},
  };
  ProofOptions options;
  options.created = std::string(created);
  options.verification_method = VerificationMethodFor(public_key);
  auto secured = AddProof(credential, options, issuer.key);
  if (!secured) {
    // Strings from the caller that are not valid UTF-8 (name, scope, issuer name).
    return Error(ErrorCode::kInvalidArgument, secured.error().message())
        .WithReason(secured.error().reason());
  }
  return secured;
}

Result<std::string> SerializeCredential(const Json& credential) {
  return Canonicalize(credential);
}

Verification VerifyStarCredential(std::string_view credential_text,
                                  std::span<const std::uint8_t> trusted_public_key,
                                  std::string_view now, const RevocationList* revocations) {
  if (trusted_public_key.size() != 32) {
    return Invalid("cred.verify.bad_trusted_key");
  }
  const auto now_time = ParseTimestamp(now);
  if (!now_time) {
    return Invalid("cred.verify.bad_now", std::string(now));
  }
  if (credential_text.size() > kMaxCredentialBytes) {
    return Invalid("cred.verify.too_large", FormatNumber(kMaxCredentialBytes));
  }
  auto parsed = ParseJson(credential_text);
  if (!parsed) {
    Verification v;
    v.reason = detail::FormatLocalized("cred.verify.not_json", {parsed.error().message()});
    return v;
  }
  const Json& credential = *parsed;
  // The file must be exactly what was issued: its canonical form (no other spelling of the same
  // JSON, no duplicate members, no added whitespace).
  const auto canonical = Canonicalize(credential);
  if (!canonical || *canonical != credential_text) {
    return Invalid("cred.verify.not_canonical");
  }
  if (!credential.is_object()) {
    return InvalidStructure("credential");
  }
  const Json* context = detail::Member(credential, "@context");
  if (context == nullptr || *context != Json::array({kVcContextV2, kHoshitoriContext})) {
    return InvalidStructure("@context");
  }
  const Json* type = detail::Member(credential, "type");
  if (type == nullptr || *type != Json::array({kVcType, kStarCredentialType})) {
    return InvalidStructure("type");
  }
  const std::string* id = detail::StringMember(&credential, "id");
  if (id == nullptr || !id->starts_with(detail::kUuidUrnPrefix) ||
      !IsValidId(std::string_view(*id).substr(detail::kUuidUrnPrefix.size()))) {
    return InvalidStructure("id");
  }
  // The issuer and the proof's key must be the trusted key; the credential's own claim of who
  // signed it is not trusted.
  const Json* issuer = detail::Member(credential, "issuer");
  const std::string* issuer_id = detail::StringMember(issuer, "id");
  if (issuer_id == nullptr || detail::StringMember(issuer, "name") == nullptr) {
    return InvalidStructure("issuer");
  }
  if (*issuer_id != DidKey(trusted_public_key)) {
    return Invalid("cred.verify.wrong_issuer", *issuer_id);
  }
  const Json* proof = detail::Member(credential, "proof");
  if (proof == nullptr || !proof->is_object()) {
    return Invalid("cred.proof_missing");
  }
  const std::string* method = detail::StringMember(proof, "verificationMethod");
  if (method == nullptr) {
    return InvalidStructure("proof.verificationMethod");
  }
  if (*method != VerificationMethodFor(trusted_public_key)) {
    return Invalid("cred.verify.wrong_method", *method);
  }
  if (!detail::IsString(detail::Member(*proof, "proofPurpose"), kProofPurpose)) {
    return InvalidStructure("proof.proofPurpose");
  }
  if (const Status status = VerifyProof(credential, trusted_public_key); !status.ok()) {
    Verification v;
    v.reason = status.error().message();
    return v;
  }
  // Signed by the trusted issuer: now read what it says.
  SubjectRead read = ReadSubject(credential);
  if (!read.bad_field.empty()) {
    return InvalidStructure(read.bad_field);
  }
  const auto from_time = detail::TimeMember(credential, "validFrom");
  if (!from_time) {
    return InvalidStructure("validFrom");
  }
  const auto until_time = detail::TimeMember(credential, "validUntil");
  if (!until_time || *until_time < *from_time) {
    return InvalidStructure("validUntil");
  }
  const Json* status = detail::Member(credential, "credentialStatus");
  if (status == nullptr || !status->is_object() ||
      !detail::IsString(detail::Member(*status, "type"), kRevocationListType)) {
    return InvalidStructure("credentialStatus");
  }
  read.subject.issued_on = Date::FromTimePoint(*from_time);
  read.subject.expires_on = Date::FromTimePoint(*until_time);

  Verification v;
  v.credential_id = id->substr(detail::kUuidUrnPrefix.size());
  v.subject = std::move(read.subject);
  const LocalizedText first_day = detail::DateText(v.subject->issued_on);
  const LocalizedText last_day = detail::DateText(v.subject->expires_on);
  if (revocations != nullptr) {
    for (const RevocationEntry& entry : revocations->entries) {
      if (entry.credential_id == v.credential_id) {
        const auto revoked_at = ParseTimestamp(entry.revoked_at);
        v.verdict = Verdict::kRevoked;
        v.reason = detail::FormatLocalized(
            "cred.verify.revoked", {revoked_at ? detail::DateText(Date::FromTimePoint(*revoked_at))
                                               : detail::Verbatim(entry.revoked_at),
                                    detail::Verbatim(entry.reason)});
        return v;
      }
    }
  }
  if (*now_time < *from_time) {
    v.verdict = Verdict::kNotYetValid;
    v.reason = detail::FormatLocalized("cred.verify.not_yet_valid", {first_day});
  } else if (*now_time > *until_time) {
    v.verdict = Verdict::kExpired;
    v.reason = detail::FormatLocalized("cred.verify.expired", {last_day});
  } else {
    v.verdict = Verdict::kValid;
    v.reason = detail::FormatLocalized("cred.verify.valid", {first_day, last_day});
  }
  return v;
}

LocalizedText VerdictLabel(Verdict v) {
  switch (v) {
    case Verdict::kValid:
      return Lookup(CredMessages(), "cred.verdict.valid");
    case Verdict::kInvalid:
      break;
    case Verdict::kExpired:
      return Lookup(CredMessages(), "cred.verdict.expired");
    case Verdict::kRevoked:
      return Lookup(CredMessages(), "cred.verdict.revoked");
    case Verdict::kNotYetValid:
      return Lookup(CredMessages(), "cred.verdict.not_yet_valid");
  }
  return Lookup(CredMessages(), "cred.verdict.invalid");
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kValid:
      return "valid";
    case Verdict::kInvalid:
      break;
    case Verdict::kExpired:
      return "expired";
    case Verdict::kRevoked:
      return "revoked";
    case Verdict::kNotYetValid:
      return "not_yet_valid";
  }
  return "invalid";
}

}  // namespace hoshi::cred
