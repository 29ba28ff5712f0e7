// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hoshi/core/i18n.h"
#include "hoshi/core/result.h"
#include "hoshi/sbom/document.h"
#include "hoshi/sbom/matcher.h"

namespace hoshi::sbom {

/// "introduced 2.3.1, fixed 2.14.4" / "introduced 0, last_affected 1.2" / "listed 2.7.1": why a
/// version matched, in the terms of the OSV record (not translated: these are OSV's words).
[[nodiscard]] std::string ExplainMatch(const AffectedMatch& match);

/// A finding as JSON (stable field names; the API and `sbom scan --format json` use it).
[[nodiscard]] nlohmann::json FindingToJson(const Finding& finding);
[[nodiscard]] Result<Finding> FindingFromJson(const nlohmann::json& json);

/// One scanned input of a report.
struct ScannedDocument {
  std::string source;  ///< the file name as the user gave it
  std::string format;  ///< FormatName()
  std::string spec_version;
  std::string name;
  std::string version;
  std::size_t components = 0;
  std::size_t invalid_purls = 0;
};

/// A scan: documents and their findings (each finding's `document` indexes `documents`).
struct ScanReport {
  std::string tool_version;
  std::string generated_at;  ///< RFC 3339
  std::string serial;        ///< urn:uuid:… for the CycloneDX VDR
  std::vector<ScannedDocument> documents;
  struct Item {
    std::size_t document = 0;
    Finding finding;
  };
  std::vector<Item> findings;
  std::size_t advisories = 0;  ///< advisories loaded
};

/// Counts by severity label (+ "known_exploited", "suppressed", "total").
[[nodiscard]] nlohmann::json SummaryJson(const ScanReport& report);
[[nodiscard]] nlohmann::json ReportToJson(const ScanReport& report);
/// SARIF 2.1.0: one rule per advisory, one result per finding; VEX suppressions as SARIF
/// suppressions; `security-severity` carries the CVSS base score.
[[nodiscard]] nlohmann::json ReportToSarif(const ScanReport& report);
/// CycloneDX 1.6 VDR: affected components and one vulnerability per advisory with ratings,
/// affects and (for VEX-suppressed ones) the analysis.
[[nodiscard]] nlohmann::json ReportToCycloneDxVdr(const ScanReport& report);
/// A plain-text table for terminals, headings in `lang`.
[[nodiscard]] std::string ReportToTable(const ScanReport& report, Lang lang);

/// Whether a finding reaches a --fail-on threshold: "critical", "high", "medium", "low" (by base
/// score; known-exploited findings always reach it) or "any" (every finding, unscored ones too).
/// Suppressed findings never do. kInvalidArgument for another threshold name.
[[nodiscard]] Result<bool> ReachesThreshold(const Finding& finding, std::string_view threshold);

}  // namespace hoshi::sbom
