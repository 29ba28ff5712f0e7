// SPDX-License-Identifier: Apache-2.0
#include "hoshi/sbom/document.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "../messages_parts.h"

namespace hoshi::sbom {
namespace {

namespace fs = std::filesystem;

fs::path SbomDir() {
  return fs::path(HOSHI_SHARED_DIR) / "data/sbom";
}

#define HOSHI_REQUIRE_SBOM_DATA()                                                \
  do {                                                                           \
    if (!fs::is_directory(SbomDir())) {                                          \
      GTEST_SKIP() << "shared SBOM examples not found at " << SbomDir()          \
                   << " (HOSHI_SHARED_DIR/data/sbom); real-data checks skipped"; \
    }                                                                            \
  } while (false)

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

SbomDocument Parse(std::string_view json, const ParseLimits& limits = {}) {
  auto doc = ParseSbom(json, limits);
  EXPECT_TRUE(doc.ok()) << (doc.ok() ? "" : doc.error().ToString(Lang::kEn));
  return doc.ok() ? std::move(doc).value() : SbomDocument{};
}

SbomDocument Load(std::string_view relative) {
  auto doc = ReadSbomFile(SbomDir() / relative);
  EXPECT_TRUE(doc.ok()) << relative << ": " << (doc.ok() ? "" : doc.error().ToString(Lang::kEn));
  return doc.ok() ? std::move(doc).value() : SbomDocument{};
}

const Component* FindByRef(const SbomDocument& doc, std::string_view ref) {
  const auto it = std::find_if(doc.components.begin(), doc.components.end(),
                               [&](const Component& c) { return c.ref == ref; });
  return it == doc.components.end() ? nullptr : &*it;
}

// Expects a failure with `code` and `reason`; returns the error's English text for more checks.
std::string ExpectError(const Result<SbomDocument>& result, ErrorCode code,
                        std::string_view reason) {
  EXPECT_FALSE(result.ok());
  if (result.ok()) {
    return {};
  }
  EXPECT_EQ(result.error().code(), code) << result.error().ToString(Lang::kEn);
  EXPECT_EQ(result.error().reason(), reason) << result.error().ToString(Lang::kEn);
  EXPECT_FALSE(result.error().message().ja.empty());
  return result.error().message().en;
}

// ---- CycloneDX ----

constexpr std::string_view kCycloneDx = R"({
  "bomFormat": "CycloneDX", "specVersion": "1.5",
  "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "version": 1,
  "metadata": {
    "timestamp": "2024-01-01T00:00:00Z",
    "component": {
      "type": "application", "bom-ref": "app", "name": "shop", "version": "2.0.0",
      "components": [{"bom-ref": "app-ui", "name": "shop-ui", "purl": "pkg:npm/shop-ui@2.0.0"}]
    }
  },
  "components": [
    {"type": "library", "bom-ref": "lib-a", "group": "org.example", "name": "a",
     "version": "1.0", "purl": "pkg:maven/org.example/a@1.0?type=jar",
     "licenses": [{"license": {"id": "MIT"}}], "x-unknown": {"deep": [1, 2, {"x": null}]},
     "components": [
       {"name": "inner", "version": "0.1", "purl": "pkg:pypi/Django_Rest@0.1"},
       {"bom-ref": "lib-a", "name": "duplicate-ref"}
     ]},
    null,
    {"name": "no-purl", "version": null},
    {"bom-ref": "bad", "name": "bad-purl", "purl": "npm/left-pad@1.0"}
  ]
})";

TEST(DocumentTest, CycloneDxSubjectComponentsAndRefs) {
  const SbomDocument doc = Parse(kCycloneDx);
  EXPECT_EQ(doc.format, SbomDocument::Format::kCycloneDx);
  EXPECT_EQ(FormatName(doc.format), "CycloneDX");
  EXPECT_EQ(doc.spec_version, "1.5");
  EXPECT_EQ(doc.serial, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
  EXPECT_EQ(doc.name, "shop");
  EXPECT_EQ(doc.version, "2.0.0");
  EXPECT_EQ(doc.invalid_purls, 1U);
  ASSERT_EQ(doc.components.size(), 6U);

  // Depth-first: the subject's nested component, then a, a's children, then the rest.
  const std::vector<std::string> refs = {"app-ui",  "lib-a",       "component-3",
                                         "lib-a-2", "component-5", "bad"};
  for (std::size_t i = 0; i < refs.size(); ++i) {
    EXPECT_EQ(doc.components[i].ref, refs[i]) << i;
  }
  EXPECT_EQ(doc.components[0].parent_ref, "app");
  EXPECT_EQ(doc.components[1].parent_ref, "");
  EXPECT_EQ(doc.components[2].parent_ref, "lib-a");
  EXPECT_EQ(doc.components[3].parent_ref, "lib-a");

  const Component& a = doc.components[1];
  EXPECT_EQ(a.group, "org.example");
  EXPECT_EQ(a.name, "a");
  EXPECT_EQ(a.version, "1.0");
  EXPECT_EQ(a.purl, "pkg:maven/org.example/a@1.0?type=jar");
  EXPECT_EQ(a.package, (PackageKey{"Maven", "org.example:a"}));

  // The purl is stored in canonical form (pypi names are lower case with '-').
  EXPECT_EQ(doc.components[2].purl, "pkg:pypi/django-rest@0.1");
  EXPECT_EQ(doc.components[2].package, (PackageKey{"PyPI", "django-rest"}));
  EXPECT_EQ(doc.components[4].version, "");  // null is absent
  EXPECT_EQ(doc.components[4].purl, "");
  EXPECT_FALSE(doc.components[4].package.has_value());
  // An invalid purl keeps the component, unmatched.
  EXPECT_EQ(doc.components[5].name, "bad-purl");
  EXPECT_EQ(doc.components[5].purl, "");
  EXPECT_FALSE(doc.components[5].package.has_value());
  EXPECT_TRUE(doc.vex.empty());
}

TEST(DocumentTest, CycloneDxVulnerabilitiesBecomeVexStatements) {
  constexpr std::string_view kJson = R"({
    "bomFormat": "CycloneDX", "specVersion": "1.6",
    "components": [{"bom-ref": "c1", "name": "jackson-databind", "version": "2.10.0",
                    "purl": "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0"}],
    "vulnerabilities": [
      {"id": "CVE-2020-25649",
       "references": [{"id": "GHSA-288c-cq4h-88gq", "source": {"name": "GitHub"}},
                      {"id": "CVE-2020-25649"}],
       "analysis": {"state": "not_affected", "justification": "code_not_reachable",
                    "response": ["will_not_fix"], "detail": "not reachable"},
       "affects": [{"ref": "c1"},
                   {"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:npm/%40scope/x@1.0"}]},
      {"id": "CVE-1", "analysis": {"state": "exploitable"}, "affects": [{"ref": "c1"}]},
      {"id": "CVE-2", "analysis": {"state": "resolved"}},
      {"id": "CVE-3", "analysis": {"state": "resolved_with_pedigree"}},
      {"id": "CVE-4", "analysis": {"state": "in_triage"}},
      {"id": "CVE-5", "analysis": {"state": "false_positive"}},
      {"id": "CVE-6", "description": "a VDR entry without analysis gives no statement"}
    ]
  })";
  const SbomDocument doc = Parse(kJson);
  ASSERT_EQ(doc.vex.size(), 7U);
  const VexStatement& first = doc.vex[0];
  EXPECT_EQ(first.vulnerability, "CVE-2020-25649");
  EXPECT_EQ(doc.vex[1].vulnerability, "GHSA-288c-cq4h-88gq");  // the alias, once
  EXPECT_EQ(first.status, VexStatus::kNotAffected);
  EXPECT_EQ(first.justification, "code_not_reachable");
  EXPECT_EQ(first.detail, "not reachable");
  EXPECT_EQ(first.source, "cyclonedx");
  EXPECT_EQ(first.product_refs, (std::vector<std::string>{"c1", "pkg:npm/%40scope/x@1.0"}));
  EXPECT_EQ(first.product_purls, (std::vector<std::string>{"pkg:npm/%40scope/x@1.0"}));
  EXPECT_EQ(doc.vex[1].product_refs, first.product_refs);

  const std::vector<std::pair<std::string, VexStatus>> expected = {
      {"CVE-1", VexStatus::kAffected},
      {"CVE-2", VexStatus::kFixed},
      {"CVE-3", VexStatus::kFixed},
      {"CVE-4", VexStatus::kUnderInvestigation},
      {"CVE-5", VexStatus::kNotAffected}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(doc.vex[i + 2].vulnerability, expected[i].first);
    EXPECT_EQ(doc.vex[i + 2].status, expected[i].second) << expected[i].first;
  }
}

