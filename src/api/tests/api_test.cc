// SPDX-License-Identifier: Apache-2.0
// Platform behaviour in-process on SQLite and PostgreSQL: authentication and CSRF, bad input
// that changes nothing, credentials (issue, verify, tamper, revoke), expiry by the clock, the
// ★4 yearly self-assessment, the buyer's portfolio and tier-2 roll-up, the audit chain, SBOM
// findings (incremental re-match, lead time, VEX, outputs, the buyer's view).
#include <algorithm>
#include <sstream>
#include <thread>

#include "hoshi/core/file.h"
#include "hoshi/cred/vc.h"
#include "hoshi/defense/synthetic.h"
#include "hoshi/org/audit.h"

#include "api_fixture.h"

namespace hoshi::api::testing {
namespace {

class ApiTest : public PlatformTest {
 protected:
  std::string OrgOf(LocalSession& s) {
    return Body(s.Call("GET", "/api/v1/me"))["memberships"][0]["organization_id"];
  }
  std::string FirstAssessment(LocalSession& s) {
    return Body(s.Call("GET", "/api/v1/orgs/" + OrgOf(s) + "/assessments"))["assessments"][0]["id"];
  }
  static std::string Code(const http::Response& r) { return Body(r)["error"].value("code", ""); }
  static std::string Reason(const http::Response& r) {
    return Body(r)["error"].value("reason", "");
  }
};

TEST_P(ApiTest, AuthenticationCsrfAndTokens) {
  if (IsSkipped()) {
    return;
  }
  auto sa = As("hoshitori@demo.hoshitori.jp");
  // A forged session cookie is refused like no cookie at all.
  LocalSession forged(*platform_);
  const http::Response r1 = forged.Call("GET", "/api/v1/me", "",
                                        {{"Cookie", "hoshi_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAA"}});
  EXPECT_EQ(r1.status, 401);
  EXPECT_EQ(Code(r1), "unauthenticated");
  EXPECT_NE(Body(r1)["error"]["message"].get<std::string>().find("ログイン"), std::string::npos);
  // An unsafe method with the session but without the CSRF token is refused.
  const std::string org = OrgOf(*sa);
  LocalSession no_csrf(*platform_);
  const http::Response r2 = no_csrf.Call("POST", "/api/v1/orgs/" + org + "/assessments",
                                         R"({"level":3})", {{"Cookie", sa->cookie()}});
  EXPECT_EQ(r2.status, 403);
  EXPECT_EQ(Reason(r2), "api.csrf");
  EXPECT_EQ(Body(sa->Call("GET", "/api/v1/orgs/" + org + "/assessments"))["assessments"].size(),
            1u);  // nothing was created
  // An API token works without CSRF (machines), and stops working once revoked.
  const Json tok = Body(sa->Call("POST", "/api/v1/me/tokens", R"({"name":"ci"})"));
  const std::string bearer = "Bearer " + tok["token"].get<std::string>();
  LocalSession machine(*platform_);
  EXPECT_EQ(machine.Call("GET", "/api/v1/me", "", {{"Authorization", bearer}}).status, 200);
  EXPECT_EQ(machine
                .Call("POST", "/api/v1/orgs/" + org + "/assessments", R"({"level":3})",
                      {{"Authorization", bearer}})
                .status,
            201);
  EXPECT_EQ(sa->Call("DELETE", "/api/v1/me/tokens/" + tok["id"].get<std::string>()).status, 204);
  EXPECT_EQ(machine.Call("GET", "/api/v1/me", "", {{"Authorization", bearer}}).status, 401);
  // Login throttling: five failures, then even the right password is refused for a while.
  LocalSession guess(*platform_);
  for (int i = 0; i < 5; ++i) {
    EXPECT_FALSE(guess.Login("minami@demo.hoshitori.jp", "wrong-password-123").ok());
  }
  const http::Response limited =
      guess.Call("POST", "/api/v1/auth/login",
                 R"({"email":"minami@demo.hoshitori.jp","password":"hoshitori-demo-2026"})");
  EXPECT_EQ(limited.status, 429);
  clock_.Advance(std::chrono::minutes(16));
  EXPECT_TRUE(guess.Login("minami@demo.hoshitori.jp", kPassword).ok());
}

TEST_P(ApiTest, BadInputGetsAStableErrorAndChangesNothing) {
  if (IsSkipped()) {
    return;
  }
  auto t2 = As("minami@demo.hoshitori.jp");
  const std::string id = FirstAssessment(*t2);
  const std::string path = "/api/v1/assessments/" + id;
  const Json before = Body(t2->Call("GET", path));
  ASSERT_EQ(before["state"], "draft");
  // Malformed JSON.
  http::Response r = t2->Call("PUT", path + "/answers", R"({"answers": {"1-2-1-1": )");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Code(r), "invalid_argument");
  EXPECT_EQ(Reason(r), "api.malformed_json");
  // Unknown criterion and status: every problem reported, in English on request.
  r = t2->Call("PUT", path + "/answers",
               R"({"answers": {"9-9-9-9": {"status": "implemented"},)"
               R"( "1-2-1-1": {"status": "maybe"}}})",
               {{"Accept-Language", "en"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Reason(r), "api.invalid_answers");
  EXPECT_NE(Body(r)["error"]["message"].get<std::string>().find("9-9-9-9"), std::string::npos);
  // Evidence that was never uploaded to this assessment.
  r = t2->Call("PUT", path + "/answers",
               R"({"answers": {"1-2-1-1": {"status": "implemented", "evidence": [")" +
                   std::string(64, 'a') + R"("]}}})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Reason(r), "api.unknown_evidence");
  // An executable is not accepted as evidence; an empty file neither.
  r = t2->Upload(path + "/evidence?criterion=1-2-1-1&filename=setup.exe",
                 std::string("MZ\x90\x00\x03", 5) + std::string(100, '\0'));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Reason(r), "api.unsupported_type");
  r = t2->Upload(path + "/evidence?criterion=1-2-1-1&filename=a.txt", "");
  EXPECT_EQ(r.status, 400);
  r = t2->Upload(path + "/evidence?criterion=9-9-9-9&filename=a.txt", "text");
  EXPECT_EQ(r.status, 400);
  // An illegal state transition: confirming a draft (the owner is not even a reviewer) and
  // submitting with unanswered criteria.
  r = t2->Call("POST", path + "/submit");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Code(r), "failed_precondition");
  // An invalid 法人番号.
  LocalSession anon(*platform_);
  r = anon.Call(
      "POST", "/api/v1/signup",
      R"({"corporate_number":"5010001999990","name":"テスト株式会社",)"
      R"("admin":{"email":"x@example.jp","display_name":"x","password":"long-enough-pw"}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Reason(r), "org.corporate_number_check_digit");
  EXPECT_EQ(anon.Call("GET", "/api/v1/public/lookup/123").status, 400);
  EXPECT_EQ(anon.Call("GET", "/api/v1/public/lookup/9010001999997").status, 404);
  // Nothing changed.
  const Json after = Body(t2->Call("GET", path));
  EXPECT_EQ(after["state"], "draft");
  EXPECT_EQ(after["answers"], before["answers"]);
  EXPECT_EQ(after["uploads"], before["uploads"]);
  auto op = As("operator@demo.hoshitori.jp");
  EXPECT_TRUE(Body(op->Call("GET", "/api/v1/registry?q=テスト"))["organizations"].empty());
  // Unknown routes and methods.
  EXPECT_EQ(anon.Call("GET", "/api/v1/nothing-here").status, 404);
  EXPECT_EQ(t2->Call("PATCH", path).status, 400);
}

