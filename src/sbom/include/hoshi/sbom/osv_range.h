// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hoshi::sbom {

/// One event of an OSV range (https://ossf.github.io/osv-schema/#affectedrangesevents-fields).
struct RangeEvent {
  enum class Kind { kIntroduced, kFixed, kLastAffected, kLimit };
  Kind kind;
  std::string version;  ///< "0" as introduced means "since the first version"
  bool operator==(const RangeEvent&) const = default;
};

/// An OSV range. SEMVER ranges use SemVer whatever the ecosystem; ECOSYSTEM ranges use the
/// ecosystem's scheme (GenericScheme() when it has none); GIT ranges hold commits and never
/// match a version (they are resolved to `versions` by OSV itself).
struct AffectedRange {
  enum class Type { kSemver, kEcosystem, kGit };
  Type type = Type::kEcosystem;
  std::vector<RangeEvent> events;  ///< as the record lists them
  /// Derived: the indices of the non-limit events in evaluation order, set by PrepareAffected so
  /// that MatchRange need not sort per call. Empty: MatchRange sorts (a range built in code).
  /// Not part of equality.
  std::vector<std::uint32_t> order = {};
  bool operator==(const AffectedRange& other) const {
    return type == other.type && events == other.events;
  }
};

/// The part of an OSV `affected[]` entry that decides whether a version is affected.
struct AffectedPackage {
  std::string ecosystem;  ///< OSV ecosystem name, e.g. "PyPI", "Debian:12"
  std::vector<AffectedRange> ranges;
  std::vector<std::string> versions;  ///< explicit list (exact strings)
  bool operator==(const AffectedPackage&) const = default;
};

/// Why a version is affected: which range and which pair of events, or which listed version.
struct AffectedMatch {
  enum class Via { kRange, kListedVersion };
  Via via = Via::kRange;
  std::size_t range_index = 0;      ///< kRange: index in `ranges`
  std::string introduced;           ///< kRange: the introduced event that opened the interval
  std::optional<RangeEvent> until;  ///< kRange: the fixed / last_affected / limit that closes it
  std::string listed_version;       ///< kListedVersion: the entry of `versions` that matched
  bool operator==(const AffectedMatch&) const = default;
};

/// Sorts each range's events once, by the scheme of `affected.ecosystem` (OSV's order: introduced
/// "0" first, then by version; events of equal version keep the record's order). Parsers call it;
/// call it again after changing `events` or `ecosystem`.
void PrepareAffected(AffectedPackage& affected);

/// Evaluates `version` against one range (OSV's algorithm: events sorted by version, an
/// introduced opens, a fixed closes (exclusive), a last_affected closes after itself (inclusive),
/// a limit bounds everything above it). nullopt when not affected.
[[nodiscard]] std::optional<AffectedMatch> MatchRange(const AffectedRange& range,
                                                      std::string_view ecosystem,
                                                      std::string_view version);

/// Evaluates `version` against every range, then the explicit versions list. Ranges win when
/// both match (the report names the range).
[[nodiscard]] std::optional<AffectedMatch> MatchAffected(const AffectedPackage& affected,
                                                         std::string_view version);

}  // namespace hoshi::sbom
