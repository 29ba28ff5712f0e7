// SPDX-License-Identifier: Apache-2.0
// The authorisation matrix: every route in the table × every kind of caller, on objects owned by
// one organisation. A caller is "denied" when the answer is 401, 403 or 404; anything else
// (2xx, 400, 409, 413, 422) means the request got past authorisation. Mutating calls carry
// empty or harmless bodies so they fail validation or state checks after authorisation and the
// world stays the same for the next caller. A route added without a row here fails the test.
#include <algorithm>
#include <set>

#include "api_fixture.h"

namespace hoshi::api::testing {
namespace {

enum Actor {
  kAnon,
  kOperator,
  kBuyerAdmin,
  kSupplierAdmin,   // 星取精機: owner of the ★3 assessment under test
  kSupplierMember,  // 星取精機, role member
  kSupplierBAdmin,  // 北辰電子工業: owner of the ★4 assessment
  kTier2Admin,      // 南風メッキ工業
  kExpert,          // assigned to the ★3 assessment
  kOtherExpert,     // an expert not assigned
  kEvaluator,       // assigned to the ★4 assessment
  kOutsider,        // admin of an unrelated company
  kActorCount
};

constexpr std::array<std::string_view, kActorCount> kActorNames{
    "anonymous",       "operator",           "buyer admin",  "supplier admin",
    "supplier member", "supplier B admin",   "tier-2 admin", "assigned expert",
    "other expert",    "assigned evaluator", "outsider"};

using Set = std::set<Actor>;
const Set kAll{kAnon,           kOperator,       kBuyerAdmin, kSupplierAdmin,
               kSupplierMember, kSupplierBAdmin, kTier2Admin, kExpert,
               kOtherExpert,    kEvaluator,      kOutsider};
Set AllUsers() {
  Set s = kAll;
  s.erase(kAnon);
  return s;
}
const Set kOwnerMembers{kSupplierAdmin, kSupplierMember};
const Set kReaders{kSupplierAdmin, kSupplierMember, kExpert, kBuyerAdmin, kOperator};

struct Row {
  std::string target;  ///< concrete path (ids filled in)
  Set allowed;
  std::string body = "{}";
};

class AuthzMatrixTest : public PlatformTest {};

TEST_P(AuthzMatrixTest, EveryRouteDeniesEveryoneElse) {
  if (IsSkipped()) {
    return;
  }
  std::map<Actor, std::unique_ptr<LocalSession>> s;
  s[kOperator] = As("operator@demo.hoshitori.jp");
  s[kBuyerAdmin] = As("buyer@demo.hoshitori.jp");
  s[kSupplierAdmin] = As("hoshitori@demo.hoshitori.jp");
  s[kSupplierBAdmin] = As("hokushin@demo.hoshitori.jp");
  s[kTier2Admin] = As("minami@demo.hoshitori.jp");
  s[kExpert] = As("expert@demo.hoshitori.jp");
  s[kEvaluator] = As("evaluator@demo.hoshitori.jp");

  // Object ids from the demo world.
  const Json me_a = Body(s[kSupplierAdmin]->Call("GET", "/api/v1/me"));
  const std::string org_a = me_a["memberships"][0]["organization_id"];
  const std::string org_buyer =
      Body(s[kBuyerAdmin]->Call("GET", "/api/v1/me"))["memberships"][0]["organization_id"];
  const std::string org_b =
      Body(s[kSupplierBAdmin]->Call("GET", "/api/v1/me"))["memberships"][0]["organization_id"];
  const std::string org_t2 =
      Body(s[kTier2Admin]->Call("GET", "/api/v1/me"))["memberships"][0]["organization_id"];
  const std::string expert_org =
      Body(s[kExpert]->Call("GET", "/api/v1/me"))["memberships"][0]["organization_id"];
  const std::string a3 = Body(s[kSupplierAdmin]->Call(
      "GET", "/api/v1/orgs/" + org_a + "/assessments"))["assessments"][0]["id"];
  const std::string b4 = Body(s[kSupplierBAdmin]->Call(
      "GET", "/api/v1/orgs/" + org_b + "/assessments"))["assessments"][0]["id"];
  const Json a3_full = Body(s[kSupplierAdmin]->Call("GET", "/api/v1/assessments/" + a3));
  ASSERT_EQ(a3_full["state"], "certified");
  const std::string sha = a3_full["uploads"][0]["sha256"];
  const std::string cert = a3_full["certification_id"];
  const std::string req_a = Body(
      s[kSupplierAdmin]->Call("GET", "/api/v1/orgs/" + org_a + "/requests"))["incoming"][0]["id"];
  const std::string rel_t2 =
      Body(s[kTier2Admin]->Call("GET", "/api/v1/orgs/" + org_t2 + "/buyers"))["buyers"][0]["id"];
  const std::string token =
      Body(s[kSupplierAdmin]->Call("POST", "/api/v1/me/tokens", R"({"name":"matrix"})"))["id"];
  const std::string sbom_a =
      Body(s[kSupplierAdmin]->Call("GET", "/api/v1/orgs/" + org_a + "/sboms"))["sboms"][0]["id"];
  const std::string warning_a = Body(s[kSupplierAdmin]->Call(
      "GET", "/api/v1/orgs/" + org_a + "/early-warnings"))["warnings"][0]["id"];
  const std::string consent_rel_a = Body(s[kSupplierAdmin]->Call(
      "GET", "/api/v1/orgs/" + org_a + "/telemetry/consents"))["consents"][0]["relationship_id"];
  const std::string campaign =
      Body(s[kOperator]->Call("GET", "/api/v1/telemetry/campaigns"))["campaigns"][0]["id"];
  const std::string taxii = "/taxii2/hoshitori/collections/1c8e2d5a-6f0b-4c3e-9a7d-2b5f8e4c1a60/";
  const std::string stix_object =
      Body(s[kOperator]->Call("GET", taxii + "objects/?limit=1"))["objects"][0]["id"];
  const std::string lookup_number = a3_full.contains("organization_id") ? "7010001999990" : "";

  // Extra callers: a plain member of the supplier, an unassigned expert, an outsider company.
  auto& op = *s[kOperator];
  ASSERT_EQ(op.Call("POST", "/api/v1/orgs/" + org_a + "/members",
                    R"({"email":"member@demo.hoshitori.jp","display_name":"社員 一郎",)"
                    R"("password":"hoshitori-demo-2026","role":"member"})")
                .status,
            201);
  ASSERT_EQ(op.Call("POST", "/api/v1/orgs/" + expert_org + "/members",
                    R"({"email":"expert2@demo.hoshitori.jp","display_name":"別の 専門家",)"
                    R"("password":"hoshitori-demo-2026","role":"expert"})")
                .status,
            201);
  ASSERT_EQ(op.Call("POST", "/api/v1/orgs",
                    R"({"corporate_number":"9010001999997","name":"無関係商事株式会社",)"
                    R"("admin":{"email":"outsider@demo.hoshitori.jp","display_name":"外部 太郎",)"
                    R"("password":"hoshitori-demo-2026"}})")
                .status,
            201);
  s[kSupplierMember] = As("member@demo.hoshitori.jp");
  s[kOtherExpert] = As("expert2@demo.hoshitori.jp");
  s[kOutsider] = As("outsider@demo.hoshitori.jp");
  const std::string org_out =
      Body(s[kOutsider]->Call("GET", "/api/v1/me"))["memberships"][0]["organization_id"];

  const std::string A = "/api/v1/assessments/" + a3;
  const std::string B = "/api/v1/assessments/" + b4;
  const std::string OA = "/api/v1/orgs/" + org_a;
  const std::string OB = "/api/v1/orgs/" + org_buyer;
  const std::string C = "/api/v1/certifications/" + cert;
  // "METHOD /template" -> row. Logout is checked separately, last.
  std::map<std::string, Row> rows{
      {"POST /api/v1/auth/login", {"/api/v1/auth/login", kAll}},
      {"GET /api/v1/me", {"/api/v1/me", AllUsers()}},
      {"POST /api/v1/me/tokens", {"/api/v1/me/tokens", AllUsers()}},
      {"DELETE /api/v1/me/tokens/{token_id}", {"/api/v1/me/tokens/" + token, {kSupplierAdmin}}},
      {"POST /api/v1/signup", {"/api/v1/signup", kAll}},
      {"POST /api/v1/orgs", {"/api/v1/orgs", {kOperator}}},
      {"GET /api/v1/orgs/{org}", {OA, {kSupplierAdmin, kSupplierMember, kOperator}}},
      {"GET /api/v1/orgs/{org}/members",
       {OA + "/members", {kSupplierAdmin, kSupplierMember, kOperator}}},
      {"POST /api/v1/orgs/{org}/members", {OA + "/members", {kSupplierAdmin, kOperator}}},
      {"GET /api/v1/orgs/{org}/audit", {OA + "/audit", {kSupplierAdmin, kOperator}}},
      {"GET /api/v1/reviewers", {"/api/v1/reviewers", AllUsers()}},
      {"GET /api/v1/catalogs", {"/api/v1/catalogs", AllUsers()}},
      {"GET /api/v1/catalogs/{key}", {"/api/v1/catalogs/scs-2026-03-27", AllUsers()}},
      {"GET /api/v1/orgs/{org}/assessments",
       {OA + "/assessments", {kSupplierAdmin, kSupplierMember, kOperator}}},
      {"POST /api/v1/orgs/{org}/assessments", {OA + "/assessments", kOwnerMembers}},
      {"GET /api/v1/assessments/{id}", {A, kReaders}},
      {"PUT /api/v1/assessments/{id}/answers", {A + "/answers", kOwnerMembers}},
      {"POST /api/v1/assessments/{id}/evidence",
       {A + "/evidence?criterion=1-2-1-1&filename=x.txt", kOwnerMembers, ""}},
      {"GET /api/v1/assessments/{id}/evidence/{sha256}", {A + "/evidence/" + sha, kReaders}},
      {"GET /api/v1/assessments/{id}/evaluation", {A + "/evaluation", kReaders}},
      {"POST /api/v1/assessments/{id}/submit", {A + "/submit", kOwnerMembers, ""}},
      {"POST /api/v1/assessments/{id}/reopen", {A + "/reopen", kOwnerMembers, ""}},
      {"POST /api/v1/assessments/{id}/assign", {A + "/assign", {kSupplierAdmin}}},
      {"POST /api/v1/assessments/{id}/shares", {A + "/shares", {kSupplierAdmin}}},
      {"DELETE /api/v1/assessments/{id}/shares/{buyer}",
       {A + "/shares/" + org_out, {kSupplierAdmin}, ""}},
      {"POST /api/v1/assessments/{id}/declaration", {A + "/declaration", {kSupplierAdmin}}},
      {"POST /api/v1/assessments/{id}/report",
       {B + "/report?filename=report.pdf", {kSupplierBAdmin, kEvaluator}, ""}},
      {"GET /api/v1/reviews", {"/api/v1/reviews", AllUsers()}},
      {"POST /api/v1/assessments/{id}/review/start", {A + "/review/start", {kExpert}, ""}},
      {"POST /api/v1/assessments/{id}/comments", {A + "/comments", {kExpert}}},
      {"GET /api/v1/assessments/{id}/comments",
       {A + "/comments", {kSupplierAdmin, kSupplierMember, kExpert, kOperator}}},
      {"POST /api/v1/assessments/{id}/return", {A + "/return", {kExpert}}},
      {"POST /api/v1/assessments/{id}/confirm", {A + "/confirm", {kExpert}, ""}},
      {"POST /api/v1/assessments/{id}/reviews/{kind}", {B + "/reviews/document", {kEvaluator}}},
      {"POST /api/v1/assessments/{id}/certify", {A + "/certify", {kOperator}}},
      {"GET /api/v1/orgs/{org}/certifications",
       {OA + "/certifications", {kSupplierAdmin, kSupplierMember, kOperator}}},
      {"GET /api/v1/certifications/{id}/credential",
       {C + "/credential", {kSupplierAdmin, kSupplierMember, kOperator}}},
      {"POST /api/v1/certifications/{id}/revoke", {C + "/revoke", {kOperator}}},
      {"GET /api/v1/certifications/{id}/annual",
       {C + "/annual", {kSupplierAdmin, kSupplierMember, kOperator}}},
      {"POST /api/v1/certifications/{id}/annual", {C + "/annual", {kSupplierAdmin}}},
      {"GET /api/v1/public/lookup/{corporate_number}",
       {"/api/v1/public/lookup/" + lookup_number, kAll}},
      {"GET /api/v1/public/revocations", {"/api/v1/public/revocations", kAll}},
      {"GET /api/v1/public/issuer", {"/api/v1/public/issuer", kAll}},
      {"GET /api/v1/registry", {"/api/v1/registry", {kOperator}}},
      {"GET /api/v1/stats", {"/api/v1/stats", {kOperator}}},
      {"POST /api/v1/orgs/{org}/suppliers", {OB + "/suppliers", {kBuyerAdmin}}},
      {"GET /api/v1/orgs/{org}/portfolio", {OB + "/portfolio", {kBuyerAdmin}}},
      {"POST /api/v1/orgs/{org}/requests", {OB + "/requests", {kBuyerAdmin}}},
      {"GET /api/v1/orgs/{org}/requests", {OB + "/requests", {kBuyerAdmin}}},
      {"POST /api/v1/requests/{id}/accept",
       {"/api/v1/requests/" + req_a + "/accept", {kSupplierAdmin}}},
      {"POST /api/v1/requests/{id}/decline",
       {"/api/v1/requests/" + req_a + "/decline", {kSupplierAdmin}}},
      {"GET /api/v1/orgs/{org}/buyers", {OA + "/buyers", kOwnerMembers}},
      {"PUT /api/v1/relationships/{id}/consent",
       {"/api/v1/relationships/" + rel_t2 + "/consent", {kTier2Admin}}},
      {"POST /api/v1/orgs/{org}/sboms", {OA + "/sboms?product=x", kOwnerMembers, ""}},
      {"GET /api/v1/orgs/{org}/sboms", {OA + "/sboms", kOwnerMembers}},
      {"GET /api/v1/sboms/{id}", {"/api/v1/sboms/" + sbom_a, kOwnerMembers}},
      {"GET /api/v1/sboms/{id}/findings", {"/api/v1/sboms/" + sbom_a + "/findings", kOwnerMembers}},
      {"GET /api/v1/orgs/{org}/findings", {OA + "/findings", kOwnerMembers}},
      {"POST /api/v1/orgs/{org}/vex", {OA + "/vex", kOwnerMembers}},
      {"GET /api/v1/orgs/{org}/sbom-shares", {OA + "/sbom-shares", kOwnerMembers}},
      {"PUT /api/v1/orgs/{org}/sbom-shares/{buyer}",
       {OA + "/sbom-shares/" + org_out, {kSupplierAdmin}, ""}},
      {"DELETE /api/v1/orgs/{org}/sbom-shares/{buyer}",
       {OA + "/sbom-shares/" + org_out, {kSupplierAdmin}, ""}},
      {"GET /api/v1/orgs/{org}/advisories/{advisory}/affected-suppliers",
       {OB + "/advisories/HOSHI-DEMO-2026-0001/affected-suppliers", {kBuyerAdmin}}},
      {"POST /api/v1/advisories", {"/api/v1/advisories", {kOperator}}},
      {"GET /api/v1/advisories/{id}", {"/api/v1/advisories/HOSHI-DEMO-2026-0001", AllUsers()}},
      {"POST /api/v1/orgs/{org}/telemetry/batches",
       {OA + "/telemetry/batches?name=conn.log", kOwnerMembers, ""}},
      {"GET /api/v1/orgs/{org}/telemetry/batches", {OA + "/telemetry/batches", kOwnerMembers}},
      {"GET /api/v1/orgs/{org}/telemetry/batches/{id}",
       {OA + "/telemetry/batches/demo-" + org_a, kOwnerMembers}},
      {"GET /api/v1/orgs/{org}/telemetry/detections",
       {OA + "/telemetry/detections", kOwnerMembers}},
      {"GET /api/v1/orgs/{org}/early-warnings", {OA + "/early-warnings", kOwnerMembers}},
      {"POST /api/v1/orgs/{org}/early-warnings/{id}/ack",
       {OA + "/early-warnings/" + warning_a + "/ack", kOwnerMembers}},
      {"GET /api/v1/orgs/{org}/telemetry/consents", {OA + "/telemetry/consents", kOwnerMembers}},
      {"PUT /api/v1/orgs/{org}/telemetry/consents/{relationship}",
       {OA + "/telemetry/consents/" + consent_rel_a, {kSupplierAdmin}}},
      {"GET /api/v1/telemetry/campaigns", {"/api/v1/telemetry/campaigns", {kOperator}}},
      {"GET /api/v1/telemetry/campaigns/{id}",
       {"/api/v1/telemetry/campaigns/" + campaign, {kOperator}}},
      {"GET /api/v1/telemetry/stix", {"/api/v1/telemetry/stix", AllUsers()}},
      {"GET /taxii2/", {"/taxii2/", AllUsers()}},
      {"GET /taxii2/hoshitori/", {"/taxii2/hoshitori/", AllUsers()}},
      {"GET /taxii2/hoshitori/collections/", {"/taxii2/hoshitori/collections/", AllUsers()}},
      {"GET /taxii2/hoshitori/collections/{collection}/", {taxii, AllUsers()}},
      {"GET /taxii2/hoshitori/collections/{collection}/objects/", {taxii + "objects/", AllUsers()}},
      {"GET /taxii2/hoshitori/collections/{collection}/manifest/",
       {taxii + "manifest/", AllUsers()}},
      {"GET /taxii2/hoshitori/collections/{collection}/objects/{object}/",
       {taxii + "objects/" + stix_object + "/", AllUsers()}},
      {"GET /taxii2/hoshitori/collections/{collection}/objects/{object}/versions/",
       {taxii + "objects/" + stix_object + "/versions/", AllUsers()}},
  };

  int checked = 0;
  for (const Route& route : Routes()) {
    const std::string key = std::string(route.method) + " " + std::string(route.path);
    if (key == "POST /api/v1/auth/logout") {
      continue;
    }
    const auto it = rows.find(key);
    ASSERT_NE(it, rows.end()) << "route without an authorisation matrix row: " << key;
    const Row& row = it->second;
    for (int a = 0; a < kActorCount; ++a) {
      const auto actor = static_cast<Actor>(a);
      LocalSession anon(*platform_);
      LocalSession& caller = actor == kAnon ? anon : *s[actor];
      const bool upload = route.body == BodyKind::kUpload;
      const http::Response r =
          upload ? caller.Upload(row.target, "") : caller.Call(route.method, row.target, row.body);
      const bool denied = r.status == 401 || r.status == 403 || r.status == 404;
      const bool should_allow = row.allowed.count(actor) > 0;
      EXPECT_EQ(denied, !should_allow)
          << key << " as " << kActorNames[a] << " -> " << r.status << " " << r.body;
      if (denied) {
        // Denials never leak data: the body is the error object only.
        const Json body = Body(r);
        EXPECT_TRUE(body.contains("error")) << key << " " << r.body;
        EXPECT_EQ(body.size(), 1u) << key;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>((Routes().size() - 1) * kActorCount));

  // The world is unchanged by the sweep: the ★3 assessment is still certified, the credential
  // still valid, the buyer still has its share, the request still accepted.
  const Json after = Body(s[kSupplierAdmin]->Call("GET", A));
  EXPECT_EQ(after["state"], "certified");
  EXPECT_EQ(after["answers"].size(), a3_full["answers"].size());
  EXPECT_EQ(Body(s[kBuyerAdmin]->Call("GET", A))["state"], "certified");
  EXPECT_EQ(Body(s[kOperator]->Call("GET", "/api/v1/public/lookup/7010001999990"))["status"],
            "valid");
  const Json affected =
      Body(s[kBuyerAdmin]->Call("GET", OB + "/advisories/HOSHI-DEMO-2026-0001/affected-suppliers"));
  EXPECT_EQ(affected["affected"].size(), 1u) << affected.dump();

  // Logout: anonymous is refused; a user's logout ends that session only.
  LocalSession anon(*platform_);
  EXPECT_EQ(anon.Call("POST", "/api/v1/auth/logout").status, 401);
  EXPECT_EQ(s[kOutsider]->Call("POST", "/api/v1/auth/logout").status, 204);
  EXPECT_EQ(s[kOutsider]->Call("GET", "/api/v1/me").status, 401);
  EXPECT_EQ(s[kBuyerAdmin]->Call("GET", "/api/v1/me").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthzMatrixTest, ::testing::Values("sqlite", "postgres"),
                         BackendName);

}  // namespace
}  // namespace hoshi::api::testing