TEST_P(ApiTest, CredentialVerifiesOfflineAndTamperingAndRevocationShow) {
  if (IsSkipped()) {
    return;
  }
  auto sa = As("hoshitori@demo.hoshitori.jp");
  const std::string org = OrgOf(*sa);
  const Json certs = Body(sa->Call("GET", "/api/v1/orgs/" + org + "/certifications"));
  ASSERT_EQ(certs["certifications"].size(), 1u);
  const std::string cert = certs["certifications"][0]["id"];
  EXPECT_EQ(certs["certifications"][0]["status"], "valid");
  EXPECT_EQ(certs["certifications"][0]["expires_on"], "2027-11-21");
  const http::Response cred_r = sa->Call("GET", "/api/v1/certifications/" + cert + "/credential");
  ASSERT_EQ(cred_r.status, 200);
  const std::string text = cred_r.body;
  auto key = cred::LoadPublicKey(platform_->IssuerDid());
  ASSERT_TRUE(key.ok());
  const std::string now = "2026-12-01T00:00:00Z";
  cred::Verification v = cred::VerifyStarCredential(text, *key, now, nullptr);
  EXPECT_EQ(v.verdict, cred::Verdict::kValid) << v.reason.en;
  ASSERT_TRUE(v.subject.has_value());
  EXPECT_EQ(v.subject->corporate_number, "7010001999990");
  EXPECT_EQ(v.subject->level, 3);
  std::string tampered = text;
  tampered[tampered.find("\"level\":3") + 8] = '4';
  EXPECT_EQ(cred::VerifyStarCredential(tampered, *key, now, nullptr).verdict,
            cred::Verdict::kInvalid);
  EXPECT_EQ(cred::VerifyStarCredential(text, *key, "2027-11-22T00:00:00+09:00", nullptr).verdict,
            cred::Verdict::kExpired);
  // Revocation: only the operator; the signed list names it; lookup says revoked.
  EXPECT_EQ(
      sa->Call("POST", "/api/v1/certifications/" + cert + "/revoke", R"({"reason":"x"})").status,
      403);  // the holder sees its certification but cannot revoke it
  auto op = As("operator@demo.hoshitori.jp");
  ASSERT_EQ(op->Call("POST", "/api/v1/certifications/" + cert + "/revoke",
                     R"({"reason":"虚偽の申告が判明"})")
                .status,
            200);
  LocalSession anon(*platform_);
  const http::Response list_r = anon.Call("GET", "/api/v1/public/revocations");
  ASSERT_EQ(list_r.status, 200);
  auto list = cred::VerifyRevocationList(list_r.body, *key);
  ASSERT_TRUE(list.ok()) << list.error().message(Lang::kEn);
  ASSERT_EQ(list->entries.size(), 1u);
  EXPECT_EQ(list->entries[0].credential_id, cert);
  EXPECT_EQ(cred::VerifyStarCredential(text, *key, now, &*list).verdict, cred::Verdict::kRevoked);
  const Json lookup = Body(anon.Call("GET", "/api/v1/public/lookup/7010001999990"));
  EXPECT_EQ(lookup["status"], "revoked");
  EXPECT_FALSE(lookup.contains("name"));  // level and validity only
  EXPECT_EQ(
      op->Call("POST", "/api/v1/certifications/" + cert + "/revoke", R"({"reason":"x"})").status,
      409);
}