TEST(DocumentTest, VexStatusNames) {
  EXPECT_EQ(VexStatusName(VexStatus::kNotAffected), "not_affected");
  EXPECT_EQ(VexStatusName(VexStatus::kAffected), "affected");
  EXPECT_EQ(VexStatusName(VexStatus::kFixed), "fixed");
  EXPECT_EQ(VexStatusName(VexStatus::kUnderInvestigation), "under_investigation");
  EXPECT_EQ(FormatName(SbomDocument::Format::kSpdx2), "SPDX");
  EXPECT_EQ(FormatName(SbomDocument::Format::kSpdx3), "SPDX 3");
}

// ---- SPDX ----

TEST(DocumentTest, Spdx2PackagesPurlsAndSubject) {
  constexpr std::string_view kJson = R"({
    "SPDXID": "SPDXRef-DOCUMENT", "spdxVersion": "SPDX-2.3", "name": "doc-name",
    "documentNamespace": "https://example.com/spdx/1",
    "packages": [
      {"SPDXID": "SPDXRef-lib", "name": "lodash", "versionInfo": "4.17.20",
       "externalRefs": [
         {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
          "referenceLocator": "cpe:2.3:a:lodash:lodash:4.17.20:*:*:*:*:*:*:*"},
         {"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl",
          "referenceLocator": "pkg:npm/lodash@4.17.20"}]},
      {"SPDXID": "SPDXRef-app", "name": "app", "versionInfo": "1.2.3",
       "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                         "referenceLocator": "pkg:golang/example.com/app@v1.2.3"}]},
      {"SPDXID": "SPDXRef-other", "name": "other",
       "externalRefs": [{"referenceCategory": "OTHER", "referenceType": "purl",
                         "referenceLocator": "pkg:npm/other@1"}]}
    ],
    "relationships": [
      {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON",
       "relatedSpdxElement": "SPDXRef-lib"},
      {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
       "relatedSpdxElement": "SPDXRef-app"}
    ]
  })";
  const SbomDocument doc = Parse(kJson);
  EXPECT_EQ(doc.format, SbomDocument::Format::kSpdx2);
  EXPECT_EQ(doc.spec_version, "SPDX-2.3");
  EXPECT_EQ(doc.serial, "https://example.com/spdx/1");
  EXPECT_EQ(doc.name, "app");  // the described package
  EXPECT_EQ(doc.version, "1.2.3");
  ASSERT_EQ(doc.components.size(), 3U);  // the subject stays a component
  EXPECT_EQ(doc.components[0].ref, "SPDXRef-lib");
  EXPECT_EQ(doc.components[0].purl, "pkg:npm/lodash@4.17.20");
  EXPECT_EQ(doc.components[0].package, (PackageKey{"npm", "lodash"}));
  EXPECT_EQ(doc.components[1].package, (PackageKey{"Go", "example.com/app"}));
  EXPECT_EQ(doc.components[2].purl, "");  // a purl outside the package-manager category
  EXPECT_EQ(doc.invalid_purls, 0U);
}

TEST(DocumentTest, Spdx2WithoutDescribedPackageKeepsDocumentName) {
  const SbomDocument doc =
      Parse(R"({"spdxVersion": "SPDX-2.2", "name": "just-files", "packages": [{"name": "p"}]})");
  EXPECT_EQ(doc.name, "just-files");
  EXPECT_EQ(doc.version, "");
  ASSERT_EQ(doc.components.size(), 1U);
  EXPECT_EQ(doc.components[0].ref, "component-1");  // SPDXID missing: one is assigned
}

TEST(DocumentTest, Spdx3JsonLd) {
  constexpr std::string_view kJson = R"({
    "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
    "@graph": [
      {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1", "created": "2024-01-01"},
      {"type": "SpdxDocument", "spdxId": "urn:doc", "name": "the document",
       "rootElement": ["urn:sbom"]},
      {"type": "software_Sbom", "spdxId": "urn:sbom", "rootElement": "urn:app"},
      {"type": "software_Package", "spdxId": "urn:lib", "name": "requests",
       "software_packageVersion": "2.31.0",
       "externalIdentifier": [{"type": "ExternalIdentifier",
                               "externalIdentifierType": "packageUrl",
                               "identifier": "pkg:pypi/requests@2.31.0"}]},
      {"type": "software_Package", "spdxId": "urn:app", "name": "app",
       "software_packageVersion": "9", "software_packageUrl": "pkg:cargo/app@9"},
      {"type": "software_File", "spdxId": "urn:file", "name": "main.rs"}
    ]
  })";
  const SbomDocument doc = Parse(kJson);
  EXPECT_EQ(doc.format, SbomDocument::Format::kSpdx3);
  EXPECT_EQ(doc.spec_version, "SPDX-3.0.1");
  EXPECT_EQ(doc.serial, "urn:doc");
  EXPECT_EQ(doc.name, "app");
  EXPECT_EQ(doc.version, "9");
  ASSERT_EQ(doc.components.size(), 2U);
  EXPECT_EQ(doc.components[0].ref, "urn:lib");
  EXPECT_EQ(doc.components[0].package, (PackageKey{"PyPI", "requests"}));
  EXPECT_EQ(doc.components[1].package, (PackageKey{"crates.io", "app"}));
}

