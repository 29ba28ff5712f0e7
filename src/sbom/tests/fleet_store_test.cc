// SPDX-License-Identifier: Apache-2.0
// The SBOM fleet on SQLite and PostgreSQL: storing SBOMs, incremental re-matching when
// advisories arrive or change, lead times, VEX, superseding, sharing with buyers, SCS 4-4-4-2.
#include <map>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "hoshi/sbom/fleet.h"

#include "db_fixture.h"

namespace hoshi::sbom {
namespace {

using storage::Value;

Component Pkg(std::string ref, std::string ecosystem, std::string name, std::string version) {
  Component c;
  c.ref = std::move(ref);
  c.name = name;
  c.version = std::move(version);
  c.purl = fmt::format("pkg:{}/{}@{}", ecosystem == "PyPI" ? "pypi" : "golang", name, c.version);
  c.package = PackageKey{std::move(ecosystem), std::move(name)};
  return c;
}

SbomDocument Doc(std::vector<Component> components) {
  SbomDocument d;
  d.spec_version = "1.6";
  d.name = "app";
  d.components = std::move(components);
  return d;
}

/// An OSV record for one PyPI package with one ECOSYSTEM range.
std::string Osv(std::string_view id, std::string_view package, std::string_view introduced,
                std::string_view fixed, std::string_view published, std::string_view modified,
                std::string_view extra = "") {
  return fmt::format(
      R"({{"id":"{}","published":"{}","modified":"{}","aliases":["CVE-2026-{}"],{}
"summary":"test advisory","affected":[{{"package":{{"ecosystem":"PyPI","name":"{}"}},
"ranges":[{{"type":"ECOSYSTEM","events":[{{"introduced":"{}"}},{{"fixed":"{}"}}]}}]}}]}})",
      id, published, modified, id.substr(id.size() - 4), extra, package, introduced, fixed);
}

class FleetStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped()) {
      return;
    }
    for (const auto& [id, number] :
         {std::pair{"org-a", "1"}, std::pair{"org-b", "2"}, std::pair{"buyer", "3"}}) {
      const std::vector<Value> p{std::string(id), std::string(number), std::string(id),
                                 std::string("2026-01-01T00:00:00Z")};
      ASSERT_TRUE(conn_
                      ->Query("INSERT INTO organizations (id, corporate_number, name, "
                              "created_at) VALUES (?, ?, ?, ?)",
                              p)
                      .ok());
    }
    store_ = std::make_unique<FleetStore>(*conn_, clock_);
  }

  AdvisoryImport Import(const std::string& record) {
    auto advisory = ParseOsvJson(record, "test");
    EXPECT_TRUE(advisory.ok()) << advisory.error().ToString(Lang::kEn);
    auto result = store_->ImportAdvisory(*advisory, record, "json", db_);
    EXPECT_TRUE(result.ok()) << result.error().ToString(Lang::kEn) << result.error().detail();
    return result.ok() ? *result : AdvisoryImport{};
  }

  StoredSbom Upload(std::string_view org, std::string_view product, SbomDocument doc) {
    auto s = store_->AddSbom(org, product, "1.0", doc, "deadbeef", 10, "user-1", db_);
    EXPECT_TRUE(s.ok()) << s.error().ToString(Lang::kEn) << s.error().detail();
    return s.ok() ? *s : StoredSbom{};
  }

  std::vector<StoredFinding> FindingsOf(std::string_view org, bool resolved = false) {
    FindingQuery q;
    q.organization_id = std::string(org);
    q.include_resolved = resolved;
    auto f = store_->Findings(q);
    EXPECT_TRUE(f.ok()) << f.error().detail();
    return f.ok() ? *f : std::vector<StoredFinding>{};
  }

  AdvisoryDb db_;
  std::unique_ptr<FleetStore> store_;
};

