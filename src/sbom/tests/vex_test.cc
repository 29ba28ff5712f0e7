// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "hoshi/sbom/document.h"

namespace hoshi::sbom {
namespace {

namespace fs = std::filesystem;

fs::path SbomDir() {
  return fs::path(HOSHI_SHARED_DIR) / "data/sbom";
}

std::vector<VexStatement> Parse(std::string_view json, const ParseLimits& limits = {}) {
  auto vex = ParseVex(json, limits);
  EXPECT_TRUE(vex.ok()) << (vex.ok() ? "" : vex.error().ToString(Lang::kEn));
  return vex.ok() ? std::move(vex).value() : std::vector<VexStatement>{};
}

void ExpectError(const Result<std::vector<VexStatement>>& result, ErrorCode code,
                 std::string_view reason) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), code) << result.error().ToString(Lang::kEn);
  EXPECT_EQ(result.error().reason(), reason) << result.error().ToString(Lang::kEn);
}

using Purls = std::vector<std::string>;

// ---- OpenVEX ----

constexpr std::string_view kOpenVex = R"({
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://openvex.dev/docs/example/vex-9fb3463de1b57",
  "author": "Wolfi J Inkinson", "timestamp": "2023-01-08T18:02:03.647787998-06:00",
  "version": 1,
  "statements": [
    {
      "vulnerability": {"@id": "https://nvd.nist.gov/vuln/detail/CVE-2023-1255",
                        "name": "CVE-2023-1255", "aliases": ["GHSA-xxxx-yyyy-zzzz"]},
      "products": [
        {"@id": "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64",
         "subcomponents": [{"@id": "pkg:apk/wolfi/openssl@3.0.7-r0"},
                           {"@id": "https://example.com/not-a-purl"}]},
        {"@id": "https://example.com/product",
         "identifiers": {"purl": "pkg:oci/image@sha256%3Aabc", "cpe23": "cpe:2.3:a:x:y:1"}}
      ],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path",
      "impact_statement": "The vulnerable function is never called."
    },
    {"vulnerability": "CVE-2014-123456",
     "products": ["pkg:pypi/Flask@2.0.0", "not a purl"],
     "status": "affected", "action_statement": "Upgrade"},
    {"vulnerability": {"name": "CVE-2024-1"}, "products": [{"@id": "pkg:npm/a@1"}],
     "status": "fixed", "status_notes": "fixed in 1"},
    {"vulnerability": {"name": "CVE-2024-2"}, "products": [{"@id": "pkg:npm/a@1"}],
     "status": "under_investigation"}
  ]
})";

TEST(VexTest, OpenVex) {
  const std::vector<VexStatement> vex = Parse(kOpenVex);
  ASSERT_EQ(vex.size(), 5U);
  const VexStatement& first = vex[0];
  EXPECT_EQ(first.vulnerability, "CVE-2023-1255");
  EXPECT_EQ(vex[1].vulnerability, "GHSA-xxxx-yyyy-zzzz");
  EXPECT_EQ(first.status, VexStatus::kNotAffected);
  EXPECT_EQ(first.justification, "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(first.detail, "The vulnerable function is never called.");
  EXPECT_EQ(first.source, "openvex");
  EXPECT_EQ(first.product_purls,
            (Purls{"pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64", "pkg:apk/wolfi/openssl@3.0.7-r0",
                   "pkg:oci/image@sha256:abc"}));
  EXPECT_TRUE(first.product_refs.empty());
  EXPECT_EQ(vex[1].product_purls, first.product_purls);

  EXPECT_EQ(vex[2].vulnerability, "CVE-2014-123456");
  EXPECT_EQ(vex[2].status, VexStatus::kAffected);
  EXPECT_EQ(vex[2].product_purls, (Purls{"pkg:pypi/flask@2.0.0"}));  // canonical
  EXPECT_EQ(vex[3].status, VexStatus::kFixed);
  EXPECT_EQ(vex[3].detail, "fixed in 1");
  EXPECT_EQ(vex[4].status, VexStatus::kUnderInvestigation);
}

TEST(VexTest, OpenVexErrors) {
  ExpectError(ParseVex(R"({"@context": "https://openvex.dev/ns", "statements": [
                {"vulnerability": "CVE-1", "products": [], "status": "unknown"}]})"),
              ErrorCode::kDataError, "sbom.vex_status");
  ExpectError(ParseVex(R"({"@context": "https://openvex.dev/ns", "statements": [
                {"vulnerability": "CVE-1", "products": []}]})"),
              ErrorCode::kDataError, "sbom.vex_status");
  ExpectError(ParseVex(R"({"@context": "https://openvex.dev/ns", "statements": {}})"),
              ErrorCode::kDataError, "sbom.parse_expect_array");
  ExpectError(ParseVex(R"({"@context": "https://openvex.dev/ns", "statements": [
                {"vulnerability": 5, "status": "fixed"}]})"),
              ErrorCode::kDataError, "sbom.parse_expect_string");
}