// ---- Malformed input ----

TEST(DocumentTest, NotJsonEmptyAndWrongRoot) {
  ExpectError(ParseSbom(""), ErrorCode::kDataError, "sbom.parse_empty");
  ExpectError(ParseSbom(" \n\t "), ErrorCode::kDataError, "sbom.parse_empty");
  ExpectError(ParseSbom("[]"), ErrorCode::kDataError, "sbom.parse_root");
  ExpectError(ParseSbom(R"([{"bomFormat": "CycloneDX"}])"), ErrorCode::kDataError,
              "sbom.parse_root");
  ExpectError(ParseSbom("\"CycloneDX\""), ErrorCode::kDataError, "sbom.parse_root");
  ExpectError(ParseSbom("null"), ErrorCode::kDataError, "sbom.parse_root");
  // Not JSON at all.
  const auto plain = ParseSbom("\n  this is not json");
  ExpectError(plain, ErrorCode::kDataError, "sbom.parse_not_json");
  ASSERT_TRUE(plain.error().location().has_value());
  EXPECT_EQ(plain.error().location()->line, 2);
  EXPECT_EQ(plain.error().location()->column, 3);
  ExpectError(ParseSbom("nul"), ErrorCode::kDataError, "sbom.parse_not_json");
  ExpectError(ParseSbom("<?xml version=\"1.0\"?><bom/>"), ErrorCode::kDataError,
              "sbom.parse_not_json");
  const auto binary =
      ParseSbom(std::string_view("\x7f"
                                 "ELF\x01\x00\x00",
                                 7));
  ASSERT_FALSE(binary.ok());
  EXPECT_EQ(binary.error().code(), ErrorCode::kDataError);
  EXPECT_TRUE(binary.error().reason().starts_with("sbom.parse_")) << binary.error().reason();
}

TEST(DocumentTest, EmptyObjectAndUnknownFormatsAreUnsupported) {
  ExpectError(ParseSbom("{}"), ErrorCode::kDataError, "sbom.parse_unsupported");
  ExpectError(ParseSbom(R"({"bomFormat": "SomethingElse", "components": []})"),
              ErrorCode::kDataError, "sbom.parse_unsupported");
  // A VEX document is not an SBOM.
  ExpectError(ParseSbom(R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": []})"),
              ErrorCode::kDataError, "sbom.parse_unsupported");
  const std::string en = ExpectError(ParseSbom(R"({"spdxVersion": "SPDX-1.2"})"),
                                     ErrorCode::kDataError, "sbom.parse_version");
  EXPECT_NE(en.find("SPDX-1.2"), std::string::npos) << en;
  ExpectError(ParseSbom(R"({"bomFormat": "CycloneDX", "specVersion": "2.0"})"),
              ErrorCode::kDataError, "sbom.parse_version");
}

TEST(DocumentTest, WrongTypesNameThePathAndPosition) {
  std::string en = ExpectError(ParseSbom(R"({"bomFormat": "CycloneDX", "components": "x"})"),
                               ErrorCode::kDataError, "sbom.parse_expect_array");
  EXPECT_NE(en.find("'components'"), std::string::npos) << en;

  constexpr std::string_view kVersionNumber =
      "{\"bomFormat\": \"CycloneDX\",\n"
      " \"components\": [\n"
      "  {\"name\": \"a\", \"version\": \"1\"},\n"
      "  {\"name\": \"b\", \"version\": 2}\n"
      " ]}";
  const auto result = ParseSbom(kVersionNumber);
  en = ExpectError(result, ErrorCode::kDataError, "sbom.parse_expect_string");
  EXPECT_NE(en.find("'components[1].version'"), std::string::npos) << en;
  ASSERT_TRUE(result.error().location().has_value());
  EXPECT_EQ(result.error().location()->line, 4);
  EXPECT_EQ(result.error().location()->column, 28);  // the 2

  en = ExpectError(ParseSbom(R"({"bomFormat": "CycloneDX", "metadata": []})"),
                   ErrorCode::kDataError, "sbom.parse_expect_object");
  EXPECT_NE(en.find("'metadata'"), std::string::npos) << en;
  ExpectError(ParseSbom(R"({"bomFormat": "CycloneDX", "components": [{"purl": 7}]})"),
              ErrorCode::kDataError, "sbom.parse_expect_string");
  ExpectError(ParseSbom(R"({"bomFormat": "CycloneDX", "components": ["a"]})"),
              ErrorCode::kDataError, "sbom.parse_expect_object");
  ExpectError(ParseSbom(R"({"bomFormat": 1})"), ErrorCode::kDataError, "sbom.parse_expect_string");
  en = ExpectError(ParseSbom(R"({"spdxVersion": "SPDX-2.3", "packages": [{"name": ["x"]}]})"),
                   ErrorCode::kDataError, "sbom.parse_expect_string");
  EXPECT_NE(en.find("'packages[0].name'"), std::string::npos) << en;
  ExpectError(
      ParseSbom(
          R"({"bomFormat": "CycloneDX", "vulnerabilities": [{"analysis": {"state": "meh"}}]})"),
      ErrorCode::kDataError, "sbom.vex_status");
}

