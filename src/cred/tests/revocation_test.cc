// SPDX-License-Identifier: Apache-2.0
#include <string>

#include <gtest/gtest.h>

#include "hoshi/core/json.h"
#include "hoshi/cred/vc.h"

#include "test_util.h"

namespace hoshi::cred {
namespace {

using Json = nlohmann::json;
using test::FixedIssuer;

RevocationList SampleList() {
  RevocationList list;
  list.issued_at = "2026-06-01T09:00:00+09:00";
  list.entries.push_back(
      {"01966b2e-7a1c-7d3e-8f00-0123456789ab", "2026-05-31T12:00:00+09:00", "虚偽申告"});
  list.entries.push_back(
      {"01966b2e-7a1c-7d3e-8f00-0123456789ac", "2026-05-20T08:30:00Z", "事業廃止 / closed"});
  return list;
}

TEST(RevocationListTest, IssueAndVerifyRoundTrip) {
  const IssuerKey issuer = FixedIssuer();
  auto signed_list = IssueRevocationList(SampleList(), issuer);
  ASSERT_TRUE(signed_list.ok());
  const Json& doc = *signed_list;
  EXPECT_EQ(doc["type"], "HoshitoriRevocationList2026");
  EXPECT_EQ(doc["issued"], "2026-06-01T09:00:00+09:00");
  EXPECT_EQ(doc["issuer"]["id"], DidKey(issuer.key.public_key()));
  ASSERT_EQ(doc["entries"].size(), 2U);
  EXPECT_EQ(doc["entries"][0]["credentialId"], "urn:uuid:01966b2e-7a1c-7d3e-8f00-0123456789ab");
  EXPECT_EQ(doc["proof"]["cryptosuite"], "eddsa-jcs-2022");
  EXPECT_EQ(doc["proof"]["created"], "2026-06-01T09:00:00+09:00");
  // Any JSON formatting verifies: the signature covers the content.
  for (const std::string& text : {DumpJson(doc, 2), DumpJson(doc, -1)}) {
    auto verified = VerifyRevocationList(text, issuer.key.public_key());
    ASSERT_TRUE(verified.ok()) << verified.error().message().en;
    EXPECT_EQ(*verified, SampleList());
  }
}

TEST(RevocationListTest, EmptyListIsFine) {
  const IssuerKey issuer = FixedIssuer();
  RevocationList empty;
  empty.issued_at = "2026-06-01T00:00:00Z";
  auto signed_list = IssueRevocationList(empty, issuer);
  ASSERT_TRUE(signed_list.ok());
  auto verified = VerifyRevocationList(DumpJson(*signed_list), issuer.key.public_key());
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->entries.empty());
}

TEST(RevocationListTest, ListSignedByAnotherKeyIsRejected) {
  const IssuerKey trusted = FixedIssuer();
  const IssuerKey other = FixedIssuer(50);
  auto signed_list = IssueRevocationList(SampleList(), other);
  ASSERT_TRUE(signed_list.ok());
  auto verified = VerifyRevocationList(DumpJson(*signed_list), trusted.key.public_key());
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().code(), ErrorCode::kDataError);
  EXPECT_EQ(verified.error().reason(), "cred.list.wrong_issuer");

  // Also when the other key claims to be the trusted one: the signature fails.
  Json forged = *IssueRevocationList(SampleList(), trusted);
  forged.erase("proof");
  ProofOptions options;
  options.created = "2026-06-01T09:00:00+09:00";
  options.verification_method = VerificationMethodFor(trusted.key.public_key());
  auto resigned = AddProof(forged, options, other.key);
  ASSERT_TRUE(resigned.ok());
  verified = VerifyRevocationList(DumpJson(*resigned), trusted.key.public_key());
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().code(), ErrorCode::kDataError);
  EXPECT_EQ(verified.error().reason(), "cred.list.bad_signature");
}

TEST(RevocationListTest, DroppingAnEntryBreaksTheSignature) {
  const IssuerKey issuer = FixedIssuer();
  Json doc = *IssueRevocationList(SampleList(), issuer);
  doc["entries"].erase(0);
  auto verified = VerifyRevocationList(DumpJson(doc), issuer.key.public_key());
  ASSERT_FALSE(verified.ok());
  EXPECT_EQ(verified.error().reason(), "cred.list.bad_signature");
  doc = *IssueRevocationList(SampleList(), issuer);
  doc.erase("proof");
  EXPECT_FALSE(VerifyRevocationList(DumpJson(doc), issuer.key.public_key()).ok());
}

TEST(RevocationListTest, RejectsMalformedInput) {
  const IssuerKey issuer = FixedIssuer();
  for (const std::string_view text : {"", "{", "[]", "{}", R"({"type":"x"})"}) {
    auto verified = VerifyRevocationList(text, issuer.key.public_key());
    ASSERT_FALSE(verified.ok()) << text;
    EXPECT_EQ(verified.error().code(), ErrorCode::kDataError) << text;
  }
  auto big =
      VerifyRevocationList(std::string(kMaxRevocationListBytes + 1, ' '), issuer.key.public_key());
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code(), ErrorCode::kTooLarge);
}

TEST(RevocationListTest, IssueRejectsBadEntries) {
  const IssuerKey issuer = FixedIssuer();
  RevocationList list = SampleList();
  list.entries.push_back(list.entries.front());
  auto r = IssueRevocationList(list, issuer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().reason(), "cred.list.duplicate");
  list = SampleList();
  list.entries[0].credential_id = "urn:uuid:01966b2e-7a1c-7d3e-8f00-0123456789ab";
  r = IssueRevocationList(list, issuer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  list = SampleList();
  list.issued_at = "soon";
  EXPECT_FALSE(IssueRevocationList(list, issuer).ok());
  list = SampleList();
  list.entries[1].revoked_at = "";
  EXPECT_FALSE(IssueRevocationList(list, issuer).ok());
}

}  // namespace
}  // namespace hoshi::cred
