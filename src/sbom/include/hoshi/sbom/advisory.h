// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hoshi/core/result.h"
#include "hoshi/sbom/document.h"
#include "hoshi/sbom/osv_range.h"

namespace hoshi::sbom {

/// One OSV `severity[]` entry.
struct Severity {
  std::string type;                  ///< "CVSS_V3", "CVSS_V4", "CVSS_V2", "Ubuntu", …
  std::string vector;                ///< the score field as written (a CVSS vector for CVSS types)
  std::optional<double> base_score;  ///< computed from the vector; nullopt when not computable
  bool operator==(const Severity&) const = default;
};

/// One OSV `affected[]` entry.
struct AdvisoryAffected {
  PackageKey package;  ///< ecosystem and name as written in the record
  std::string purl;    ///< package.purl when given
  AffectedPackage affected;
  bool operator==(const AdvisoryAffected&) const = default;
};

/// An OSV advisory (https://ossf.github.io/osv-schema/), the parts hoshitori uses.
struct Advisory {
  std::string id;
  std::vector<std::string> aliases;  ///< CVE-…, GHSA-…, and `upstream`
  std::string summary;               ///< summary, else the first line of details (≤ 200 chars)
  std::string published;             ///< RFC 3339 as written; "" when absent
  std::string modified;
  std::string withdrawn;  ///< "" unless withdrawn
  std::vector<AdvisoryAffected> affected;
  std::vector<Severity> severity;
  /// The highest-version CVSS base score among `severity` (v4 over v3.1 over v3.0 over v2),
  /// else among affected[].severity, else from a database_specific.cvss vector. Severity labels
  /// ("HIGH", Ubuntu's "medium") are never turned into a score: nullopt then.
  std::optional<double> base_score;
  std::string cvss_vector;       ///< the vector base_score came from
  bool known_exploited = false;  ///< set from the CISA KEV catalog (an alias or the id is listed)
  std::string kev_date_added;    ///< YYYY-MM-DD
  std::string content_hash;      ///< SHA-256 hex of the source bytes (detects modified records)
  bool operator==(const Advisory&) const = default;
};

/// "critical" (≥ 9.0), "high" (≥ 7.0), "medium" (≥ 4.0), "low" (> 0), "none" (0), "unknown".
[[nodiscard]] std::string_view SeverityLabel(std::optional<double> base_score);

/// Parses one OSV record. Errors are kDataError with reason "sbom.osv_*" and the location.
[[nodiscard]] Result<Advisory> ParseOsvJson(std::string_view json, std::string_view source = {});
[[nodiscard]] Result<Advisory> ParseOsvYaml(std::string_view yaml, std::string_view source = {});
/// By extension (.json, .yaml, .yml); the size is checked before reading (≤ 16 MiB).
[[nodiscard]] Result<Advisory> ReadOsvFile(const std::filesystem::path& path);

/// The CISA Known Exploited Vulnerabilities catalog: CVE id → dateAdded.
struct KevCatalog {
  std::string catalog_version;
  std::unordered_map<std::string, std::string> date_added;
};
[[nodiscard]] Result<KevCatalog> ParseKev(std::string_view json);
[[nodiscard]] Result<KevCatalog> ReadKevFile(const std::filesystem::path& path);

/// What Upsert did with a record.
enum class AdvisoryChange { kNew, kModified, kUnchanged };

/// Advisories in memory, indexed by (base ecosystem, normalised package name).
class AdvisoryDb {
 public:
  AdvisoryDb();
  ~AdvisoryDb();
  AdvisoryDb(AdvisoryDb&&) noexcept;
  AdvisoryDb& operator=(AdvisoryDb&&) noexcept;

  /// Adds or replaces by id (a record with another content_hash is kModified). KEV marks of the
  /// catalog set with SetKev are applied to it.
  AdvisoryChange Upsert(Advisory advisory);
  /// Marks every advisory (present and future) whose id or alias is in the catalog.
  void SetKev(KevCatalog kev);
  [[nodiscard]] const Advisory* Find(std::string_view id) const;
  /// Every record whose id is `id_or_alias` or that lists it as an alias (ids and aliases
  /// compared without case: "cve-2024-1234" finds CVE-2024-1234), sorted by id. Several records
  /// often share a CVE (a PYSEC and a GHSA record of the same vulnerability).
  [[nodiscard]] std::vector<const Advisory*> FindAll(std::string_view id_or_alias) const;
  /// Advisories with an affected entry for this package (withdrawn ones included; callers skip).
  [[nodiscard]] std::vector<const Advisory*> Candidates(std::string_view ecosystem,
                                                        std::string_view name) const;
  [[nodiscard]] std::size_t size() const;
  void ForEach(const std::function<void(const Advisory&)>& visit) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// What loading a folder of OSV records did.
struct AdvisoryLoadReport {
  std::size_t files = 0;
  std::size_t loaded = 0;  ///< parsed and upserted, withdrawn ones included
  std::size_t withdrawn = 0;
  std::size_t failed = 0;
  std::vector<Error> errors;  ///< the first 20 failures, each with its file as location
};

/// Loads every .json/.yaml/.yml under `dir` (recursing) into `db`; a bad record is counted and
/// reported, never fatal. `progress(done, total)` is called now and then when given.
[[nodiscard]] Result<AdvisoryLoadReport> LoadAdvisoryDirectory(
    const std::filesystem::path& dir, AdvisoryDb& db,
    const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace hoshi::sbom