// ---- CSAF ----

constexpr std::string_view kCsaf = R"({
  "vulnerabilities": [
    {
      "cve": "CVE-2021-44228",
      "ids": [{"system_name": "GitHub", "text": "GHSA-jfh8-c2jp-5v3q"}],
      "notes": [{"category": "description", "text": "Log4Shell"}],
      "product_status": {
        "known_not_affected": ["CSAFPID-0001", "CSAFPID-0002", "CSAFPID-0003", "CSAFPID-0001"],
        "fixed": ["CSAFPID-0004"],
        "known_affected": ["CSAFPID-0005"],
        "under_investigation": ["CSAFPID-0006"],
        "recommended": ["CSAFPID-0004"]
      },
      "flags": [
        {"label": "vulnerable_code_not_in_execute_path", "product_ids": ["CSAFPID-0001"]},
        {"label": "component_not_present", "group_ids": ["CSAFGID-0001"]}
      ],
      "threats": [
        {"category": "impact", "details": "Class removed.", "product_ids": ["CSAFPID-0002"]},
        {"category": "exploit_status", "details": "ignored", "product_ids": ["CSAFPID-0001"]}
      ]
    }
  ],
  "document": {
    "category": "csaf_vex", "csaf_version": "2.0", "title": "Example VEX",
    "publisher": {"category": "vendor", "name": "Example"},
    "tracking": {"id": "2022-EVD-UC-01-NA-001", "status": "final", "version": "1"}
  },
  "product_tree": {
    "branches": [{
      "category": "vendor", "name": "Example",
      "branches": [{
        "category": "product_name", "name": "App",
        "branches": [
          {"category": "product_version", "name": "1.0",
           "product": {"name": "App 1.0", "product_id": "CSAFPID-0001",
                       "product_identification_helper": {"purl": "pkg:maven/com.example/app@1.0"}}},
          {"category": "product_version", "name": "2.0",
           "product": {"name": "App 2.0", "product_id": "CSAFPID-0002",
                       "product_identification_helper": {"purl": "pkg:maven/com.example/app@2.0"}}}
        ]
      }]
    }],
    "full_product_names": [
      {"name": "Lib", "product_id": "CSAFPID-0003",
       "product_identification_helper": {"purls": ["pkg:npm/lib@3", "pkg:npm/lib@3.0.0"]}},
      {"name": "CPE only", "product_id": "CSAFPID-0005",
       "product_identification_helper": {"cpe": "cpe:2.3:a:x:y:5:*:*:*:*:*:*:*"}},
      {"name": "Tool", "product_id": "CSAFPID-0006",
       "product_identification_helper": {"purl": "pkg:pypi/tool@6"}},
      {"name": "log4j", "product_id": "CSAFPID-0100",
       "product_identification_helper": {"purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}}
    ],
    "relationships": [{
      "category": "default_component_of",
      "full_product_name": {"name": "log4j in App 3", "product_id": "CSAFPID-0004"},
      "product_reference": "CSAFPID-0100", "relates_to_product_reference": "CSAFPID-0002"
    }],
    "product_groups": [{"group_id": "CSAFGID-0001", "product_ids": ["CSAFPID-0003"]}]
  }
})";

