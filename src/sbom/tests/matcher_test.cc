// SPDX-License-Identifier: Apache-2.0
#include "hoshi/sbom/matcher.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>

#include "hoshi/sbom/purl.h"
#include "hoshi/sbom/version.h"

namespace hoshi::sbom {
namespace {

namespace fs = std::filesystem;
using Kind = RangeEvent::Kind;
using Type = AffectedRange::Type;

/// A component as an SBOM parser makes it from a purl (ref = the purl as given).
Component FromPurl(std::string_view text) {
  Component c;
  c.ref = std::string(text);
  auto purl = ParsePurl(text);
  if (!purl) {
    return c;
  }
  c.name = purl->name;
  c.version = purl->version;
  c.purl = ToString(*purl);
  c.package = PackageKeyFromPurl(*purl);
  return c;
}

struct AffectedSpec {
  PackageKey package;
  std::vector<AffectedRange> ranges;
  std::vector<std::string> versions;
};

Advisory MakeAdvisory(std::string id, std::vector<AffectedSpec> entries) {
  Advisory a;
  a.id = std::move(id);
  for (AffectedSpec& e : entries) {
    AdvisoryAffected entry;
    entry.affected.ecosystem = e.package.ecosystem;
    entry.affected.ranges = std::move(e.ranges);
    entry.affected.versions = std::move(e.versions);
    entry.package = std::move(e.package);
    a.affected.push_back(std::move(entry));
  }
  return a;
}

AffectedRange Eco(std::vector<RangeEvent> events) {
  return {Type::kEcosystem, std::move(events)};
}
AffectedRange Semver(std::vector<RangeEvent> events) {
  return {Type::kSemver, std::move(events)};
}
RangeEvent In(std::string v) {
  return {Kind::kIntroduced, std::move(v)};
}
RangeEvent Fix(std::string v) {
  return {Kind::kFixed, std::move(v)};
}
RangeEvent Last(std::string v) {
  return {Kind::kLastAffected, std::move(v)};
}

// ---- MatchOne: component × advisory → expected match, as data ----

struct MatchCase {
  std::string_view name;
  std::string_view purl;
  std::vector<AffectedSpec> affected;
  bool matches;
  AffectedMatch::Via via = AffectedMatch::Via::kRange;
  std::size_t affected_index = 0;
  std::size_t range_index = 0;
  std::string introduced = {};           // kRange
  std::optional<RangeEvent> until = {};  // kRange
  std::string listed = {};               // kListedVersion
};

const std::vector<MatchCase>& MatchCases() {
  using Via = AffectedMatch::Via;
  static const std::vector<MatchCase> kCases = {
      // PEP 503 names.
      {"Django matches pkg:pypi/django",
       "pkg:pypi/django@4.2.1",
       {{{"PyPI", "Django"}, {Eco({In("0"), Fix("4.2.2")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "0",
       Fix("4.2.2")},
      {"fixed version is not affected",
       "pkg:pypi/django@4.2.2",
       {{{"PyPI", "Django"}, {Eco({In("0"), Fix("4.2.2")})}, {}}},
       false},
      {"zope.interface vs zope-interface",
       "pkg:pypi/zope-interface@5.0.0",
       {{{"PyPI", "zope.interface"}, {Eco({In("4.0"), Fix("5.1.0")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "4.0",
       Fix("5.1.0")},
      {"zope_interface vs zope.interface",
       "pkg:pypi/zope_interface@5.0.0",
       {{{"PyPI", "zope.interface"}, {Eco({In("4.0"), Fix("5.1.0")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "4.0",
       Fix("5.1.0")},
      {"ruamel.yaml",
       "pkg:pypi/ruamel.yaml@0.17.20",
       {{{"PyPI", "ruamel.yaml"}, {Eco({In("0.15.0"), Fix("0.17.21")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "0.15.0",
       Fix("0.17.21")},
      {"Ruamel-YAML",
       "pkg:pypi/Ruamel-YAML@0.17.20",
       {{{"PyPI", "ruamel.yaml"}, {Eco({In("0.15.0"), Fix("0.17.21")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "0.15.0",
       Fix("0.17.21")},
      // PEP 440 order, not string order.
      {"1.9 is below 1.10",
       "pkg:pypi/pkg@1.9",
       {{{"PyPI", "pkg"}, {Eco({In("0"), Fix("1.10")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "0",
       Fix("1.10")},
      {"1.10.0 equals 1.10",
       "pkg:pypi/pkg@1.10.0",
       {{{"PyPI", "pkg"}, {Eco({In("0"), Fix("1.10")})}, {}}},
       false},
      {"a pre-release of the fix is affected",
       "pkg:pypi/pkg@1.10rc1",
       {{{"PyPI", "pkg"}, {Eco({In("0"), Fix("1.10")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "0",
       Fix("1.10")},
      // last_affected is inclusive; the second interval of a range; the second range.
      {"last_affected itself",
       "pkg:pypi/pkg@1.2",
       {{{"PyPI", "pkg"}, {Eco({In("1.0"), Last("1.2")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "1.0",
       Last("1.2")},
      {"after last_affected",
       "pkg:pypi/pkg@1.2.1",
       {{{"PyPI", "pkg"}, {Eco({In("1.0"), Last("1.2")})}, {}}},
       false},
      {"second interval",
       "pkg:pypi/pkg@2.1",
       {{{"PyPI", "pkg"}, {Eco({In("1.0"), Fix("1.5"), In("2.0"), Fix("2.2")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "2.0",
       Fix("2.2")},
      {"between intervals",
       "pkg:pypi/pkg@1.7",
       {{{"PyPI", "pkg"}, {Eco({In("1.0"), Fix("1.5"), In("2.0"), Fix("2.2")})}, {}}},
       false},
      {"second range",
       "pkg:pypi/pkg@3.0",
       {{{"PyPI", "pkg"}, {Eco({In("1.0"), Fix("1.5")}), Eco({In("3.0")})}, {}}},
       true,
       Via::kRange,
       0,
       1,
       "3.0",
       std::nullopt},
      // Listed versions; a range wins when both match.
      {"listed version only",
       "pkg:pypi/pkg@2.0.1",
       {{{"PyPI", "pkg"}, {}, {"2.0.0", "2.0.1"}}},
       true,
       Via::kListedVersion,
       0,
       0,
       "",
       std::nullopt,
       "2.0.1"},
      {"not listed", "pkg:pypi/pkg@2.0.2", {{{"PyPI", "pkg"}, {}, {"2.0.0", "2.0.1"}}}, false},
      {"listed and in range: the range is reported",
       "pkg:pypi/pkg@1.0",
       {{{"PyPI", "pkg"}, {Eco({In("0"), Fix("2.0")})}, {"1.0"}}},
       true,
       Via::kRange,
       0,
       0,
       "0",
       Fix("2.0")},
      {"GIT ranges never match a version",
       "pkg:pypi/pkg@1.0",
       {{{"PyPI", "pkg"}, {{Type::kGit, {In("abc"), Fix("def")}}}, {}}},
       false},
      // Go module paths are case-sensitive.
      {"Go exact path",
       "pkg:golang/github.com/Foo/bar@v1.1.0",
       {{{"Go", "github.com/Foo/bar"}, {Semver({In("0"), Fix("1.2.0")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "0",
       Fix("1.2.0")},
      {"Go path in another case",
       "pkg:golang/github.com/foo/bar@v1.1.0",
       {{{"Go", "github.com/Foo/bar"}, {Semver({In("0"), Fix("1.2.0")})}, {}}},
       false},
      {"Go major version suffix",
       "pkg:golang/github.com/coder/coder/v2@v2.14.0",
       {{{"Go", "github.com/coder/coder"}, {Semver({In("0")})}, {}},
        {{"Go", "github.com/coder/coder/v2"}, {Semver({In("2.3.1"), Fix("2.14.4")})}, {}}},
       true,
       Via::kRange,
       1,
       0,
       "2.3.1",
       Fix("2.14.4")},
      // Maven group:artifact.
      {"Maven group and artifact",
       "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
       {{{"Maven", "org.apache.logging.log4j:log4j-core"},
         {Eco({In("2.0-beta9"), Fix("2.15.0")})},
         {}}},
       true,
       Via::kRange,
       0,
       0,
       "2.0-beta9",
       Fix("2.15.0")},
      {"Maven other artifact of the group",
       "pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1",
       {{{"Maven", "org.apache.logging.log4j:log4j-core"},
         {Eco({In("2.0-beta9"), Fix("2.15.0")})},
         {}}},
       false},
      {"Maven fixed",
       "pkg:maven/org.apache.logging.log4j/log4j-core@2.15.0",
       {{{"Maven", "org.apache.logging.log4j:log4j-core"},
         {Eco({In("2.0-beta9"), Fix("2.15.0")})},
         {}}},
       false},
      // Other ecosystems, names and releases.
      {"npm scoped",
       "pkg:npm/%40babel/traverse@7.23.0",
       {{{"npm", "@babel/traverse"}, {Semver({In("0"), Fix("7.23.2")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "0",
       Fix("7.23.2")},
      {"crates.io underscore",
       "pkg:cargo/serde_json@1.0.0",
       {{{"crates.io", "serde-json"}, {Semver({In("0"), Fix("1.0.1")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "0",
       Fix("1.0.1")},
      {"Debian release suffix",
       "pkg:deb/debian/openssl@3.0.11-1~deb12u1",
       {{{"Debian:12", "openssl"}, {Eco({In("0"), Fix("3.0.11-1~deb12u2")})}, {}}},
       true,
       Via::kRange,
       0,
       0,
       "0",
       Fix("3.0.11-1~deb12u2")},
      {"another ecosystem with the same name",
       "pkg:npm/django@4.0.0",
       {{{"PyPI", "Django"}, {Eco({In("0")})}, {}}},
       false},
      {"the second affected entry",
       "pkg:pypi/b@1.0",
       {{{"PyPI", "a"}, {Eco({In("0")})}, {}}, {{"PyPI", "B"}, {Eco({In("0")})}, {}}},
       true,
       Via::kRange,
       1,
       0,
       "0",
       std::nullopt},
      // Components that cannot be matched.
      {"no version", "pkg:pypi/django", {{{"PyPI", "Django"}, {Eco({In("0")})}, {}}}, false},
      {"no OSV package key",
       "pkg:generic/django@1.0",
       {{{"PyPI", "Django"}, {Eco({In("0")})}, {}}},
       false},
  };
  return kCases;
}

TEST(MatcherTest, MatchOneTable) {
  for (const MatchCase& c : MatchCases()) {
    const Component component = FromPurl(c.purl);
    const Advisory advisory = MakeAdvisory("TEST-1", c.affected);
    const std::optional<Finding> f = MatchOne(component, advisory);
    ASSERT_EQ(f.has_value(), c.matches) << c.name;
    if (!f) {
      continue;
    }
    EXPECT_EQ(f->affected_index, c.affected_index) << c.name;
    EXPECT_EQ(f->match.via, c.via) << c.name;
    if (c.via == AffectedMatch::Via::kRange) {
      EXPECT_EQ(f->match.range_index, c.range_index) << c.name;
      EXPECT_EQ(f->match.introduced, c.introduced) << c.name;
      EXPECT_EQ(f->match.until, c.until) << c.name;
    } else {
      EXPECT_EQ(f->match.listed_version, c.listed) << c.name;
    }
  }
}

Advisory Rich(std::string id, std::optional<double> score, bool kev = false) {
  Advisory a = MakeAdvisory(std::move(id), {{{"PyPI", "Django"}, {Eco({In("0")})}, {}}});
  a.aliases = {"CVE-2024-0001", "GHSA-xxxx-yyyy-zzzz"};
  a.summary = "summary of " + a.id;
  a.published = "2024-01-01T00:00:00Z";
  a.modified = "2024-02-01T00:00:00Z";
  a.base_score = score;
  a.cvss_vector = score ? "CVSS:3.1/…" : "";
  a.known_exploited = kev;
  return a;
}

TEST(MatcherTest, FindingCarriesTheAdvisoryAndComponent) {
  Component c = FromPurl("pkg:pypi/Django@4.2.1?os=linux");
  c.ref = "comp-1";
  const auto f = MatchOne(c, Rich("PYSEC-1", 7.5, true));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->component_ref, "comp-1");
  EXPECT_EQ(f->component_name, "django");
  EXPECT_EQ(f->version, "4.2.1");
  EXPECT_EQ(f->purl, "pkg:pypi/django@4.2.1?os=linux");
  EXPECT_EQ(f->package, (PackageKey{"PyPI", "django"}));
  EXPECT_EQ(f->advisory_id, "PYSEC-1");
  EXPECT_EQ(f->aliases, (std::vector<std::string>{"CVE-2024-0001", "GHSA-xxxx-yyyy-zzzz"}));
  EXPECT_EQ(f->summary, "summary of PYSEC-1");
  EXPECT_EQ(f->base_score, 7.5);
  EXPECT_TRUE(f->known_exploited);
  EXPECT_EQ(f->published, "2024-01-01T00:00:00Z");
  EXPECT_EQ(f->modified, "2024-02-01T00:00:00Z");
  EXPECT_FALSE(f->suppressed_by);
}

TEST(MatcherTest, WithdrawnAdvisoriesMatchOnlyWhenAskedFor) {
  Advisory a = Rich("PYSEC-W", 5.0);
  a.withdrawn = "2024-03-01T00:00:00Z";
  const Component c = FromPurl("pkg:pypi/django@4.2.1");
  EXPECT_FALSE(MatchOne(c, a));
  AdvisoryDb db;
  (void)db.Upsert(a);
  const std::vector<Component> components{c};
  EXPECT_TRUE(MatchComponents(components, db).empty());
  MatchOptions options;
  options.include_withdrawn = true;
  EXPECT_EQ(MatchComponents(components, db, options).size(), 1U);
}

std::vector<std::pair<std::string, std::string>> Order(const std::vector<Finding>& findings) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Finding& f : findings) {
    out.emplace_back(f.advisory_id, f.component_ref);
  }
  return out;
}

TEST(MatcherTest, MatchComponentsOrdersKevFirstThenScore) {
  AdvisoryDb db;
  (void)db.Upsert(Rich("A-LOW", 3.1));
  (void)db.Upsert(Rich("B-KEV", 5.0, /*kev=*/true));
  (void)db.Upsert(Rich("C-HIGH", 9.8));
  (void)db.Upsert(Rich("D-NONE", std::nullopt));
  (void)db.Upsert(Rich("E-HIGH", 9.8));
  Component one = FromPurl("pkg:pypi/django@4.2.1");
  one.ref = "r1";
  Component two = FromPurl("pkg:pypi/Django@3.2");
  two.ref = "r0";
  Component other = FromPurl("pkg:pypi/flask@1.0");
  Component no_version = FromPurl("pkg:pypi/django");
  const std::vector<Component> components{one, other, two, no_version};
  const auto findings = MatchComponents(components, db);
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(Order(findings), (std::vector<P>{{"B-KEV", "r0"},
                                             {"B-KEV", "r1"},
                                             {"C-HIGH", "r0"},
                                             {"C-HIGH", "r1"},
                                             {"E-HIGH", "r0"},
                                             {"E-HIGH", "r1"},
                                             {"A-LOW", "r0"},
                                             {"A-LOW", "r1"},
                                             {"D-NONE", "r0"},
                                             {"D-NONE", "r1"}}));
  // Suppressed findings go last, in the same order among themselves.
  VexStatement vex{"B-KEV", {"r1"}, {}, VexStatus::kNotAffected, "code_not_reachable", "", ""};
  MatchOptions options;
  options.vex = std::span<const VexStatement>(&vex, 1);
  const auto suppressed = MatchComponents(components, db, options);
  EXPECT_EQ(Order(suppressed).back(), (P{"B-KEV", "r1"}));
  EXPECT_EQ(Order(suppressed).front(), (P{"B-KEV", "r0"}));
}

// ---- VEX ----

struct VexCase {
  std::string_view name;
  VexStatement statement;
  bool suppresses;
};

const std::vector<VexCase>& VexCases() {
  using S = VexStatus;
  static const std::vector<VexCase> kCases = {
      {"not_affected by ref and id",
       {"PYSEC-1", {"comp-1"}, {}, S::kNotAffected, "j1", "", ""},
       true},
      {"by alias", {"CVE-2024-0001", {"comp-1"}, {}, S::kNotAffected, "", "", ""}, true},
      {"alias in lower case", {"cve-2024-0001", {"comp-1"}, {}, S::kNotAffected, "", "", ""}, true},
      {"fixed suppresses", {"PYSEC-1", {"comp-1"}, {}, S::kFixed, "", "", ""}, true},
      {"affected does not", {"PYSEC-1", {"comp-1"}, {}, S::kAffected, "", "", ""}, false},
      {"under_investigation does not",
       {"PYSEC-1", {"comp-1"}, {}, S::kUnderInvestigation, "", "", ""},
       false},
      {"another vulnerability",
       {"CVE-2024-9999", {"comp-1"}, {}, S::kNotAffected, "", "", ""},
       false},
      {"another component", {"PYSEC-1", {"comp-2"}, {}, S::kNotAffected, "", "", ""}, false},
      {"no product at all", {"PYSEC-1", {}, {}, S::kNotAffected, "", "", ""}, false},
      {"equal purl",
       {"PYSEC-1", {}, {"pkg:maven/org.ex/lib@1.0?type=jar"}, S::kNotAffected, "", "", ""},
       true},
      {"purl without version",
       {"PYSEC-1", {}, {"pkg:maven/org.ex/lib"}, S::kNotAffected, "", "", ""},
       true},
      {"purl with the version, without qualifiers",
       {"PYSEC-1", {}, {"pkg:maven/org.ex/lib@1.0"}, S::kNotAffected, "", "", ""},
       true},
      {"purl with another version",
       {"PYSEC-1", {}, {"pkg:maven/org.ex/lib@2.0"}, S::kNotAffected, "", "", ""},
       false},
      {"purl with a qualifier the component lacks",
       {"PYSEC-1", {}, {"pkg:maven/org.ex/lib?classifier=sources"}, S::kNotAffected, "", "", ""},
       false},
      {"purl of another package",
       {"PYSEC-1", {}, {"pkg:maven/org.ex/other"}, S::kNotAffected, "", "", ""},
       false},
      {"purl of another namespace",
       {"PYSEC-1", {}, {"pkg:maven/org.other/lib"}, S::kNotAffected, "", "", ""},
       false},
      {"invalid statement purl",
       {"PYSEC-1", {}, {"not a purl"}, S::kNotAffected, "", "", ""},
       false},
  };
  return kCases;
}

Finding MavenFinding() {
  Finding f;
  f.component_ref = "comp-1";
  f.purl = "pkg:maven/org.ex/lib@1.0?type=jar";
  f.advisory_id = "PYSEC-1";
  f.aliases = {"CVE-2024-0001"};
  return f;
}

TEST(MatcherTest, VexSuppressionTable) {
  for (const VexCase& c : VexCases()) {
    std::vector<Finding> findings{MavenFinding()};
    ApplyVex(findings, std::span<const VexStatement>(&c.statement, 1));
    EXPECT_EQ(findings[0].suppressed_by.has_value(), c.suppresses) << c.name;
    if (c.suppresses) {
      EXPECT_EQ(*findings[0].suppressed_by, c.statement) << c.name;  // justification kept
    }
  }
}

TEST(MatcherTest, FirstSuppressingStatementIsKept) {
  const std::vector<VexStatement> vex = {
      {"PYSEC-1", {"comp-1"}, {}, VexStatus::kAffected, "", "", "openvex"},
      {"PYSEC-1",
       {"comp-1"},
       {},
       VexStatus::kNotAffected,
       "inline_mitigations_already_exist",
       "WAF rule 12",
       "cyclonedx"},
      {"CVE-2024-0001", {"comp-1"}, {}, VexStatus::kFixed, "", "", "csaf"},
  };
  std::vector<Finding> findings{MavenFinding()};
  ApplyVex(findings, vex);
  ASSERT_TRUE(findings[0].suppressed_by);
  EXPECT_EQ(findings[0].suppressed_by->justification, "inline_mitigations_already_exist");
  EXPECT_EQ(findings[0].suppressed_by->detail, "WAF rule 12");
  EXPECT_EQ(findings[0].suppressed_by->source, "cyclonedx");
}

TEST(MatcherTest, MatchDocumentAppliesItsOwnAndExtraVex) {
  AdvisoryDb db;
  (void)db.Upsert(Rich("PYSEC-1", 9.8));
  (void)db.Upsert(Rich("PYSEC-2", 5.0));
  SbomDocument doc;
  Component c = FromPurl("pkg:pypi/django@4.2.1");
  c.ref = "django-ref";
  doc.components = {c};
  doc.vex = {{"PYSEC-1", {"django-ref"}, {}, VexStatus::kNotAffected, "code_not_present", "", ""}};
  const std::vector<VexStatement> extra = {
      {"PYSEC-2", {}, {"pkg:pypi/django"}, VexStatus::kFixed, "", "", "openvex"}};
  MatchOptions options;
  options.vex = extra;
  const auto findings = MatchDocument(doc, db, options);
  ASSERT_EQ(findings.size(), 2U);
  ASSERT_TRUE(findings[0].suppressed_by && findings[1].suppressed_by);
  EXPECT_EQ(findings[0].advisory_id, "PYSEC-1");  // both suppressed: then by score
  EXPECT_EQ(findings[0].suppressed_by->justification, "code_not_present");
  EXPECT_EQ(findings[1].suppressed_by->source, "openvex");
  // Without the extra statements only the document's own applies: PYSEC-2 stays open, first.
  const auto own = MatchDocument(doc, db);
  ASSERT_EQ(own.size(), 2U);
  EXPECT_EQ(own[0].advisory_id, "PYSEC-2");
  EXPECT_FALSE(own[0].suppressed_by);
  EXPECT_TRUE(own[1].suppressed_by);
}

TEST(MatcherTest, SortFindingsIsTheCanonicalOrder) {
  const auto make = [](std::string id, std::string ref, std::optional<double> score, bool kev,
                       bool suppressed) {
    Finding f;
    f.advisory_id = std::move(id);
    f.component_ref = std::move(ref);
    f.base_score = score;
    f.known_exploited = kev;
    if (suppressed) {
      f.suppressed_by = VexStatement{};
    }
    return f;
  };
  std::vector<Finding> findings = {
      make("Z", "a", 10.0, false, true), make("Y", "a", std::nullopt, false, false),
      make("X", "b", 4.0, false, false), make("X", "a", 4.0, false, false),
      make("W", "a", 1.0, true, false),  make("V", "a", 9.0, false, false),
  };
  SortFindings(findings);
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(
      Order(findings),
      (std::vector<P>{{"W", "a"}, {"V", "a"}, {"X", "a"}, {"X", "b"}, {"Y", "a"}, {"Z", "a"}}));
}

// ---- The shared advisory folders ----

struct SharedLoad {
  bool present = false;
  AdvisoryDb db;
  std::map<std::string, AdvisoryLoadReport> reports;  // by folder
};

/// go, crates and pypi loaded once for all tests below (about 8,000 files).
SharedLoad& Shared() {
  static SharedLoad* const load = [] {
    auto* s = new SharedLoad;
    const fs::path root = fs::path(HOSHI_SHARED_DIR) / "data/advisories/osv";
    s->present = fs::is_directory(root);
    for (const std::string folder : {"go", "crates", "pypi"}) {
      if (!s->present) {
        break;
      }
      auto report = LoadAdvisoryDirectory(root / folder, s->db);
      if (report) {
        s->reports[folder] = std::move(report).value();
      }
    }
    return s;
  }();
  return *load;
}

#define HOSHI_REQUIRE_SHARED()                                                  \
  if (!Shared().present) {                                                      \
    GTEST_SKIP() << "shared advisory data not found under " << HOSHI_SHARED_DIR \
                 << "/data/advisories/osv (see shared/data/README.md)";         \
  }

TEST(MatcherSharedDataTest, LoadsEveryRecordOfTheSharedFolders) {
  HOSHI_REQUIRE_SHARED();
  // Expected counts were taken independently (python3 json/yaml over the same files):
  // files per folder, and records whose `withdrawn` is set.
  struct Expect {
    std::string folder;
    std::size_t files;
    std::size_t withdrawn;
  };
  const std::vector<Expect> expected = {{"go", 4291, 17}, {"crates", 1206, 13}, {"pypi", 2661, 10}};
  std::size_t total = 0;
  for (const Expect& e : expected) {
    ASSERT_TRUE(Shared().reports.contains(e.folder)) << e.folder;
    const AdvisoryLoadReport& r = Shared().reports.at(e.folder);
    EXPECT_EQ(r.files, e.files) << e.folder;
    EXPECT_EQ(r.loaded, e.files) << e.folder;
    EXPECT_EQ(r.failed, 0U) << e.folder;
    for (const Error& error : r.errors) {
      ADD_FAILURE() << error.ToString(Lang::kEn);
    }
    EXPECT_EQ(r.withdrawn, e.withdrawn) << e.folder;
    total += e.files;
  }
  EXPECT_EQ(Shared().db.size(), total);  // ids are unique across the three databases
  std::size_t withdrawn = 0;
  Shared().db.ForEach([&](const Advisory& a) { withdrawn += a.withdrawn.empty() ? 0 : 1; });
  EXPECT_EQ(withdrawn, 40U);
}

TEST(MatcherSharedDataTest, KevMarksTheKnownExploitedRecords) {
  HOSHI_REQUIRE_SHARED();
  const fs::path path =
      fs::path(HOSHI_SHARED_DIR) / "data/advisories/kev/known_exploited_vulnerabilities.json";
  auto kev = ReadKevFile(path);
  ASSERT_TRUE(kev) << kev.error().ToString(Lang::kEn);
  Shared().db.SetKev(*kev);
  std::set<std::string> marked;
  Shared().db.ForEach([&](const Advisory& a) {
    if (a.known_exploited) {
      marked.insert(a.id);
    }
  });
  // Found independently with python3: the records with an id, alias or upstream in the catalog.
  EXPECT_EQ(marked, (std::set<std::string>{"GO-2022-0535", "GO-2025-3459", "PYSEC-2020-102",
                                           "PYSEC-2020-103", "PYSEC-2020-104", "PYSEC-2020-14",
                                           "PYSEC-2020-18", "PYSEC-2022-236", "RUSTSEC-2023-0060",
                                           "RUSTSEC-2023-0061"}));
  const Advisory* spark = Shared().db.Find("PYSEC-2022-236");  // CVE-2022-33891, Apache Spark
  ASSERT_NE(spark, nullptr);
  EXPECT_EQ(spark->kev_date_added, "2023-03-07");
  const Advisory* crypt32 = Shared().db.Find("GO-2022-0535");  // CVE-2020-0601
  ASSERT_NE(crypt32, nullptr);
  EXPECT_EQ(crypt32->kev_date_added, "2021-11-03");
  // And the mark reaches the findings.
  Component spark_component = FromPurl("pkg:pypi/pyspark@3.0.0");
  const auto findings = MatchComponents(std::vector<Component>{spark_component}, Shared().db);
  const auto it = std::find_if(findings.begin(), findings.end(),
                               [](const Finding& f) { return f.advisory_id == "PYSEC-2022-236"; });
  ASSERT_NE(it, findings.end());
  EXPECT_TRUE(it->known_exploited);
  EXPECT_EQ(findings.front().known_exploited, true);  // known-exploited findings come first
}

TEST(MatcherSharedDataTest, RealRecordsMatch) {
  HOSHI_REQUIRE_SHARED();
  const auto findings = MatchComponents(
      std::vector<Component>{FromPurl("pkg:golang/github.com/coder/coder/v2@v2.14.0"),
                             FromPurl("pkg:golang/github.com/coder/coder/v2@v2.14.4")},
      Shared().db);
  const auto hit = std::find_if(findings.begin(), findings.end(),
                                [](const Finding& f) { return f.advisory_id == "GO-2024-3228"; });
  ASSERT_NE(hit, findings.end());
  EXPECT_EQ(hit->version, "v2.14.0");
  EXPECT_EQ(hit->affected_index, 1U);
  EXPECT_EQ(hit->match.introduced, "2.3.1");
  EXPECT_EQ(hit->match.until, (RangeEvent{Kind::kFixed, "2.14.4"}));
  EXPECT_EQ(std::count_if(findings.begin(), findings.end(),
                          [](const Finding& f) { return f.advisory_id == "GO-2024-3228"; }),
            1)
      << "v2.14.4 is the fixed version";
}

// ---- PyPI: explicit `versions` lists against our evaluation of the ECOSYSTEM ranges ----
//
// For every PyPI record that lists `versions` beside ECOSYSTEM ranges:
//   A. every listed version must be affected by the ranges (MatchAffected without the list);
//   B. the versions the record itself names in range events that the ranges call affected
//      (introduced, last_affected) should be listed (compared by PEP 440 equality). A fixed
//      version that is listed shows up under A.
// B stops at the record's own versions on purpose. Also taking the versions that other records
// of the same package list finds 1,730 more in 44 records: mostly tensorflow records whose lists
// leave out the release candidates (1.1.0rc0, ...) that other tensorflow records list, and
// records whose list predates later releases (notebook 5.7.14 for PYSEC-2020-215). Neither says
// anything about our ordering, and the second changes with every data update.
// Every disagreement is classified by the rules in Classify*; each must be in kKnownDisagreements
// with that category, and every entry there must still occur.

enum class Why {
  // A: the list counts the pre-releases of X.Y (3.2a1, 3.2rc1) as part of the X.Y series while
  // the range starts at the final X.Y; PEP 440 orders 3.2a1 before 3.2 (ours is right).
  kPreReleaseOfIntroduced,
  // A: one range whose events, paired in written order, describe overlapping intervals
  // ([2.11, 2.11.7) and [0, 2.11.6)); OSV evaluates the events sorted, so the "fixed 2.11.6"
  // closes both, while the list generator used the written pairs.
  kOverlappingIntervals,
  // A: the list was made from the GIT range (the tags not containing its fix commit) and names
  // releases at or after the ECOSYSTEM fixed version, whose tags lack that commit (gevent).
  kListedAtOrAfterFix,
  // B: the introduced version is older than every listed release: a bound from the upstream
  // advisory that predates the releases published on PyPI (e.g. moin 1.8, Plone 2.1).
  kIntroducedBeforeListedHistory,
  // B: the introduced version lies inside the listed history but no PyPI record in the data
  // lists it (nor a PEP 440-equal spelling): synthetic bounds (Django 1.7a0, Plone 4.3a0), the
  // x.y.0 of a series whose first upload was x.y.1 (bottle 0.11 and 0.12; nova 18.0.0 and
  // neutron 11.0.0, before OpenStack uploaded every release), and versions only a sibling
  // distribution published (tensorflow-cpu/-gpu 2.0.0 and 2.3.0rc0, which only tensorflow has).
  kIntroducedNotAListedRelease,
  // B: a last_affected version that is not listed (none in this data).
  kLastAffectedNotListed,
  // Anything else: a new kind of disagreement to investigate (a data change or a PEP 440 bug).
  kUnexplained,
};

std::string_view WhyName(Why why) {
  switch (why) {
    case Why::kPreReleaseOfIntroduced:
      return "kPreReleaseOfIntroduced";
    case Why::kOverlappingIntervals:
      return "kOverlappingIntervals";
    case Why::kListedAtOrAfterFix:
      return "kListedAtOrAfterFix";
    case Why::kIntroducedBeforeListedHistory:
      return "kIntroducedBeforeListedHistory";
    case Why::kIntroducedNotAListedRelease:
      return "kIntroducedNotAListedRelease";
    case Why::kLastAffectedNotListed:
      return "kLastAffectedNotListed";
    case Why::kUnexplained:
      return "kUnexplained";
  }
  return "?";
}

struct KnownDisagreement {
  std::string_view id;
  std::string_view version;
  Why why;
};

using enum Why;
// Reviewed one by one against the records (see the categories above). Regenerate the rows from
// the test's failure output after a data update, and review the new ones.
constexpr KnownDisagreement kKnownDisagreements[] = {
    // django: "introduced: 3.2" / "4.2", while the list has 3.2a1, 3.2b1, 3.2rc1, 4.2a1, ...
    {"PYSEC-2023-61", "3.2a1", kPreReleaseOfIntroduced},
    {"PYSEC-2023-61", "3.2b1", kPreReleaseOfIntroduced},
    {"PYSEC-2023-61", "3.2rc1", kPreReleaseOfIntroduced},
    {"PYSEC-2023-61", "4.2a1", kPreReleaseOfIntroduced},
    {"PYSEC-2023-61", "4.2b1", kPreReleaseOfIntroduced},
    {"PYSEC-2023-61", "4.2rc1", kPreReleaseOfIntroduced},
    // wagtail: introduced 2.11, fixed 2.11.7, introduced 0, fixed 2.11.6 in one range.
    {"PYSEC-2021-114", "2.11.6", kOverlappingIntervals},
    // gevent: "fixed: 23.9.0", listed 23.9.0 and 23.9.0.post1 (list from the GIT range).
    {"PYSEC-2023-177", "23.9.0", kListedAtOrAfterFix},
    {"PYSEC-2023-177", "23.9.0.post1", kListedAtOrAfterFix},
    // Lower bounds older than the first listed release (Plone 2.1, moin 1.8, Django 1.0, ...).
    {"PYSEC-2009-4", "1.0", kIntroducedBeforeListedHistory},
    {"PYSEC-2010-15", "1.8", kIntroducedBeforeListedHistory},
    {"PYSEC-2010-16", "1.8", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-52", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-53", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-54", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-55", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-56", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-57", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-58", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-59", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-60", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-61", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-62", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-63", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-64", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-67", "3.3", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-68", "3.3", kIntroducedBeforeListedHistory},
    {"PYSEC-2014-77", "0.8", kIntroducedBeforeListedHistory},
    {"PYSEC-2017-49", "0.0", kIntroducedBeforeListedHistory},
    {"PYSEC-2017-72", "3.0", kIntroducedBeforeListedHistory},
    {"PYSEC-2017-73", "3.0", kIntroducedBeforeListedHistory},
    {"PYSEC-2018-70", "2.5", kIntroducedBeforeListedHistory},
    {"PYSEC-2018-71", "2.5", kIntroducedBeforeListedHistory},
    {"PYSEC-2018-72", "2.5", kIntroducedBeforeListedHistory},
    {"PYSEC-2018-73", "2.5", kIntroducedBeforeListedHistory},
    {"PYSEC-2018-94", "7.0.0", kIntroducedBeforeListedHistory},
    {"PYSEC-2019-162", "0.4.0", kIntroducedBeforeListedHistory},
    {"PYSEC-2019-163", "0.4.0", kIntroducedBeforeListedHistory},
    {"PYSEC-2019-164", "0.4.0", kIntroducedBeforeListedHistory},
    {"PYSEC-2019-165", "3.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2019-166", "1.0", kIntroducedBeforeListedHistory},
    {"PYSEC-2019-168", "4.6.0", kIntroducedBeforeListedHistory},
    {"PYSEC-2019-169", "1.0.2", kIntroducedBeforeListedHistory},
    {"PYSEC-2019-184", "0.6.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2020-100", "2.1", kIntroducedBeforeListedHistory},
    {"PYSEC-2021-147", "4.2.0", kIntroducedBeforeListedHistory},
    {"PYSEC-2021-355", "0.4.2", kIntroducedBeforeListedHistory},
    // Django 1.7a0/1.8a0/1.9a0/1.10a0, Plone 4.3a0, ZODB3 3.9a0, marshmallow 3.0a0, bottle
    // 0.11/0.12, neutron 11.0.0, nova 18.0.0, ovirt-engine-sdk-python 3.5.0.0, and
    // tensorflow-cpu/-gpu 2.0.0 and 2.3.0rc0.
    {"PYSEC-2009-10", "3.9a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-19", "1.7a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-20", "1.7a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-27", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-29", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-30", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-31", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-32", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-33", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-34", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-35", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-36", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-37", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-39", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-40", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-41", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-42", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-43", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-44", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-45", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-46", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-47", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-48", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-49", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-50", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-51", "4.3a0", kIntroducedNotAListedRelease},
    {"PYSEC-2014-77", "0.11", kIntroducedNotAListedRelease},
    {"PYSEC-2014-77", "0.12", kIntroducedNotAListedRelease},
    {"PYSEC-2015-11", "1.9a0", kIntroducedNotAListedRelease},
    {"PYSEC-2015-18", "1.8a0", kIntroducedNotAListedRelease},
    {"PYSEC-2015-9", "1.8a0", kIntroducedNotAListedRelease},
    {"PYSEC-2016-2", "1.10a0", kIntroducedNotAListedRelease},
    {"PYSEC-2018-67", "3.0a0", kIntroducedNotAListedRelease},
    {"PYSEC-2019-190", "11.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2019-191", "18.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-245", "3.5.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-270", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-271", "2.3.0rc0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-272", "2.3.0rc0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-273", "2.3.0rc0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-274", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-275", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-282", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-283", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-284", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-285", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-286", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-287", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-288", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-289", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-290", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-291", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-297", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-298", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-299", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-301", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-302", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-303", "2.0.0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-306", "2.3.0rc0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-307", "2.3.0rc0", kIntroducedNotAListedRelease},
    {"PYSEC-2020-308", "2.3.0rc0", kIntroducedNotAListedRelease},
};

struct Disagreement {
  std::string id;
  std::string version;
  Why why;
  bool operator<(const Disagreement& o) const {
    return std::tie(id, version) < std::tie(o.id, o.version);
  }
};

/// The PEP 440 order of every version one package's records name (listed or in an event):
/// rank 0 is the oldest, versions PEP 440 calls equal ("1.9", "1.9.0") share a rank.
class PackageOrder {
 public:
  PackageOrder(std::vector<std::string> versions, const VersionScheme& scheme) {
    // Sorted by the release numbers first (cheap), then put right by insertion with the PEP 440
    // comparison itself: only pre-, post- and dev-releases and legacy versions move, so this
    // takes about one comparison per version instead of log2(n).
    std::vector<std::pair<std::vector<long long>, std::string>> keyed;
    keyed.reserve(versions.size());
    for (std::string& v : versions) {
      keyed.emplace_back(ReleaseNumbers(v), std::move(v));
    }
    std::sort(keyed.begin(), keyed.end());
    for (std::size_t i = 0; i < keyed.size(); ++i) {
      versions[i] = std::move(keyed[i].second);
    }
    for (std::size_t i = 1; i < versions.size(); ++i) {
      for (std::size_t j = i; j > 0 && scheme.Compare(versions[j - 1], versions[j]) > 0; --j) {
        std::swap(versions[j - 1], versions[j]);
      }
    }
    int rank = -1;
    for (std::size_t i = 0; i < versions.size(); ++i) {
      if (i == 0 || scheme.Compare(versions[i - 1], versions[i]) != 0) {
        ++rank;
      }
      rank_.emplace(versions[i], rank);
    }
  }
  [[nodiscard]] int Rank(const std::string& version) const { return rank_.at(version); }

 private:
  /// "v1!2.10.0rc1" → {1, 2, 10}: the epoch and the leading numbers, trailing zeros dropped.
  static std::vector<long long> ReleaseNumbers(std::string_view v) {
    std::vector<long long> out;
    if (!v.empty() && (v.front() == 'v' || v.front() == 'V')) {
      v.remove_prefix(1);
    }
    long long n = 0;
    std::size_t digits = 0;
    for (const char c : v) {
      if (c >= '0' && c <= '9' && digits < 15) {
        n = n * 10 + (c - '0');
        ++digits;
      } else if (c == '.' || c == '!') {
        out.push_back(n);
        n = 0;
        digits = 0;
      } else {
        break;
      }
    }
    out.push_back(n);
    while (out.size() > 1 && out.back() == 0) {
      out.pop_back();
    }
    return out;
  }

  std::unordered_map<std::string, int> rank_;
};

bool IsZero(const RangeEvent& e) {
  return e.kind == Kind::kIntroduced && e.version == "0";
}

class PypiCrossCheck {
 public:
  PypiCrossCheck(const std::map<std::string, std::set<std::string>>& all_listed,
                 const std::map<std::string, PackageOrder>& orders)
      : pep440_(*SchemeFor("PyPI")), all_listed_(all_listed), orders_(orders) {}

  void Check(const Advisory& advisory, const AdvisoryAffected& entry) {
    const PackageOrder& order = orders_.at(NormalizePackageName("PyPI", entry.package.name));
    Ranges& ranges = RangesOf(entry.affected, order);
    std::set<int> listed_ranks;
    for (const std::string& v : entry.affected.versions) {
      listed_ranks.insert(order.Rank(v));
    }
    ++counts_.entries;
    for (const std::string& v : entry.affected.versions) {
      ++counts_.versions;
      if (!Affected(ranges, order, v)) {
        found_.push_back({advisory.id, v, ClassifyListed(entry.affected, v)});
      }
    }
    for (const AffectedRange& range : entry.affected.ranges) {
      for (const RangeEvent& e : range.events) {
        if (range.type != Type::kEcosystem || IsZero(e) || e.kind == Kind::kFixed ||
            e.kind == Kind::kLimit) {
          continue;
        }
        ++counts_.events;
        if (Affected(ranges, order, e.version) && !listed_ranks.contains(order.Rank(e.version))) {
          found_.push_back({advisory.id, e.version, ClassifyEvent(entry, order, e)});
        }
      }
    }
  }

  struct Counts {
    std::size_t entries = 0;
    std::size_t versions = 0;
    std::size_t events = 0;
  };
  [[nodiscard]] const std::vector<Disagreement>& found() const { return found_; }
  [[nodiscard]] const Counts& counts() const { return counts_; }

 private:
  /// The ranges of an entry without its list, and the answers already computed for them.
  struct Ranges {
    AffectedPackage ranges;
    std::vector<std::string> bounds;  // the event versions (not "introduced: 0"), by rank
    bool by_position = true;          // false: a SEMVER range or a limit; ask per version
    std::map<std::pair<std::size_t, bool>, bool> at_position;
    std::map<std::string, bool, std::less<>> per_version;
  };

  // Speed under the sanitizers, where PEP 440 parsing dominates (140,846 listed versions):
  // - MatchRange reads a version only through Compare(version, event): versions that compare
  //   alike with every event (same place among the sorted event versions, equal to one or not)
  //   get the same answer. So MatchAffected runs once per place, for the first version found
  //   there; places come from each package's PEP 440 order, sorted once.
  // - Entries with equal ranges share these answers (tensorflow, tensorflow-cpu and
  //   tensorflow-gpu records share their ranges; a place is the same in every package).
  // - Events are handed over in the order MatchRange sorts them into (stable, "introduced: 0"
  //   first, then by version), so its own sort finds them sorted.
  // None of this changes an answer; MatchRange's own cases are in osv_range_test.cc.
  Ranges& RangesOf(const AffectedPackage& affected, const PackageOrder& order) {
    std::string signature;
    for (const AffectedRange& r : affected.ranges) {
      signature += std::to_string(static_cast<int>(r.type)) + ":";
      for (const RangeEvent& e : r.events) {
        signature += std::to_string(static_cast<int>(e.kind)) + "=" + e.version + ",";
      }
      signature += ";";
    }
    const auto [it, inserted] = by_signature_.try_emplace(std::move(signature));
    Ranges& r = it->second;
    if (!inserted) {
      return r;
    }
    r.ranges = affected;
    r.ranges.versions.clear();
    const auto by_rank = [&](const std::string& a, const std::string& b) {
      return order.Rank(a) < order.Rank(b);
    };
    for (AffectedRange& range : r.ranges.ranges) {
      if (range.type == Type::kGit) {
        continue;
      }
      r.by_position = r.by_position && range.type == Type::kEcosystem;
      std::stable_sort(range.events.begin(), range.events.end(),
                       [&](const RangeEvent& a, const RangeEvent& b) {
                         if (IsZero(a) || IsZero(b)) {
                           return IsZero(a) && !IsZero(b);
                         }
                         return by_rank(a.version, b.version);
                       });
      range.order.clear();  // the events moved: MatchRange sorts them again (PrepareAffected)
      for (const RangeEvent& e : range.events) {
        r.by_position = r.by_position && e.kind != Kind::kLimit;
        if (!IsZero(e)) {
          r.bounds.push_back(e.version);
        }
      }
    }
    std::sort(r.bounds.begin(), r.bounds.end(), by_rank);
    r.bounds.erase(std::unique(r.bounds.begin(), r.bounds.end(),
                               [&](const std::string& a, const std::string& b) {
                                 return order.Rank(a) == order.Rank(b);
                               }),
                   r.bounds.end());
    return r;
  }

  static bool Affected(Ranges& r, const PackageOrder& order, const std::string& version) {
    const auto known = r.per_version.find(version);
    if (known != r.per_version.end()) {
      return known->second;
    }
    bool affected = false;
    if (r.by_position) {
      const int rank = order.Rank(version);
      const auto at =
          std::lower_bound(r.bounds.begin(), r.bounds.end(), rank,
                           [&](const std::string& bound, int v) { return order.Rank(bound) < v; });
      const std::pair<std::size_t, bool> position{static_cast<std::size_t>(at - r.bounds.begin()),
                                                  at != r.bounds.end() && order.Rank(*at) == rank};
      const auto it = r.at_position.find(position);
      affected = it != r.at_position.end()
                     ? it->second
                     : r.at_position.emplace(position, MatchAffected(r.ranges, version).has_value())
                           .first->second;
    } else {
      affected = MatchAffected(r.ranges, version).has_value();
    }
    r.per_version.emplace(version, affected);
    return affected;
  }

  Why ClassifyListed(const AffectedPackage& ranges, const std::string& v) const {
    // On the ranges as written: the written order is what some of these rules are about.
    for (const AffectedRange& range : ranges.ranges) {
      if (range.type != Type::kEcosystem) {
        continue;
      }
      for (std::size_t i = 0; i < range.events.size(); ++i) {
        const RangeEvent& e = range.events[i];
        if (e.kind == Kind::kIntroduced && !IsZero(e) && v.starts_with(e.version) &&
            pep440_.Compare(v, e.version) < 0) {
          return kPreReleaseOfIntroduced;  // "3.2a1" under "introduced: 3.2"
        }
        // The written pair (introduced, next event) holds v, though the sorted timeline does not.
        if (e.kind == Kind::kIntroduced && i + 1 < range.events.size() &&
            range.events[i + 1].kind == Kind::kFixed &&
            (IsZero(e) || pep440_.Compare(v, e.version) >= 0) &&
            pep440_.Compare(v, range.events[i + 1].version) < 0) {
          return kOverlappingIntervals;
        }
      }
    }
    const bool has_git = std::any_of(ranges.ranges.begin(), ranges.ranges.end(),
                                     [](const AffectedRange& r) { return r.type == Type::kGit; });
    for (const AffectedRange& range : ranges.ranges) {
      for (const RangeEvent& e : range.events) {
        if (range.type == Type::kEcosystem && e.kind == Kind::kFixed && has_git &&
            pep440_.Compare(v, e.version) >= 0) {
          return kListedAtOrAfterFix;
        }
      }
    }
    return kUnexplained;
  }

  Why ClassifyEvent(const AdvisoryAffected& entry, const PackageOrder& order,
                    const RangeEvent& e) const {
    if (e.kind == Kind::kLastAffected) {
      return kLastAffectedNotListed;
    }
    const auto all = all_listed_.find(NormalizePackageName("PyPI", entry.package.name));
    if (all != all_listed_.end() &&
        std::any_of(all->second.begin(), all->second.end(),
                    [&](const std::string& l) { return order.Rank(l) == order.Rank(e.version); })) {
      return kUnexplained;  // another record lists it: a real release missing from this list
    }
    const bool older_listed =
        std::any_of(entry.affected.versions.begin(), entry.affected.versions.end(),
                    [&](const std::string& l) { return order.Rank(l) < order.Rank(e.version); });
    return older_listed ? kIntroducedNotAListedRelease : kIntroducedBeforeListedHistory;
  }

  const VersionScheme& pep440_;
  const std::map<std::string, std::set<std::string>>& all_listed_;
  const std::map<std::string, PackageOrder>& orders_;
  std::map<std::string, Ranges> by_signature_;
  std::vector<Disagreement> found_;
  Counts counts_;
};

bool ChecksPypiEntry(const AdvisoryAffected& entry) {
  return BaseEcosystem(entry.package.ecosystem) == "PyPI" && !entry.affected.versions.empty() &&
         std::any_of(entry.affected.ranges.begin(), entry.affected.ranges.end(),
                     [](const AffectedRange& r) { return r.type == Type::kEcosystem; });
}

TEST(MatcherSharedDataTest, PypiListedVersionsAgreeWithRanges) {
  HOSHI_REQUIRE_SHARED();
  const VersionScheme& pep440 = *SchemeFor("PyPI");
  // Every version any PyPI record lists, by package (the releases known to the data set), and
  // every version named at all, ordered once per package.
  std::map<std::string, std::set<std::string>> all_listed;
  std::map<std::string, std::set<std::string>> all_named;
  Shared().db.ForEach([&](const Advisory& a) {
    for (const AdvisoryAffected& entry : a.affected) {
      if (BaseEcosystem(entry.package.ecosystem) != "PyPI") {
        continue;
      }
      const std::string name = NormalizePackageName("PyPI", entry.package.name);
      all_listed[name].insert(entry.affected.versions.begin(), entry.affected.versions.end());
      all_named[name].insert(entry.affected.versions.begin(), entry.affected.versions.end());
      for (const AffectedRange& range : entry.affected.ranges) {
        for (const RangeEvent& e : range.events) {
          if (range.type == Type::kEcosystem && !IsZero(e)) {
            all_named[name].insert(e.version);
          }
        }
      }
    }
  });
  std::map<std::string, PackageOrder> orders;
  for (const auto& [name, versions] : all_named) {
    orders.emplace(name, PackageOrder({versions.begin(), versions.end()}, pep440));
  }
  PypiCrossCheck check(all_listed, orders);
  Shared().db.ForEach([&](const Advisory& a) {
    for (const AdvisoryAffected& entry : a.affected) {
      if (ChecksPypiEntry(entry)) {
        check.Check(a, entry);
      }
    }
  });
  const std::vector<Disagreement>& found = check.found();
  std::cout << "[ PyPI     ] " << check.counts().entries << " affected entries, "
            << check.counts().versions << " listed versions and " << check.counts().events
            << " introduced/last_affected versions checked: " << found.size() << " disagreements\n";

  std::map<std::pair<std::string, std::string>, Why> known;
  for (const KnownDisagreement& k : kKnownDisagreements) {
    known.emplace(std::make_pair(std::string(k.id), std::string(k.version)), k.why);
  }
  std::map<Why, std::size_t> per_category;
  std::ostringstream unexpected;
  for (const Disagreement& d : found) {
    ++per_category[d.why];
    const auto it = known.find({d.id, d.version});
    if (it == known.end() || it->second != d.why) {
      unexpected << "    {\"" << d.id << "\", \"" << d.version << "\", " << WhyName(d.why)
                 << "},\n";
    }
    if (it != known.end()) {
      known.erase(it);
    }
  }
  for (const auto& [why, n] : per_category) {
    std::cout << "[ PyPI     ]   " << WhyName(why) << ": " << n << "\n";
  }
  EXPECT_EQ(per_category[kUnexplained], 0U);
  EXPECT_TRUE(unexpected.str().empty())
      << "disagreements not in kKnownDisagreements (or in another category); investigate, "
         "then add reviewed rows:\n"
      << unexpected.str();
  for (const auto& [key, why] : known) {
    ADD_FAILURE() << "listed disagreement no longer occurs: " << key.first << " " << key.second
                  << " (" << WhyName(why) << "): remove it from the table";
  }
}

}  // namespace
}  // namespace hoshi::sbom
