// SPDX-License-Identifier: Apache-2.0
#include "hoshi/cred/vc.h"

#include <string>

#include <gtest/gtest.h>

#include "hoshi/core/json.h"
#include "hoshi/cred/jcs.h"

#include "test_util.h"

namespace hoshi::cred {
namespace {

using Json = nlohmann::json;
using test::FixedIssuer;
using test::kCreated;
using test::kCredentialId;
using test::kListUrl;
using test::SampleSubject;

class VcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto credential =
        IssueStarCredential(SampleSubject(), issuer_, kCredentialId, kCreated, kListUrl);
    ASSERT_TRUE(credential.ok()) << credential.error().message().en;
    credential_ = *credential;
    auto text = SerializeCredential(credential_);
    ASSERT_TRUE(text.ok());
    text_ = *text;
  }

  Verification Verify(std::string_view text, std::string_view now = "2026-10-01T12:00:00+09:00",
                      const RevocationList* list = nullptr) const {
    return VerifyStarCredential(text, issuer_.key.public_key(), now, list);
  }

  IssuerKey issuer_ = FixedIssuer();
  Json credential_;
  std::string text_;
};

TEST_F(VcTest, IssuesAVerifiableCredential20) {
  const Json& c = credential_;
  EXPECT_EQ(c["@context"], Json::array({"https://www.w3.org/ns/credentials/v2",
                                        "https://hoshitori.example/ns/scs/v1"}));
  EXPECT_EQ(c["id"], "urn:uuid:01966b2e-7a1c-7d3e-8f00-0123456789ab");
  EXPECT_EQ(c["type"], Json::array({"VerifiableCredential", "ScsStarCredential"}));
  EXPECT_EQ(c["issuer"]["id"], DidKey(issuer_.key.public_key()));
  EXPECT_TRUE(c["issuer"]["id"].get<std::string>().starts_with("did:key:z6Mk"));
  EXPECT_EQ(c["issuer"]["name"], "独立行政法人情報処理推進機構");
  EXPECT_EQ(c["validFrom"], "2026-04-01T00:00:00+09:00");
  EXPECT_EQ(c["validUntil"], "2027-03-31T23:59:59+09:00");
  const Json& s = c["credentialSubject"];
  EXPECT_EQ(s["id"], "urn:corporate-number:1010001000006");
  EXPECT_EQ(s["corporateNumber"], "1010001000006");
  EXPECT_EQ(s["name"], "株式会社ほしとり製作所");
  EXPECT_EQ(s["level"], 3);
  EXPECT_EQ(s["catalog"], "scs-2026-03-27");
  EXPECT_EQ(s["scope"], "本社および国内 2 工場の情報システム");
  EXPECT_EQ(s["assessmentDigest"], SampleSubject().assessment_digest);
  EXPECT_EQ(c["credentialStatus"]["type"], "HoshitoriRevocationList2026");
  EXPECT_EQ(c["credentialStatus"]["revocationList"], kListUrl);
  EXPECT_EQ(c["credentialStatus"]["id"],
            std::string(kListUrl) + "#urn:uuid:01966b2e-7a1c-7d3e-8f00-0123456789ab");
  const Json& p = c["proof"];
  EXPECT_EQ(p["type"], "DataIntegrityProof");
  EXPECT_EQ(p["cryptosuite"], "eddsa-jcs-2022");
  EXPECT_EQ(p["created"], kCreated);
  EXPECT_EQ(p["proofPurpose"], "assertionMethod");
  EXPECT_EQ(p["verificationMethod"], VerificationMethodFor(issuer_.key.public_key()));
  EXPECT_EQ(p["@context"], c["@context"]);
  EXPECT_TRUE(p["proofValue"].get<std::string>().starts_with("z"));
  // The file form is the canonical text: no whitespace, sorted members, a fixed point.
  EXPECT_TRUE(text_.starts_with(R"({"@context":["https://www.w3.org/ns/credentials/v2",)"));
  EXPECT_EQ(*Canonicalize(Json::parse(text_)), text_);
  // Deterministic: the same inputs give the same bytes (Ed25519 is deterministic).
  EXPECT_EQ(*SerializeCredential(
                *IssueStarCredential(SampleSubject(), issuer_, kCredentialId, kCreated, kListUrl)),
            text_);
}

TEST_F(VcTest, IssueThenVerifyIsValid) {
  const Verification v = Verify(text_);
  EXPECT_EQ(v.verdict, Verdict::kValid) << v.reason.en;
  ASSERT_TRUE(v.subject.has_value());
  EXPECT_EQ(*v.subject, SampleSubject());
  EXPECT_EQ(v.credential_id, kCredentialId);
  EXPECT_EQ(v.reason.ja, "署名を確認しました。2026年4月1日から2027年3月31日まで有効です。");
  EXPECT_EQ(v.reason.en, "The signature is valid. Valid from 1 Apr 2026 to 31 Mar 2027.");
}

TEST_F(VcTest, ValidityWindowIsJstDays) {
  // The first and last JST seconds of the window are valid.
  EXPECT_EQ(Verify(text_, "2026-04-01T00:00:00+09:00").verdict, Verdict::kValid);
  EXPECT_EQ(Verify(text_, "2026-03-31T15:00:00Z").verdict, Verdict::kValid);
  EXPECT_EQ(Verify(text_, "2027-03-31T23:59:59+09:00").verdict, Verdict::kValid);
  EXPECT_EQ(Verify(text_, "2027-03-31T14:59:59Z").verdict, Verdict::kValid);
}

TEST_F(VcTest, ExpiredByNow) {
  const Verification v = Verify(text_, "2027-04-01T00:00:00+09:00");
  EXPECT_EQ(v.verdict, Verdict::kExpired);
  ASSERT_TRUE(v.subject.has_value());  // the signature verified: the content is shown
  EXPECT_EQ(v.subject->expires_on, *Date::Parse("2027-03-31"));
  EXPECT_EQ(v.reason.ja, "有効期限（2027年3月31日まで）を過ぎています。");
  EXPECT_EQ(v.credential_id, kCredentialId);
  EXPECT_EQ(Verify(text_, "2030-01-01T00:00:00Z").verdict, Verdict::kExpired);
}

TEST_F(VcTest, NotYetValid) {
  const Verification v = Verify(text_, "2026-03-31T23:59:59+09:00");
  EXPECT_EQ(v.verdict, Verdict::kNotYetValid);
  EXPECT_TRUE(v.subject.has_value());
  EXPECT_EQ(Verify(text_, "2026-03-31T14:59:59Z").verdict, Verdict::kNotYetValid);
}

TEST_F(VcTest, RevokedViaAVerifiedList) {
  RevocationList list;
  list.issued_at = "2026-06-01T09:00:00+09:00";
  list.entries.push_back({std::string(kCredentialId), "2026-05-31T12:00:00+09:00", "虚偽申告"});
  auto signed_list = IssueRevocationList(list, issuer_);
  ASSERT_TRUE(signed_list.ok());
  auto verified = VerifyRevocationList(DumpJson(*signed_list), issuer_.key.public_key());
  ASSERT_TRUE(verified.ok()) << verified.error().message().en;

  const Verification v = Verify(text_, "2026-10-01T12:00:00+09:00", &*verified);
  EXPECT_EQ(v.verdict, Verdict::kRevoked);
  EXPECT_EQ(v.reason.ja, "この認定証は2026年5月31日に失効しています（理由: 虚偽申告）。");
  EXPECT_EQ(v.reason.en, "The credential was revoked on 31 May 2026 (reason: 虚偽申告).");
  EXPECT_TRUE(v.subject.has_value());
  // Revocation outranks expiry.
  EXPECT_EQ(Verify(text_, "2031-01-01T00:00:00Z", &*verified).verdict, Verdict::kRevoked);

  // A list that does not name this credential leaves it valid.
  RevocationList other;
  other.issued_at = "2026-06-01T09:00:00+09:00";
  other.entries.push_back(
      {"01966b2e-7a1c-7d3e-8f00-0123456789ac", "2026-05-31T12:00:00+09:00", "other"});
  auto other_signed = IssueRevocationList(other, issuer_);
  ASSERT_TRUE(other_signed.ok());
  auto other_verified =
      VerifyRevocationList(*SerializeCredential(*other_signed), issuer_.key.public_key());
  ASSERT_TRUE(other_verified.ok());
  EXPECT_EQ(Verify(text_, "2026-10-01T12:00:00+09:00", &*other_verified).verdict, Verdict::kValid);
}

TEST_F(VcTest, CredentialSignedByAnotherKeyIsInvalidEvenIfItNamesThatKey) {
  const IssuerKey mallory = FixedIssuer(100, "独立行政法人情報処理推進機構");
  auto forged = IssueStarCredential(SampleSubject(), mallory, kCredentialId, kCreated, kListUrl);
  ASSERT_TRUE(forged.ok());
  // Self-consistent: its issuer and verificationMethod name mallory's key, and it verifies
  // against mallory's key…
  const std::string text = *SerializeCredential(*forged);
  EXPECT_EQ(
      VerifyStarCredential(text, mallory.key.public_key(), "2026-10-01T00:00:00Z", nullptr).verdict,
      Verdict::kValid);
  // …but not against the trusted key.
  const Verification v = Verify(text);
  EXPECT_EQ(v.verdict, Verdict::kInvalid);
  EXPECT_FALSE(v.subject.has_value());
  EXPECT_TRUE(v.credential_id.empty());
}

TEST_F(VcTest, ForgedClaimOfTheTrustedKeyIsInvalid) {
  // Mallory copies the trusted issuer id and verification method but can only sign with her key.
  const IssuerKey mallory = FixedIssuer(100);
  Json unsecured = credential_;
  unsecured.erase("proof");
  unsecured["credentialSubject"]["level"] = 4;
  ProofOptions options;
  options.created = std::string(kCreated);
  options.verification_method = VerificationMethodFor(issuer_.key.public_key());
  auto forged = AddProof(unsecured, options, mallory.key);
  ASSERT_TRUE(forged.ok());
  const Verification v = Verify(*SerializeCredential(*forged));
  EXPECT_EQ(v.verdict, Verdict::kInvalid);
  EXPECT_EQ(v.reason, Lookup(CredMessages(), "cred.proof_signature"));
}

// Changing any single byte of the credential file must never leave it valid.
TEST_F(VcTest, TamperingWithAnyByteInvalidates) {
  ASSERT_EQ(Verify(text_).verdict, Verdict::kValid);
  int checked = 0;
  for (std::size_t i = 0; i < text_.size(); ++i) {
    std::string flipped = text_;
    flipped[i] = static_cast<char>(flipped[i] ^ 0x01);
    const Verification a = Verify(flipped);
    EXPECT_EQ(a.verdict, Verdict::kInvalid) << "byte " << i << " ^ 0x01";
    EXPECT_FALSE(a.subject.has_value()) << "byte " << i;

    std::string replaced = text_;
    replaced[i] = replaced[i] == 'A' ? 'B' : 'A';
    EXPECT_EQ(Verify(replaced).verdict, Verdict::kInvalid) << "byte " << i << " -> printable";

    if (text_[i] >= '0' && text_[i] <= '9') {  // dates, level, corporate number, digest
      std::string digit = text_;
      digit[i] = static_cast<char>('0' + (text_[i] - '0' + 5) % 10);
      EXPECT_EQ(Verify(digit).verdict, Verdict::kInvalid) << "byte " << i << " -> digit";
    }
    checked += 2;
  }
  EXPECT_EQ(checked, static_cast<int>(2 * text_.size()));
  // Deleting or inserting a byte anywhere, too (sampled every 7 bytes to keep the test fast).
  for (std::size_t i = 0; i < text_.size(); i += 7) {
    std::string removed = text_;
    removed.erase(i, 1);
    EXPECT_EQ(Verify(removed).verdict, Verdict::kInvalid) << "removed byte " << i;
    std::string inserted = text_;
    inserted.insert(i, 1, ' ');
    EXPECT_EQ(Verify(inserted).verdict, Verdict::kInvalid) << "inserted at " << i;
  }
  EXPECT_EQ(Verify(text_ + "\n").verdict, Verdict::kInvalid);
}

TEST_F(VcTest, OnlyTheCanonicalFileFormVerifies) {
  // Same JSON, other spelling: pretty-printed.
  const Verification pretty = Verify(DumpJson(credential_, 2));
  EXPECT_EQ(pretty.verdict, Verdict::kInvalid);
  EXPECT_EQ(pretty.reason, Lookup(CredMessages(), "cred.verify.not_canonical"));
  // A duplicated member whose last value is the signed one.
  std::string duplicated = text_;
  duplicated.insert(1, R"("type":["forged"],)");
  EXPECT_EQ(Verify(duplicated).verdict, Verdict::kInvalid);
}

TEST_F(VcTest, ChangedContentReSerializedCanonicallyIsInvalid) {
  for (const auto& [pointer, value] : std::vector<std::pair<std::string, Json>>{
           {"/credentialSubject/level", 4},
           {"/credentialSubject/name", "別会社"},
           {"/validUntil", "2099-03-31T23:59:59+09:00"},
           {"/issuer/name", "someone"},
           {"/proof/created", "2026-03-31T10:00:01Z"},
       }) {
    Json changed = credential_;
    changed[Json::json_pointer(pointer)] = value;
    const Verification v = Verify(*SerializeCredential(changed));
    EXPECT_EQ(v.verdict, Verdict::kInvalid) << pointer;
    EXPECT_EQ(v.reason, Lookup(CredMessages(), "cred.proof_signature")) << pointer;
  }
}

TEST_F(VcTest, RemovingTheProofInvalidates) {
  Json unsigned_credential = credential_;
  unsigned_credential.erase("proof");
  const Verification v = Verify(*SerializeCredential(unsigned_credential));
  EXPECT_EQ(v.verdict, Verdict::kInvalid);
  EXPECT_EQ(v.reason, Lookup(CredMessages(), "cred.proof_missing"));
  Json no_value = credential_;
  no_value["proof"].erase("proofValue");
  EXPECT_EQ(Verify(*SerializeCredential(no_value)).verdict, Verdict::kInvalid);
}

TEST_F(VcTest, GarbageAndBadInputsAreInvalid) {
  EXPECT_EQ(Verify("").verdict, Verdict::kInvalid);
  EXPECT_EQ(Verify("not json").verdict, Verdict::kInvalid);
  EXPECT_EQ(Verify("[]").verdict, Verdict::kInvalid);
  EXPECT_EQ(Verify("{}").verdict, Verdict::kInvalid);
  EXPECT_EQ(Verify(std::string(kMaxCredentialBytes + 1, ' ')).verdict, Verdict::kInvalid);
  EXPECT_EQ(Verify(text_, "not a time").verdict, Verdict::kInvalid);
  EXPECT_EQ(VerifyStarCredential(text_, Bytes(16, 1), "2026-10-01T00:00:00Z", nullptr).verdict,
            Verdict::kInvalid);
}

TEST_F(VcTest, IssueRejectsBadInputs) {
  const auto expect_invalid =
      [&](const StarSubject& s, std::string_view reason, std::string_view id = kCredentialId,
          std::string_view created = kCreated, std::string_view url = kListUrl) {
        auto r = IssueStarCredential(s, issuer_, id, created, url);
        ASSERT_FALSE(r.ok()) << reason;
        EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
        EXPECT_EQ(r.error().reason(), reason);
      };
  StarSubject s = SampleSubject();
  s.corporate_number = "101000100000";
  expect_invalid(s, "cred.bad_corporate_number");
  s = SampleSubject();
  s.corporate_number = "10100010000O6";
  expect_invalid(s, "cred.bad_corporate_number");
  s = SampleSubject();
  s.level = 2;
  expect_invalid(s, "cred.bad_level");
  s = SampleSubject();
  s.expires_on = *Date::Parse("2026-03-31");
  expect_invalid(s, "cred.bad_dates");
  s = SampleSubject();
  s.assessment_digest = "sha256:ABC";
  expect_invalid(s, "cred.bad_digest");
  s = SampleSubject();
  s.name = "";
  expect_invalid(s, "cred.empty_name");
  s = SampleSubject();
  s.name = "\xff\xfe";
  expect_invalid(s, "cred.jcs_invalid_utf8");
  expect_invalid(SampleSubject(), "cred.bad_credential_id", "urn:uuid:x");
  expect_invalid(SampleSubject(), "cred.bad_timestamp", kCredentialId, "2026-13-01");
  expect_invalid(SampleSubject(), "cred.bad_status_url", kCredentialId, kCreated, "");
  expect_invalid(SampleSubject(), "cred.bad_status_url", kCredentialId, kCreated, "a b");
  // Relative list paths are accepted (the API serves /api/v1/public/revocations).
  EXPECT_TRUE(IssueStarCredential(SampleSubject(), issuer_, kCredentialId, kCreated,
                                  "/api/v1/public/revocations")
                  .ok());
  // ★4 is a valid level.
  s = SampleSubject();
  s.level = 4;
  auto four = IssueStarCredential(s, issuer_, kCredentialId, kCreated, kListUrl);
  ASSERT_TRUE(four.ok());
  const Verification v = Verify(*SerializeCredential(*four));
  EXPECT_EQ(v.verdict, Verdict::kValid);
  EXPECT_EQ(v.subject->level, 4);
}

TEST(VerdictTest, LabelsInBothLanguages) {
  EXPECT_EQ(VerdictLabel(Verdict::kValid), (LocalizedText{"有効", "valid"}));
  EXPECT_EQ(VerdictLabel(Verdict::kInvalid), (LocalizedText{"無効", "invalid"}));
  EXPECT_EQ(VerdictLabel(Verdict::kExpired), (LocalizedText{"期限切れ", "expired"}));
  EXPECT_EQ(VerdictLabel(Verdict::kRevoked), (LocalizedText{"失効", "revoked"}));
  EXPECT_EQ(VerdictLabel(Verdict::kNotYetValid), (LocalizedText{"有効期間前", "not yet valid"}));
  EXPECT_EQ(VerdictName(Verdict::kNotYetValid), "not_yet_valid");
  EXPECT_EQ(VerdictName(Verdict::kValid), "valid");
}

}  // namespace
}  // namespace hoshi::cred