TEST(DocumentTest, BrokenJsonIsLocated) {
  const auto truncated = ParseSbom("{\"bomFormat\": \"CycloneDX\",\n \"components\": [{\"name\"");
  ExpectError(truncated, ErrorCode::kDataError, "sbom.parse_truncated");
  ASSERT_TRUE(truncated.error().location().has_value());
  EXPECT_EQ(truncated.error().location()->line, 2);

  const auto syntax = ParseSbom("{\"bomFormat\": \"CycloneDX\",\n \"components\": [{\"name\" 1}]}");
  ExpectError(syntax, ErrorCode::kDataError, "sbom.parse_json");
  ASSERT_TRUE(syntax.error().location().has_value());
  EXPECT_EQ(syntax.error().location()->line, 2);

  const auto trailing = ParseSbom("{\"bomFormat\": \"CycloneDX\"}\n{}");
  ExpectError(trailing, ErrorCode::kDataError, "sbom.parse_trailing");
  EXPECT_EQ(trailing.error().location()->line, 2);
  EXPECT_EQ(trailing.error().location()->column, 1);

  // Extra text after the root object: not mistaken for a truncated file.
  const auto garbage = ParseSbom("{\"bomFormat\": \"CycloneDX\", \"x\": \"}\"} x");
  ExpectError(garbage, ErrorCode::kDataError, "sbom.parse_trailing");
  EXPECT_EQ(garbage.error().location()->column, 38);

  const auto utf8 = ParseSbom("{\"bomFormat\": \"CycloneDX\",\n \"x\": \"caf\xc3\"}");
  ExpectError(utf8, ErrorCode::kDataError, "sbom.parse_utf8");
  EXPECT_EQ(utf8.error().location()->line, 2);
  EXPECT_EQ(utf8.error().location()->column, 11);  // the lone \xc3

  ExpectError(ParseSbom("{\"bomFormat\": \"CycloneDX\", \"x\": \"a\x01\"}"), ErrorCode::kDataError,
              "sbom.parse_json");
  ExpectError(ParseSbom("{\"bomFormat\": \"CycloneDX\", \"x\": \"never closed}"),
              ErrorCode::kDataError, "sbom.parse_truncated");
}

TEST(DocumentTest, LimitsGiveTooLarge) {
  ParseLimits limits;
  limits.max_components = 2;
  const std::string en =
      ExpectError(ParseSbom(kCycloneDx, limits), ErrorCode::kTooLarge, "sbom.parse_too_many");
  EXPECT_NE(en.find('2'), std::string::npos);
  ExpectError(ParseSbom(R"({"spdxVersion": "SPDX-2.3", "packages": [{}, {}, {}]})", limits),
              ErrorCode::kTooLarge, "sbom.parse_too_many");

  limits = {};
  limits.max_bytes = 16;
  ExpectError(ParseSbom(kCycloneDx, limits), ErrorCode::kTooLarge, "sbom.too_large");
}

std::string NestedComponents(int depth) {
  std::string json = R"({"bomFormat": "CycloneDX", "components": )";
  for (int i = 0; i < depth; ++i) {
    json += R"([{"name": "n)" + std::to_string(i) + R"(", "components": )";
  }
  json += "[]";
  for (int i = 0; i < depth; ++i) {
    json += "}]";
  }
  return json + "}";
}

TEST(DocumentTest, DeepNestingIsRefused) {
  ParseLimits limits;
  limits.max_depth = 3;
  EXPECT_EQ(Parse(NestedComponents(3), limits).components.size(), 3U);
  const std::string en = ExpectError(ParseSbom(NestedComponents(4), limits), ErrorCode::kTooLarge,
                                     "sbom.parse_too_deep");
  EXPECT_NE(en.find("'components[0].components[0].components[0].components[0]'"), std::string::npos)
      << en;

  const SbomDocument ok = Parse(NestedComponents(60));
  ASSERT_EQ(ok.components.size(), 60U);
  EXPECT_EQ(ok.components[59].parent_ref, ok.components[58].ref);
  ExpectError(ParseSbom(NestedComponents(65)), ErrorCode::kTooLarge, "sbom.parse_too_deep");

  // Whatever the limit, nesting is capped at 256 levels (the JSON parser tracks 1024 open
  // levels, two per component level).
  limits.max_depth = 100'000;
  EXPECT_EQ(Parse(NestedComponents(256), limits).components.size(), 256U);
  const std::string capped = ExpectError(ParseSbom(NestedComponents(600), limits),
                                         ErrorCode::kTooLarge, "sbom.parse_too_deep");
  EXPECT_NE(capped.find("256"), std::string::npos) << capped;

  // A deep value in a field that is not read is skipped whole: no error, no crash.
  const std::string arrays =
      R"({"bomFormat": "CycloneDX", "x": )" + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_TRUE(Parse(arrays).components.empty());
}