TEST_P(FleetStoreTest, UploadMatchesKnownAdvisoriesWithoutLeadTime) {
  Import(
      Osv("PYSEC-0001", "Django", "4.0", "4.2.1", "2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z"));
  const auto sbom =
      Upload("org-a", "portal",
             Doc({Pkg("c1", "PyPI", "django", "4.1"), Pkg("c2", "PyPI", "requests", "2.0"),
                  Pkg("c3", "PyPI", "django", "4.2.1")}));
  EXPECT_EQ(sbom.component_count, 3);
  auto components = store_->Components(sbom.id);
  ASSERT_TRUE(components.ok());
  ASSERT_EQ(components->size(), 3u);
  EXPECT_EQ((*components)[0].package->name, "django");

  const auto findings = FindingsOf("org-a");
  ASSERT_EQ(findings.size(), 1u);  // 4.2.1 is the fixed version: not affected
  EXPECT_EQ(findings[0].finding.component_ref, "c1");
  EXPECT_EQ(findings[0].finding.advisory_id, "PYSEC-0001");
  EXPECT_EQ(findings[0].trigger, FindingTrigger::kSbomUpload);
  EXPECT_EQ(findings[0].state, FindingState::kOpen);
  EXPECT_FALSE(findings[0].lead_time.has_value());
  EXPECT_EQ(findings[0].identified_at, "2026-11-22T00:00:00.000Z");
  EXPECT_TRUE(FindingsOf("org-b").empty());
}

TEST_P(FleetStoreTest, NewAdvisoryRematchesOnlyItsPackagesAndRecordsTheLeadTime) {
  const auto a =
      Upload("org-a", "portal",
             Doc({Pkg("c1", "PyPI", "flask", "2.0.0"), Pkg("c2", "PyPI", "jinja2", "3.0"),
                  Pkg("c3", "PyPI", "Flask", "2.3.0")}));
  const auto b = Upload("org-b", "erp", Doc({Pkg("x", "PyPI", "flask", "1.0")}));
  clock_.Advance(std::chrono::hours(3));
  const auto result = Import(
      Osv("PYSEC-0002", "flask", "1.5", "2.2.5", "2026-11-22T01:00:00Z", "2026-11-22T01:00:00Z"));
  EXPECT_EQ(result.change, AdvisoryChange::kNew);
  EXPECT_EQ(result.instances_checked, 3u);  // the three flask instances, not jinja2
  EXPECT_EQ(result.new_findings, 1u);       // org-a's flask 2.0.0 (1.0 < 1.5, 2.3.0 ≥ fix)
  EXPECT_EQ(result.affected_sboms, std::vector<std::string>{a.id});
  const auto findings = FindingsOf("org-a");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].trigger, FindingTrigger::kAdvisoryNew);
  EXPECT_EQ(findings[0].disclosed_at, "2026-11-22T01:00:00Z");
  ASSERT_TRUE(findings[0].lead_time.has_value());
  EXPECT_EQ(*findings[0].lead_time, std::chrono::hours(2));
  EXPECT_TRUE(FindingsOf("org-b").empty());
  static_cast<void>(b);

  // The same record again changes nothing.
  const auto again = Import(
      Osv("PYSEC-0002", "flask", "1.5", "2.2.5", "2026-11-22T01:00:00Z", "2026-11-22T01:00:00Z"));
  EXPECT_EQ(again.change, AdvisoryChange::kUnchanged);
  EXPECT_EQ(again.new_findings, 0u);
  EXPECT_EQ(FindingsOf("org-a").front().identified_at, findings[0].identified_at);
}

TEST_P(FleetStoreTest, ModifiedAdvisoryWidensAndNarrowsFindings) {
  Upload("org-a", "portal",
         Doc({Pkg("old", "PyPI", "pillow", "8.0"), Pkg("new", "PyPI", "pillow", "9.5")}));
  Import(
      Osv("PYSEC-0003", "pillow", "9.0", "10.0", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"));
  ASSERT_EQ(FindingsOf("org-a").size(), 1u);
  clock_.Advance(std::chrono::hours(1));
  // Widened: 8.0 now affected, found because of the modification, timed from `modified`.
  const auto widened = Import(
      Osv("PYSEC-0003", "pillow", "7.0", "10.0", "2026-11-01T00:00:00Z", "2026-11-21T23:30:00Z"));
  EXPECT_EQ(widened.change, AdvisoryChange::kModified);
  EXPECT_EQ(widened.new_findings, 1u);
  auto findings = FindingsOf("org-a");
  ASSERT_EQ(findings.size(), 2u);
  for (const auto& f : findings) {
    if (f.finding.component_ref == "old") {
      EXPECT_EQ(f.trigger, FindingTrigger::kAdvisoryModified);
      EXPECT_EQ(*f.lead_time, std::chrono::minutes(90));
    } else {
      EXPECT_EQ(f.trigger, FindingTrigger::kAdvisoryNew);  // kept from the first import
    }
  }
  // Narrowed: 9.5 no longer affected → resolved.
  const auto narrowed = Import(
      Osv("PYSEC-0003", "pillow", "7.0", "9.1", "2026-11-01T00:00:00Z", "2026-11-22T00:30:00Z"));
  EXPECT_EQ(narrowed.resolved_findings, 1u);
  findings = FindingsOf("org-a");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].finding.component_ref, "old");
  EXPECT_EQ(FindingsOf("org-a", /*resolved=*/true).size(), 2u);
  // Withdrawn: everything resolved.
  const auto withdrawn =
      Import(Osv("PYSEC-0003", "pillow", "7.0", "9.1", "2026-11-01T00:00:00Z",
                 "2026-11-22T01:00:00Z", R"("withdrawn":"2026-11-22T01:00:00Z",)"));
  EXPECT_EQ(withdrawn.resolved_findings, 1u);
  EXPECT_TRUE(FindingsOf("org-a").empty());
}

