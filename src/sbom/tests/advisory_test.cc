// SPDX-License-Identifier: Apache-2.0
#include "hoshi/sbom/advisory.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "hoshi/core/crypto.h"
#include "hoshi/core/text.h"

namespace hoshi::sbom {
namespace {

namespace fs = std::filesystem;
using Kind = RangeEvent::Kind;

// One record in both formats: the two must read to the same Advisory (but for content_hash).
constexpr std::string_view kRecordJson = R"({
  "schema_version": "1.6.0",
  "id": "GHSA-aaaa-bbbb-cccc",
  "modified": "2024-05-01T10:00:00Z",
  "published": "2024-04-01T09:00:00Z",
  "aliases": ["CVE-2024-0001", "PYSEC-2024-1"],
  "upstream": ["CVE-2024-0001", "CVE-2023-9999"],
  "summary": "Remote code execution in Example",
  "details": "Long text.\nSecond line.",
  "affected": [{
    "package": {"ecosystem": "PyPI", "name": "Example_Pkg", "purl": "pkg:pypi/example-pkg"},
    "ranges": [
      {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.10"}]},
      {"type": "GIT", "repo": "https://example.invalid/x.git",
       "events": [{"introduced": "abc123"}, {"limit": "def456"}]}
    ],
    "versions": ["1.0", "1.9"],
    "database_specific": {"source": "x"}
  }, {
    "package": {"ecosystem": "Debian:12", "name": "example"},
    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0-1"}, {"last_affected": "1.2-3"}]}]
  }],
  "severity": [
    {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"},
    {"type": "Ubuntu", "score": "high"}
  ],
  "database_specific": {"severity": "HIGH"}
})";

constexpr std::string_view kRecordYaml = R"(schema_version: 1.6.0
id: GHSA-aaaa-bbbb-cccc
modified: "2024-05-01T10:00:00Z"
published: "2024-04-01T09:00:00Z"
aliases:
- CVE-2024-0001
- PYSEC-2024-1
upstream: [CVE-2024-0001, CVE-2023-9999]
summary: Remote code execution in Example
details: |
  Long text.
  Second line.
affected:
- package:
    ecosystem: PyPI
    name: Example_Pkg
    purl: pkg:pypi/example-pkg
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
    - fixed: 1.10
  - type: GIT
    repo: https://example.invalid/x.git
    events:
    - introduced: abc123
    - limit: def456
  versions:
  - 1.0
  - 1.9
  database_specific:
    source: x
- package:
    ecosystem: Debian:12
    name: example
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: 1.0-1
    - last_affected: 1.2-3
severity:
- type: CVSS_V3
  score: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
- type: Ubuntu
  score: high
database_specific:
  severity: HIGH
)";

Advisory ExpectedRecord() {
  Advisory a;
  a.id = "GHSA-aaaa-bbbb-cccc";
  a.aliases = {"CVE-2024-0001", "PYSEC-2024-1", "CVE-2023-9999"};
  a.summary = "Remote code execution in Example";
  a.published = "2024-04-01T09:00:00Z";
  a.modified = "2024-05-01T10:00:00Z";
  AdvisoryAffected pypi;
  pypi.package = {"PyPI", "Example_Pkg"};
  pypi.purl = "pkg:pypi/example-pkg";
  pypi.affected.ecosystem = "PyPI";
  pypi.affected.ranges = {
      {AffectedRange::Type::kEcosystem, {{Kind::kIntroduced, "0"}, {Kind::kFixed, "1.10"}}},
      {AffectedRange::Type::kGit, {{Kind::kIntroduced, "abc123"}, {Kind::kLimit, "def456"}}}};
  pypi.affected.versions = {"1.0", "1.9"};
  AdvisoryAffected debian;
  debian.package = {"Debian:12", "example"};
  debian.affected.ecosystem = "Debian:12";
  debian.affected.ranges = {{AffectedRange::Type::kEcosystem,
                             {{Kind::kIntroduced, "1.0-1"}, {Kind::kLastAffected, "1.2-3"}}}};
  a.affected = {pypi, debian};
  a.severity = {{"CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
                {"Ubuntu", "high", std::nullopt}};
  a.base_score = 9.8;
  a.cvss_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  return a;
}

TEST(AdvisoryTest, ReadsEveryFieldFromJson) {
  auto a = ParseOsvJson(kRecordJson, "x.json");
  ASSERT_TRUE(a) << a.error().ToString(Lang::kEn);
  Advisory expected = ExpectedRecord();
  expected.content_hash = Sha256Hex(kRecordJson);
  EXPECT_EQ(*a, expected);
  EXPECT_EQ(a->content_hash.size(), 64U);
}

TEST(AdvisoryTest, YamlReadsLikeJson) {
  auto a = ParseOsvYaml(kRecordYaml, "x.yaml");
  ASSERT_TRUE(a) << a.error().ToString(Lang::kEn);
  Advisory expected = ExpectedRecord();
  expected.content_hash = Sha256Hex(kRecordYaml);
  EXPECT_EQ(*a, expected);  // plain 1.10 stays the version "1.10"
}

TEST(AdvisoryTest, ContentHashFollowsTheBytes) {
  auto a = ParseOsvJson(R"({"id":"X-1"})");
  auto b = ParseOsvJson(R"({"id": "X-1"})");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->content_hash, b->content_hash);
  EXPECT_EQ(a->content_hash, Sha256Hex(R"({"id":"X-1"})"));
}

// ---- Summary ----

struct SummaryCase {
  std::string_view name;
  std::string summary;
  std::string details;
  std::string expected;
};

TEST(AdvisoryTest, SummaryFallsBackToTheFirstLineOfDetails) {
  const std::string long_ascii(250, 'x');
  const std::string words = [] {
    std::string s;
    for (int i = 0; i < 60; ++i) {
      s += "word" + std::to_string(i) + " ";
    }
    return s;
  }();
  std::string kana;  // 300 three-byte characters
  for (int i = 0; i < 300; ++i) {
    kana += "あ";
  }
  const std::vector<SummaryCase> cases = {
      {"summary wins", "Short", "Details", "Short"},
      {"first line", "", "First line.\nSecond line.", "First line."},
      {"blank lines skipped", "", "\n\n   \n  Real start  \nmore", "Real start"},
      {"neither", "", "", ""},
      {"cut at 200 characters", "", long_ascii, std::string(199, 'x') + "…"},
      {"cut at a word break", "", words, ""},  // checked below
      {"cut on a UTF-8 boundary", "", kana, ""},
  };
  for (const SummaryCase& c : cases) {
    const std::string json =
        nlohmann::json{{"id", "X-1"}, {"summary", c.summary}, {"details", c.details}}.dump();
    auto a = ParseOsvJson(json);
    ASSERT_TRUE(a) << c.name;
    EXPECT_LE(Utf8Length(a->summary), 200U) << c.name;
    if (!c.expected.empty() || c.name == "neither") {
      EXPECT_EQ(a->summary, c.expected) << c.name;
    }
  }
  auto w = ParseOsvJson(nlohmann::json{{"id", "X-1"}, {"details", words}}.dump());
  ASSERT_TRUE(w);
  EXPECT_TRUE(w->summary.ends_with("…"));
  EXPECT_EQ(w->summary.find(' ', w->summary.size() - 5), std::string::npos)
      << "ends on a whole word: " << w->summary;
  EXPECT_EQ(words.find(w->summary.substr(0, w->summary.size() - 3)), 0U);
  auto k = ParseOsvJson(nlohmann::json{{"id", "X-1"}, {"details", kana}}.dump());
  ASSERT_TRUE(k);
  EXPECT_EQ(Utf8Length(k->summary), 200U);
  EXPECT_EQ(k->summary.size(), 199U * 3 + 3);  // 199 kana and the ellipsis, no split character
}

// ---- Severity ----

struct SeverityCase {
  std::string_view name;
  std::string_view severity_json;    // the top-level "severity" array
  std::string_view affected_extra;   // members added to affected[0]
  std::optional<double> base_score;  // expected
  std::string_view vector;           // expected cvss_vector
};

constexpr std::string_view kV2 = "AV:N/AC:L/Au:N/C:P/I:P/A:P";
constexpr std::string_view kV30 = "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:N/A:N";
constexpr std::string_view kV31 = "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N";
constexpr std::string_view kV40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";

const std::vector<SeverityCase>& SeverityCases() {
  static const std::vector<SeverityCase> kCases = {
      {"v4 beats v3.1, v3.0 and v2",
       R"([{"type":"CVSS_V2","score":"AV:N/AC:L/Au:N/C:P/I:P/A:P"},
           {"type":"CVSS_V3","score":"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:N/A:N"},
           {"type":"CVSS_V4","score":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"},
           {"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N"}])",
       "", 9.3, kV40},
      {"v3.1 beats v3.0 whatever the scores",
       R"([{"type":"CVSS_V3","score":"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:N/A:N"},
           {"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N"}])",
       "", 5.4, kV31},
      {"v3.0 beats v2", R"([{"type":"CVSS_V2","score":"AV:N/AC:L/Au:N/C:P/I:P/A:P"},
           {"type":"CVSS_V3","score":"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:N/A:N"}])",
       "", 4.7, kV30},
      {"v2 alone", R"([{"type":"CVSS_V2","score":"AV:N/AC:L/Au:N/C:P/I:P/A:P"}])", "", 7.5, kV2},
      {"an invalid v4 does not hide a valid v3.1",
       R"([{"type":"CVSS_V4","score":"CVSS:4.0/AV:N"},
           {"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N"}])",
       "", 5.4, kV31},
      {"labels are not scores", R"([{"type":"Ubuntu","score":"critical"}])", "", std::nullopt, ""},
      {"affected[].severity when the top level has none", "[]",
       R"("severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N"}])",
       5.4, kV31},
      {"database_specific.cvss last (RustSec)", "[]",
       R"("database_specific":{"cvss":"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:N/A:N"})", 4.7, kV30},
      {"database_specific.cvss null (RustSec informational)", "[]",
       R"("database_specific":{"cvss":null})", std::nullopt, ""},
      {"the top level wins over database_specific",
       R"([{"type":"CVSS_V2","score":"AV:N/AC:L/Au:N/C:P/I:P/A:P"}])",
       R"("database_specific":{"cvss":"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N"})", 7.5, kV2},
  };
  return kCases;
}

