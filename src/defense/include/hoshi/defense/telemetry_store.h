// SPDX-License-Identifier: Apache-2.0
// The platform side of collective defense (issue #6): telemetry batches analysed and stored per
// organisation, correlation across organisations into campaigns, early warnings to the affected
// organisation and — where the supplier agreed — to its buyers, and the data the de-identified
// STIX export is built from. SQLite and PostgreSQL (migration 0007_telemetry).
//
// Correlation. Each detection points at attacker-side targets (AttackerObservables in sharing.h:
// the beacon's destination address or SNI name, the registered domain of a DNS tunnel, the
// indicator that matched). A *sighting* is one organisation having seen one target; its time span
// is the event time of the detections (not the time the batch arrived, so late logs correlate
// correctly). When k or more organisations (CorrelationConfig::min_organizations) have sightings
// of the same target whose last event lies within `window_us` of the newest one, the target is a
// *campaign*. Each organisation that joins a campaign gets an early warning ("self"), and so does
// each of its buyers (the chain module's supplier relationships) for which the supplier gave its
// consent (telemetry_consents.warn_buyer; default off). A buyer sees the supplier's identity only
// while the supplier's consent says disclose_identity; otherwise the warning says "one of your
// suppliers" and the store never returns the supplier's id or name to that buyer.
//
// Idempotency. A batch is stored under its id (the stream message id) in the same transaction as
// its detections, sightings, campaigns and warnings; recording an id again changes nothing and
// says `duplicate`. That is what makes at-least-once delivery from the stream count nothing twice:
// a worker acknowledges a message only after RecordBatch committed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "hoshi/core/clock.h"
#include "hoshi/core/result.h"
#include "hoshi/defense/detections.h"
#include "hoshi/defense/event.h"
#include "hoshi/defense/logs.h"
#include "hoshi/defense/sharing.h"
#include "hoshi/storage/database.h"

namespace hoshi::defense {

/// When a target seen at several organisations becomes a campaign.
struct CorrelationConfig {
  /// k: distinct organisations that must have seen the target. At least 2.
  std::size_t min_organizations = 3;
  /// Sightings count when their last event is at most this long before the target's newest one.
  std::int64_t window_us = std::int64_t{7} * 24 * 3600 * 1'000'000;
  /// Detections below this threat score do not make sightings (0: all reported detections do).
  /// 0.5 is inside RITA's "medium" bucket: a beacon needs a beacon score of about 0.85. With
  /// office-like synthetic traffic (hosts revisiting favourite servers) ordinary pairs reach
  /// 0.80–0.83 and would otherwise turn popular services into campaigns; the planted beacons
  /// score 0.96–0.995, indicator hits 0.8.
  double min_score = 0.5;
  /// Target keys never correlated (shared infrastructure such as public resolvers), e.g.
  /// "domain:windowsupdate.com", "ipv4:8.8.8.8".
  std::vector<std::string> ignored_targets;
};
/// kInvalidArgument when k < 2, the window is not positive or min_score is outside [0, 1].
[[nodiscard]] Status ValidateCorrelationConfig(const CorrelationConfig& config);

/// The correlation key of an attacker-side observable: "<type>:<value>", type one of ipv4, ipv6,
/// domain, url, md5, sha1, sha256 ("ipv4:203.0.113.5", "domain:evil.example").
[[nodiscard]] std::string TargetKey(const Observable& observable);
/// The inverse of TargetKey; nullopt for an unknown type.
[[nodiscard]] std::optional<Observable> ParseTargetKey(std::string_view key);
/// The distinct correlation keys of a detection's attacker side (no victim context: private
/// addresses and the source of outbound detections are never targets).
[[nodiscard]] std::vector<std::string> TargetKeys(const Detection& detection);

/// What one batch of telemetry gave: parse statistics and detections.
struct BatchAnalysis {
  ParseStats stats;
  std::vector<Detection> detections;
  std::optional<std::int64_t> first_ts_us;  ///< earliest event time, when there were events
  std::optional<std::int64_t> last_ts_us;
};
/// Parses one batch (plain or gzip; any format ParseLog detects; `name_hint` such as "dns.log"
/// names the Zeek log type when the log does not) and runs the detection engine over it, with
/// indicator hits when `indicators` is set. Malformed records are counted, never fatal; errors
/// only for an unreadable whole batch (kDataError "defense.log_format").
[[nodiscard]] Result<BatchAnalysis> AnalyseBatch(std::string_view payload,
                                                 std::string_view name_hint,
                                                 const IndicatorLookup* indicators,
                                                 const DetectionConfig& config = {},
                                                 const Clock* clock = nullptr);

/// A batch to record: who sent it, and what analysing it gave.
struct BatchRecord {
  std::string id;  ///< the stream message id / API batch id (idempotency key)
  std::string organization_id;
  std::string source;       ///< "api", "cli", a sensor name
  std::string received_at;  ///< RFC 3339 (when the platform accepted it)
  std::uint64_t bytes = 0;  ///< payload size as received
  BatchAnalysis analysis;
};

/// A stored batch (without its detections).
// clang-tidy 14 cannot see that nlohmann::json's noexcept move constructor does not throw.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct StoredBatch {
  std::string id;
  std::string organization_id;
  std::string source;
  std::string received_at;
  std::string processed_at;
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;
  std::uint64_t events = 0;
  std::uint64_t skipped = 0;
  std::uint64_t malformed = 0;
  nlohmann::json malformed_detail;  ///< {"by_reason": {...}, "samples": [...]}
  std::uint64_t detections = 0;
  std::optional<std::int64_t> first_ts_us;
  std::optional<std::int64_t> last_ts_us;
};