TEST_P(FleetStoreTest, NewerSbomSupersedesTheProductsPreviousOne) {
  Import(Osv("PYSEC-0004", "urllib3", "1.0", "1.26.5", "2026-11-01T00:00:00Z",
             "2026-11-01T00:00:00Z"));
  const auto first = Upload("org-a", "portal", Doc({Pkg("u", "PyPI", "urllib3", "1.25")}));
  ASSERT_EQ(FindingsOf("org-a").size(), 1u);
  const auto second = Upload("org-a", "portal", Doc({Pkg("u", "PyPI", "urllib3", "2.0")}));
  EXPECT_TRUE(FindingsOf("org-a").empty());
  auto listed = store_->ListSboms("org-a");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(listed->front().id, second.id);
  auto old = store_->GetSbom(first.id);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->superseded_by, second.id);
  // The superseded SBOM's components are out of the index: a new advisory ignores them.
  const auto r = Import(Osv("PYSEC-0005", "urllib3", "1.0", "1.26.0", "2026-11-21T00:00:00Z",
                            "2026-11-21T00:00:00Z"));
  EXPECT_EQ(r.instances_checked, 1u);
  EXPECT_TRUE(r.affected_sboms.empty());
  EXPECT_EQ(store_->GetSbom("nope").error().code(), ErrorCode::kNotFound);
}

TEST_P(FleetStoreTest, VexSuppressesAndKeepsTheJustification) {
  SbomDocument doc = Doc({Pkg("a", "PyPI", "pyyaml", "5.1"), Pkg("b", "PyPI", "lxml", "4.0")});
  VexStatement in_doc;
  in_doc.vulnerability = "CVE-2026-0006";  // by alias
  in_doc.product_refs = {"b"};
  in_doc.status = VexStatus::kNotAffected;
  in_doc.justification = "code_not_reachable";
  in_doc.source = "cyclonedx";
  doc.vex.push_back(in_doc);
  Import(Osv("PYSEC-0006", "lxml", "3.0", "4.6", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"));
  Import(Osv("PYSEC-0007", "pyyaml", "5.0", "5.4", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"));
  Upload("org-a", "portal", doc);
  auto findings = FindingsOf("org-a");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].state, FindingState::kOpen);  // open before suppressed
  EXPECT_EQ(findings[1].state, FindingState::kSuppressed);
  ASSERT_TRUE(findings[1].finding.suppressed_by.has_value());
  EXPECT_EQ(findings[1].finding.suppressed_by->justification, "code_not_reachable");

  VexStatement later;
  later.vulnerability = "PYSEC-0007";
  later.product_purls = {"pkg:pypi/pyyaml"};
  later.status = VexStatus::kNotAffected;
  later.justification = "vulnerable_code_not_in_execute_path";
  later.source = "openvex";
  auto n = store_->AddVex("org-a", std::vector<VexStatement>{later});
  ASSERT_TRUE(n.ok()) << n.error().detail();
  EXPECT_EQ(*n, 1u);
  findings = FindingsOf("org-a");
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].state, FindingState::kSuppressed);
  EXPECT_EQ(findings[1].state, FindingState::kSuppressed);
  // A stored organisation-wide statement also applies to a later re-match.
  Import(Osv("PYSEC-0007", "pyyaml", "5.0", "5.5", "2026-11-01T00:00:00Z", "2026-11-21T00:00:00Z"));
  for (const auto& f : FindingsOf("org-a")) {
    EXPECT_EQ(f.state, FindingState::kSuppressed) << f.finding.advisory_id;
  }
  // A statement inside one SBOM stays with that SBOM: another product of the organisation with
  // the same bom-ref is not covered by it when an advisory re-matches both.
  Upload("org-a", "erp", Doc({Pkg("b", "PyPI", "lxml", "4.0")}));
  Import(Osv("PYSEC-0006", "lxml", "3.0", "4.7", "2026-11-01T00:00:00Z", "2026-11-21T00:00:00Z"));
  std::map<std::string, FindingState> lxml_state;
  for (const auto& f : FindingsOf("org-a")) {
    if (f.finding.advisory_id == "PYSEC-0006") {
      lxml_state[f.product] = f.state;
    }
  }
  EXPECT_EQ(lxml_state, (std::map<std::string, FindingState>{
                            {"erp", FindingState::kOpen}, {"portal", FindingState::kSuppressed}}));
}