TEST(AdvisoryTest, BestSeverityByVersion) {
  for (const SeverityCase& c : SeverityCases()) {
    std::string affected = R"({"package":{"ecosystem":"npm","name":"x"})";
    if (!c.affected_extra.empty()) {
      affected += ",";
      affected += c.affected_extra;
    }
    affected += "}";
    const std::string json = std::string(R"({"id":"X-1","affected":[)") + affected +
                             R"(],"severity":)" + std::string(c.severity_json) + "}";
    auto a = ParseOsvJson(json);
    ASSERT_TRUE(a) << c.name << ": " << a.error().ToString(Lang::kEn);
    EXPECT_EQ(a->base_score, c.base_score) << c.name;
    EXPECT_EQ(a->cvss_vector, c.vector) << c.name;
  }
}

TEST(AdvisoryTest, SeverityLabels) {
  const std::vector<std::pair<std::optional<double>, std::string_view>> cases = {
      {std::nullopt, "unknown"}, {0.0, "none"},     {0.1, "low"},  {3.9, "low"},
      {4.0, "medium"},           {6.9, "medium"},   {7.0, "high"}, {8.9, "high"},
      {9.0, "critical"},         {10.0, "critical"}};
  for (const auto& [score, label] : cases) {
    EXPECT_EQ(SeverityLabel(score), label) << (score ? *score : -1);
  }
}

