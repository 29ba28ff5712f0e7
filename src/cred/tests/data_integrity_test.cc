// SPDX-License-Identifier: Apache-2.0
#include "hoshi/cred/data_integrity.h"

#include <string>

#include <gtest/gtest.h>

#include "hoshi/cred/jcs.h"

namespace hoshi::cred {
namespace {

using Json = nlohmann::json;

// "Data Integrity EdDSA Cryptosuites v1.0", Appendix A (test vectors), eddsa-jcs-2022:
// the key pair (publicKeyMultibase / secretKeyMultibase), the unsecured "Alumni" credential,
// the proof options, and every intermediate value of Create Proof.
constexpr std::string_view kPublicKeyMultibase = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
constexpr std::string_view kSecretKeyMultibase = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
constexpr std::string_view kUnsecured = R"({
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/ns/credentials/examples/v2"
  ],
  "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
  "type": ["VerifiableCredential", "AlumniCredential"],
  "name": "Alumni Credential",
  "description": "A minimum viable example of an Alumni Credential.",
  "issuer": "https://vc.example/issuers/5678",
  "validFrom": "2023-01-01T00:00:00Z",
  "credentialSubject": {
    "id": "did:example:abcdefgh",
    "alumniOf": "The School of Examples"
  }
})";
constexpr std::string_view kVerificationMethod =
    "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
constexpr std::string_view kCreated = "2023-02-24T23:36:38Z";
constexpr std::string_view kCanonicalProofConfig =
    R"({"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/)"
    R"(examples/v2"],"created":"2023-02-24T23:36:38Z","cryptosuite":"eddsa-jcs-2022",)"
    R"("proofPurpose":"assertionMethod","type":"DataIntegrityProof","verificationMethod":)"
    R"("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2)"
    R"(#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"})";
constexpr std::string_view kCanonicalDocument =
    R"({"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/)"
    R"(examples/v2"],"credentialSubject":{"alumniOf":"The School of Examples","id":)"
    R"("did:example:abcdefgh"},"description":"A minimum viable example of an Alumni )"
    R"(Credential.","id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","issuer":)"
    R"("https://vc.example/issuers/5678","name":"Alumni Credential","type":)"
    R"(["VerifiableCredential","AlumniCredential"],"validFrom":"2023-01-01T00:00:00Z"})";
constexpr std::string_view kProofConfigHash =
    "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db";
constexpr std::string_view kDocumentHash =
    "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19";
constexpr std::string_view kSignatureHex =
    "407cd12654b33d718ecbb99179a1506daaa849450bf3fc523cce3e1c96f8b803"
    "51da3f253d725c6f00b07c9e5448d50b3ef78012b9ab54255116d069c6dd2808";
constexpr std::string_view kProofValue =
    "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX";
// The spec's signed credential, as printed there (not canonical: verification canonicalizes).
constexpr std::string_view kSigned = R"({
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/ns/credentials/examples/v2"
  ],
  "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
  "type": ["VerifiableCredential", "AlumniCredential"],
  "name": "Alumni Credential",
  "description": "A minimum viable example of an Alumni Credential.",
  "issuer": "https://vc.example/issuers/5678",
  "validFrom": "2023-01-01T00:00:00Z",
  "credentialSubject": {
    "id": "did:example:abcdefgh",
    "alumniOf": "The School of Examples"
  },
  "proof": {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    "proofPurpose": "assertionMethod",
    "@context": [
      "https://www.w3.org/ns/credentials/v2",
      "https://www.w3.org/ns/credentials/examples/v2"
    ],
    "proofValue": "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"
  }
})";

