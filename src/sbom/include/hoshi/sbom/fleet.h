// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hoshi/core/clock.h"
#include "hoshi/core/result.h"
#include "hoshi/sbom/advisory.h"
#include "hoshi/sbom/document.h"
#include "hoshi/sbom/matcher.h"
#include "hoshi/storage/database.h"

namespace hoshi::sbom {

/// An SBOM stored for an organisation's product. A newer upload for the same product supersedes
/// the older one: its findings are resolved and it no longer takes part in matching.
struct StoredSbom {
  std::string id;
  std::string organization_id;
  std::string product;
  std::string product_version;
  std::string format;  ///< FormatName()
  std::string spec_version;
  std::string blob_sha256;
  std::int64_t size = 0;
  std::int64_t component_count = 0;
  std::string uploaded_by;
  std::string uploaded_at;
  std::string superseded_by;  ///< "" while current
};

/// What triggered a finding: the SBOM's upload, or the import of a new or modified advisory.
enum class FindingTrigger { kSbomUpload, kAdvisoryNew, kAdvisoryModified };
[[nodiscard]] std::string_view TriggerName(FindingTrigger trigger);

/// open → (suppressed by VEX) → resolved (no longer matches, SBOM superseded, advisory withdrawn).
enum class FindingState { kOpen, kSuppressed, kResolved };
[[nodiscard]] std::string_view FindingStateName(FindingState state);

/// A finding kept in the store, with its history.
struct StoredFinding {
  std::string sbom_id;
  std::string organization_id;
  std::string product;
  std::int64_t component_index = 0;
  Finding finding;
  FindingState state = FindingState::kOpen;
  FindingTrigger trigger = FindingTrigger::kSbomUpload;
  std::string identified_at;  ///< when hoshitori found it (RFC 3339, milliseconds)
  /// When the advisory (or the modification that made this finding) became public: published
  /// for a new advisory, modified for a modified one; "" when the record has no usable date.
  std::string disclosed_at;
  /// identified_at − disclosed_at for advisory-triggered findings (nullopt for uploads).
  std::optional<std::chrono::milliseconds> lead_time;
  std::string resolved_at;
  /// SCS criterion 4-4-4-2 missed (see IsOverdue).
  bool overdue = false;
};

/// What importing one advisory did.
struct AdvisoryImport {
  std::string advisory_id;
  AdvisoryChange change = AdvisoryChange::kNew;
  std::size_t instances_checked = 0;        ///< component instances under the advisory's packages
  std::vector<std::string> affected_sboms;  ///< ids of current SBOMs with a new finding
  std::size_t new_findings = 0;
  std::size_t resolved_findings = 0;
  std::chrono::microseconds elapsed{0};  ///< import to the list of affected SBOMs
};

/// Filters for Findings(); empty fields do not filter.
struct FindingQuery {
  std::string organization_id;
  std::string sbom_id;
  std::string advisory_id;
  bool include_resolved = false;
  bool include_suppressed = true;
  bool include_superseded = false;
  std::size_t limit = 10'000;  ///< 0: no limit
  /// When given, score, KEV mark, summary and aliases come from the current advisory (findings
  /// keep the values of the time they were identified otherwise).
  const AdvisoryDb* current = nullptr;
};

/// A supplier affected by an advisory, as its buyer may see it.
struct AffectedSupplier {
  std::string supplier_organization_id;
  std::string product;
  std::string sbom_id;
  std::string component_name;
  std::string version;
  FindingState state = FindingState::kOpen;
  std::string identified_at;
  std::string advisory_id;  ///< the record of the finding (one of those asked for)
};

/// SBOMs, their components (the reverse index (ecosystem, normalised name) → instances),
/// advisories and findings, in the platform database (SQLite or PostgreSQL).
class FleetStore {
 public:
  FleetStore(storage::Connection& conn, const Clock& clock) : conn_(conn), clock_(clock) {}