// ---- Malformed records ----

enum class Format { kJson, kYaml };

struct BadCase {
  std::string_view name;
  Format format;
  std::string text;
  std::string_view reason;
  std::string_view mentions;  // in the English message ("" = anything)
  int line = 0;               // expected line (0 = not checked)
};

std::string Nested(std::size_t depth, std::string_view open, std::string_view close) {
  std::string s;
  for (std::size_t i = 0; i < depth; ++i) {
    s += open;
  }
  for (std::size_t i = 0; i < depth; ++i) {
    s += close;
  }
  return s;
}

const std::vector<BadCase>& BadCases() {
  static const std::vector<BadCase> kCases = [] {
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 0; i < 9; ++i) {
      bomb += std::string(1, static_cast<char>('b' + i)) + ": &" +
              std::string(1, static_cast<char>('b' + i)) + " [";
      for (int k = 0; k < 10; ++k) {
        bomb += std::string(k == 0 ? "" : ", ") + "*" + std::string(1, static_cast<char>('a' + i));
      }
      bomb += "]\n";
    }
    bomb = "id: X-1\n" + bomb;
    std::string block_deep = "id: X-1\nx:\n";
    for (int i = 0; i < 200; ++i) {
      block_deep += std::string(static_cast<std::size_t>(i) * 2 + 2, ' ') + "- \n";
    }
    return std::vector<BadCase>{
        {"truncated JSON", Format::kJson, R"({"id": "X-1", "affected": [{"package": )",
         "sbom.osv_syntax", "", 1},
        {"JSON syntax error on line 3", Format::kJson,
         "{\n  \"id\": \"X-1\",\n  \"summary\" \"x\"\n}", "sbom.osv_syntax", "", 3},
        {"empty JSON", Format::kJson, "", "sbom.osv_syntax", ""},
        {"invalid UTF-8", Format::kJson, "{\"id\": \"X-\xff\"}", "sbom.osv_syntax", ""},
        {"truncated YAML", Format::kYaml, "id: X-1\naffected:\n- package: {ecosystem: PyPI,\n",
         "sbom.osv_syntax", "", 0},
        {"YAML syntax error with its line", Format::kYaml,
         "id: X-1\nsummary: ok\naliases: [a, b\nmodified: x\n", "sbom.osv_syntax", "", 0},
        {"YAML tab indentation", Format::kYaml, "id: X-1\naffected:\n\t- x\n", "sbom.osv_syntax",
         "", 3},
        {"top level is an array", Format::kJson, R"([{"id": "X-1"}])", "sbom.osv_not_object", ""},
        {"top level is a scalar", Format::kYaml, "just text\n", "sbom.osv_not_object", ""},
        {"empty YAML", Format::kYaml, "", "sbom.osv_not_object", ""},
        {"missing id", Format::kJson, R"({"summary": "x"})", "sbom.osv_missing_id", ""},
        {"empty id", Format::kJson, R"({"id": ""})", "sbom.osv_missing_id", ""},
        {"id is a number", Format::kJson, R"({"id": 5})", "sbom.osv_expected_string", "'id'"},
        {"aliases is a string", Format::kJson, R"({"id": "X-1", "aliases": "CVE-1"})",
         "sbom.osv_expected_array", "'aliases'"},
        {"an alias is a number", Format::kJson, R"({"id": "X-1", "aliases": ["CVE-1", 2]})",
         "sbom.osv_expected_string", "'aliases[1]'"},
        {"affected is an object", Format::kJson, R"({"id": "X-1", "affected": {}})",
         "sbom.osv_expected_array", "'affected'"},
        {"package is a string", Format::kJson, R"({"id": "X-1", "affected": [{"package": "x"}]})",
         "sbom.osv_expected_object", "'affected[0].package'"},
        {"package without a name", Format::kJson,
         R"({"id": "X-1", "affected": [{"package": {"ecosystem": "npm"}}]})",
         "sbom.osv_missing_field", "'affected[0].package.name'"},
        {"ranges as a string", Format::kJson, R"({"id": "X-1", "affected": [{"ranges": ">=1.0"}]})",
         "sbom.osv_expected_array", "'affected[0].ranges'"},
        {"ranges as a string (YAML)", Format::kYaml, "id: X-1\naffected:\n- ranges: \">=1.0\"\n",
         "sbom.osv_expected_array", "'affected[0].ranges'"},
        {"a range is a string", Format::kJson,
         R"({"id": "X-1", "affected": [{"ranges": ["ECOSYSTEM"]}]})", "sbom.osv_expected_object",
         "'affected[0].ranges[0]'"},
        {"range without type", Format::kJson,
         R"({"id": "X-1", "affected": [{"ranges": [{"events": []}]}]})", "sbom.osv_missing_field",
         "'affected[0].ranges[0].type'"},
        {"unknown range type", Format::kJson,
         R"({"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER2", "events": []}]}]})",
         "sbom.osv_range_type", "'SEMVER2'"},
        {"range without events", Format::kJson,
         R"({"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER"}]}]})",
         "sbom.osv_missing_field", "'affected[0].ranges[0].events'"},
        {"events as numbers", Format::kJson,
         R"({"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER", "events": [1, 2]}]}]})",
         "sbom.osv_expected_object", "'affected[0].ranges[0].events[0]'"},
        {"an event version as a number", Format::kJson,
         R"({"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"introduced": 0}]}]}]})",
         "sbom.osv_expected_string", "'affected[0].ranges[0].events[0].introduced'"},
        {"an event with two kinds", Format::kJson,
         R"({"id": "X-1", "affected": [{"ranges": [{"type": "SEMVER", "events": [{"introduced": "0", "fixed": "1"}]}]}]})",
         "sbom.osv_event", "'affected[0].ranges[0].events[0]'"},
        {"an event with no kind", Format::kYaml,
         "id: X-1\naffected:\n- ranges:\n  - type: SEMVER\n    events:\n    - fixd: 1.0\n",
         "sbom.osv_event", "'affected[0].ranges[0].events[0]'"},
        {"a version list entry is an object", Format::kYaml,
         "id: X-1\naffected:\n- versions:\n  - {a: b}\n", "sbom.osv_expected_string",
         "'affected[0].versions[0]'"},
        {"severity is an object", Format::kJson, R"({"id": "X-1", "severity": {"type": "x"}})",
         "sbom.osv_expected_array", "'severity'"},
        {"severity without score", Format::kJson,
         R"({"id": "X-1", "severity": [{"type": "CVSS_V3"}]})", "sbom.osv_missing_field",
         "'severity[0].score'"},
        {"withdrawn is a number", Format::kJson, R"({"id": "X-1", "withdrawn": 1})",
         "sbom.osv_expected_string", "'withdrawn'"},
        {"a mapping key that is a list", Format::kYaml, "id: X-1\n? [a, b]\n: c\n",
         "sbom.osv_syntax", "", 2},
        {"absurd JSON nesting", Format::kJson,
         "{\"id\":\"X-1\",\"x\":" + Nested(100000, "[", "]") + "}", "sbom.osv_too_deep", ""},
        {"JSON nesting just past the limit", Format::kJson,
         "{\"id\":\"X-1\",\"x\":" + Nested(64, "[", "]") + "}", "sbom.osv_too_deep", ""},
        {"absurd YAML flow nesting", Format::kYaml, "id: X-1\nx: " + Nested(5000, "[", "]"),
         "sbom.osv_syntax", ""},  // yaml-cpp's own depth guard (2,000) speaks first
        {"YAML nesting past the limit", Format::kYaml, "id: X-1\nx: " + Nested(100, "[", "]"),
         "sbom.osv_too_deep", ""},
        {"YAML block nesting past the limit", Format::kYaml, block_deep, "sbom.osv_too_deep", ""},
        {"YAML alias bomb", Format::kYaml, bomb, "sbom.osv_too_many_nodes", ""},
    };
  }();
  return kCases;
}