TEST_P(ApiTest, ExpiryByTheClockAndYearlySelfAssessmentOverdue) {
  if (IsSkipped()) {
    return;
  }
  // Finish the demo's ★4 case: on-site review, technical report, confirm, certify.
  auto sb = As("hokushin@demo.hoshitori.jp");
  auto ev = As("evaluator@demo.hoshitori.jp");
  auto op = As("operator@demo.hoshitori.jp");
  const std::string b4 = FirstAssessment(*sb);
  const std::string path = "/api/v1/assessments/" + b4;
  http::Response r = ev->Call("POST", path + "/confirm");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Reason(r), "api.review_missing");
  ASSERT_EQ(ev->Call("POST", path + "/reviews/onsite", R"({"result":"pass"})").status, 200);
  r = ev->Call("POST", path + "/confirm");
  EXPECT_EQ(Reason(r), "api.report_missing");
  ASSERT_EQ(sb->Upload(path + "/report?filename=report.pdf", "%PDF-1.7\n診断報告\n").status, 201);
  ASSERT_EQ(ev->Call("POST", path + "/confirm").status, 200);
  const http::Response certified = op->Call("POST", path + "/certify", R"({"scope":"全社"})");
  ASSERT_EQ(certified.status, 201) << certified.body;
  const Json cert = Body(certified);
  ASSERT_EQ(cert["level"], 4);
  EXPECT_EQ(cert["expires_on"], "2029-11-21");
  EXPECT_EQ(cert["next_annual_due"], "2027-11-22");
  const std::string cert_id = cert["id"];

  // A year and a month later the yearly self-assessment is overdue, for the holder and the buyer.
  clock_.Advance(std::chrono::hours(24 * 396));
  // Sessions last 12 hours: everyone logs in again.
  ev = As("evaluator@demo.hoshitori.jp");
  sb = As("hokushin@demo.hoshitori.jp");
  const http::Response annual_r = ev->Call("GET", "/api/v1/certifications/" + cert_id + "/annual");
  ASSERT_EQ(annual_r.status, 200) << annual_r.body;
  const Json annual = Body(annual_r);
  EXPECT_EQ(annual["annual_overdue"], 1);
  EXPECT_TRUE(annual["annual"][0]["overdue"].get<bool>());
  auto buyer = As("buyer@demo.hoshitori.jp");
  const std::string buyer_org = OrgOf(*buyer);
  Json portfolio = Body(buyer->Call("GET", "/api/v1/orgs/" + buyer_org + "/portfolio"));
  EXPECT_EQ(portfolio["summary"]["annual_overdue"], 1);
  // The holder submits it (a completed ★4 self-assessment), and it is no longer overdue.
  const Json fresh =
      Body(sb->Call("POST", "/api/v1/orgs/" + OrgOf(*sb) + "/assessments", R"({"level":4})"));
  const Json catalog = Body(sb->Call("GET", "/api/v1/catalogs/scs-2026-03-27"));
  ASSERT_TRUE(catalog.contains("categories"));
  Json answers = Json::object();
  for (const auto& cat : catalog["categories"]) {
    for (const auto& sub : cat["subcategories"]) {
      for (const auto& req : sub["requirements"]) {
        for (const auto& c : req["criteria"]) {
          if (c["level"].get<int>() <= 4) {
            Json a{{"status", "implemented"}};
            if (c.value("recurrence", "none") != "none") {
              a["last_checked"] = Date::FromTimePoint(clock_.Now()).AddDays(-3).ToIso();
            }
            answers[c["id"].get<std::string>()] = a;
          }
        }
      }
    }
  }
  ASSERT_EQ(sb->Call("PUT", "/api/v1/assessments/" + fresh["id"].get<std::string>() + "/answers",
                     DumpJson(Json{{"answers", answers}}, -1))
                .status,
            200);
  r = sb->Call("POST", "/api/v1/certifications/" + cert_id + "/annual",
               DumpJson(Json{{"assessment_id", fresh["id"]}}, -1));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(
      Body(ev->Call("GET", "/api/v1/certifications/" + cert_id + "/annual"))["annual_overdue"], 0);

  // ★3 of 星取精機 expired by the clock (issued 2026-11-22, valid through 2027-11-21).
  ASSERT_TRUE(platform_->ExpireDue().ok());
  auto sa = As("hoshitori@demo.hoshitori.jp");
  EXPECT_EQ(Body(sa->Call("GET", "/api/v1/assessments/" + FirstAssessment(*sa)))["state"],
            "expired");
  LocalSession anon(*platform_);
  EXPECT_EQ(Body(anon.Call("GET", "/api/v1/public/lookup/7010001999990"))["status"], "expired");
  portfolio = Body(buyer->Call("GET", "/api/v1/orgs/" + buyer_org + "/portfolio"));
  for (const auto& row : portfolio["suppliers"]) {
    if (row["supplier"]["corporate_number"] == "7010001999990") {
      EXPECT_EQ(row["current"]["status"], "expired");
      EXPECT_FALSE(row["meets_requirement"].get<bool>());
    }
  }
}