TEST_P(FleetStoreTest, BuyersSeeOnlySuppliersThatShare) {
  const std::string record = Osv("PYSEC-0008", "cryptography", "1.0", "41.0.0",
                                 "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z");
  Import(record);
  Upload("org-a", "portal", Doc({Pkg("c", "PyPI", "cryptography", "39.0")}));
  Upload("org-b", "erp", Doc({Pkg("c", "PyPI", "cryptography", "40.0")}));
  ASSERT_TRUE(store_->Share("org-a", "buyer").ok());
  ASSERT_TRUE(store_->Share("org-a", "buyer").ok());  // idempotent
  // A second record of the same CVE (another database's id) with a narrower range.
  Import(Osv("GHSA-test-0008", "cryptography", "39.0", "39.1", "2026-11-02T00:00:00Z",
             "2026-11-02T00:00:00Z"));
  const auto ids = ResolveAdvisoryIds(db_, "cve-2026-0008");
  EXPECT_EQ(ids, (std::vector<std::string>{"GHSA-test-0008", "PYSEC-0008"}));
  auto seen = store_->AffectedSuppliers("buyer", ids);
  ASSERT_TRUE(seen.ok()) << seen.error().detail();
  ASSERT_EQ(seen->size(), 2u);  // the same component, found through each record
  EXPECT_EQ(seen->front().supplier_organization_id, "org-a");
  EXPECT_EQ(seen->front().product, "portal");
  EXPECT_EQ(seen->front().version, "39.0");
  EXPECT_EQ(seen->at(0).advisory_id, "GHSA-test-0008");
  EXPECT_EQ(seen->at(1).advisory_id, "PYSEC-0008");
  EXPECT_EQ(ResolveAdvisoryIds(db_, "CVE-2099-0001"), std::vector<std::string>{"CVE-2099-0001"});
  EXPECT_EQ(*store_->SharedWith("org-a"), std::vector<std::string>{"buyer"});
  ASSERT_TRUE(store_->Unshare("org-a", "buyer").ok());
  EXPECT_TRUE(store_->AffectedSuppliers("buyer", std::vector<std::string>{"PYSEC-0008"})->empty());
}