TEST(AdvisoryTest, MalformedRecordsGiveClearErrors) {
  for (const BadCase& c : BadCases()) {
    const std::string_view source = c.format == Format::kJson ? "bad.json" : "bad.yaml";
    auto a =
        c.format == Format::kJson ? ParseOsvJson(c.text, source) : ParseOsvYaml(c.text, source);
    ASSERT_FALSE(a) << c.name;
    const Error& e = a.error();
    EXPECT_EQ(e.code(), ErrorCode::kDataError) << c.name;
    EXPECT_EQ(e.reason(), c.reason) << c.name << ": " << e.ToString(Lang::kEn);
    EXPECT_NE(e.message(Lang::kJa), e.message(Lang::kEn)) << c.name;
    EXPECT_NE(e.message(Lang::kEn).find(c.mentions), std::string::npos)
        << c.name << ": " << e.message(Lang::kEn);
    ASSERT_TRUE(e.location().has_value()) << c.name;
    EXPECT_EQ(e.location()->source, source) << c.name;
    if (c.line > 0) {
      EXPECT_EQ(e.location()->line, c.line) << c.name << ": " << e.ToString(Lang::kEn);
    }
    if (c.reason == "sbom.osv_syntax" && c.format == Format::kYaml) {
      EXPECT_GT(e.location()->line, 0) << c.name << ": YAML syntax errors carry their line";
    }
  }
}