TEST(DocumentTest, ReadSbomFileErrors) {
  const fs::path dir =
      fs::temp_directory_path() / ("hoshi-document-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);

  auto missing = ReadSbomFile(dir / "missing.json");
  ExpectError(missing, ErrorCode::kNotFound, "sbom.parse_not_found");
  ExpectError(ReadSbomFile(dir), ErrorCode::kIoError, "sbom.parse_read");

  // A 1 GiB sparse file: refused from its size, before anything is read.
  const fs::path huge = dir / "huge.json";
  { std::ofstream(huge) << "{"; }
  fs::resize_file(huge, std::uintmax_t{1} << 30);
  const auto start = std::chrono::steady_clock::now();
  const auto result = ReadSbomFile(huge);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ExpectError(result, ErrorCode::kTooLarge, "sbom.too_large");
  EXPECT_LT(elapsed, std::chrono::seconds(1));
  ASSERT_TRUE(result.error().location().has_value());
  EXPECT_EQ(result.error().location()->source, huge.string());

  const fs::path small = dir / "small.json";
  { std::ofstream(small) << R"({"bomFormat": "CycloneDX", "components": [{"name": "x"}]})"; }
  const auto read = ReadSbomFile(small);
  ASSERT_TRUE(read.ok()) << read.error().ToString(Lang::kEn);
  EXPECT_EQ(read->components.size(), 1U);
  { std::ofstream(small) << "{\n\"bomFormat\": 3}"; }
  const auto bad = ReadSbomFile(small);
  ExpectError(bad, ErrorCode::kDataError, "sbom.parse_expect_string");
  EXPECT_EQ(bad.error().location()->source, small.string());
  EXPECT_EQ(bad.error().location()->line, 2);
  fs::remove_all(dir);
}

TEST(DocumentTest, MessagesHaveBothLanguages) {
  std::set<std::string_view> keys;
  for (const MessageEntry& m : DocumentMessages()) {
    EXPECT_TRUE(m.key.starts_with("sbom.parse_") || m.key.starts_with("sbom.vex_") ||
                m.key == "sbom.too_large")
        << m.key;
    EXPECT_FALSE(m.ja.empty()) << m.key;
    EXPECT_FALSE(m.en.empty()) << m.key;
    EXPECT_NE(m.ja, m.en) << m.key;
    EXPECT_TRUE(keys.insert(m.key).second) << "duplicate " << m.key;
  }
  EXPECT_GE(keys.size(), 15U);
}

// ---- Real documents (HOSHI_SHARED_DIR/data/sbom) ----

struct ExpectedSbom {
  std::string_view file;
  std::size_t components;  // nested ones and those under metadata.component included
  std::string_view name;
  std::string_view version;
  std::string_view spec_version;
};

// Counted independently with python3's json module (walking nested "components").
constexpr ExpectedSbom kCycloneDxFiles[] = {
    {"cyclonedx/CBOM/Algorithm/bom.json", 2, "my application", "1.0", "1.6"},
    {"cyclonedx/CBOM/Certificate/bom.json", 4, "my application", "1.0", "1.6"},
    {"cyclonedx/CBOM/Example-With-Dependencies/bom.json", 3, "Acme Application", "1.0", "1.6"},
    {"cyclonedx/CBOM/Key/bom.json", 3, "my application", "1.0", "1.6"},
    {"cyclonedx/CBOM/Protocol/bom.json", 8, "my application", "1.0", "1.6"},
    {"cyclonedx/SBOM/cern-lhc-vdm-editor-e564943/bom.json", 43, "lhc-vdm-editor", "0.0.1", "1.2"},
    {"cyclonedx/SBOM/dropwizard-1.3.15/bom.json", 167, "dropwizard-parent", "1.3.15", "1.2"},
    {"cyclonedx/SBOM/juice-shop/v11.1.2/bom.json", 840, "juice-shop", "11.1.2", "1.2"},
    {"cyclonedx/SBOM/juice-shop/via_npm/bare/bom.1.2.json", 1115, "juice-shop", "14.1.1", "1.2"},
    {"cyclonedx/SBOM/juice-shop/via_npm/bare/bom.1.3.json", 1115, "juice-shop", "14.1.1", "1.3"},
    {"cyclonedx/SBOM/juice-shop/via_npm/bare/bom.1.4.json", 1115, "juice-shop", "14.1.1", "1.4"},
    {"cyclonedx/SBOM/juice-shop/via_npm/flat/bom.1.2.json", 1115, "juice-shop", "14.1.1", "1.2"},
    {"cyclonedx/SBOM/juice-shop/via_npm/flat/bom.1.3.json", 1115, "juice-shop", "14.1.1", "1.3"},
    {"cyclonedx/SBOM/juice-shop/via_npm/flat/bom.1.4.json", 1115, "juice-shop", "14.1.1", "1.4"},
    {"cyclonedx/SBOM/keycloak-10.0.2/bom.json", 903, "keycloak-parent", "10.0.2", "1.2"},
    {"cyclonedx/SBOM/laravel-7.12.0/bom.1.2.json", 62, "cyclonedx-php-composer-demo", "dev-master",
     "1.2"},
    {"cyclonedx/SBOM/laravel-7.12.0/bom.1.3.json", 62, "cyclonedx-php-composer-demo", "dev-master",
     "1.3"},
    {"cyclonedx/SBOM/laravel-7.12.0/bom.1.4.json", 62, "cyclonedx-php-composer-demo", "dev-master",
     "1.4"},
    {"cyclonedx/SBOM/proton-bridge/proton-bridge-v1.6.3.bom.json", 201,
     "github.com/ProtonMail/proton-bridge", "v1.6.3", "1.2"},
    {"cyclonedx/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json", 201,
     "github.com/ProtonMail/proton-bridge", "v1.8.0", "1.2"},
    {"cyclonedx/SBOM/protonmail-webclient-v4-0912dff/bom.json", 883, "protonmail-web",
     "4.0.0-beta.20", "1.2"},
};

TEST(DocumentDataTest, EveryCycloneDxSbomParses) {
  HOSHI_REQUIRE_SBOM_DATA();
  std::size_t listed = 0;
  for (const ExpectedSbom& e : kCycloneDxFiles) {
    const SbomDocument doc = Load(e.file);
    EXPECT_EQ(doc.format, SbomDocument::Format::kCycloneDx) << e.file;
    EXPECT_EQ(doc.components.size(), e.components) << e.file;
    EXPECT_EQ(doc.name, e.name) << e.file;
    EXPECT_EQ(doc.version, e.version) << e.file;
    EXPECT_EQ(doc.spec_version, e.spec_version) << e.file;
    std::set<std::string_view> refs;
    for (const Component& c : doc.components) {
      EXPECT_TRUE(refs.insert(c.ref).second) << e.file << ": duplicate ref " << c.ref;
    }
    ++listed;
  }
  // Every .json under cyclonedx/SBOM and cyclonedx/CBOM is listed above.
  std::size_t found = 0;
  for (const char* sub : {"cyclonedx/SBOM", "cyclonedx/CBOM"}) {
    for (const auto& entry : fs::recursive_directory_iterator(SbomDir() / sub)) {
      found += entry.path().extension() == ".json" ? 1 : 0;
    }
  }
  EXPECT_EQ(found, listed);
}

TEST(DocumentDataTest, Keycloak) {
  HOSHI_REQUIRE_SBOM_DATA();
  const SbomDocument doc = Load("cyclonedx/SBOM/keycloak-10.0.2/bom.json");
  EXPECT_EQ(doc.serial, "urn:uuid:411dafd2-c29f-491a-97d7-e97de5bc2289");
  EXPECT_EQ(doc.invalid_purls, 0U);
  ASSERT_EQ(doc.components.size(), 903U);
  EXPECT_EQ(doc.components.front().name, "bcprov-jdk15on");
  EXPECT_EQ(doc.components.back().purl,
            "pkg:maven/org.keycloak.example.demo/product-portal-example@10.0.2?type=war");
  const Component* databind =
      FindByRef(doc, "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.1?type=jar");
  ASSERT_NE(databind, nullptr);
  EXPECT_EQ(databind->group, "com.fasterxml.jackson.core");
  EXPECT_EQ(databind->version, "2.10.1");
  EXPECT_EQ(databind->purl,
            "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.1?type=jar");
  EXPECT_EQ(databind->package,
            (PackageKey{"Maven", "com.fasterxml.jackson.core:jackson-databind"}));
  for (const Component& c : doc.components) {
    ASSERT_TRUE(c.package.has_value()) << c.ref;
    EXPECT_EQ(c.package->ecosystem, "Maven") << c.ref;
    EXPECT_EQ(c.parent_ref, "") << c.ref;
  }
}

TEST(DocumentDataTest, JuiceShop) {
  HOSHI_REQUIRE_SBOM_DATA();
  const SbomDocument doc = Load("cyclonedx/SBOM/juice-shop/v11.1.2/bom.json");
  ASSERT_EQ(doc.components.size(), 840U);
  const Component* express = FindByRef(doc, "pkg:npm/express@4.17.1");
  ASSERT_NE(express, nullptr);
  EXPECT_EQ(express->package, (PackageKey{"npm", "express"}));
  EXPECT_EQ(express->version, "4.17.1");
  for (const Component& c : doc.components) {
    ASSERT_TRUE(c.package.has_value()) << c.ref;
    EXPECT_EQ(c.package->ecosystem, "npm");
  }

  // npm's own generator nests components (node_modules inside node_modules).
  const SbomDocument bare = Load("cyclonedx/SBOM/juice-shop/via_npm/bare/bom.1.4.json");
  ASSERT_EQ(bare.components.size(), 1115U);
  EXPECT_EQ(bare.components[8].ref, "@mapbox/node-pre-gyp@1.0.10|ansi-regex@5.0.1");
  EXPECT_EQ(bare.components[8].parent_ref, "@mapbox/node-pre-gyp@1.0.10");
  EXPECT_EQ(bare.components[7].ref, "@mapbox/node-pre-gyp@1.0.10");
  EXPECT_EQ(bare.components[8].purl, "pkg:npm/ansi-regex@5.0.1");
  const auto nested = std::count_if(bare.components.begin(), bare.components.end(),
                                    [](const Component& c) { return !c.parent_ref.empty(); });
  EXPECT_EQ(nested, 278);
  const Component* deep =
      FindByRef(bare, "@mapbox/node-pre-gyp@1.0.10|make-dir@3.1.0|semver@6.3.0");
  ASSERT_NE(deep, nullptr);
  EXPECT_EQ(deep->parent_ref, "@mapbox/node-pre-gyp@1.0.10|make-dir@3.1.0");
  // The scoped npm purl with a subpath keeps both in canonical form.
  EXPECT_EQ(bare.components[0].purl,
            "pkg:npm/%40babel/helper-string-parser@7.19.4#packages/babel-helper-string-parser");
  EXPECT_EQ(bare.components[0].package, (PackageKey{"npm", "@babel/helper-string-parser"}));
}

TEST(DocumentDataTest, LaravelVersionsGiveTheSameComponents) {
  HOSHI_REQUIRE_SBOM_DATA();
  using Row = std::tuple<std::string, std::string, std::string, std::string, std::string>;
  std::vector<std::set<Row>> sets;
  for (const char* v : {"1.2", "1.3", "1.4"}) {
    const SbomDocument doc = Load(std::string("cyclonedx/SBOM/laravel-7.12.0/bom.") + v + ".json");
    std::set<Row>& rows = sets.emplace_back();
    for (const Component& c : doc.components) {
      rows.emplace(c.ref, c.group, c.name, c.version, c.purl);
    }
  }
  ASSERT_EQ(sets[0].size(), 62U);
  EXPECT_EQ(sets[0], sets[1]);
  EXPECT_EQ(sets[0], sets[2]);
  EXPECT_TRUE(sets[0].contains(Row{"asm89/stack-cors-1.3.0.0", "asm89", "stack-cors", "1.3.0",
                                   "pkg:composer/asm89/stack-cors@1.3.0"}));
}

TEST(DocumentDataTest, ProtonBridgeGoModules) {
  HOSHI_REQUIRE_SBOM_DATA();
  const SbomDocument doc = Load("cyclonedx/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json");
  ASSERT_EQ(doc.components.size(), 201U);
  for (const Component& c : doc.components) {
    ASSERT_TRUE(c.package.has_value()) << c.ref;
    EXPECT_EQ(c.package->ecosystem, "Go");
    EXPECT_EQ(c.package->name, c.name);  // the module path, case kept
  }
  const Component* imap =
      FindByRef(doc, "pkg:golang/github.com/ProtonMail/go-imap@v0.0.0-20201228133358-4db68cea0cac");
  ASSERT_NE(imap, nullptr);
  EXPECT_EQ(imap->package, (PackageKey{"Go", "github.com/ProtonMail/go-imap"}));
  EXPECT_EQ(imap->version, "v0.0.0-20201228133358-4db68cea0cac");
}

TEST(DocumentDataTest, Dropwizard) {
  HOSHI_REQUIRE_SBOM_DATA();
  const SbomDocument doc = Load("cyclonedx/SBOM/dropwizard-1.3.15/bom.json");
  ASSERT_EQ(doc.components.size(), 167U);
  const Component* jetty =
      FindByRef(doc, "pkg:maven/org.eclipse.jetty/jetty-server@9.4.18.v20190429?type=jar");
  ASSERT_NE(jetty, nullptr);
  EXPECT_EQ(jetty->package, (PackageKey{"Maven", "org.eclipse.jetty:jetty-server"}));
  EXPECT_EQ(jetty->version, "9.4.18.v20190429");
}

TEST(DocumentDataTest, TruncatedRealFile) {
  HOSHI_REQUIRE_SBOM_DATA();
  const std::string text = ReadText(SbomDir() / "cyclonedx/SBOM/keycloak-10.0.2/bom.json");
  const std::string half = text.substr(0, text.size() / 2);
  const auto result = ParseSbom(half);
  ExpectError(result, ErrorCode::kDataError, "sbom.parse_truncated");
  ASSERT_TRUE(result.error().location().has_value());
  EXPECT_EQ(result.error().location()->line,
            1 + std::count(half.begin(), half.end(), '\n'));  // reported at the end
}

// Cut and corrupted copies of real documents: every result is a value or a located error.
TEST(DocumentDataTest, MutatedInputsNeverCrash) {
  HOSHI_REQUIRE_SBOM_DATA();
  constexpr int kRounds = 40;  // per file; 3,000 were run once by hand under ASan/UBSan
  constexpr std::string_view kReplacements[] = {
      "", "\"", "{", "}", "[", "]", ",", ":", "1", "null", "\\", "\xff", "{\"components\": 3}"};
  std::uint32_t seed = 12345;
  const auto next = [&seed] {
    seed = seed * 1664525U + 1013904223U;  // deterministic LCG
    return seed >> 8;
  };
  for (const char* file : {"cyclonedx/SBOM/cern-lhc-vdm-editor-e564943/bom.json",
                           "cyclonedx/VEX/vex.json", "cyclonedx/CBOM/Protocol/bom.json",
                           "spdx/software/example9/spdx2.2/appbomination.spdx.json",
                           "spdx/software/example11/spdx3.0/sbom.spdx3.json"}) {
    const std::string text = ReadText(SbomDir() / file);
    ASSERT_FALSE(text.empty()) << file;
    for (int i = 0; i < kRounds; ++i) {
      std::string mutated = text;
      const std::size_t at = next() % mutated.size();
      const std::size_t length = next() % 8;
      mutated.replace(at, length, kReplacements[next() % std::size(kReplacements)]);
      if (i % 5 == 0) {
        mutated.resize(next() % mutated.size());
      }
      const auto sbom = ParseSbom(mutated);
      if (!sbom.ok()) {
        EXPECT_TRUE(sbom.error().reason().starts_with("sbom.")) << sbom.error().reason();
      }
      const auto vex = ParseVex(mutated);
      if (!vex.ok()) {
        EXPECT_TRUE(vex.error().reason().starts_with("sbom.")) << vex.error().reason();
      }
    }
  }
}

struct ExpectedSpdx {
  std::string_view file;
  SbomDocument::Format format;
  std::string_view spec_version;
  std::size_t packages;
  std::size_t with_purl;  // packages with a package-manager purl
  std::string_view name;
  std::string_view version;
};

// Counted independently with python3's json module: SPDX 2 packages[] (purl externalRefs in the
// PACKAGE-MANAGER / PACKAGE_MANAGER category; subject = first described package), SPDX 3
// software_Package, ai_AIPackage and dataset_DatasetPackage elements (software_packageUrl or a
// packageUrl externalIdentifier; subject = first package reached through rootElement).
constexpr ExpectedSpdx kSpdxFiles[] = {
    {"spdx/ai/example01/spdx3.0/simplehtr-example.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1",
     13, 0, "SimpleHTR", ""},
    {"spdx/ai/example02/spdx3.0/sbom.spdx3.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1", 2, 0,
     "Sentiment Demo: A Simple AI Application and its AI BOM Example", ""},
    {"spdx/dataset/example01/spdx3.0/example01.spdx3.json", SbomDocument::Format::kSpdx3,
     "SPDX-3.0.1", 1, 0, "Our World in Data CO2 and Greenhouse Gas Emissions dataset",
     "2024-04-15"},
    {"spdx/presentations/OSS-NA-2023/SPDXVersion2.3/01-MinimalSBOM.json",
     SbomDocument::Format::kSpdx2, "SPDX-2.3", 1, 1, "tools-java", "1.5.1"},
    {"spdx/presentations/OSS-NA-2023/SPDXVersion2.3/02-SBOMwSource.json",
     SbomDocument::Format::kSpdx2, "SPDX-2.3", 1, 1, "tools-java", "1.5.1"},
    {"spdx/presentations/OSS-NA-2023/SPDXVersion2.3/03-SBOMwDependency.json",
     SbomDocument::Format::kSpdx2, "SPDX-2.3", 2, 2, "tools-java", "1.5.1"},
    {"spdx/presentations/OSS-NA-2023/SPDXVersion2.3/04-SBOMwSecurity.json",
     SbomDocument::Format::kSpdx2, "SPDX-2.3", 2, 2, "tools-java", "1.5.1"},
    {"spdx/presentations/OSS-NA-2023/SPDXVersion2.3/05-SBOMwSourceLicense.json",
     SbomDocument::Format::kSpdx2, "SPDX-2.3", 1, 1, "tools-java", "1.5.1"},
    {"spdx/presentations/SBOMS-SPDX-Now-and-Future/ACME-v2.3.spdx.json",
     SbomDocument::Format::kSpdx2, "SPDX-2.3", 4, 2, "Acme Applcation", "2.3"},
    {"spdx/software/example1/spdx3.0/example1.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1", 1,
     0, "hello", ""},
    {"spdx/software/example10/spdx2.3/hello-source.spdx.json", SbomDocument::Format::kSpdx2,
     "SPDX-2.3", 1, 0, "hello", ""},
    {"spdx/software/example10/spdx3.0/hello-source.spdx3.json", SbomDocument::Format::kSpdx3,
     "SPDX-3.0.1", 1, 0, "hello", ""},
    {"spdx/software/example11/spdx2.3/sbom.spdx.json", SbomDocument::Format::kSpdx2, "SPDX-2.3", 4,
     4, "hello-server-src", "0.1.0"},
    {"spdx/software/example11/spdx3.0/sbom.spdx3.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1",
     4, 4, "hello-server-src", "0.1.0"},
    {"spdx/software/example12/spdx2.2/hello-dist.spdx.json", SbomDocument::Format::kSpdx2,
     "SPDX-2.2", 1, 0, "hello", "0.0.1"},
    {"spdx/software/example12/spdx2.2/hello-src.spdx.json", SbomDocument::Format::kSpdx2,
     "SPDX-2.2", 1, 0, "hello", "0.0.1"},
    {"spdx/software/example12/spdx3.0/hello-dist.spdx3.json", SbomDocument::Format::kSpdx3,
     "SPDX-3.0.1", 1, 0, "hello", "0.0.1"},
    {"spdx/software/example12/spdx3.0/hello-src.spdx3.json", SbomDocument::Format::kSpdx3,
     "SPDX-3.0.1", 1, 0, "hello", "0.0.1"},
    {"spdx/software/example13/spdx3.0/example13.spdx3.json", SbomDocument::Format::kSpdx3,
     "SPDX-3.0.1", 4, 0, "Acme Application", "1.3"},
    {"spdx/software/example14/content/examplemaven-0.0.1.spdx.json", SbomDocument::Format::kSpdx2,
     "SPDX-2.3", 6, 0, "examplemaven", "0.0.1"},
    {"spdx/software/example14/content/examplemaven-0.0.1.spdx3.json", SbomDocument::Format::kSpdx3,
     "SPDX-3.0.1", 6, 0, "examplemaven", "0.0.1"},
    {"spdx/software/example14/spdx2.3/examplemaven-0.0.1-enriched.spdx.json",
     SbomDocument::Format::kSpdx2, "SPDX-2.3", 6, 0, "examplemaven", "0.0.1"},
    {"spdx/software/example14/spdx3.0/examplemaven-0.0.1-enriched.spdx3.json",
     SbomDocument::Format::kSpdx3, "SPDX-3.0.1", 6, 0, "examplemaven", "0.0.1"},
    {"spdx/software/example3/spdx3.0/example3-bin.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1",
     1, 0, "main-bin", ""},
    {"spdx/software/example3/spdx3.0/example3-src.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1",
     1, 0, "main-src", ""},
    {"spdx/software/example4/spdx3.0/example4-bin.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1",
     3, 0, "main-bin", ""},
    {"spdx/software/example4/spdx3.0/example4-src.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1",
     1, 0, "main-src", ""},
    {"spdx/software/example5/spdx3.0/example5-bin.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1",
     1, 0, "hello-go-bin", ""},
    {"spdx/software/example5/spdx3.0/example5-src.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1",
     1, 0, "hello-go-src", ""},
    {"spdx/software/example6/spdx3.0/example6-bin.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1",
     1, 0, "hello-go-bin", ""},
    {"spdx/software/example6/spdx3.0/example6-lib.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1",
     5, 0, "go-1.15", "1.15.4"},
    {"spdx/software/example6/spdx3.0/example6-src.json", SbomDocument::Format::kSpdx3, "SPDX-3.0.1",
     1, 0, "hello-go-src", ""},
    {"spdx/software/example7/spdx2.2/example7-bin.spdx.json", SbomDocument::Format::kSpdx2,
     "SPDX-2.2", 1, 0, "hello", ""},
    {"spdx/software/example7/spdx2.2/example7-go-module.spdx.json", SbomDocument::Format::kSpdx2,
     "SPDX-2.2", 1, 0, "example.com/hello", ""},
    {"spdx/software/example7/spdx2.2/example7-golang.spdx.json", SbomDocument::Format::kSpdx2,
     "SPDX-2.2", 2, 0, "go1.16.4.linux-amd64", "1.16.4"},
    {"spdx/software/example7/spdx2.2/example7-third-party-modules.spdx.json",
     SbomDocument::Format::kSpdx2, "SPDX-2.2", 3, 0, "golang.org/x/text", ""},
    {"spdx/software/example7/spdx3.0/example7-bin.spdx3.json", SbomDocument::Format::kSpdx3,
     "SPDX-3.0.1", 0, 0, "example7-bin.spdx", ""},
    {"spdx/software/example7/spdx3.0/example7-go-module.spdx3.json", SbomDocument::Format::kSpdx3,
     "SPDX-3.0.1", 1, 0, "example.com/hello", ""},
    {"spdx/software/example7/spdx3.0/example7-golang.spdx3.json", SbomDocument::Format::kSpdx3,
     "SPDX-3.0.1", 1, 0, "go1.16.4.linux-amd64.tar.gz", "1.16.4"},
    {"spdx/software/example7/spdx3.0/example7-third-party-modules.spdx3.json",
     SbomDocument::Format::kSpdx3, "SPDX-3.0.1", 2, 0, "golang.org/x/text", ""},
    {"spdx/software/example8/spdx2.3/examplemaven-0.0.1.spdx.json", SbomDocument::Format::kSpdx2,
     "SPDX-2.3", 6, 0, "examplemaven", "0.0.1"},
    {"spdx/software/example8/spdx3.0/examplemaven-0.0.1.spdx3.json", SbomDocument::Format::kSpdx3,
     "SPDX-3.0.1", 6, 0, "examplemaven", "0.0.1"},
    {"spdx/software/example9/spdx2.2/appbomination.spdx.json", SbomDocument::Format::kSpdx2,
     "SPDX-2.2", 7, 4, "App-BOM-ination", "1.0"},
    {"spdx/software/example9/spdx3.0/appbomination.spdx3.json", SbomDocument::Format::kSpdx3,
     "SPDX-3.0.1", 7, 4, "App-BOM-ination", "1.0"},
};

TEST(DocumentDataTest, EverySpdxFileParses) {
  HOSHI_REQUIRE_SBOM_DATA();
  for (const ExpectedSpdx& e : kSpdxFiles) {
    const SbomDocument doc = Load(e.file);
    EXPECT_EQ(doc.format, e.format) << e.file;
    EXPECT_EQ(doc.spec_version, e.spec_version) << e.file;
    EXPECT_EQ(doc.components.size(), e.packages) << e.file;
    const auto with_purl = std::count_if(doc.components.begin(), doc.components.end(),
                                         [](const Component& c) { return !c.purl.empty(); });
    EXPECT_EQ(static_cast<std::size_t>(with_purl), e.with_purl) << e.file;
    EXPECT_EQ(doc.invalid_purls, 0U) << e.file;
    EXPECT_EQ(doc.name, e.name) << e.file;
    EXPECT_EQ(doc.version, e.version) << e.file;
  }
  std::size_t found = 0;
  for (const auto& entry : fs::recursive_directory_iterator(SbomDir() / "spdx")) {
    found += entry.path().extension() == ".json" ? 1 : 0;
  }
  EXPECT_EQ(found, std::size(kSpdxFiles));
}

TEST(DocumentDataTest, SpdxGoModulesAndMavenPurls) {
  HOSHI_REQUIRE_SBOM_DATA();
  // example7: Go modules described by name only (no purl, so not matchable).
  const SbomDocument go =
      Load("spdx/software/example7/spdx2.2/example7-third-party-modules.spdx.json");
  ASSERT_EQ(go.components.size(), 3U);
  EXPECT_EQ(go.components[0].ref, "SPDXRef-go-module-text");
  EXPECT_EQ(go.components[0].name, "golang.org/x/text");
  EXPECT_EQ(go.components[1].name, "rsc.io/quote");
  EXPECT_EQ(go.components[2].name, "rsc.io/sampler");
  for (const Component& c : go.components) {
    EXPECT_FALSE(c.package.has_value()) << c.name;
  }
  EXPECT_EQ(go.serial,
            "https://swinslow.net/spdx-examples/example7/"
            "hello-imports-c2d068df-67aa-4c68-98c8-100b450fc408");

  // example8 lists its Maven packages without externalRefs: no purls to match.
  const SbomDocument maven8 = Load("spdx/software/example8/spdx2.3/examplemaven-0.0.1.spdx.json");
  ASSERT_EQ(maven8.components.size(), 6U);
  EXPECT_EQ(maven8.components[0].name, "JUnit");
  EXPECT_EQ(maven8.components[0].version, "3.8.1");
  EXPECT_FALSE(maven8.components[0].package.has_value());

  // example9 (SPDX 2.2 and the same document as SPDX 3) carries Maven purls.
  for (const char* file : {"spdx/software/example9/spdx2.2/appbomination.spdx.json",
                           "spdx/software/example9/spdx3.0/appbomination.spdx3.json"}) {
    const SbomDocument doc = Load(file);
    std::set<std::string> keys;
    for (const Component& c : doc.components) {
      if (c.package) {
        EXPECT_EQ(c.package->ecosystem, "Maven") << file;
        keys.insert(c.package->name + "@" + c.version);
      }
    }
    EXPECT_EQ(keys, (std::set<std::string>{"org.hamcrest:hamcrest-core@1.3",
                                           "org.apache.commons:commons-lang3@3.4",
                                           "junit:junit@4.12", "org.slf4j:slf4j-api@1.7.21"}))
        << file;
  }

  const SbomDocument cargo = Load("spdx/software/example11/spdx3.0/sbom.spdx3.json");
  const auto tokio = std::find_if(cargo.components.begin(), cargo.components.end(),
                                  [](const Component& c) { return c.name == "tokio"; });
  ASSERT_NE(tokio, cargo.components.end());
  EXPECT_EQ(tokio->purl, "pkg:cargo/tokio@1.19.2");
  EXPECT_EQ(tokio->package, (PackageKey{"crates.io", "tokio"}));
  EXPECT_EQ(tokio->ref,
            "https://spdx.org/spdxdocs/k8s-releng-bom-7c6a33ab-bd76-4b06-b291-a850e0815b07-specv3/"
            "SPDXRef-gnrtd13");
}

}  // namespace
}  // namespace hoshi::sbom