TEST_P(FleetStoreTest, AdvisoriesReloadFromTheDatabase) {
  Import(Osv("PYSEC-0009", "numpy", "1.0", "1.22", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"));
  AdvisoryDb fresh;
  auto n = store_->LoadAdvisories(fresh);
  ASSERT_TRUE(n.ok()) << n.error().detail();
  EXPECT_EQ(*n, 1u);
  ASSERT_NE(fresh.Find("PYSEC-0009"), nullptr);
  EXPECT_EQ(fresh.Candidates("PyPI", "numpy").size(), 1u);
  EXPECT_EQ(*store_->CountAdvisories(), 1u);
}

// Components and new findings are written in multi-row chunks (storage::BulkInsert, 200 rows):
// counts that cross chunk boundaries must come out whole, with each row's own values.
TEST_P(FleetStoreTest, LargeSbomsAndImportsAreWrittenCompletely) {
  Import(Osv("PYSEC-0100", "bigpkg", "0", "9.0", "2026-10-01T00:00:00Z", "2026-10-01T00:00:00Z"));
  std::vector<Component> components;
  for (int i = 0; i < 450; ++i) {
    components.push_back(Pkg(fmt::format("c{}", i), "PyPI", "bigpkg", fmt::format("1.{}", i)));
  }
  for (int i = 0; i < 60; ++i) {
    components.push_back(Pkg(fmt::format("o{}", i), "PyPI", "otherpkg", "1.0"));
  }
  const auto sbom = Upload("org-a", "portal", Doc(components));
  EXPECT_EQ(sbom.component_count, 510);
  auto stored = store_->Components(sbom.id);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 510u);
  EXPECT_EQ((*stored)[449].ref, "c449");
  EXPECT_EQ((*stored)[449].version, "1.449");
  EXPECT_EQ((*stored)[509].ref, "o59");
  EXPECT_EQ(FindingsOf("org-a").size(), 450u);

  // A new advisory affecting 1.0 … 1.299: 300 new findings in two chunks.
  const auto r = Import(
      Osv("PYSEC-0101", "bigpkg", "0", "1.300", "2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"));
  EXPECT_EQ(r.change, AdvisoryChange::kNew);
  EXPECT_EQ(r.instances_checked, 450u);
  EXPECT_EQ(r.new_findings, 300u);
  const auto findings = FindingsOf("org-a");
  EXPECT_EQ(findings.size(), 750u);
  std::set<std::string> refs;
  for (const StoredFinding& f : findings) {
    if (f.finding.advisory_id == "PYSEC-0101") {
      refs.insert(f.finding.component_ref);
      EXPECT_EQ(f.trigger, FindingTrigger::kAdvisoryNew);
      EXPECT_TRUE(f.lead_time.has_value());
    }
  }
  EXPECT_EQ(refs.size(), 300u);
  EXPECT_TRUE(refs.contains("c299"));
  EXPECT_FALSE(refs.contains("c300"));
}

HOSHI_INSTANTIATE_DB_TEST(FleetStoreTest);

StoredFinding Open(std::optional<double> score, bool kev, std::string published,
                   RangeEvent::Kind until = RangeEvent::Kind::kFixed) {
  StoredFinding f;
  f.finding.base_score = score;
  f.finding.known_exploited = kev;
  f.finding.published = std::move(published);
  f.finding.match.until = RangeEvent{until, "2.0"};
  f.identified_at = "2026-11-20T00:00:00.000Z";
  return f;
}

TEST(CountFindingsTest, CountsByStateOverdueAndKev) {
  std::vector<StoredFinding> list(5);
  list[0].overdue = true;
  list[1].finding.known_exploited = true;
  list[2].state = FindingState::kSuppressed;
  list[2].finding.known_exploited = true;  // suppressed: not counted as open KEV
  list[3].state = FindingState::kResolved;
  const FindingCounts c = CountFindings(list);
  EXPECT_EQ(c.open, 3u);
  EXPECT_EQ(c.suppressed, 1u);
  EXPECT_EQ(c.overdue, 1u);
  EXPECT_EQ(c.known_exploited, 1u);
}

TEST(OverdueTest, FollowsScsCriterion4442) {
  const TimePoint now = *ParseTimestamp("2026-11-22T00:00:00Z");
  struct Case {
    const char* name;
    StoredFinding finding;
    bool overdue;
  };
  std::vector<Case> cases{
      {"high, 20 days", Open(7.5, false, "2026-11-02T00:00:00Z"), true},
      {"exactly 7.0, 15 days", Open(7.0, false, "2026-11-07T00:00:00Z"), true},
      {"high, 14 days", Open(9.8, false, "2026-11-08T00:00:00Z"), false},
      {"medium, 60 days", Open(5.3, false, "2026-09-23T00:00:00Z"), false},
      {"known exploited medium", Open(5.3, true, "2026-09-23T00:00:00Z"), true},
      {"unrated with a fix", Open(std::nullopt, false, "2026-10-01T00:00:00Z"), true},
      {"unrated, no fix",
       Open(std::nullopt, false, "2026-10-01T00:00:00Z", RangeEvent::Kind::kLastAffected), false},
      {"no usable date: identified 2 days ago", Open(9.0, false, "0001-01-01T00:00:00Z"), false},
  };
  StoredFinding suppressed = Open(9.0, false, "2026-10-01T00:00:00Z");
  suppressed.state = FindingState::kSuppressed;
  cases.push_back({"suppressed", suppressed, false});
  for (const auto& c : cases) {
    EXPECT_EQ(IsOverdue(c.finding, now), c.overdue) << c.name;
  }
}

}  // namespace
}  // namespace hoshi::sbom