TEST(AdvisoryTest, EveryTruncationAndByteFlipFailsCleanly) {
  // Each prefix of the sample record, and the record with every third byte replaced by syntax
  // noise, in both formats: a result or a kDataError "sbom.osv_*", never a crash (the suite runs
  // under ASan/UBSan).
  constexpr std::string_view kNoise = "{[:\"\n-&*!\xff";
  std::size_t failures = 0;
  for (const auto& [text, yaml] : {std::pair{kRecordJson, false}, std::pair{kRecordYaml, true}}) {
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
      std::vector<std::string> inputs{std::string(text.substr(0, cut))};
      if (cut < text.size() && cut % 3 == 0) {
        inputs.emplace_back(text);
        inputs.back()[cut] = kNoise[cut % kNoise.size()];
      }
      for (const std::string& input : inputs) {
        auto a = yaml ? ParseOsvYaml(input) : ParseOsvJson(input);
        if (!a) {
          ++failures;
          EXPECT_EQ(a.error().code(), ErrorCode::kDataError);
          EXPECT_TRUE(a.error().reason().starts_with("sbom.osv_")) << a.error().reason();
        }
      }
    }
  }
  EXPECT_GT(failures, 1000U);
}

TEST(AdvisoryTest, LenientWhereOsvIsFreeForm) {
  // Unknown members, null optionals, extra event members and database_specific shapes are fine.
  auto a = ParseOsvJson(R"({"id": "X-1", "summary": null, "aliases": null, "future": {"a": [1]},
      "affected": [{"package": {"ecosystem": "Go", "name": "m", "purl": null},
                    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0", "note": 1}]}],
                    "database_specific": [1, 2], "ecosystem_specific": 5}],
      "database_specific": "free", "big": 123456789012345678901234567890})");
  ASSERT_TRUE(a) << a.error().ToString(Lang::kEn);
  EXPECT_EQ(a->affected.at(0).affected.ranges.at(0).events.size(), 1U);
  // An affected entry without a package (GIT-only) is kept, with an empty key.
  auto b = ParseOsvJson(
      R"({"id": "X-2", "affected": [{"ranges": [{"type": "GIT", "events": [{"introduced": "a"}]}]}]})");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->affected.at(0).package.name.empty());
  // YAML anchors and aliases within the node budget are expanded.
  auto c = ParseOsvYaml("id: X-3\naliases: &al [CVE-1, CVE-2]\nupstream: *al\n");
  ASSERT_TRUE(c) << c.error().ToString(Lang::kEn);
  EXPECT_EQ(c->aliases, (std::vector<std::string>{"CVE-1", "CVE-2"}));
}

// ---- Files and folders ----

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("hoshi_adv_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }
  void Write(const fs::path& relative, std::string_view text) const {
    fs::create_directories((path_ / relative).parent_path());
    std::ofstream(path_ / relative, std::ios::binary) << text;
  }

 private:
  fs::path path_;
};

std::string Record(std::string_view id, std::string_view package, std::string_view extra = "") {
  return std::string(R"({"id":")") + std::string(id) +
         R"(","affected":[{"package":{"ecosystem":"PyPI","name":")" + std::string(package) +
         R"("},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}])" +
         std::string(extra) + "}";
}