  /// Stores a parsed SBOM, supersedes the product's previous one, and matches it against `db`
  /// (document VEX and the organisation's stored VEX applied). One transaction.
  [[nodiscard]] Result<StoredSbom> AddSbom(std::string_view organization_id,
                                           std::string_view product,
                                           std::string_view product_version,
                                           const SbomDocument& document,
                                           std::string_view blob_sha256, std::int64_t size,
                                           std::string_view uploaded_by, const AdvisoryDb& db);
  [[nodiscard]] Result<StoredSbom> GetSbom(std::string_view id);  ///< kNotFound
  [[nodiscard]] Result<std::vector<StoredSbom>> ListSboms(std::string_view organization_id,
                                                          bool include_superseded = false);
  [[nodiscard]] Result<std::vector<Component>> Components(std::string_view sbom_id);

  /// Stores (or replaces) an advisory and, when it is new or modified, re-matches only the
  /// component instances of current SBOMs under its packages: new findings are recorded with
  /// the lead time, findings it no longer supports are resolved. `db` is updated too.
  /// `record` is the source text kept for reloading (`format` "json" or "yaml").
  [[nodiscard]] Result<AdvisoryImport> ImportAdvisory(Advisory advisory, std::string_view record,
                                                      std::string_view format, AdvisoryDb& db);
  /// Replaces the stored KEV catalog and marks `db` with it.
  [[nodiscard]] Status ImportKev(const KevCatalog& kev, AdvisoryDb& db);
  /// Every stored advisory, re-parsed from its record, and the stored KEV catalog (at start-up).
  [[nodiscard]] Result<std::size_t> LoadAdvisories(AdvisoryDb& db);
  [[nodiscard]] Result<std::size_t> CountAdvisories();

  /// Stores VEX statements for an organisation (all its SBOMs) and applies them to its findings.
  /// Returns how many findings became suppressed.
  [[nodiscard]] Result<std::size_t> AddVex(std::string_view organization_id,
                                           std::span<const VexStatement> statements);

  [[nodiscard]] Result<std::vector<StoredFinding>> Findings(const FindingQuery& query);

  /// Sharing of SBOM findings with a buyer (the buyer sees which of its suppliers are affected).
  [[nodiscard]] Status Share(std::string_view supplier_organization_id,
                             std::string_view buyer_organization_id);
  [[nodiscard]] Status Unshare(std::string_view supplier_organization_id,
                               std::string_view buyer_organization_id);
  [[nodiscard]] Result<std::vector<std::string>> SharedWith(
      std::string_view supplier_organization_id);
  /// Suppliers that share with `buyer` and have a current, not resolved finding for one of the
  /// advisories (OSV ids; ResolveAdvisoryIds gives every record of a CVE or GHSA id).
  [[nodiscard]] Result<std::vector<AffectedSupplier>> AffectedSuppliers(
      std::string_view buyer_organization_id, std::span<const std::string> advisory_ids);

 private:
  storage::Connection& conn_;
  const Clock& clock_;
};

/// What a list of findings holds: open, suppressed by VEX, overdue under 4-4-4-2, open and
/// known exploited.
struct FindingCounts {
  std::size_t open = 0;
  std::size_t suppressed = 0;
  std::size_t overdue = 0;
  std::size_t known_exploited = 0;
};
[[nodiscard]] FindingCounts CountFindings(std::span<const StoredFinding> findings);

/// The ids of every record with this id or alias (CVE-…, GHSA-…; AdvisoryDb::FindAll), sorted;
/// the input itself when none is held (findings keep the id they were made with).
[[nodiscard]] std::vector<std::string> ResolveAdvisoryIds(const AdvisoryDb& db,
                                                          std::string_view id_or_alias);

/// SCS criterion 4-4-4-2 (★3): updates for vendor Critical/High, CVSS base ≥ 7.0 or unrated
/// fixes are applied within 14 days of their release. A finding is overdue when it is open, is
/// in scope (base score ≥ 7.0, known exploited, or no score at all while a fixed version exists)
/// and more than 14 days have passed since the advisory was published (the fix's release as far
/// as the record tells; identified_at when the record has no usable date).
[[nodiscard]] bool IsOverdue(const StoredFinding& finding, TimePoint now);
inline constexpr std::chrono::hours kPatchWindow{14 * 24};

}  // namespace hoshi::sbom