/// The spec's key pair: the secret multibase is multicodec ed25519-priv (0x1300 → 0x80 0x26)
/// followed by the 32-byte seed.
Ed25519KeyPair SpecKey() {
  auto secret = Base58Decode(kSecretKeyMultibase.substr(1));
  EXPECT_TRUE(secret.ok());
  EXPECT_EQ(secret->size(), 34U);
  EXPECT_EQ((*secret)[0], 0x80);
  EXPECT_EQ((*secret)[1], 0x26);
  auto key = Ed25519KeyPair::FromSeed(std::span(*secret).subspan(2));
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

ProofOptions SpecOptions() {
  ProofOptions options;
  options.created = std::string(kCreated);
  options.verification_method = std::string(kVerificationMethod);
  return options;
}

TEST(DataIntegrityTest, SpecKeyPairAndDidKey) {
  const Ed25519KeyPair key = SpecKey();
  EXPECT_EQ(MultibasePublicKey(key.public_key()), kPublicKeyMultibase);
  EXPECT_EQ(DidKey(key.public_key()), "did:key:" + std::string(kPublicKeyMultibase));
  EXPECT_EQ(VerificationMethodFor(key.public_key()), kVerificationMethod);
  auto from_did = PublicKeyFromDidKey(kVerificationMethod);
  ASSERT_TRUE(from_did.ok());
  EXPECT_EQ(*from_did, Bytes(key.public_key().begin(), key.public_key().end()));
}

// The W3C eddsa-jcs-2022 test vector, reproduced byte for byte at every step.
TEST(DataIntegrityTest, W3cEddsaJcs2022TestVector) {
  const Ed25519KeyPair key = SpecKey();
  const Json unsecured = Json::parse(kUnsecured);

  auto canonical_document = Canonicalize(unsecured);
  ASSERT_TRUE(canonical_document.ok());
  EXPECT_EQ(*canonical_document, kCanonicalDocument);

  auto config = ProofConfiguration(unsecured, SpecOptions());
  ASSERT_TRUE(config.ok());
  auto canonical_config = Canonicalize(*config);
  ASSERT_TRUE(canonical_config.ok());
  EXPECT_EQ(*canonical_config, kCanonicalProofConfig);
  EXPECT_EQ(Sha256Hex(*canonical_config), kProofConfigHash);
  EXPECT_EQ(Sha256Hex(*canonical_document), kDocumentHash);

  auto hash_data = HashData(*config, unsecured);
  ASSERT_TRUE(hash_data.ok());
  EXPECT_EQ(ToHex(*hash_data), std::string(kProofConfigHash) + std::string(kDocumentHash));
  EXPECT_EQ(ToHex(key.Sign(*hash_data)), kSignatureHex);

  auto secured = AddProof(unsecured, SpecOptions(), key);
  ASSERT_TRUE(secured.ok());
  EXPECT_EQ((*secured)["proof"]["proofValue"].get<std::string>(), kProofValue);
  // The whole secured document equals the spec's signed credential.
  EXPECT_EQ(*secured, Json::parse(kSigned));
  EXPECT_TRUE(VerifyProof(*secured, key.public_key()).ok());
}

TEST(DataIntegrityTest, VerifiesTheSpecSignedCredential) {
  auto key = PublicKeyFromMultibase(kPublicKeyMultibase);
  ASSERT_TRUE(key.ok());
  const Status status = VerifyProof(Json::parse(kSigned), *key);
  EXPECT_TRUE(status.ok()) << status.error().message().en;
}

TEST(DataIntegrityTest, RejectsAlteredDocumentsProofsAndKeys) {
  auto key = PublicKeyFromMultibase(kPublicKeyMultibase);
  ASSERT_TRUE(key.ok());
  const Json good = Json::parse(kSigned);

  const auto expect_rejected = [&](const Json& doc, std::string_view reason) {
    const Status status = VerifyProof(doc, *key);
    ASSERT_FALSE(status.ok()) << reason;
    EXPECT_EQ(status.error().code(), ErrorCode::kDataError);
    EXPECT_EQ(status.error().reason(), reason);
  };
  Json doc = good;
  doc["credentialSubject"]["alumniOf"] = "The School of Forgery";
  expect_rejected(doc, "cred.proof_signature");
  doc = good;
  doc["proof"]["created"] = "2023-02-24T23:36:39Z";
  expect_rejected(doc, "cred.proof_signature");
  doc = good;
  doc["proof"]["extra"] = "covered by the proof configuration";
  expect_rejected(doc, "cred.proof_signature");
  doc = good;
  doc["proof"]["cryptosuite"] = "eddsa-rdfc-2022";
  expect_rejected(doc, "cred.proof_cryptosuite");
  doc = good;
  doc["proof"]["proofValue"] = "u" + doc["proof"]["proofValue"].get<std::string>().substr(1);
  expect_rejected(doc, "cred.proof_value");
  doc = good;
  doc["proof"]["proofValue"] = "z1" + doc["proof"]["proofValue"].get<std::string>().substr(1);
  expect_rejected(doc, "cred.proof_value");  // a leading zero byte: 65 bytes
  doc = good;
  doc["proof"] = Json::array({good["proof"]});
  expect_rejected(doc, "cred.proof_missing");
  doc = good;
  doc.erase("proof");
  expect_rejected(doc, "cred.proof_missing");
  doc = good;
  doc["@context"] = Json::array({"https://www.w3.org/ns/credentials/v2"});
  expect_rejected(doc, "cred.proof_context");

  // Another key.
  auto other = Ed25519KeyPair::Generate();
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(VerifyProof(good, other->public_key()).ok());
  EXPECT_FALSE(VerifyProof(good, Bytes(31, 0)).ok());
}

TEST(DataIntegrityTest, AddProofChecksItsInputs) {
  const Ed25519KeyPair key = SpecKey();
  const Json unsecured = Json::parse(kUnsecured);
  ProofOptions bad = SpecOptions();
  bad.created = "yesterday";
  auto r = AddProof(unsecured, bad, key);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(AddProof(Json::array(), SpecOptions(), key).ok());
  EXPECT_FALSE(AddProof(Json::parse(kSigned), SpecOptions(), key).ok());  // already has a proof
}

TEST(DataIntegrityTest, DidKeyParsingIsStrict) {
  EXPECT_TRUE(PublicKeyFromDidKey("did:key:" + std::string(kPublicKeyMultibase)).ok());
  for (const std::string& bad : {
           std::string("did:web:example.com"),
           std::string("did:key:") + std::string(kPublicKeyMultibase) + "#z6Mkother",
           std::string("did:key:") + std::string(kPublicKeyMultibase.substr(0, 20)),
           std::string("did:key:u") + std::string(kPublicKeyMultibase.substr(1)),
           // A P-256 key (multicodec 0x1200), not Ed25519.
           std::string("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"),
           std::string("did:key:"),
       }) {
    auto r = PublicKeyFromDidKey(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace hoshi::cred