TEST(AdvisoryTest, ReadOsvFileChecksExtensionAndSize) {
  TempDir dir;
  dir.Write("a.JSON", Record("A-1", "x"));
  dir.Write("b.yml", "id: B-1\n");
  dir.Write("c.txt", Record("C-1", "x"));
  EXPECT_TRUE(ReadOsvFile(dir.path() / "a.JSON"));
  EXPECT_TRUE(ReadOsvFile(dir.path() / "b.yml"));
  auto txt = ReadOsvFile(dir.path() / "c.txt");
  ASSERT_FALSE(txt);
  EXPECT_EQ(txt.error().reason(), "sbom.osv_extension");
  auto missing = ReadOsvFile(dir.path() / "none.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  // Over 16 MiB: refused from its size alone (a sparse file, nothing is read).
  dir.Write("huge.json", "");
  fs::resize_file(dir.path() / "huge.json", (std::uintmax_t{16} << 20) + 1);
  auto huge = ReadOsvFile(dir.path() / "huge.json");
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code(), ErrorCode::kTooLarge);
  EXPECT_EQ(huge.error().reason(), "sbom.osv_too_large");
}

TEST(AdvisoryTest, LoadDirectoryCountsAndReportsBadRecords) {
  TempDir dir;
  dir.Write("z/Z-1.json", Record("Z-1", "zope.interface"));
  dir.Write("a/A-1.yaml", "id: A-1\naffected:\n- package: {ecosystem: PyPI, name: Django}\n");
  dir.Write("a/deeper/W-1.json", Record("W-1", "w", R"(,"withdrawn":"2024-01-01T00:00:00Z")"));
  dir.Write("notes.md", "not a record");
  for (int i = 0; i < 25; ++i) {
    dir.Write("bad/B-" + std::to_string(100 + i) + ".json", "{\"id\": ");
  }
  dir.Write("big/huge.json", "");
  fs::resize_file(dir.path() / "big/huge.json", (std::uintmax_t{16} << 20) + 1);

  AdvisoryDb db;
  std::vector<std::pair<std::size_t, std::size_t>> progress;
  auto report = LoadAdvisoryDirectory(dir.path(), db, [&](std::size_t done, std::size_t total) {
    progress.emplace_back(done, total);
  });
  ASSERT_TRUE(report) << report.error().ToString(Lang::kEn);
  EXPECT_EQ(report->files, 29U);
  EXPECT_EQ(report->loaded, 3U);
  EXPECT_EQ(report->withdrawn, 1U);
  EXPECT_EQ(report->failed, 26U);
  ASSERT_EQ(report->errors.size(), 20U);  // the first 20, in path order
  EXPECT_EQ(report->errors.front().location()->source, (dir.path() / "bad/B-100.json").string());
  EXPECT_EQ(report->errors.front().reason(), "sbom.osv_syntax");
  EXPECT_EQ(report->errors.front().location()->line, 1);
  EXPECT_EQ(report->errors.back().location()->source, (dir.path() / "bad/B-119.json").string());
  EXPECT_EQ(db.size(), 3U);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), std::make_pair(std::size_t{29}, std::size_t{29}));

  // The huge file sorts after bad/ ("big" > "bad"): past the 20 kept errors, but counted.
  TempDir only_big;
  only_big.Write("huge.json", "");
  fs::resize_file(only_big.path() / "huge.json", (std::uintmax_t{16} << 20) + 1);
  only_big.Write("ok.json", Record("OK-1", "x"));
  AdvisoryDb db2;
  auto r2 = LoadAdvisoryDirectory(only_big.path(), db2);
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->failed, 1U);
  EXPECT_EQ(r2->loaded, 1U);
  ASSERT_EQ(r2->errors.size(), 1U);
  EXPECT_EQ(r2->errors[0].code(), ErrorCode::kTooLarge);
  EXPECT_EQ(r2->errors[0].location()->source, (only_big.path() / "huge.json").string());

  AdvisoryDb db3;
  auto none = LoadAdvisoryDirectory(dir.path() / "no-such-folder", db3);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().reason(), "sbom.osv_dir");
}

// ---- AdvisoryDb ----

Advisory Simple(std::string id, std::vector<PackageKey> packages,
                std::vector<std::string> aliases = {}) {
  Advisory a;
  a.id = std::move(id);
  a.aliases = std::move(aliases);
  for (PackageKey& p : packages) {
    AdvisoryAffected entry;
    entry.affected.ecosystem = p.ecosystem;
    entry.package = std::move(p);
    a.affected.push_back(std::move(entry));
  }
  a.content_hash = Sha256Hex(a.id + std::to_string(a.affected.size()));
  return a;
}

std::vector<std::string> Ids(const std::vector<const Advisory*>& advisories) {
  std::vector<std::string> ids;
  for (const Advisory* a : advisories) {
    ids.push_back(a->id);
  }
  return ids;
}

