// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/result.h"
#include "hoshi/sbom/purl.h"

namespace hoshi::sbom {

/// How an advisory database names a package: an OSV ecosystem ("npm", "PyPI", "Maven", "Go",
/// "crates.io", "RubyGems", "NuGet", "Packagist", "Debian", "Alpine", "Hex", "Pub", …) and the
/// package name as OSV writes it (Maven "group:artifact", npm "@scope/name", Go module path,
/// Packagist "vendor/name").
struct PackageKey {
  std::string ecosystem;
  std::string name;
  bool operator==(const PackageKey&) const = default;
};

/// The OSV package key of a purl; nullopt for purl types OSV does not cover (generic, github, …).
[[nodiscard]] std::optional<PackageKey> PackageKeyFromPurl(const Purl& purl);

/// The name under which components and advisories are indexed and compared: PyPI by PEP 503
/// (lower case, runs of '-', '_', '.' become one '-'), crates.io lower case with '_' as '-',
/// npm, NuGet, Packagist and RubyGems lower case (their registries are case-insensitive), Maven,
/// Go and everything else unchanged (case-sensitive).
[[nodiscard]] std::string NormalizePackageName(std::string_view ecosystem, std::string_view name);

/// The ecosystem without its release suffix ("Debian:12" → "Debian").
[[nodiscard]] std::string_view BaseEcosystem(std::string_view ecosystem);

/// One component (package) of an SBOM.
struct Component {
  std::string ref;      ///< bom-ref / SPDXID; unique in the document (parser assigns one if absent)
  std::string name;     ///< as written (CycloneDX name, SPDX package name)
  std::string group;    ///< CycloneDX group ("" otherwise)
  std::string version;  ///< as written; "" when absent
  std::string purl;     ///< canonical purl text; "" when absent or invalid
  std::optional<PackageKey> package;  ///< from the purl; nullopt when not matchable
  std::string parent_ref;             ///< ref of the enclosing component (CycloneDX nesting)
  bool operator==(const Component&) const = default;
};

/// A VEX status (CycloneDX analysis.state, OpenVEX status, CSAF product_status).
enum class VexStatus { kNotAffected, kAffected, kFixed, kUnderInvestigation };

/// "not_affected", "affected", "fixed", "under_investigation".
[[nodiscard]] std::string_view VexStatusName(VexStatus status);

/// One VEX statement: a vulnerability (any id or alias) and the products it speaks about.
struct VexStatement {
  std::string vulnerability;              ///< CVE-…, GHSA-…, an OSV id, …
  std::vector<std::string> product_refs;  ///< bom-refs of the SBOM (CycloneDX `affects`)
  std::vector<std::string>
      product_purls;  ///< canonical purls (OpenVEX, CSAF, CycloneDX refs that are purls)
  VexStatus status = VexStatus::kUnderInvestigation;
  std::string justification;  ///< e.g. "code_not_reachable", "vulnerable_code_not_in_execute_path"
  std::string detail;         ///< free text (CycloneDX analysis.detail, OpenVEX impact_statement)
  std::string source;         ///< "cyclonedx", "openvex" or "csaf"
  bool operator==(const VexStatement&) const = default;
};

/// A parsed SBOM.
struct SbomDocument {
  enum class Format { kCycloneDx, kSpdx2, kSpdx3 };
  Format format = Format::kCycloneDx;
  std::string spec_version;           ///< "1.4", "1.5", "1.6", "SPDX-2.3", …
  std::string name;                   ///< subject (metadata.component / SPDX document name)
  std::string version;                ///< subject version, "" when absent
  std::string serial;                 ///< CycloneDX serialNumber / SPDX documentNamespace
  std::vector<Component> components;  ///< depth-first, the subject component excluded
  std::vector<VexStatement> vex;      ///< from a CycloneDX `vulnerabilities` section
  std::size_t invalid_purls = 0;      ///< purls that did not parse (component kept, not matched)
};

/// "CycloneDX", "SPDX", "SPDX 3".
[[nodiscard]] std::string_view FormatName(SbomDocument::Format format);

/// Bounds applied to untrusted SBOM and VEX input.
struct ParseLimits {
  std::size_t max_bytes = std::size_t{512} << 20;  ///< whole document
  std::size_t max_components = 2'000'000;          ///< also bounds the statements of a VEX document
  std::size_t max_depth = 64;  ///< component nesting (and CSAF branches); never above 256
};

/// Parses a CycloneDX JSON 1.2–1.6, SPDX 2.2/2.3 JSON or SPDX 3.0 JSON-LD document (detected
/// from its content). Errors are kDataError (reason "sbom.parse_*", with line/column when known)
/// or kTooLarge. Unknown fields are ignored; a field that is read but has the wrong JSON type is
/// an error naming its path (null counts as absent).
[[nodiscard]] Result<SbomDocument> ParseSbom(std::string_view json, const ParseLimits& limits = {});
/// Reads and parses a file; the size is checked before anything is read.
[[nodiscard]] Result<SbomDocument> ReadSbomFile(const std::filesystem::path& path,
                                                const ParseLimits& limits = {});

/// Parses a VEX document: CycloneDX (a BOM with `vulnerabilities[].analysis`), OpenVEX, or CSAF
/// 2.0 VEX (product_status with purls from the product tree).
[[nodiscard]] Result<std::vector<VexStatement>> ParseVex(std::string_view json,
                                                         const ParseLimits& limits = {});
[[nodiscard]] Result<std::vector<VexStatement>> ReadVexFile(const std::filesystem::path& path,
                                                            const ParseLimits& limits = {});

}  // namespace hoshi::sbom