TEST_P(ApiTest, PortfolioShowsOnlySharedGapsAndConsentedTier2Names) {
  if (IsSkipped()) {
    return;
  }
  auto buyer = As("buyer@demo.hoshitori.jp");
  const Json p = Body(buyer->Call("GET", "/api/v1/orgs/" + OrgOf(*buyer) + "/portfolio"));
  ASSERT_EQ(p["suppliers"].size(), 2u);
  EXPECT_EQ(p["summary"]["total"], 2);
  EXPECT_EQ(p["summary"]["meeting_requirement"], 1);
  for (const auto& row : p["suppliers"]) {
    if (row["supplier"]["corporate_number"] == "7010001999990") {
      EXPECT_EQ(row["required_level"], 3);
      EXPECT_EQ(row["current"]["level"], 3);
      EXPECT_EQ(row["current"]["status"], "valid");
      EXPECT_EQ(row["request"]["state"], "accepted");
      EXPECT_EQ(row["shared_assessment"]["open_gaps"], 0);
      EXPECT_FALSE(row.contains("tier2"));
    } else {
      EXPECT_EQ(row["required_level"], 4);
      EXPECT_EQ(row["current"]["level"], 0);
      ASSERT_TRUE(row.contains("tier2"));
      EXPECT_EQ(row["tier2"]["suppliers"], 1);
      EXPECT_EQ(row["tier2"]["counts"]["required_3/none"], 1);
      ASSERT_EQ(row["tier2"]["named"].size(), 1u);  // 南風 consented
      EXPECT_EQ(row["tier2"]["named"][0]["name"], "南風メッキ工業株式会社");
    }
  }
  // Withdrawn consent hides the name but keeps the count.
  auto t2 = As("minami@demo.hoshitori.jp");
  const std::string rel =
      Body(t2->Call("GET", "/api/v1/orgs/" + OrgOf(*t2) + "/buyers"))["buyers"][0]["id"];
  ASSERT_EQ(
      t2->Call("PUT", "/api/v1/relationships/" + rel + "/consent", R"({"consent":false})").status,
      200);
  const Json p2 = Body(buyer->Call("GET", "/api/v1/orgs/" + OrgOf(*buyer) + "/portfolio"));
  for (const auto& row : p2["suppliers"]) {
    if (row.contains("tier2")) {
      EXPECT_EQ(row["tier2"]["suppliers"], 1);
      EXPECT_TRUE(row["tier2"]["named"].empty());
    }
  }
  // The buyer cannot read the tier-2 supplier's (unshared) assessment.
  EXPECT_EQ(buyer->Call("GET", "/api/v1/assessments/" + FirstAssessment(*t2)).status, 404);
  // Decision tree over the API: any yes is ★4.
  auto op = As("operator@demo.hoshitori.jp");
  ASSERT_EQ(op->Call("POST", "/api/v1/orgs",
                     R"({"corporate_number":"9010001999997","name":"新規部品株式会社"})")
                .status,
            201);
  const Json rel_new = Body(buyer->Call(
      "POST", "/api/v1/orgs/" + OrgOf(*buyer) + "/suppliers",
      R"({"supplier_corporate_number":"9010001999997",)"
      R"("decision":{"stop_causes_unacceptable_delay":true,"reason":"唯一の調達先"}})"));
  EXPECT_EQ(rel_new["required_level"], 4);
}

TEST_P(ApiTest, AuditChainRecordsStateChanges) {
  if (IsSkipped()) {
    return;
  }
  auto sa = As("hoshitori@demo.hoshitori.jp");
  const Json events = Body(sa->Call("GET", "/api/v1/orgs/" + OrgOf(*sa) + "/audit"));
  std::vector<std::string> actions;
  for (const auto& e : events["events"]) {
    actions.push_back(e["action"]);
  }
  for (const char* want :
       {"organization.created", "buyer.added", "request.accepted", "assessment.created",
        "upload.evidence", "assessment.answers_saved", "assessment.submit", "assessment.confirm",
        "assessment.declared", "assessment.certified"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), want), actions.end()) << want;
  }
  auto conn = storage::Open(db_url_);
  ASSERT_TRUE(conn.ok());
  org::AuditLog log(**conn, clock_);
  auto problems = log.Verify();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
}