TEST(AdvisoryDbTest, IndexesByNormalisedPackageAndSortsCandidates) {
  AdvisoryDb db;
  EXPECT_EQ(db.Upsert(Simple("PYSEC-2", {{"PyPI", "Django"}})), AdvisoryChange::kNew);
  EXPECT_EQ(db.Upsert(Simple("GHSA-1", {{"PyPI", "django"}, {"PyPI", "zope.interface"}})),
            AdvisoryChange::kNew);
  EXPECT_EQ(db.Upsert(Simple("DSA-1", {{"Debian:12", "openssl"}})), AdvisoryChange::kNew);
  EXPECT_EQ(db.Upsert(Simple("GO-1", {{"Go", "github.com/Foo/bar"}})), AdvisoryChange::kNew);
  EXPECT_EQ(Ids(db.Candidates("PyPI", "DJANGO")), (std::vector<std::string>{"GHSA-1", "PYSEC-2"}));
  EXPECT_EQ(Ids(db.Candidates("PyPI", "zope-interface")), (std::vector<std::string>{"GHSA-1"}));
  EXPECT_EQ(Ids(db.Candidates("PyPI", "Zope_Interface")), (std::vector<std::string>{"GHSA-1"}));
  EXPECT_EQ(Ids(db.Candidates("Debian", "openssl")), (std::vector<std::string>{"DSA-1"}));
  EXPECT_EQ(Ids(db.Candidates("Debian:11", "openssl")), (std::vector<std::string>{"DSA-1"}));
  EXPECT_TRUE(db.Candidates("Go", "github.com/foo/bar").empty());  // Go paths keep their case
  EXPECT_TRUE(db.Candidates("npm", "django").empty());
  EXPECT_EQ(db.size(), 4U);
  std::vector<std::string> order;
  db.ForEach([&](const Advisory& a) { order.push_back(a.id); });
  EXPECT_EQ(order, (std::vector<std::string>{"DSA-1", "GHSA-1", "GO-1", "PYSEC-2"}));
}

TEST(AdvisoryDbTest, ReplacingAnAdvisoryMovesItsIndexEntries) {
  AdvisoryDb db;
  ASSERT_EQ(db.Upsert(Simple("GHSA-1", {{"npm", "left-pad"}})), AdvisoryChange::kNew);
  EXPECT_EQ(db.Upsert(Simple("GHSA-1", {{"npm", "left-pad"}})), AdvisoryChange::kUnchanged);
  Advisory moved = Simple("GHSA-1", {{"npm", "right-pad"}});
  moved.content_hash = "other";
  EXPECT_EQ(db.Upsert(moved), AdvisoryChange::kModified);
  EXPECT_TRUE(db.Candidates("npm", "left-pad").empty());
  EXPECT_EQ(Ids(db.Candidates("npm", "right-pad")), (std::vector<std::string>{"GHSA-1"}));
  EXPECT_EQ(db.Find("GHSA-1")->affected.at(0).package.name, "right-pad");
  EXPECT_EQ(db.Find("GHSA-2"), nullptr);
  // Records built in code without a hash compare by content.
  Advisory a = Simple("X-1", {{"npm", "a"}});
  a.content_hash.clear();
  EXPECT_EQ(db.Upsert(a), AdvisoryChange::kNew);
  EXPECT_EQ(db.Upsert(a), AdvisoryChange::kUnchanged);
  a.summary = "changed";
  EXPECT_EQ(db.Upsert(a), AdvisoryChange::kModified);
  // Moving the database keeps its content.
  AdvisoryDb moved_db = std::move(db);
  EXPECT_EQ(moved_db.size(), 2U);
}

TEST(AdvisoryDbTest, FindAllByIdOrAliasWithoutCase) {
  AdvisoryDb db;
  Advisory pysec = Simple("PYSEC-2024-1", {{"PyPI", "django"}});
  pysec.aliases = {"CVE-2024-0001", "GHSA-aaaa-bbbb-cccc"};
  Advisory ghsa = Simple("GHSA-aaaa-bbbb-cccc", {{"PyPI", "django"}});
  ghsa.aliases = {"CVE-2024-0001"};
  Advisory other = Simple("PYSEC-2024-2", {{"PyPI", "flask"}});
  other.aliases = {"CVE-2024-0002"};
  for (const Advisory& a : {pysec, ghsa, other}) {
    ASSERT_EQ(db.Upsert(a), AdvisoryChange::kNew);
  }
  EXPECT_EQ(Ids(db.FindAll("CVE-2024-0001")),
            (std::vector<std::string>{"GHSA-aaaa-bbbb-cccc", "PYSEC-2024-1"}));
  EXPECT_EQ(Ids(db.FindAll("cve-2024-0001")),
            (std::vector<std::string>{"GHSA-aaaa-bbbb-cccc", "PYSEC-2024-1"}));
  // An id that is also another record's alias finds both records.
  EXPECT_EQ(Ids(db.FindAll("ghsa-AAAA-bbbb-cccc")),
            (std::vector<std::string>{"GHSA-aaaa-bbbb-cccc", "PYSEC-2024-1"}));
  EXPECT_EQ(Ids(db.FindAll("PYSEC-2024-2")), (std::vector<std::string>{"PYSEC-2024-2"}));
  EXPECT_TRUE(db.FindAll("CVE-2099-9999").empty());
  // A modified record's aliases move with it.
  other.aliases = {"CVE-2024-0003"};
  other.content_hash = "changed";
  ASSERT_EQ(db.Upsert(other), AdvisoryChange::kModified);
  EXPECT_TRUE(db.FindAll("CVE-2024-0002").empty());
  EXPECT_EQ(Ids(db.FindAll("CVE-2024-0003")), (std::vector<std::string>{"PYSEC-2024-2"}));
}

