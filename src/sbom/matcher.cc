// SPDX-License-Identifier: Apache-2.0
// Components against advisories: package keys compared after normalisation, versions through
// MatchAffected, VEX statements suppressing findings, and one canonical order.
#include "hoshi/sbom/matcher.h"

#include <algorithm>
#include <cctype>
#include <tuple>

#include "hoshi/sbom/purl.h"

namespace hoshi::sbom {
namespace {

/// Whether an advisory's entry names the component's package. `component_name` is the
/// component's normalised name, computed once for all its candidates; equal names as written need
/// no normalising.
bool SamePackage(const PackageKey& entry, const PackageKey& component,
                 std::string_view component_name) {
  return BaseEcosystem(entry.ecosystem) == BaseEcosystem(component.ecosystem) &&
         (entry.name == component.name ||
          NormalizePackageName(entry.ecosystem, entry.name) == component_name);
}

/// `component_name`: NormalizePackageName of the component's package.
std::optional<Finding> Match(const Component& component, std::string_view component_name,
                             const Advisory& advisory, bool include_withdrawn) {
  if (!component.package || component.version.empty() ||
      (!advisory.withdrawn.empty() && !include_withdrawn)) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < advisory.affected.size(); ++i) {
    const AdvisoryAffected& entry = advisory.affected[i];
    if (!SamePackage(entry.package, *component.package, component_name)) {
      continue;
    }
    std::optional<AffectedMatch> match = MatchAffected(entry.affected, component.version);
    if (!match) {
      continue;
    }
    Finding f;
    f.component_ref = component.ref;
    f.component_name = component.package->name;
    f.version = component.version;
    f.purl = component.purl;
    f.package = *component.package;
    f.advisory_id = advisory.id;
    f.aliases = advisory.aliases;
    f.summary = advisory.summary;
    f.affected_index = i;
    f.match = std::move(*match);
    f.base_score = advisory.base_score;
    f.cvss_vector = advisory.cvss_vector;
    f.known_exploited = advisory.known_exploited;
    f.published = advisory.published;
    f.modified = advisory.modified;
    return f;
  }
  return std::nullopt;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

/// The statement names this advisory: its id or an alias (CVE-/GHSA- ids compared without case).
bool NamesAdvisory(const VexStatement& statement, const Finding& finding) {
  if (EqualsIgnoreCase(statement.vulnerability, finding.advisory_id)) {
    return true;
  }
  return std::any_of(finding.aliases.begin(), finding.aliases.end(), [&](const std::string& a) {
    return EqualsIgnoreCase(statement.vulnerability, a);
  });
}

/// A statement purl covers a component purl when the two are equal, or when they name the same
/// package and every part the statement gives (version, qualifiers, subpath) is the component's:
/// "pkg:pypi/django" covers "pkg:pypi/django@4.2.1", "pkg:maven/g/a@1.0" covers
/// "pkg:maven/g/a@1.0?type=jar".
bool PurlCovers(std::string_view statement_purl, std::string_view component_purl) {
  if (component_purl.empty()) {
    return false;
  }
  if (statement_purl == component_purl) {
    return true;
  }
  const auto statement = ParsePurl(statement_purl);
  const auto component = ParsePurl(component_purl);
  if (!statement || !component) {
    return false;
  }
  if (statement->type != component->type ||
      statement->namespace_path != component->namespace_path ||
      statement->name != component->name) {
    return false;
  }
  if (!statement->version.empty() && statement->version != component->version) {
    return false;
  }
  if (!statement->subpath.empty() && statement->subpath != component->subpath) {
    return false;
  }
  return std::all_of(statement->qualifiers.begin(), statement->qualifiers.end(),
                     [&](const auto& q) { return component->Qualifier(q.first) == q.second; });
}

bool NamesProduct(const VexStatement& statement, const Finding& finding) {
  const bool by_ref = !finding.component_ref.empty() &&
                      std::find(statement.product_refs.begin(), statement.product_refs.end(),
                                finding.component_ref) != statement.product_refs.end();
  return by_ref || std::any_of(statement.product_purls.begin(), statement.product_purls.end(),
                               [&](const std::string& p) { return PurlCovers(p, finding.purl); });
}

bool Suppresses(const VexStatement& statement) {
  return statement.status == VexStatus::kNotAffected || statement.status == VexStatus::kFixed;
}

}  // namespace

std::optional<Finding> MatchOne(const Component& component, const Advisory& advisory) {
  if (!component.package) {
    return std::nullopt;
  }
  return Match(component,
               NormalizePackageName(component.package->ecosystem, component.package->name),
               advisory, /*include_withdrawn=*/false);
}

std::vector<Finding> MatchComponents(std::span<const Component> components, const AdvisoryDb& db,
                                     const MatchOptions& options) {
  std::vector<Finding> findings;
  for (const Component& component : components) {
    if (!component.package || component.version.empty()) {
      continue;
    }
    const std::vector<const Advisory*> candidates =
        db.Candidates(component.package->ecosystem, component.package->name);
    if (candidates.empty()) {
      continue;
    }
    const std::string name =
        NormalizePackageName(component.package->ecosystem, component.package->name);
    for (const Advisory* advisory : candidates) {
      if (auto finding = Match(component, name, *advisory, options.include_withdrawn)) {
        findings.push_back(std::move(*finding));
      }
    }
  }
  ApplyVex(findings, options.vex);
  SortFindings(findings);
  return findings;
}

std::vector<Finding> MatchDocument(const SbomDocument& document, const AdvisoryDb& db,
                                   const MatchOptions& options) {
  // The document's own statements first: the first suppressing statement is the one reported.
  std::vector<VexStatement> vex = document.vex;
  vex.insert(vex.end(), options.vex.begin(), options.vex.end());
  MatchOptions all = options;
  all.vex = vex;
  return MatchComponents(document.components, db, all);
}

void ApplyVex(std::vector<Finding>& findings, std::span<const VexStatement> vex) {
  for (Finding& finding : findings) {
    if (finding.suppressed_by) {
      continue;
    }
    const auto it = std::find_if(vex.begin(), vex.end(), [&](const VexStatement& s) {
      return Suppresses(s) && NamesAdvisory(s, finding) && NamesProduct(s, finding);
    });
    if (it != vex.end()) {
      finding.suppressed_by = *it;
    }
  }
}

void SortFindings(std::vector<Finding>& findings) {
  using Key = std::tuple<bool, bool, double, const std::string&, const std::string&>;
  const auto key = [](const Finding& f) {
    // Ascending: not suppressed, known exploited, higher score (no score last), id, ref.
    return Key(f.suppressed_by.has_value(), !f.known_exploited, -f.base_score.value_or(-1.0),
               f.advisory_id, f.component_ref);
  };
  std::stable_sort(findings.begin(), findings.end(),
                   [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
}

}  // namespace hoshi::sbom
