// SPDX-License-Identifier: Apache-2.0
#include "hoshi/sbom/osv_range.h"

#include <gtest/gtest.h>

namespace hoshi::sbom {
namespace {

using Kind = RangeEvent::Kind;
constexpr auto kIntro = Kind::kIntroduced;
constexpr auto kFixed = Kind::kFixed;
constexpr auto kLast = Kind::kLastAffected;
constexpr auto kLimit = Kind::kLimit;

// One range, one version, the expected verdict: OSV range semantics as data.
struct RangeCase {
  std::string_view name;
  std::string_view ecosystem;
  AffectedRange::Type type;
  std::vector<RangeEvent> events;
  std::string_view version;
  bool affected;
  std::string_view introduced = "";  // the introduced event reported when affected
};

const std::vector<RangeCase>& Cases() {
  using T = AffectedRange::Type;
  static const std::vector<RangeCase> kCases = {
      {"fixed is exclusive", "npm", T::kSemver, {{kIntro, "0"}, {kFixed, "1.2.3"}}, "1.2.3", false},
      {"below fixed", "npm", T::kSemver, {{kIntro, "0"}, {kFixed, "1.2.3"}}, "1.2.2", true, "0"},
      {"pre-release of fixed",
       "npm",
       T::kSemver,
       {{kIntro, "0"}, {kFixed, "1.2.3"}},
       "1.2.3-rc.1",
       true,
       "0"},
      {"introduced is inclusive",
       "npm",
       T::kSemver,
       {{kIntro, "1.0.0"}, {kFixed, "2.0.0"}},
       "1.0.0",
       true,
       "1.0.0"},
      {"before introduced",
       "npm",
       T::kSemver,
       {{kIntro, "1.0.0"}, {kFixed, "2.0.0"}},
       "0.9.9",
       false},
      {"last_affected is inclusive",
       "PyPI",
       T::kEcosystem,
       {{kIntro, "1.0"}, {kLast, "1.4"}},
       "1.4",
       true,
       "1.0"},
      {"after last_affected",
       "PyPI",
       T::kEcosystem,
       {{kIntro, "1.0"}, {kLast, "1.4"}},
       "1.4.post1",
       false},
      {"several pairs: first",
       "PyPI",
       T::kEcosystem,
       {{kIntro, "1.0"}, {kFixed, "1.2"}, {kIntro, "2.0"}, {kFixed, "2.3"}},
       "1.1",
       true,
       "1.0"},
      {"several pairs: gap",
       "PyPI",
       T::kEcosystem,
       {{kIntro, "1.0"}, {kFixed, "1.2"}, {kIntro, "2.0"}, {kFixed, "2.3"}},
       "1.5",
       false},
      {"several pairs: second",
       "PyPI",
       T::kEcosystem,
       {{kIntro, "1.0"}, {kFixed, "1.2"}, {kIntro, "2.0"}, {kFixed, "2.3"}},
       "2.2",
       true,
       "2.0"},
      {"events out of order",
       "PyPI",
       T::kEcosystem,
       {{kFixed, "2.3"}, {kIntro, "2.0"}, {kFixed, "1.2"}, {kIntro, "1.0"}},
       "2.2",
       true,
       "2.0"},
      {"open-ended", "Maven", T::kEcosystem, {{kIntro, "2.0"}}, "99.0", true, "2.0"},
      {"ecosystem order, not bytes",
       "Maven",
       T::kEcosystem,
       {{kIntro, "0"}, {kFixed, "1.10"}},
       "1.9",
       true,
       "0"},
      {"debian epoch",
       "Debian:12",
       T::kEcosystem,
       {{kIntro, "0"}, {kFixed, "1:1.0-1"}},
       "2.0-1",
       true,
       "0"},
      {"debian tilde",
       "Debian",
       T::kEcosystem,
       {{kIntro, "0"}, {kFixed, "1.0-1"}},
       "1.0~rc1-1",
       true,
       "0"},
      {"limit bounds", "Go", T::kSemver, {{kIntro, "0"}, {kLimit, "v1.5.0"}}, "v1.5.0", false},
      {"git never matches versions", "Go", T::kGit, {{kIntro, "0"}}, "v1.0.0", false},
      {"unknown ecosystem uses generic",
       "Hex",
       T::kEcosystem,
       {{kIntro, "0"}, {kFixed, "1.10.0"}},
       "1.9.0",
       true,
       "0"},
  };
  return kCases;
}

TEST(OsvRangeTest, Table) {
  for (const RangeCase& c : Cases()) {
    AffectedRange r;
    r.type = c.type;
    r.events = c.events;
    const auto m = MatchRange(r, c.ecosystem, c.version);
    EXPECT_EQ(m.has_value(), c.affected) << c.name;
    if (m && c.affected) {
      EXPECT_EQ(m->introduced, c.introduced) << c.name;
    }
    // The same range with its order computed once (as parsed records are) gives the same answer.
    AffectedPackage prepared;
    prepared.ecosystem = c.ecosystem;
    prepared.ranges.push_back(r);
    PrepareAffected(prepared);
    const auto pm = MatchAffected(prepared, c.version);
    EXPECT_EQ(pm, m) << c.name << " (prepared)";
  }
}

TEST(OsvRangeTest, PrepareAffectedSortsOnceAndIsNotPartOfEquality) {
  AffectedPackage p;
  p.ecosystem = "PyPI";
  // Written out of order, with a limit: evaluation order is 0, 1.0, 1.2 (the limit is apart).
  p.ranges.push_back({AffectedRange::Type::kEcosystem,
                      {{kFixed, "1.2"}, {kLimit, "3.0"}, {kIntro, "1.0"}, {kIntro, "0"}}});
  p.ranges.push_back({AffectedRange::Type::kGit, {{kIntro, "abc123"}}});
  const AffectedPackage unprepared = p;
  PrepareAffected(p);
  EXPECT_EQ(p.ranges[0].order, (std::vector<std::uint32_t>{3, 2, 0}));
  EXPECT_TRUE(p.ranges[1].order.empty());  // git ranges never match a version
  EXPECT_EQ(p, unprepared);
  for (const std::string_view v : {"0.5", "1.0", "1.1", "1.2", "2.9", "3.0"}) {
    EXPECT_EQ(MatchAffected(p, v), MatchAffected(unprepared, v)) << v;
  }
  const auto m = MatchAffected(p, "1.1");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->introduced, "1.0");
  EXPECT_EQ(*m->until, (RangeEvent{kFixed, "1.2"}));
  // Events changed after PrepareAffected without preparing again: an order that no longer fits
  // is not used (no read past the events).
  AffectedPackage shrunk = p;
  shrunk.ranges[0].events.resize(1);  // only {fixed 1.2}
  AffectedPackage fresh = shrunk;
  fresh.ranges[0].order.clear();
  for (const std::string_view v : {"0.5", "1.2", "2.0"}) {
    EXPECT_EQ(MatchAffected(shrunk, v), MatchAffected(fresh, v)) << v;
  }
}

TEST(OsvRangeTest, ReportsClosingEventAndListedVersions) {
  AffectedPackage p;
  p.ecosystem = "PyPI";
  p.ranges.push_back({AffectedRange::Type::kEcosystem,
                      {{kIntro, "1.0"}, {kFixed, "1.2"}, {kIntro, "2.0"}, {kLast, "2.3"}}});
  p.versions = {"0.9", "1.1"};
  auto m = MatchAffected(p, "2.1");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->via, AffectedMatch::Via::kRange);
  EXPECT_EQ(m->range_index, 0U);
  EXPECT_EQ(m->introduced, "2.0");
  ASSERT_TRUE(m->until);
  EXPECT_EQ(*m->until, (RangeEvent{kLast, "2.3"}));
  m = MatchAffected(p, "0.9");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->via, AffectedMatch::Via::kListedVersion);
  EXPECT_EQ(m->listed_version, "0.9");
  EXPECT_FALSE(MatchAffected(p, "1.5"));
  EXPECT_FALSE(MatchAffected(p, "0.9.0"));  // listed versions are exact strings
}

}  // namespace
}  // namespace hoshi::sbom