/// A stored detection.
// clang-tidy 14 cannot see that nlohmann::json's noexcept move constructor does not throw.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct StoredDetection {
  std::string id;
  std::string organization_id;
  std::string batch_id;
  std::string kind;  ///< DetectionKindName
  double score = 0;
  std::string src;  ///< victim-side address ("" when none) — shown to its own organisation only
  std::string dst;
  std::string name;
  std::vector<std::string> targets;  ///< TargetKeys
  std::uint64_t events = 0;          ///< events behind it
  std::int64_t first_ts_us = 0;
  std::int64_t last_ts_us = 0;
  nlohmann::json evidence;
  std::string created_at;
};

/// A campaign: one target seen at k or more organisations within the window.
struct Campaign {
  std::string id;
  std::string target;  ///< TargetKey
  std::string kind;    ///< kind of the highest-scoring detection behind it
  double max_score = 0;
  std::size_t organizations = 0;
  std::int64_t first_ts_us = 0;
  std::int64_t last_ts_us = 0;
  std::string created_at;
  std::string updated_at;
  std::vector<std::string> member_organization_ids;  ///< filled by GetCampaign only
};

/// An early warning as its recipient may see it.
struct EarlyWarning {
  std::string id;
  Campaign campaign;  ///< without members
  std::string recipient_organization_id;
  std::string relation;  ///< "self": the recipient saw it; "supplier": one of its suppliers did
  bool identity_disclosed = false;  ///< always true for "self"
  /// The affected organisation: set for "self" and for a disclosed supplier, empty otherwise.
  std::string subject_organization_id;
  std::string subject_organization_name;
  std::string subject_organization_name_en;  ///< "" when the organisation has no English name
  std::string created_at;
  std::string acknowledged_at;  ///< "" while not acknowledged
};

/// What recording a batch did.
// clang-tidy 14 cannot see that nlohmann::json's noexcept move constructor does not throw.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct BatchOutcome {
  bool duplicate = false;  ///< the id was already recorded; nothing changed
  StoredBatch batch;
  std::vector<Campaign> campaigns;     ///< campaigns created or joined by this batch
  std::vector<EarlyWarning> warnings;  ///< warnings created (recipient's view)
};

/// A supplier's consent for one buyer relationship.
struct TelemetryConsent {
  std::string relationship_id;
  std::string buyer_organization_id;
  std::string buyer_organization_name;
  std::string buyer_organization_name_en;  ///< "" when none
  bool warn_buyer = false;
  bool disclose_identity = false;
  std::string updated_at;  ///< "" when never set (the defaults: both off)
};

