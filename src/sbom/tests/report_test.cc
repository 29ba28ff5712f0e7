// SPDX-License-Identifier: Apache-2.0
// Outputs of a scan: finding JSON round trip, SARIF 2.1.0, CycloneDX VDR, table, --fail-on.
#include "hoshi/sbom/report.h"

#include <gtest/gtest.h>

namespace hoshi::sbom {
namespace {

Finding Sample(std::string id, std::optional<double> score, bool kev = false) {
  Finding f;
  f.component_ref = "pkg:golang/golang.org/x/net@v0.1.0";
  f.component_name = "golang.org/x/net";
  f.version = "v0.1.0";
  f.purl = "pkg:golang/golang.org/x/net@v0.1.0";
  f.package = PackageKey{"Go", "golang.org/x/net"};
  f.advisory_id = std::move(id);
  f.aliases = {"CVE-2023-44487", "GHSA-qppj-fm5r-hxr3"};
  f.summary = "HTTP/2 rapid reset";
  f.affected_index = 1;
  f.match.range_index = 0;
  f.match.introduced = "0";
  f.match.until = RangeEvent{RangeEvent::Kind::kFixed, "0.17.0"};
  f.base_score = score;
  f.cvss_vector = score ? "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H" : "";
  f.known_exploited = kev;
  f.published = "2023-10-11T00:00:00Z";
  f.modified = "2024-01-01T00:00:00Z";
  return f;
}

ScanReport Report(std::vector<Finding> findings) {
  ScanReport r;
  r.tool_version = "0.5.0";
  r.generated_at = "2026-11-22T00:00:00Z";
  r.serial = "urn:uuid:01937a8e-0000-7000-8000-000000000000";
  r.documents.push_back({"bom.json", "CycloneDX", "1.6", "app", "1.0", 10, 0});
  for (auto& f : findings) {
    r.findings.push_back({0, std::move(f)});
  }
  return r;
}

TEST(ReportTest, ExplainsMatches) {
  AffectedMatch listed;
  listed.via = AffectedMatch::Via::kListedVersion;
  listed.listed_version = "2.7.1";
  EXPECT_EQ(ExplainMatch(listed), "listed 2.7.1");
  AffectedMatch open_ended;
  open_ended.introduced = "1.0";
  EXPECT_EQ(ExplainMatch(open_ended), "introduced 1.0");
  AffectedMatch last;
  last.introduced = "0";
  last.until = RangeEvent{RangeEvent::Kind::kLastAffected, "1.2"};
  EXPECT_EQ(ExplainMatch(last), "introduced 0, last_affected 1.2");
}

TEST(ReportTest, FindingJsonRoundTrips) {
  Finding f = Sample("GO-2023-2102", 7.5, true);
  VexStatement v;
  v.vulnerability = "CVE-2023-44487";
  v.status = VexStatus::kNotAffected;
  v.justification = "vulnerable_code_not_in_execute_path";
  v.detail = "HTTP/2 disabled";
  v.source = "openvex";
  v.product_purls = {"pkg:golang/golang.org/x/net"};
  f.suppressed_by = v;
  auto back = FindingFromJson(FindingToJson(f));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, f);
  Finding listed = Sample("GO-1", std::nullopt);
  listed.match = AffectedMatch{};
  listed.match.via = AffectedMatch::Via::kListedVersion;
  listed.match.listed_version = "v0.1.0";
  auto back2 = FindingFromJson(FindingToJson(listed));
  ASSERT_TRUE(back2.ok());
  EXPECT_EQ(*back2, listed);
  EXPECT_EQ(FindingToJson(listed)["severity"], "unknown");
  EXPECT_FALSE(FindingFromJson(nlohmann::json::array()).ok());
  EXPECT_FALSE(FindingFromJson(nlohmann::json{{"advisory", "x"}}).ok());
}

TEST(ReportTest, SarifHasOneRulePerAdvisoryAndSuppressions) {
  Finding suppressed = Sample("GO-2", 5.0);
  suppressed.component_ref = "other";
  suppressed.suppressed_by =
      VexStatement{"GO-2", {}, {}, VexStatus::kNotAffected, "code_not_reachable", "", "cyclonedx"};
  const auto sarif = ReportToSarif(
      Report({Sample("GO-1", 9.8, true), Sample("GO-2", 5.0), suppressed, Sample("GO-3", {})}));
  EXPECT_EQ(sarif["version"], "2.1.0");
  const auto& run = sarif["runs"][0];
  ASSERT_EQ(run["tool"]["driver"]["rules"].size(), 3u);
  EXPECT_EQ(run["tool"]["driver"]["rules"][0]["properties"]["security-severity"], "9.8");
  EXPECT_FALSE(run["tool"]["driver"]["rules"][2]["properties"].contains("security-severity"));
  ASSERT_EQ(run["results"].size(), 4u);
  EXPECT_EQ(run["results"][0]["level"], "error");
  EXPECT_EQ(run["results"][1]["level"], "warning");
  EXPECT_EQ(run["results"][3]["level"], "note");
  EXPECT_EQ(run["results"][1]["ruleIndex"], 1);
  EXPECT_EQ(run["results"][2]["ruleIndex"], 1);
  EXPECT_TRUE(run["results"][2].contains("suppressions"));
  EXPECT_FALSE(run["results"][1].contains("suppressions"));
  EXPECT_EQ(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "bom.json");
}

TEST(ReportTest, CycloneDxVdrGroupsByAdvisory) {
  Finding second = Sample("GO-1", 7.5);
  second.component_ref = "b";
  second.version = "v0.2.0";
  const auto vdr = ReportToCycloneDxVdr(Report({Sample("GO-1", 7.5), second, Sample("GO-0", {})}));
  EXPECT_EQ(vdr["bomFormat"], "CycloneDX");
  EXPECT_EQ(vdr["specVersion"], "1.6");
  EXPECT_EQ(vdr["serialNumber"], "urn:uuid:01937a8e-0000-7000-8000-000000000000");
  ASSERT_EQ(vdr["components"].size(), 2u);
  ASSERT_EQ(vdr["vulnerabilities"].size(), 2u);
  const auto& go1 = vdr["vulnerabilities"][1];
  EXPECT_EQ(go1["id"], "GO-1");
  ASSERT_EQ(go1["affects"].size(), 2u);
  EXPECT_EQ(go1["affects"][1]["versions"][0]["version"], "v0.2.0");
  EXPECT_EQ(go1["ratings"][0]["method"], "CVSSv31");
  EXPECT_EQ(go1["ratings"][0]["severity"], "high");
  EXPECT_EQ(go1["references"][0]["id"], "CVE-2023-44487");
  EXPECT_FALSE(vdr["vulnerabilities"][0].contains("ratings"));
  EXPECT_EQ(vdr["metadata"]["component"]["name"], "app");
}

TEST(ReportTest, TableInBothLanguages) {
  Finding suppressed = Sample("GO-2", 5.0);
  suppressed.suppressed_by = VexStatement{"GO-2", {}, {}, VexStatus::kNotAffected, "", "", ""};
  const auto report = Report({Sample("GO-1", 9.8, true), suppressed});
  const std::string ja = ReportToTable(report, Lang::kJa);
  EXPECT_NE(ja.find("(影響なし)"), std::string::npos) << ja;
  EXPECT_NE(ja.find("重大度"), std::string::npos);
  EXPECT_NE(ja.find("緊急 KEV"), std::string::npos);
  EXPECT_NE(ja.find("introduced 0, fixed 0.17.0"), std::string::npos);
  EXPECT_NE(ja.find("検出 1 件（うちKEV 1 件、VEXで除外 1 件）"), std::string::npos);
  const std::string en = ReportToTable(report, Lang::kEn);
  EXPECT_NE(en.find("SEVERITY"), std::string::npos);
  EXPECT_NE(en.find("critical KEV"), std::string::npos);
  EXPECT_NE(en.find("Findings: 1 (1 known exploited, 1 suppressed by VEX); SBOMs: 1"),
            std::string::npos);
  EXPECT_NE(en.find("(not_affected)"), std::string::npos);
  // Columns line up: "ID" starts where "GO-1" starts.
  const auto header_end = en.find('\n');
  EXPECT_EQ(en.find("ID"), en.find("GO-1") - header_end - 1);
}

TEST(ReportTest, FailOnThresholds) {
  struct Case {
    std::optional<double> score;
    bool kev;
    const char* threshold;
    bool reaches;
  };
  const Case cases[] = {
      {9.8, false, "critical", true},     {8.0, false, "critical", false},
      {7.0, false, "high", true},         {6.9, false, "high", false},
      {4.0, false, "medium", true},       {0.0, false, "low", false},
      {0.1, false, "low", true},          {std::nullopt, false, "low", false},
      {std::nullopt, false, "any", true}, {2.0, true, "critical", true},
  };
  for (const auto& c : cases) {
    auto r = ReachesThreshold(Sample("X", c.score, c.kev), c.threshold);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(*r, c.reaches) << c.threshold << " " << c.score.value_or(-1);
  }
  Finding suppressed = Sample("X", 9.8, true);
  suppressed.suppressed_by = VexStatement{};
  EXPECT_FALSE(*ReachesThreshold(suppressed, "any"));
  auto bad = ReachesThreshold(Sample("X", 1.0), "severe");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace hoshi::sbom