TEST(AdvisoryDbTest, KevMarksPresentAndLaterAdvisoriesByIdOrAlias) {
  AdvisoryDb db;
  ASSERT_EQ(db.Upsert(Simple("GHSA-1", {{"npm", "a"}}, {"CVE-2021-44228"})), AdvisoryChange::kNew);
  ASSERT_EQ(db.Upsert(Simple("GHSA-2", {{"npm", "b"}}, {"CVE-2000-0001"})), AdvisoryChange::kNew);
  KevCatalog kev;
  kev.date_added = {{"CVE-2021-44228", "2021-12-10"},
                    {"CVE-2023-0001", "2023-01-02"},
                    {"CVE-2023-0002", "2023-01-01"}};
  db.SetKev(kev);
  EXPECT_TRUE(db.Find("GHSA-1")->known_exploited);
  EXPECT_EQ(db.Find("GHSA-1")->kev_date_added, "2021-12-10");
  EXPECT_FALSE(db.Find("GHSA-2")->known_exploited);
  // Later upserts are marked too; several listed aliases give the earliest date; an id itself.
  ASSERT_EQ(db.Upsert(Simple("GHSA-3", {{"npm", "c"}}, {"CVE-2023-0001", "CVE-2023-0002"})),
            AdvisoryChange::kNew);
  EXPECT_EQ(db.Find("GHSA-3")->kev_date_added, "2023-01-01");
  ASSERT_EQ(db.Upsert(Simple("CVE-2023-0001", {{"npm", "d"}})), AdvisoryChange::kNew);
  EXPECT_TRUE(db.Find("CVE-2023-0001")->known_exploited);
  // A newer catalog replaces the marks.
  db.SetKev(KevCatalog{"2", {{"CVE-2000-0001", "2024-01-01"}}});
  EXPECT_FALSE(db.Find("GHSA-1")->known_exploited);
  EXPECT_TRUE(db.Find("GHSA-1")->kev_date_added.empty());
  EXPECT_TRUE(db.Find("GHSA-2")->known_exploited);
}

// ---- KEV ----

TEST(KevTest, ParsesTheCatalog) {
  auto kev = ParseKev(R"({"catalogVersion": "2025.01.01", "vulnerabilities": [
      {"cveID": "CVE-2021-44228", "dateAdded": "2021-12-10", "vendorProject": "Apache"},
      {"cveID": "CVE-2014-0160", "dateAdded": "2022-05-04"}]})");
  ASSERT_TRUE(kev) << kev.error().ToString(Lang::kEn);
  EXPECT_EQ(kev->catalog_version, "2025.01.01");
  EXPECT_EQ(kev->date_added.size(), 2U);
  EXPECT_EQ(kev->date_added.at("CVE-2014-0160"), "2022-05-04");
}

TEST(KevTest, MalformedCatalogs) {
  const std::vector<std::pair<std::string_view, std::string_view>> cases = {
      {R"({"vulnerabilities": [)", "sbom.kev_syntax"},
      {R"([])", "sbom.kev_format"},
      {R"({"count": 1})", "sbom.kev_format"},
      {R"({"vulnerabilities": {}})", "sbom.kev_format"},
      {R"({"vulnerabilities": [{"cveID": "CVE-1"}]})", "sbom.kev_entry"},
      {R"({"vulnerabilities": [{"cveID": 1, "dateAdded": "2020-01-01"}]})", "sbom.kev_entry"},
      {R"({"vulnerabilities": ["CVE-1"]})", "sbom.kev_entry"},
  };
  for (const auto& [json, reason] : cases) {
    auto kev = ParseKev(json);
    ASSERT_FALSE(kev) << json;
    EXPECT_EQ(kev.error().reason(), reason) << json;
    EXPECT_EQ(kev.error().code(), ErrorCode::kDataError) << json;
  }
}

TEST(KevTest, ReadsTheSharedCatalog) {
  const fs::path path =
      fs::path(HOSHI_SHARED_DIR) / "data/advisories/kev/known_exploited_vulnerabilities.json";
  if (!fs::exists(path)) {
    GTEST_SKIP() << "shared KEV catalog not found at " << path;
  }
  auto kev = ReadKevFile(path);
  ASSERT_TRUE(kev) << kev.error().ToString(Lang::kEn);
  EXPECT_EQ(kev->catalog_version, "2025.08.25");
  EXPECT_EQ(kev->date_added.size(), 1404U);  // the catalog's "count"
  EXPECT_EQ(kev->date_added.at("CVE-2021-44228"), "2021-12-10");
}

}  // namespace
}  // namespace hoshi::sbom