/// Filters for Detections().
struct DetectionQuery {
  std::optional<std::string> kind;
  double min_score = 0;
  std::optional<std::int64_t> since_us;  ///< last event at or after this
  std::size_t limit = 100;
  std::size_t offset = 0;
};

/// Counts of what an organisation sent.
struct TelemetryTotals {
  std::uint64_t batches = 0;
  std::uint64_t events = 0;
  std::uint64_t malformed = 0;
  std::uint64_t detections = 0;
};

/// The platform's telemetry tables. Writes join an open transaction (BeginOrJoin). Borrows the
/// connection and the clock; one connection per thread.
class TelemetryStore {
 public:
  TelemetryStore(storage::Connection& conn, const Clock& clock, CorrelationConfig config = {})
      : conn_(conn), clock_(clock), config_(std::move(config)) {}

  /// Stores the batch, its detections and sightings, correlates the targets it touched and
  /// creates campaigns and warnings — one transaction. An id already recorded: `duplicate`, no
  /// change. Errors: kInvalidArgument for an empty id or organisation, storage errors.
  [[nodiscard]] Result<BatchOutcome> RecordBatch(const BatchRecord& record);

  [[nodiscard]] Result<StoredBatch> GetBatch(std::string_view organization_id,
                                             std::string_view id);  ///< kNotFound
  [[nodiscard]] Result<std::vector<StoredBatch>> ListBatches(std::string_view organization_id,
                                                             std::size_t limit = 100);
  [[nodiscard]] Result<std::vector<StoredDetection>> Detections(std::string_view organization_id,
                                                                const DetectionQuery& query = {});
  [[nodiscard]] Result<TelemetryTotals> Totals(std::string_view organization_id);

  /// Every campaign, newest activity first (the operator's view).
  [[nodiscard]] Result<std::vector<Campaign>> Campaigns(std::size_t limit = 100);
  [[nodiscard]] Result<Campaign> GetCampaign(std::string_view id);  ///< with members; kNotFound

  /// The warnings addressed to an organisation, newest first, redacted for it.
  [[nodiscard]] Result<std::vector<EarlyWarning>> WarningsFor(
      std::string_view recipient_organization_id);
  /// kNotFound unless the warning is addressed to the organisation.
  [[nodiscard]] Result<EarlyWarning> AcknowledgeWarning(std::string_view recipient_organization_id,
                                                        std::string_view warning_id);

  /// The supplier's consents, one per buyer relationship (defaults when never set).
  [[nodiscard]] Result<std::vector<TelemetryConsent>> ConsentsOf(
      std::string_view supplier_organization_id);
  /// Sets the consent for one relationship of which the organisation is the supplier (kNotFound
  /// otherwise). Giving warn_buyer also warns the buyer about the campaigns the supplier is
  /// already part of.
  [[nodiscard]] Result<TelemetryConsent> SetConsent(std::string_view supplier_organization_id,
                                                    std::string_view relationship_id,
                                                    bool warn_buyer, bool disclose_identity,
                                                    std::string_view updated_by);

  /// Sightings aggregated per target (all organisations) with last event at or after `since_us`,
  /// and the victim context of every organisation involved (their names, corporate numbers and
  /// the source addresses of their detections) — the input of ExportStix.
  struct SharingInput {
    std::vector<SightingRecord> sightings;
    VictimContext victims;
  };
  [[nodiscard]] Result<SharingInput> SharingData(std::int64_t since_us);

  [[nodiscard]] const CorrelationConfig& config() const { return config_; }

 private:
  /// Inserts a warning unless one for (campaign, recipient, subject) exists; the new id, or
  /// nullopt when it existed. Whether the subject is named is decided when it is read.
  [[nodiscard]] Result<std::optional<std::string>> InsertWarning(std::string_view campaign_id,
                                                                 std::string_view recipient,
                                                                 std::string_view subject,
                                                                 std::string_view relation,
                                                                 std::string_view now);

  storage::Connection& conn_;
  const Clock& clock_;
  CorrelationConfig config_;
};

}  // namespace hoshi::defense