TEST_P(ApiTest, SbomFindingsLeadTimesVexAndBuyerView) {
  if (IsSkipped()) {
    return;
  }
  auto sa = As("hoshitori@demo.hoshitori.jp");
  auto op = As("operator@demo.hoshitori.jp");
  auto buyer = As("buyer@demo.hoshitori.jp");
  const std::string org = OrgOf(*sa);
  const std::string buyer_org = OrgOf(*buyer);
  const std::string base = "/api/v1/orgs/" + org;
  // The demo SBOM: Django 4.2.0 (CVSS 9.8, published 20 days ago: past 4-4-4-2's 14 days) and
  // PyYAML 5.3 (unrated with a fix, 3 days old).
  Json findings = Body(sa->Call("GET", base + "/findings"));
  EXPECT_EQ(findings["summary"]["open"], 2);
  EXPECT_EQ(findings["summary"]["overdue"], 1);
  ASSERT_EQ(findings["findings"].size(), 2u);
  EXPECT_EQ(findings["findings"][0]["advisory"], "HOSHI-DEMO-2026-0001");
  EXPECT_EQ(findings["findings"][0]["severity"], "critical");
  EXPECT_EQ(findings["findings"][0]["overdue_4_4_4_2"], true);
  EXPECT_EQ(findings["findings"][0]["explanation"], "introduced 0, fixed 4.2.8");
  EXPECT_EQ(findings["findings"][1]["overdue_4_4_4_2"], false);
  const std::string sbom_id = findings["findings"][0]["sbom_id"];

  // A new advisory re-matches only requests' instances; the finding records its lead time.
  clock_.Advance(std::chrono::minutes(30));
  const std::string published = FormatTimestamp(clock_.Now() - std::chrono::minutes(10));
  const Json advisory{{"id", "HOSHI-TEST-0003"},
                      {"published", published},
                      {"modified", published},
                      {"aliases", {"CVE-2099-0003"}},
                      {"affected",
                       {{{"package", {{"ecosystem", "PyPI"}, {"name", "Requests"}}},
                         {"ranges",
                          {{{"type", "ECOSYSTEM"},
                            {"events", {{{"introduced", "2.0"}}, {{"fixed", "2.32.0"}}}}}}}}}}};
  http::Response r = op->Call("POST", "/api/v1/advisories", advisory.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Body(r)["instances_checked"], 1);
  EXPECT_EQ(Body(r)["affected_sboms"], 1);
  EXPECT_EQ(Body(r)["new_findings"], 1);
  EXPECT_EQ(Body(op->Call("POST", "/api/v1/advisories", advisory.dump()))["change"], "unchanged");
  findings = Body(sa->Call("GET", base + "/findings"));
  ASSERT_EQ(findings["findings"].size(), 3u);
  const auto it = std::find_if(findings["findings"].begin(), findings["findings"].end(),
                               [](const Json& f) { return f["advisory"] == "HOSHI-TEST-0003"; });
  ASSERT_NE(it, findings["findings"].end());
  EXPECT_EQ((*it)["trigger"], "advisory_new");
  EXPECT_EQ((*it)["lead_time_ms"], 10 * 60 * 1000);
  // Paging: the order and the summary are over all findings; a page is a slice of them.
  Json page = Body(sa->Call("GET", base + "/findings?limit=2"));
  EXPECT_EQ(page["total"], 3);
  EXPECT_EQ(page["summary"]["open"], 3);
  ASSERT_EQ(page["findings"].size(), 2u);
  EXPECT_EQ(page["findings"][0], findings["findings"][0]);
  EXPECT_EQ(page["next_offset"], 2);
  page = Body(sa->Call("GET", base + "/findings?limit=2&offset=2"));
  ASSERT_EQ(page["findings"].size(), 1u);
  EXPECT_EQ(page["findings"][0], findings["findings"][2]);
  EXPECT_TRUE(page["next_offset"].is_null());
  EXPECT_TRUE(Body(sa->Call("GET", base + "/findings?offset=3"))["findings"].empty());
  page = Body(sa->Call("GET", base + "/findings?overdue=true&limit=1"));
  EXPECT_EQ(page["total"], 1);
  EXPECT_EQ(page["findings"][0]["advisory"], "HOSHI-DEMO-2026-0001");
  for (const char* bad : {"limit=0", "limit=-1", "limit=abc", "limit=10001", "offset=1e3",
                          "overdue=yes", "resolved=1"}) {
    EXPECT_EQ(sa->Call("GET", base + "/findings?" + bad).status, 400) << bad;
  }
  EXPECT_EQ(Body(sa->Call("GET", "/api/v1/advisories/CVE-2099-0003"))["id"], "HOSHI-TEST-0003");
  // The hourly reload reads the same records back from the database.
  auto reloaded = platform_->ReloadAdvisories();
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(*reloaded, 3u);  // two demo records and this one
  EXPECT_EQ(Body(sa->Call("GET", "/api/v1/advisories/HOSHI-TEST-0003"))["aliases"][0],
            "CVE-2099-0003");

  // Outputs: SARIF and a CycloneDX VDR for one SBOM.
  r = sa->Call("GET", "/api/v1/sboms/" + sbom_id + "/findings?format=sarif");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/sarif+json");
  EXPECT_EQ(Body(r)["runs"][0]["results"].size(), 3u);
  r = sa->Call("GET", "/api/v1/sboms/" + sbom_id + "/findings?format=cyclonedx");
  EXPECT_EQ(Body(r)["vulnerabilities"].size(), 3u);
  EXPECT_EQ(Code(sa->Call("GET", "/api/v1/sboms/" + sbom_id + "/findings?format=pdf")),
            "invalid_argument");

  // A broken SBOM is refused with a stable code and nothing is stored.
  r = sa->Upload(base + "/sboms?product=broken", R"({"bomFormat":"CycloneDX","components":[)");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Code(r), "invalid_data");
  EXPECT_EQ(Code(sa->Upload(base + "/sboms", "{}")), "invalid_argument");  // no product
  const Json sboms = Body(sa->Call("GET", base + "/sboms"));
  ASSERT_EQ(sboms["sboms"].size(), 1u);
  EXPECT_EQ(sboms["sboms"][0]["findings"]["open"], 3);
  EXPECT_EQ(sboms["sboms"][0]["findings"]["overdue"], 1);
  page = Body(sa->Call("GET", "/api/v1/sboms/" + sbom_id + "/findings?overdue=true"));
  EXPECT_EQ(page["total"], 1);
  EXPECT_EQ(page["findings"][0]["advisory"], "HOSHI-DEMO-2026-0001");

  // OpenVEX: requests is not affected in this product.
  const Json vex{{"@context", "https://openvex.dev/ns/v0.2.0"},
                 {"@id", "https://example.com/vex/1"},
                 {"author", "星取精機"},
                 {"timestamp", "2026-11-22T00:00:00Z"},
                 {"version", 1},
                 {"statements",
                  {{{"vulnerability", {{"name", "CVE-2099-0003"}}},
                    {"products", {{{"@id", "pkg:pypi/requests@2.31.0"}}}},
                    {"status", "not_affected"},
                    {"justification", "vulnerable_code_not_in_execute_path"}}}}};
  r = sa->Call("POST", base + "/vex", vex.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Body(r)["suppressed"], 1);
  findings = Body(sa->Call("GET", base + "/findings"));
  EXPECT_EQ(findings["summary"]["open"], 2);
  EXPECT_EQ(findings["summary"]["suppressed"], 1);

  // The buyer sees which of its suppliers are affected, while they share; by alias too.
  const std::string affected = "/api/v1/orgs/" + buyer_org + "/advisories/";
  Json seen = Body(buyer->Call("GET", affected + "HOSHI-DEMO-2026-0001/affected-suppliers"));
  ASSERT_EQ(seen["affected"].size(), 1u);
  EXPECT_EQ(seen["affected"][0]["supplier"]["id"], org);
  EXPECT_EQ(seen["affected"][0]["version"], "4.2.0");
  EXPECT_EQ(Body(buyer->Call("GET", affected + "CVE-2099-0003/affected-suppliers"))["advisory"],
            "HOSHI-TEST-0003");
  Json shares = Body(sa->Call("GET", base + "/sbom-shares"));
  ASSERT_EQ(shares["shares"].size(), 1u);
  EXPECT_EQ(shares["shares"][0]["buyer"]["id"], buyer_org);
  EXPECT_EQ(shares["shares"][0]["shared"], true);
  EXPECT_EQ(sa->Call("DELETE", base + "/sbom-shares/" + buyer_org).status, 204);
  seen = Body(buyer->Call("GET", affected + "HOSHI-DEMO-2026-0001/affected-suppliers"));
  EXPECT_TRUE(seen["affected"].empty());
  shares = Body(sa->Call("GET", base + "/sbom-shares"));
  EXPECT_EQ(shares["shares"][0]["shared"], false);
  // Sharing only with one's own buyers.
  auto t2 = As("minami@demo.hoshitori.jp");
  EXPECT_EQ(Reason(sa->Call("PUT", base + "/sbom-shares/" + OrgOf(*t2))), "api.not_a_buyer");
}