TEST(VexTest, Csaf) {
  const std::vector<VexStatement> vex = Parse(kCsaf);
  // not_affected: three justification/detail groups; then fixed, affected, under investigation;
  // each for the CVE and the GHSA id.
  ASSERT_EQ(vex.size(), 12U);
  for (std::size_t i = 0; i < vex.size(); i += 2) {
    EXPECT_EQ(vex[i].vulnerability, "CVE-2021-44228") << i;
    EXPECT_EQ(vex[i + 1].vulnerability, "GHSA-jfh8-c2jp-5v3q") << i;
    EXPECT_EQ(vex[i].status, vex[i + 1].status) << i;
    EXPECT_EQ(vex[i].product_purls, vex[i + 1].product_purls) << i;
    EXPECT_EQ(vex[i].source, "csaf");
  }
  EXPECT_EQ(vex[0].status, VexStatus::kNotAffected);
  EXPECT_EQ(vex[0].justification, "vulnerable_code_not_in_execute_path");
  EXPECT_EQ(vex[0].detail, "");
  EXPECT_EQ(vex[0].product_purls, (Purls{"pkg:maven/com.example/app@1.0"}));
  EXPECT_EQ(vex[2].justification, "");
  EXPECT_EQ(vex[2].detail, "Class removed.");
  EXPECT_EQ(vex[2].product_purls, (Purls{"pkg:maven/com.example/app@2.0"}));
  EXPECT_EQ(vex[4].justification, "component_not_present");  // through the product group
  EXPECT_EQ(vex[4].product_purls, (Purls{"pkg:npm/lib@3", "pkg:npm/lib@3.0.0"}));
  EXPECT_EQ(vex[6].status, VexStatus::kFixed);
  // A relationship product takes the purl of the component it refers to.
  EXPECT_EQ(vex[6].product_purls, (Purls{"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}));
  EXPECT_EQ(vex[8].status, VexStatus::kAffected);
  EXPECT_TRUE(vex[8].product_purls.empty());  // CPE only: nothing to match by purl
  EXPECT_EQ(vex[10].status, VexStatus::kUnderInvestigation);
  EXPECT_EQ(vex[10].product_purls, (Purls{"pkg:pypi/tool@6"}));
}

TEST(VexTest, CsafBranchDepthIsLimited) {
  std::string branches;
  for (int i = 0; i < 10; ++i) {
    branches += R"({"category": "x", "name": "n", "branches": [)";
  }
  for (int i = 0; i < 10; ++i) {
    branches += "]}";
  }
  const std::string json =
      R"({"document": {"csaf_version": "2.0"}, "product_tree": {"branches": [)" + branches + "]}}";
  ParseLimits limits;
  limits.max_depth = 5;
  ExpectError(ParseVex(json, limits), ErrorCode::kTooLarge, "sbom.parse_too_deep");
  EXPECT_TRUE(ParseVex(json).ok());
}

// ---- Common errors ----

TEST(VexTest, UnsupportedAndMalformedDocuments) {
  ExpectError(ParseVex("{}"), ErrorCode::kDataError, "sbom.vex_unsupported");
  ExpectError(ParseVex(R"({"document": "x"})"), ErrorCode::kDataError, "sbom.vex_unsupported");
  ExpectError(ParseVex(R"({"spdxVersion": "SPDX-2.3", "packages": []})"), ErrorCode::kDataError,
              "sbom.vex_unsupported");
  ExpectError(ParseVex("[]"), ErrorCode::kDataError, "sbom.parse_root");
  ExpectError(ParseVex(""), ErrorCode::kDataError, "sbom.parse_empty");
  ExpectError(ParseVex(kOpenVex.substr(0, kOpenVex.size() / 2)), ErrorCode::kDataError,
              "sbom.parse_truncated");
  ExpectError(ParseVex(kCsaf.substr(0, 100)), ErrorCode::kDataError, "sbom.parse_truncated");
  ParseLimits limits;
  limits.max_components = 3;
  ExpectError(ParseVex(kOpenVex, limits), ErrorCode::kTooLarge, "sbom.vex_too_many");
  limits = {};
  limits.max_bytes = 100;
  ExpectError(ParseVex(kOpenVex, limits), ErrorCode::kTooLarge, "sbom.too_large");
}

TEST(VexTest, CycloneDxBomWithoutVulnerabilitiesGivesNoStatements) {
  EXPECT_TRUE(Parse(R"({"bomFormat": "CycloneDX", "specVersion": "1.4",
                        "components": [{"name": "x", "purl": 3}]})")
                  .empty());  // components are not read for VEX
}

// ---- Real CycloneDX VEX documents (HOSHI_SHARED_DIR/data/sbom/cyclonedx/VEX) ----

struct ExpectedVex {
  std::string_view file;
  std::array<std::size_t, 4> by_status;  // not_affected, affected, fixed, under_investigation
  std::size_t product_refs;              // summed over the statements
};

// Counted independently with python3's json module: one statement per vulnerability id and
// reference id for vulnerabilities with analysis.state; refs summed over the statements.
constexpr ExpectedVex kVexFiles[] = {
    {"cyclonedx/VEX/CISA-Use-Cases/Case-1/vex-affected.json", {0, 1, 0, 0}, 1},
    {"cyclonedx/VEX/CISA-Use-Cases/Case-1/vex-fixed.json", {0, 0, 1, 0}, 1},
    {"cyclonedx/VEX/CISA-Use-Cases/Case-1/vex-not_affected.json", {1, 0, 0, 0}, 1},
    {"cyclonedx/VEX/CISA-Use-Cases/Case-1/vex-under_investigation.json", {0, 0, 0, 1}, 1},
    {"cyclonedx/VEX/CISA-Use-Cases/Case-2/vex.json", {19, 0, 0, 0}, 19},
    {"cyclonedx/VEX/CISA-Use-Cases/Case-3/vex.json", {6, 5, 3, 5}, 19},
    {"cyclonedx/VEX/CISA-Use-Cases/Case-4/vex.json", {0, 1, 0, 0}, 1},
    {"cyclonedx/VEX/CISA-Use-Cases/Case-5/vex.json", {0, 0, 0, 1}, 1},
    {"cyclonedx/VEX/CISA-Use-Cases/Case-6/vex.json", {1, 1, 0, 0}, 2},
    {"cyclonedx/VEX/CISA-Use-Cases/Case-7/vex.json", {2, 1, 1, 0}, 5},
    {"cyclonedx/VEX/CISA-Use-Cases/Case-8/vex.json", {4, 2, 2, 0}, 11},
    {"cyclonedx/VEX/Use-Cases/Case-1/vex.json", {1, 0, 0, 0}, 1},
    {"cyclonedx/VEX/Use-Cases/Case-10/vex.json", {1, 0, 0, 0}, 1},
    {"cyclonedx/VEX/Use-Cases/Case-11/vex.json", {19, 0, 0, 0}, 19},
    {"cyclonedx/VEX/Use-Cases/Case-12/vex.json", {2, 1, 0, 0}, 3},
    {"cyclonedx/VEX/Use-Cases/Case-13/vex.json", {1, 1, 0, 0}, 3},
    {"cyclonedx/VEX/Use-Cases/Case-2/vex.json", {0, 1, 0, 0}, 1},
    {"cyclonedx/VEX/Use-Cases/Case-3/vex.json", {0, 0, 0, 1}, 1},
    {"cyclonedx/VEX/Use-Cases/Case-4/vex.json", {1, 0, 0, 0}, 1},
    {"cyclonedx/VEX/Use-Cases/Case-5/vex.json", {1, 1, 0, 0}, 2},
    {"cyclonedx/VEX/Use-Cases/Case-6/vex.json", {1, 0, 0, 0}, 3},
    {"cyclonedx/VEX/Use-Cases/Case-7/vex.json", {1, 0, 0, 0}, 0},
    {"cyclonedx/VEX/Use-Cases/Case-8/vex.json", {1, 0, 0, 0}, 1},
    {"cyclonedx/VEX/Use-Cases/Case-9/vex.json", {19, 0, 0, 0}, 57},
    {"cyclonedx/VEX/vex.json", {2, 0, 0, 0}, 2},
};

TEST(VexDataTest, CycloneDxExamples) {
  if (!fs::is_directory(SbomDir())) {
    GTEST_SKIP() << "shared SBOM examples not found at " << SbomDir()
                 << "; real-data checks skipped";
  }
  for (const ExpectedVex& e : kVexFiles) {
    const auto vex = ReadVexFile(SbomDir() / e.file);
    ASSERT_TRUE(vex.ok()) << e.file << ": " << vex.error().ToString(Lang::kEn);
    std::array<std::size_t, 4> by_status{};
    std::size_t refs = 0;
    for (const VexStatement& s : *vex) {
      ++by_status[static_cast<std::size_t>(s.status)];
      refs += s.product_refs.size();
      EXPECT_EQ(s.source, "cyclonedx");
    }
    EXPECT_EQ(by_status, e.by_status) << e.file;
    EXPECT_EQ(refs, e.product_refs) << e.file;
  }
  // The SBOMs next to the VEX documents carry no vulnerabilities.
  for (const char* file : {"cyclonedx/VEX/bom.json", "cyclonedx/VEX/Use-Cases/Case-6/bom-1.json",
                           "cyclonedx/VEX/CISA-Use-Cases/Case-7/bom-1.json"}) {
    const auto vex = ReadVexFile(SbomDir() / file);
    ASSERT_TRUE(vex.ok()) << file;
    EXPECT_TRUE(vex->empty()) << file;
  }
}

TEST(VexDataTest, CycloneDxDetails) {
  if (!fs::is_directory(SbomDir())) {
    GTEST_SKIP() << "shared SBOM examples not found at " << SbomDir()
                 << "; real-data checks skipped";
  }
  // A BOM-Link to a component of another BOM whose bom-ref is a purl.
  const auto vex = ReadVexFile(SbomDir() / "cyclonedx/VEX/vex.json");
  ASSERT_TRUE(vex.ok()) << vex.error().ToString(Lang::kEn);
  ASSERT_EQ(vex->size(), 2U);
  const VexStatement& s = vex->front();
  EXPECT_EQ(s.vulnerability, "CVE-2020-25649");
  EXPECT_EQ((*vex)[1].vulnerability, "SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302");
  EXPECT_EQ(s.status, VexStatus::kNotAffected);
  EXPECT_EQ(s.justification, "code_not_reachable");
  EXPECT_EQ(s.detail,
            "Automated dataflow analysis and manual code review indicates that the vulnerable "
            "code is not reachable, either directly or indirectly.");
  EXPECT_EQ(s.product_refs,
            (Purls{"pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"}));
  EXPECT_EQ(s.product_purls,
            (Purls{"pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar"}));

  // The referenced BOM holds that component under the same bom-ref.
  const auto bom = ReadSbomFile(SbomDir() / "cyclonedx/VEX/bom.json");
  ASSERT_TRUE(bom.ok());
  EXPECT_TRUE(std::any_of(bom->components.begin(), bom->components.end(),
                          [&](const Component& c) { return c.ref == s.product_refs[0]; }));

  const auto multi = ReadVexFile(SbomDir() / "cyclonedx/VEX/Use-Cases/Case-6/vex.json");
  ASSERT_TRUE(multi.ok());
  ASSERT_EQ(multi->size(), 1U);
  EXPECT_EQ(multi->front().product_refs,
            (Purls{"acme-product-1", "acme-product-2", "acme-product-3"}));
  EXPECT_TRUE(multi->front().product_purls.empty());

  const auto cisa3 = ReadVexFile(SbomDir() / "cyclonedx/VEX/CISA-Use-Cases/Case-3/vex.json");
  ASSERT_TRUE(cisa3.ok());
  ASSERT_EQ(cisa3->size(), 19U);
  EXPECT_EQ((*cisa3)[0].vulnerability, "CVE-2020-11896");
  EXPECT_EQ((*cisa3)[0].status, VexStatus::kUnderInvestigation);  // in_triage
  EXPECT_EQ((*cisa3)[2].status, VexStatus::kAffected);            // exploitable
  EXPECT_EQ((*cisa3)[5].status, VexStatus::kFixed);               // resolved
  EXPECT_EQ((*cisa3)[1].justification, "code_not_present");
}

}  // namespace
}  // namespace hoshi::sbom
