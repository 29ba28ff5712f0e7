// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hoshi/sbom/advisory.h"
#include "hoshi/sbom/document.h"

namespace hoshi::sbom {

/// A component affected by an advisory, and why.
struct Finding {
  std::string component_ref;
  std::string component_name;  ///< the package name (OSV name when known)
  std::string version;
  std::string purl;
  PackageKey package;
  std::string advisory_id;
  std::vector<std::string> aliases;
  std::string summary;
  std::size_t affected_index = 0;  ///< which `affected[]` entry of the advisory matched
  AffectedMatch match;             ///< which range/events or listed version matched
  std::optional<double> base_score;
  std::string cvss_vector;
  bool known_exploited = false;
  std::string published;  ///< the advisory's
  std::string modified;
  /// The VEX statement (not_affected or fixed) that suppresses this finding, if any.
  std::optional<VexStatement> suppressed_by;
  bool operator==(const Finding&) const = default;
};

struct MatchOptions {
  bool include_withdrawn = false;
  std::span<const VexStatement> vex;  ///< in addition to the document's own
};

/// Matches one component against one advisory (nullopt when not affected, withdrawn, or the
/// component has no package key or version).
[[nodiscard]] std::optional<Finding> MatchOne(const Component& component, const Advisory& advisory);

/// Matches every component against the advisories indexed under its package key. Findings are
/// ordered: not suppressed first, known-exploited first, higher score first, then advisory id
/// and component ref.
[[nodiscard]] std::vector<Finding> MatchComponents(std::span<const Component> components,
                                                   const AdvisoryDb& db,
                                                   const MatchOptions& options = {});
/// The same over a document, applying its own VEX statements and options.vex.
[[nodiscard]] std::vector<Finding> MatchDocument(const SbomDocument& document, const AdvisoryDb& db,
                                                 const MatchOptions& options = {});

/// Sets `suppressed_by` on findings covered by a not_affected/fixed statement (matched by
/// advisory id or alias, and by component ref or purl — purls compared without version
/// qualifiers when the statement's purl has no version).
void ApplyVex(std::vector<Finding>& findings, std::span<const VexStatement> vex);

/// The canonical order described at MatchComponents.
void SortFindings(std::vector<Finding>& findings);

}  // namespace hoshi::sbom