TEST_P(ApiTest, TelemetryIngestDetectionsEarlyWarningsAndDeIdentifiedSharing) {
  if (IsSkipped()) {
    return;
  }
  auto sa = As("hoshitori@demo.hoshitori.jp");
  auto buyer = As("buyer@demo.hoshitori.jp");
  auto op = As("operator@demo.hoshitori.jp");
  const std::string org = OrgOf(*sa);
  const std::string base = "/api/v1/orgs/" + org + "/telemetry";

  // A sensor's conn.log with a beacon whose server is on the platform's indicator list.
  defense::SyntheticConfig config;
  config.seed = 7;
  config.hosts = 20;
  config.destinations = 100;
  config.beacons = 1;
  config.sni_beacons = 0;
  config.tunnel_queries = 0;
  config.long_connection_s = 0;
  auto traffic = defense::SyntheticTraffic::Create(config);
  ASSERT_TRUE(traffic.ok());
  std::vector<defense::Event> events;
  while (auto e = traffic->Next()) {
    events.push_back(std::move(*e));
  }
  std::ostringstream log;
  ASSERT_TRUE(defense::WriteZeekConnLog(log, events).ok());
  const std::string c2 = defense::ToString(traffic->truth().beacons[0].dst);
  std::filesystem::create_directories(dir_ / "indicators");
  ASSERT_TRUE(WriteFileAtomic(dir_ / "indicators" / "feed.txt", c2 + "\t90\n").ok());
  auto loaded = platform_->ReloadIndicators();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, 1u);
  ASSERT_TRUE(platform_->StartTelemetryWorkers().ok());

  http::Response r = sa->Upload(base + "/batches?name=conn.log&source=utm-1", log.str());
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string batch = Body(r)["batch_id"];
  Json stored;
  for (int i = 0; i < 400; ++i) {
    r = sa->Call("GET", base + "/batches/" + batch);
    if (r.status == 200) {
      stored = Body(r);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_FALSE(stored.is_null()) << "the in-process worker did not record the batch";
  EXPECT_EQ(stored["source"], "utm-1");
  EXPECT_EQ(stored["events"], std::count_if(events.begin(), events.end(), [](const auto& e) {
              return e.kind == defense::EventKind::kConn;
            }));
  EXPECT_EQ(stored["malformed"], 0);
  const Json hits = Body(sa->Call("GET", base + "/detections?kind=indicator_hit"));
  ASSERT_FALSE(hits["detections"].empty()) << hits.dump();
  EXPECT_EQ(hits["detections"][0]["dst"], c2);
  EXPECT_EQ(hits["detections"][0]["evidence"]["source"], "feed.txt");
  // Nobody else sees the organisation's telemetry.
  EXPECT_EQ(buyer->Call("GET", base + "/batches/" + batch).status, 404);
  EXPECT_EQ(buyer->Call("GET", base + "/detections").status, 404);

  // Bad input: an unknown format, an empty body, a bad filter.
  r = sa->Upload(base + "/batches", "hello, this is not a log\n");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Code(r), "invalid_data");
  EXPECT_EQ(sa->Upload(base + "/batches", "").status, 400);
  EXPECT_EQ(sa->Call("GET", base + "/detections?min_score=2").status, 400);
  EXPECT_EQ(sa->Call("GET", base + "/detections?kind=nope").status, 400);

  // Early warnings: the demo sensors of three suppliers saw the same C2, so there are campaigns.
  const Json campaigns = Body(op->Call("GET", "/api/v1/telemetry/campaigns"));
  ASSERT_FALSE(campaigns["campaigns"].empty());
  EXPECT_EQ(campaigns["campaigns"][0]["organizations"], 3);
  const Json own = Body(sa->Call("GET", "/api/v1/orgs/" + org + "/early-warnings"));
  ASSERT_FALSE(own["warnings"].empty());
  EXPECT_EQ(own["warnings"][0]["relation"], "self");
  // The buyer is warned about both suppliers that agreed; 星取精機 did not agree to be named.
  r = buyer->Call("GET", "/api/v1/orgs/" + OrgOf(*buyer) + "/early-warnings");
  const Json theirs = Body(r);
  ASSERT_FALSE(theirs["warnings"].empty());
  std::size_t disclosed = 0;
  for (const Json& w : theirs["warnings"]) {
    EXPECT_EQ(w["relation"], "supplier");
    if (w["identity_disclosed"] == true) {
      ++disclosed;
      EXPECT_EQ(w["subject_organization"]["name"], "北辰電子工業株式会社");
    } else {
      EXPECT_TRUE(w["subject_organization"].is_null());
      EXPECT_NE(w["summary"].get<std::string>().find("非開示"), std::string::npos);
    }
  }
  EXPECT_EQ(disclosed * 2, theirs["warnings"].size());
  EXPECT_EQ(r.body.find(org), std::string::npos);
  EXPECT_EQ(r.body.find("星取精機"), std::string::npos);
  EXPECT_EQ(r.body.find("Hoshitori Seiki"), std::string::npos);
  // In English, the named supplier is given by its English name as well.
  r = buyer->Call("GET", "/api/v1/orgs/" + OrgOf(*buyer) + "/early-warnings", {},
                  {{"Accept-Language", "en"}});
  const Json in_english = Body(r);
  for (const Json& w : in_english["warnings"]) {
    if (w["identity_disclosed"] == true) {
      EXPECT_EQ(w["subject_organization"]["name_en"], "Hokushin Denshi (demo)");
      EXPECT_NE(w["summary"].get<std::string>().find("Hokushin Denshi (demo)"), std::string::npos)
          << w["summary"];
    }
  }
  // Acknowledging: only the recipient.
  const std::string wid = own["warnings"][0]["id"];
  EXPECT_EQ(buyer->Call("POST", "/api/v1/orgs/" + OrgOf(*buyer) + "/early-warnings/" + wid + "/ack")
                .status,
            404);
  r = sa->Call("POST", "/api/v1/orgs/" + org + "/early-warnings/" + wid + "/ack");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(Body(r)["acknowledged_at"].is_null());
  EXPECT_EQ(Body(sa->Call("GET", "/api/v1/orgs/" + org + "/early-warnings"))["open"],
            own["open"].get<int>() - 1);
  // Consent: only one's own relationships, and a name only with a warning.
  const Json consents = Body(sa->Call("GET", base + "/consents"));
  ASSERT_FALSE(consents["consents"].empty());
  EXPECT_FALSE(consents["consents"][0]["buyer_organization_name_en"].get<std::string>().empty());
  ASSERT_EQ(consents["consents"].size(), 1u);
  EXPECT_EQ(consents["consents"][0]["warn_buyer"], true);
  EXPECT_EQ(consents["consents"][0]["disclose_identity"], false);
  const std::string rel = consents["consents"][0]["relationship_id"];
  EXPECT_EQ(
      sa->Call("PUT", base + "/consents/" + rel, R"({"warn_buyer":false,"disclose_identity":true})")
          .status,
      400);

  // De-identified sharing: attacker side in, victims' addresses and names out.
  r = buyer->Call("GET", "/api/v1/telemetry/stix");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/stix+json;version=2.1");
  const Json bundle = Body(r);
  EXPECT_EQ(bundle["type"], "bundle");
  EXPECT_NE(r.body.find(c2), std::string::npos);
  const Json all = Body(sa->Call("GET", base + "/detections?limit=1000"));
  for (const Json& d : all["detections"]) {
    const std::string src = d["src"];
    if (!src.empty() && src != c2) {
      EXPECT_EQ(r.body.find("\"" + src + "\""), std::string::npos) << src;
      EXPECT_EQ(r.body.find("'" + src + "'"), std::string::npos) << src;
    }
  }
  for (const char* name : {"星取精機", "北辰電子工業", "南風メッキ工業"}) {
    EXPECT_EQ(r.body.find(name), std::string::npos) << name;
  }
  // The same objects through TAXII 2.1, one page at a time.
  r = buyer->Call("GET", "/taxii2/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/taxii+json;version=2.1");
  const std::string coll =
      Body(buyer->Call("GET", "/taxii2/hoshitori/collections/"))["collections"][0]["id"];
  r = buyer->Call("GET", "/taxii2/hoshitori/collections/" + coll + "/objects/?limit=1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["objects"].size(), 1u);
  EXPECT_EQ(Body(r)["more"], true);
  EXPECT_EQ(
      buyer->Call("GET", "/taxii2/hoshitori/collections/" + coll + "/objects/?limit=0").status,
      400);
  EXPECT_EQ(buyer->Call("GET", "/taxii2/hoshitori/collections/nope/objects/").status, 404);
  // Manifest, one object by id, and its versions.
  const std::string objects_url = "/taxii2/hoshitori/collections/" + coll + "/objects/";
  const Json all_objects = Body(buyer->Call("GET", objects_url));
  const Json manifest =
      Body(buyer->Call("GET", "/taxii2/hoshitori/collections/" + coll + "/manifest/"));
  ASSERT_EQ(manifest["objects"].size(), all_objects["objects"].size());
  const Json& first = all_objects["objects"][0];
  EXPECT_EQ(manifest["objects"][0]["id"], first["id"]);
  EXPECT_EQ(manifest["objects"][0]["version"], first.value("modified", first.value("created", "")));
  EXPECT_EQ(manifest["objects"][0]["media_type"], "application/stix+json;version=2.1");
  EXPECT_FALSE(manifest["objects"][0].contains("pattern"));  // records, not the objects
  const std::string one_id = first["id"];
  r = buyer->Call("GET", objects_url + one_id + "/");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(Body(r)["objects"].size(), 1u);
  EXPECT_EQ(Body(r)["objects"][0], first);
  EXPECT_TRUE(std::any_of(r.headers.begin(), r.headers.end(), [](const http::Header& h) {
    return h.name == "X-TAXII-Date-Added-First" && !h.value.empty();
  }));
  const Json versions = Body(buyer->Call("GET", objects_url + one_id + "/versions/"));
  EXPECT_EQ(versions["more"], false);
  EXPECT_EQ(versions["versions"], Json::array({manifest["objects"][0]["version"]}));
  EXPECT_EQ(
      buyer->Call("GET", objects_url + "indicator--00000000-0000-4000-8000-000000000000/").status,
      404);
  LocalSession anon(*platform_);
  EXPECT_EQ(anon.Call("GET", "/api/v1/telemetry/stix").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, ApiTest, ::testing::Values("sqlite", "postgres"), BackendName);

}  // namespace
}  // namespace hoshi::api::testing
