// SPDX-License-Identifier: Apache-2.0
// Telemetry batches, detections, sightings, campaigns, early warnings and consents in the
// platform database (migration 0007_telemetry).
#include "hoshi/defense/telemetry_store.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "hoshi/core/id.h"
#include "hoshi/core/json.h"
#include "hoshi/defense/messages.h"
#include "hoshi/storage/bulk_insert.h"

namespace hoshi::defense {

using storage::Value;

namespace {

using Json = nlohmann::json;

constexpr std::string_view kBatchColumns =
    "id, organization_id, source, received_at, processed_at, bytes, lines, events, skipped, "
    "malformed, malformed_detail, detections, first_ts_us, last_ts_us";
constexpr std::string_view kDetectionColumns =
    "id, organization_id, batch_id, kind, score, src, dst, name, targets, events, first_ts_us, "
    "last_ts_us, evidence, created_at";
constexpr std::string_view kCampaignColumns =
    "c.id, c.target, c.kind, c.max_score, c.organizations, c.first_ts_us, c.last_ts_us, "
    "c.created_at, c.updated_at";

Value Int(std::int64_t v) {
  return Value{v};
}
Value Uint(std::uint64_t v) {
  return Value{static_cast<std::int64_t>(v)};
}
Value Text(std::string_view v) {
  return Value{std::string(v)};
}
Value OptInt(const std::optional<std::int64_t>& v) {
  return v ? Value{*v} : Value{nullptr};
}

Error StoredError(std::string_view what) {
  return MakeError(ErrorCode::kInternal, DefenseMessages(), "defense.telemetry_stored", what);
}

Result<Json> JsonColumn(const storage::Row& row, std::size_t col) {
  HOSHI_ASSIGN_OR_RETURN(auto text, row.GetText(col));
  auto parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return StoredError("json");
  }
  return parsed;
}

Result<std::optional<std::int64_t>> OptIntColumn(const storage::Row& row, std::size_t col) {
  if (row.IsNull(col)) {
    return std::optional<std::int64_t>();
  }
  HOSHI_ASSIGN_OR_RETURN(auto v, row.GetInt(col));
  return std::optional<std::int64_t>(v);
}

Result<StoredBatch> BatchFromRow(const storage::Row& row) {
  StoredBatch b;
  HOSHI_ASSIGN_OR_RETURN(b.id, row.GetText(0));
  HOSHI_ASSIGN_OR_RETURN(b.organization_id, row.GetText(1));
  HOSHI_ASSIGN_OR_RETURN(b.source, row.GetText(2));
  HOSHI_ASSIGN_OR_RETURN(b.received_at, row.GetText(3));
  HOSHI_ASSIGN_OR_RETURN(b.processed_at, row.GetText(4));
  std::array<std::uint64_t*, 5> counts{&b.bytes, &b.lines, &b.events, &b.skipped, &b.malformed};
  for (std::size_t i = 0; i < counts.size(); ++i) {
    HOSHI_ASSIGN_OR_RETURN(auto v, row.GetInt(5 + i));
    *counts[i] = static_cast<std::uint64_t>(v);
  }
  HOSHI_ASSIGN_OR_RETURN(b.malformed_detail, JsonColumn(row, 10));
  HOSHI_ASSIGN_OR_RETURN(auto detections, row.GetInt(11));
  b.detections = static_cast<std::uint64_t>(detections);
  HOSHI_ASSIGN_OR_RETURN(b.first_ts_us, OptIntColumn(row, 12));
  HOSHI_ASSIGN_OR_RETURN(b.last_ts_us, OptIntColumn(row, 13));
  return b;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) {
      break;
    }
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::string JoinLines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) {
      out += '\n';
    }
    out += item;
  }
  return out;
}

Result<StoredDetection> DetectionFromRow(const storage::Row& row) {
  StoredDetection d;
  HOSHI_ASSIGN_OR_RETURN(d.id, row.GetText(0));
  HOSHI_ASSIGN_OR_RETURN(d.organization_id, row.GetText(1));
  HOSHI_ASSIGN_OR_RETURN(d.batch_id, row.GetText(2));
  HOSHI_ASSIGN_OR_RETURN(d.kind, row.GetText(3));
  HOSHI_ASSIGN_OR_RETURN(d.score, row.GetDouble(4));
  HOSHI_ASSIGN_OR_RETURN(d.src, row.GetText(5));
  HOSHI_ASSIGN_OR_RETURN(d.dst, row.GetText(6));
  HOSHI_ASSIGN_OR_RETURN(d.name, row.GetText(7));
  HOSHI_ASSIGN_OR_RETURN(auto targets, row.GetText(8));
  d.targets = SplitLines(targets);
  HOSHI_ASSIGN_OR_RETURN(auto events, row.GetInt(9));
  d.events = static_cast<std::uint64_t>(events);
  HOSHI_ASSIGN_OR_RETURN(d.first_ts_us, row.GetInt(10));
  HOSHI_ASSIGN_OR_RETURN(d.last_ts_us, row.GetInt(11));
  HOSHI_ASSIGN_OR_RETURN(d.evidence, JsonColumn(row, 12));
  HOSHI_ASSIGN_OR_RETURN(d.created_at, row.GetText(13));
  return d;
}

/// Reads kCampaignColumns starting at `col`.
Result<Campaign> CampaignFromRow(const storage::Row& row, std::size_t col = 0) {
  Campaign c;
  HOSHI_ASSIGN_OR_RETURN(c.id, row.GetText(col));
  HOSHI_ASSIGN_OR_RETURN(c.target, row.GetText(col + 1));
  HOSHI_ASSIGN_OR_RETURN(c.kind, row.GetText(col + 2));
  HOSHI_ASSIGN_OR_RETURN(c.max_score, row.GetDouble(col + 3));
  HOSHI_ASSIGN_OR_RETURN(auto orgs, row.GetInt(col + 4));
  c.organizations = static_cast<std::size_t>(orgs);
  HOSHI_ASSIGN_OR_RETURN(c.first_ts_us, row.GetInt(col + 5));
  HOSHI_ASSIGN_OR_RETURN(c.last_ts_us, row.GetInt(col + 6));
  HOSHI_ASSIGN_OR_RETURN(c.created_at, row.GetText(col + 7));
  HOSHI_ASSIGN_OR_RETURN(c.updated_at, row.GetText(col + 8));
  return c;
}

/// One target's part of a batch.
struct TargetAggregate {
  std::string kind;
  double max_score = -1;
  std::uint64_t detections = 0;
  std::int64_t first_ts_us = 0;
  std::int64_t last_ts_us = 0;
};

Json MalformedDetail(const ParseStats& stats) {
  Json by_reason = Json::object();
  for (const auto& [reason, count] : stats.malformed) {
    by_reason[reason] = count;
  }
  Json samples = Json::array();
  for (const auto& s : stats.samples) {
    samples.push_back(
        {{"source", s.source}, {"line", s.line}, {"reason", s.reason}, {"text", s.text}});
  }
  return Json{{"by_reason", std::move(by_reason)}, {"samples", std::move(samples)}};
}

/// The recipient's view of a warning row (see WarningsFor's SELECT): identity only for "self" or
/// with the supplier's current consent.
constexpr std::string_view kWarningSelect =
    "SELECT w.id, w.recipient_organization_id, w.relation, w.subject_organization_id, "
    "w.created_at, w.acknowledged_at, o.name, COALESCE(con.disclose_identity, 0), "
    "c.id, c.target, c.kind, c.max_score, c.organizations, c.first_ts_us, c.last_ts_us, "
    "c.created_at, c.updated_at, o.name_en "
    "FROM telemetry_warnings w "
    "JOIN telemetry_campaigns c ON c.id = w.campaign_id "
    "JOIN organizations o ON o.id = w.subject_organization_id "
    "LEFT JOIN supplier_relationships r ON r.buyer_organization_id = w.recipient_organization_id "
    "AND r.supplier_organization_id = w.subject_organization_id "
    "LEFT JOIN telemetry_consents con ON con.relationship_id = r.id ";

Result<EarlyWarning> WarningFromRow(const storage::Row& row) {
  EarlyWarning w;
  HOSHI_ASSIGN_OR_RETURN(w.id, row.GetText(0));
  HOSHI_ASSIGN_OR_RETURN(w.recipient_organization_id, row.GetText(1));
  HOSHI_ASSIGN_OR_RETURN(w.relation, row.GetText(2));
  HOSHI_ASSIGN_OR_RETURN(auto subject, row.GetText(3));
  HOSHI_ASSIGN_OR_RETURN(w.created_at, row.GetText(4));
  HOSHI_ASSIGN_OR_RETURN(w.acknowledged_at, row.GetText(5));
  HOSHI_ASSIGN_OR_RETURN(auto subject_name, row.GetText(6));
  HOSHI_ASSIGN_OR_RETURN(auto disclose, row.GetInt(7));
  HOSHI_ASSIGN_OR_RETURN(w.campaign, CampaignFromRow(row, 8));
  HOSHI_ASSIGN_OR_RETURN(auto subject_name_en, row.GetText(17));
  w.identity_disclosed = w.relation == "self" || disclose != 0;
  if (w.identity_disclosed) {
    w.subject_organization_id = std::move(subject);
    w.subject_organization_name = std::move(subject_name);
    w.subject_organization_name_en = std::move(subject_name_en);
  }
  return w;
}

}  // namespace

Result<BatchOutcome> TelemetryStore::RecordBatch(const BatchRecord& record) {
  if (record.id.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, DefenseMessages(),
                     "defense.telemetry_batch_field", "id");
  }
  if (record.organization_id.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, DefenseMessages(),
                     "defense.telemetry_batch_field", "organization_id");
  }
  HOSHI_RETURN_IF_ERROR(ValidateCorrelationConfig(config_));
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  BatchOutcome outcome;
  {
    const std::vector<Value> p{Text(record.id)};
    HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("SELECT " + std::string(kBatchColumns) +
                                                    " FROM telemetry_batches WHERE id = ?",
                                                p));
    if (!rs.rows.empty()) {
      outcome.duplicate = true;
      HOSHI_ASSIGN_OR_RETURN(outcome.batch, BatchFromRow(rs.rows.front()));
      return outcome;
    }
  }
  const std::string now = FormatTimestampMillis(clock_.Now());
  const auto& a = record.analysis;
  StoredBatch& b = outcome.batch;
  b.id = record.id;
  b.organization_id = record.organization_id;
  b.source = record.source;
  b.received_at = record.received_at.empty() ? now : record.received_at;
  b.processed_at = now;
  b.bytes = record.bytes;
  b.lines = a.stats.lines;
  b.events = a.stats.events;
  b.skipped = a.stats.skipped;
  b.malformed = a.stats.MalformedTotal();
  b.malformed_detail = MalformedDetail(a.stats);
  b.detections = a.detections.size();
  b.first_ts_us = a.first_ts_us;
  b.last_ts_us = a.last_ts_us;
  {
    const std::vector<Value> p{Text(b.id),
                               Text(b.organization_id),
                               Text(b.source),
                               Text(b.received_at),
                               Text(b.processed_at),
                               Uint(b.bytes),
                               Uint(b.lines),
                               Uint(b.events),
                               Uint(b.skipped),
                               Uint(b.malformed),
                               Text(b.malformed_detail.dump()),
                               Uint(b.detections),
                               OptInt(b.first_ts_us),
                               OptInt(b.last_ts_us)};
    HOSHI_ASSIGN_OR_RETURN(
        auto rs, conn_.Query("INSERT INTO telemetry_batches (" + std::string(kBatchColumns) +
                                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                 "?, ?, ?)",
                             p));
    (void)rs;
  }

  // Detections, and what each target got from this batch.
  std::map<std::string, TargetAggregate> targets;
  const std::set<std::string> ignored(config_.ignored_targets.begin(),
                                      config_.ignored_targets.end());
  // Many detections per batch (one per suspicious pair): written in multi-row chunks.
  storage::BulkInsert insert_detection(conn_, "telemetry_detections",
                                       std::string(kDetectionColumns) + ", target");
  for (const auto& d : a.detections) {
    const auto keys = TargetKeys(d);
    HOSHI_RETURN_IF_ERROR(insert_detection.Add({
        Text(NewId(clock_)),
        Text(b.organization_id),
        Text(b.id),
        Text(DetectionKindName(d.kind)),
        Value{d.score},
        Text(d.src.IsUnspecified() ? std::string() : ToString(d.src)),
        Text(d.dst.IsUnspecified() ? std::string() : ToString(d.dst)),
        Text(d.name),
        Text(JoinLines(keys)),
        Uint(d.events),
        Int(d.first_ts_us),
        Int(d.last_ts_us),
        Text(d.evidence.dump()),
        Text(now),
        Text(keys.empty() ? std::string() : keys.front()),
    }));
    if (d.score < config_.min_score) {
      continue;
    }
    for (const auto& key : keys) {
      if (ignored.contains(key)) {
        continue;
      }
      auto [it, fresh] = targets.try_emplace(key);
      TargetAggregate& t = it->second;
      if (fresh) {
        t.first_ts_us = d.first_ts_us;
        t.last_ts_us = d.last_ts_us;
      }
      if (d.score > t.max_score) {
        t.max_score = d.score;
        t.kind = std::string(DetectionKindName(d.kind));
      }
      ++t.detections;
      t.first_ts_us = std::min(t.first_ts_us, d.first_ts_us);
      t.last_ts_us = std::max(t.last_ts_us, d.last_ts_us);
    }
  }

  HOSHI_RETURN_IF_ERROR(insert_detection.Flush());

  for (const auto& [key, t] : targets) {
    // The organisation's sighting of the target.
    const std::vector<Value> key_params{Text(b.organization_id), Text(key)};
    HOSHI_ASSIGN_OR_RETURN(auto existing,
                           conn_.Query("SELECT max_score, detections, first_ts_us, last_ts_us, "
                                       "kind FROM telemetry_sightings WHERE organization_id = ? "
                                       "AND target = ?",
                                       key_params));
    if (existing.rows.empty()) {
      const std::vector<Value> p{Text(b.organization_id), Text(key),          Text(t.kind),
                                 Value{t.max_score},      Uint(t.detections), Int(t.first_ts_us),
                                 Int(t.last_ts_us)};
      HOSHI_ASSIGN_OR_RETURN(auto rs,
                             conn_.Query("INSERT INTO telemetry_sightings (organization_id, "
                                         "target, kind, max_score, detections, first_ts_us, "
                                         "last_ts_us) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                         p));
      (void)rs;
    } else {
      const auto& row = existing.rows.front();
      HOSHI_ASSIGN_OR_RETURN(auto old_score, row.GetDouble(0));
      HOSHI_ASSIGN_OR_RETURN(auto old_count, row.GetInt(1));
      HOSHI_ASSIGN_OR_RETURN(auto old_first, row.GetInt(2));
      HOSHI_ASSIGN_OR_RETURN(auto old_last, row.GetInt(3));
      HOSHI_ASSIGN_OR_RETURN(auto old_kind, row.GetText(4));
      const bool higher = t.max_score > old_score;
      const std::vector<Value> p{Text(higher ? t.kind : old_kind),
                                 Value{std::max(old_score, t.max_score)},
                                 Int(old_count + static_cast<std::int64_t>(t.detections)),
                                 Int(std::min(old_first, t.first_ts_us)),
                                 Int(std::max(old_last, t.last_ts_us)),
                                 Text(b.organization_id),
                                 Text(key)};
      HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("UPDATE telemetry_sightings SET kind = ?, "
                                                  "max_score = ?, detections = ?, first_ts_us = "
                                                  "?, last_ts_us = ? WHERE organization_id = ? "
                                                  "AND target = ?",
                                                  p));
      (void)rs;
    }

    // Who else saw it within the window that ends at the target's newest sighting.
    const std::vector<Value> target_param{Text(key)};
    HOSHI_ASSIGN_OR_RETURN(
        auto newest_rs,
        conn_.Query("SELECT MAX(last_ts_us) FROM telemetry_sightings WHERE target = ?",
                    target_param));
    HOSHI_ASSIGN_OR_RETURN(auto newest, newest_rs.rows.front().GetInt(0));
    const std::vector<Value> window_params{Text(key), Int(newest - config_.window_us)};
    HOSHI_ASSIGN_OR_RETURN(auto seen,
                           conn_.Query("SELECT organization_id, first_ts_us, last_ts_us, "
                                       "max_score, kind FROM telemetry_sightings WHERE target = ? "
                                       "AND last_ts_us >= ? ORDER BY first_ts_us, organization_id",
                                       window_params));
    if (seen.rows.size() < config_.min_organizations) {
      continue;
    }
    struct Seen {
      std::string organization_id;
      std::int64_t first_ts_us = 0;
      std::int64_t last_ts_us = 0;
    };
    std::vector<Seen> members;
    Campaign campaign;
    campaign.target = key;
    campaign.max_score = -1;
    campaign.first_ts_us = std::numeric_limits<std::int64_t>::max();
    campaign.last_ts_us = std::numeric_limits<std::int64_t>::min();
    for (const auto& row : seen.rows) {
      Seen s;
      HOSHI_ASSIGN_OR_RETURN(s.organization_id, row.GetText(0));
      HOSHI_ASSIGN_OR_RETURN(s.first_ts_us, row.GetInt(1));
      HOSHI_ASSIGN_OR_RETURN(s.last_ts_us, row.GetInt(2));
      HOSHI_ASSIGN_OR_RETURN(auto score, row.GetDouble(3));
      HOSHI_ASSIGN_OR_RETURN(auto kind, row.GetText(4));
      if (score > campaign.max_score) {
        campaign.max_score = score;
        campaign.kind = std::move(kind);
      }
      campaign.first_ts_us = std::min(campaign.first_ts_us, s.first_ts_us);
      campaign.last_ts_us = std::max(campaign.last_ts_us, s.last_ts_us);
      members.push_back(std::move(s));
    }

    HOSHI_ASSIGN_OR_RETURN(auto found,
                           conn_.Query("SELECT " + std::string(kCampaignColumns) +
                                           " FROM telemetry_campaigns c WHERE c.target = ?",
                                       target_param));
    std::set<std::string> known;
    if (found.rows.empty()) {
      campaign.id = NewId(clock_);
      campaign.created_at = now;
      const std::vector<Value> p{Text(campaign.id),
                                 Text(key),
                                 Text(campaign.kind),
                                 Value{campaign.max_score},
                                 Uint(members.size()),
                                 Int(campaign.first_ts_us),
                                 Int(campaign.last_ts_us),
                                 Text(now),
                                 Text(now)};
      HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("INSERT INTO telemetry_campaigns (id, target, "
                                                  "kind, max_score, organizations, first_ts_us, "
                                                  "last_ts_us, created_at, updated_at) VALUES (?, "
                                                  "?, ?, ?, ?, ?, ?, ?, ?)",
                                                  p));
      (void)rs;
    } else {
      HOSHI_ASSIGN_OR_RETURN(auto old, CampaignFromRow(found.rows.front()));
      campaign.id = old.id;
      campaign.created_at = old.created_at;
      if (old.max_score > campaign.max_score) {
        campaign.max_score = old.max_score;
        campaign.kind = old.kind;
      }
      campaign.first_ts_us = std::min(campaign.first_ts_us, old.first_ts_us);
      campaign.last_ts_us = std::max(campaign.last_ts_us, old.last_ts_us);
      const std::vector<Value> p{Text(campaign.id)};
      HOSHI_ASSIGN_OR_RETURN(
          auto rs, conn_.Query("SELECT organization_id FROM telemetry_campaign_members WHERE "
                               "campaign_id = ?",
                               p));
      for (const auto& row : rs.rows) {
        HOSHI_ASSIGN_OR_RETURN(auto id, row.GetText(0));
        known.insert(std::move(id));
      }
    }

    std::vector<std::string> joined;
    for (const auto& m : members) {
      if (known.contains(m.organization_id)) {
        const std::vector<Value> p{Int(m.first_ts_us), Int(m.last_ts_us), Text(campaign.id),
                                   Text(m.organization_id)};
        HOSHI_ASSIGN_OR_RETURN(auto rs,
                               conn_.Query("UPDATE telemetry_campaign_members SET first_ts_us = "
                                           "?, last_ts_us = ? WHERE campaign_id = ? AND "
                                           "organization_id = ?",
                                           p));
        (void)rs;
        continue;
      }
      const std::vector<Value> p{Text(campaign.id), Text(m.organization_id), Int(m.first_ts_us),
                                 Int(m.last_ts_us), Text(now)};
      HOSHI_ASSIGN_OR_RETURN(auto rs,
                             conn_.Query("INSERT INTO telemetry_campaign_members (campaign_id, "
                                         "organization_id, first_ts_us, last_ts_us, joined_at) "
                                         "VALUES (?, ?, ?, ?, ?)",
                                         p));
      (void)rs;
      known.insert(m.organization_id);
      joined.push_back(m.organization_id);
    }
    campaign.organizations = known.size();
    {
      const std::vector<Value> p{Text(campaign.kind),      Value{campaign.max_score},
                                 Uint(known.size()),       Int(campaign.first_ts_us),
                                 Int(campaign.last_ts_us), Text(now),
                                 Text(campaign.id)};
      HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("UPDATE telemetry_campaigns SET kind = ?, "
                                                  "max_score = ?, organizations = ?, "
                                                  "first_ts_us = ?, last_ts_us = ?, updated_at = "
                                                  "? WHERE id = ?",
                                                  p));
      (void)rs;
    }
    campaign.updated_at = now;
    if (joined.empty()) {
      continue;
    }
    outcome.campaigns.push_back(campaign);

    // Early warnings: each organisation that joined, and its buyers that it agreed to warn.
    for (const auto& org : joined) {
      std::vector<std::pair<std::string, std::string>> recipients{{org, "self"}};
      const std::vector<Value> p{Text(org)};
      HOSHI_ASSIGN_OR_RETURN(
          auto buyers, conn_.Query("SELECT r.buyer_organization_id FROM supplier_relationships r "
                                   "JOIN telemetry_consents c ON c.relationship_id = r.id WHERE "
                                   "r.supplier_organization_id = ? AND c.warn_buyer = 1 ORDER BY "
                                   "r.buyer_organization_id",
                                   p));
      for (const auto& row : buyers.rows) {
        HOSHI_ASSIGN_OR_RETURN(auto buyer, row.GetText(0));
        recipients.emplace_back(std::move(buyer), "supplier");
      }
      for (const auto& [recipient, relation] : recipients) {
        HOSHI_ASSIGN_OR_RETURN(auto id, InsertWarning(campaign.id, recipient, org, relation, now));
        if (!id) {
          continue;
        }
        const std::vector<Value> ip{Text(*id)};
        HOSHI_ASSIGN_OR_RETURN(auto ws,
                               conn_.Query(std::string(kWarningSelect) + "WHERE w.id = ?", ip));
        if (!ws.rows.empty()) {
          HOSHI_ASSIGN_OR_RETURN(auto w, WarningFromRow(ws.rows.front()));
          outcome.warnings.push_back(std::move(w));
        }
      }
    }
  }
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  return outcome;
}

Result<std::optional<std::string>> TelemetryStore::InsertWarning(std::string_view campaign_id,
                                                                 std::string_view recipient,
                                                                 std::string_view subject,
                                                                 std::string_view relation,
                                                                 std::string_view now) {
  const std::string id = NewId(clock_);
  const std::vector<Value> p{Text(id),      Text(campaign_id), Text(recipient),
                             Text(subject), Text(relation),    Text(now)};
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("INSERT INTO telemetry_warnings (id, campaign_id, "
                           "recipient_organization_id, subject_organization_id, relation, "
                           "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, "
                           "recipient_organization_id, subject_organization_id) DO NOTHING",
                           p));
  if (rs.rows_affected == 0) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(id);
}

Result<StoredBatch> TelemetryStore::GetBatch(std::string_view organization_id,
                                             std::string_view id) {
  const std::vector<Value> p{Text(id), Text(organization_id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("SELECT " + std::string(kBatchColumns) +
                                                  " FROM telemetry_batches WHERE id = ? AND "
                                                  "organization_id = ?",
                                              p));
  if (rs.rows.empty()) {
    return MakeError(ErrorCode::kNotFound, DefenseMessages(), "defense.telemetry_batch_not_found",
                     id);
  }
  return BatchFromRow(rs.rows.front());
}

Result<std::vector<StoredBatch>> TelemetryStore::ListBatches(std::string_view organization_id,
                                                             std::size_t limit) {
  const std::vector<Value> p{Text(organization_id), Uint(limit)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("SELECT " + std::string(kBatchColumns) +
                                                  " FROM telemetry_batches WHERE "
                                                  "organization_id = ? ORDER BY processed_at "
                                                  "DESC, id DESC LIMIT ?",
                                              p));
  std::vector<StoredBatch> out;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(auto b, BatchFromRow(row));
    out.push_back(std::move(b));
  }
  return out;
}

Result<std::vector<StoredDetection>> TelemetryStore::Detections(std::string_view organization_id,
                                                                const DetectionQuery& query) {
  std::string sql = "SELECT " + std::string(kDetectionColumns) +
                    " FROM telemetry_detections WHERE organization_id = ? AND score >= ?";
  std::vector<Value> p{Text(organization_id), Value{query.min_score}};
  if (query.kind) {
    sql += " AND kind = ?";
    p.push_back(Text(*query.kind));
  }
  if (query.since_us) {
    sql += " AND last_ts_us >= ?";
    p.push_back(Int(*query.since_us));
  }
  sql += " ORDER BY last_ts_us DESC, score DESC, id LIMIT ? OFFSET ?";
  p.push_back(Uint(query.limit));
  p.push_back(Uint(query.offset));
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query(sql, p));
  std::vector<StoredDetection> out;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(auto d, DetectionFromRow(row));
    out.push_back(std::move(d));
  }
  return out;
}

Result<TelemetryTotals> TelemetryStore::Totals(std::string_view organization_id) {
  const std::vector<Value> p{Text(organization_id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs,
                         conn_.Query("SELECT COUNT(*), CAST(COALESCE(SUM(events), 0) AS BIGINT), "
                                     "CAST(COALESCE(SUM(malformed), 0) AS BIGINT), "
                                     "CAST(COALESCE(SUM(detections), 0) AS BIGINT) "
                                     "FROM telemetry_batches WHERE organization_id = ?",
                                     p));
  TelemetryTotals t;
  const auto& row = rs.rows.front();
  std::array<std::uint64_t*, 4> fields{&t.batches, &t.events, &t.malformed, &t.detections};
  for (std::size_t i = 0; i < fields.size(); ++i) {
    HOSHI_ASSIGN_OR_RETURN(auto v, row.GetInt(i));
    *fields[i] = static_cast<std::uint64_t>(v);
  }
  return t;
}

Result<std::vector<Campaign>> TelemetryStore::Campaigns(std::size_t limit) {
  const std::vector<Value> p{Uint(limit)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("SELECT " + std::string(kCampaignColumns) +
                                                  " FROM telemetry_campaigns c ORDER BY "
                                                  "c.last_ts_us DESC, c.id LIMIT ?",
                                              p));
  std::vector<Campaign> out;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(auto c, CampaignFromRow(row));
    out.push_back(std::move(c));
  }
  return out;
}

Result<Campaign> TelemetryStore::GetCampaign(std::string_view id) {
  const std::vector<Value> p{Text(id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("SELECT " + std::string(kCampaignColumns) +
                                                  " FROM telemetry_campaigns c WHERE c.id = ?",
                                              p));
  if (rs.rows.empty()) {
    return MakeError(ErrorCode::kNotFound, DefenseMessages(), "defense.campaign_not_found", id);
  }
  HOSHI_ASSIGN_OR_RETURN(auto c, CampaignFromRow(rs.rows.front()));
  HOSHI_ASSIGN_OR_RETURN(auto members,
                         conn_.Query("SELECT organization_id FROM telemetry_campaign_members "
                                     "WHERE campaign_id = ? ORDER BY first_ts_us, "
                                     "organization_id",
                                     p));
  for (const auto& row : members.rows) {
    HOSHI_ASSIGN_OR_RETURN(auto m, row.GetText(0));
    c.member_organization_ids.push_back(std::move(m));
  }
  return c;
}

Result<std::vector<EarlyWarning>> TelemetryStore::WarningsFor(
    std::string_view recipient_organization_id) {
  const std::vector<Value> p{Text(recipient_organization_id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query(std::string(kWarningSelect) +
                                                  "WHERE w.recipient_organization_id = ? ORDER "
                                                  "BY w.created_at DESC, w.id DESC",
                                              p));
  std::vector<EarlyWarning> out;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(auto w, WarningFromRow(row));
    out.push_back(std::move(w));
  }
  return out;
}

Result<EarlyWarning> TelemetryStore::AcknowledgeWarning(std::string_view recipient_organization_id,
                                                        std::string_view warning_id) {
  const std::string now = FormatTimestampMillis(clock_.Now());
  const std::vector<Value> p{Text(now), Text(warning_id), Text(recipient_organization_id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("UPDATE telemetry_warnings SET acknowledged_at = ? "
                                              "WHERE id = ? AND recipient_organization_id = ? "
                                              "AND acknowledged_at = ''",
                                              p));
  (void)rs;
  const std::vector<Value> q{Text(warning_id), Text(recipient_organization_id)};
  HOSHI_ASSIGN_OR_RETURN(
      auto ws, conn_.Query(std::string(kWarningSelect) + "WHERE w.id = ? AND "
                                                         "w.recipient_organization_id = ?",
                           q));
  if (ws.rows.empty()) {
    return MakeError(ErrorCode::kNotFound, DefenseMessages(), "defense.warning_not_found",
                     warning_id);
  }
  return WarningFromRow(ws.rows.front());
}

Result<std::vector<TelemetryConsent>> TelemetryStore::ConsentsOf(
    std::string_view supplier_organization_id) {
  const std::vector<Value> p{Text(supplier_organization_id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs,
                         conn_.Query("SELECT r.id, r.buyer_organization_id, o.name, "
                                     "COALESCE(c.warn_buyer, 0), COALESCE(c.disclose_identity, 0), "
                                     "COALESCE(c.updated_at, ''), o.name_en "
                                     "FROM supplier_relationships r "
                                     "JOIN organizations o ON o.id = r.buyer_organization_id "
                                     "LEFT JOIN telemetry_consents c ON c.relationship_id = r.id "
                                     "WHERE r.supplier_organization_id = ? ORDER BY o.name, r.id",
                                     p));
  std::vector<TelemetryConsent> out;
  for (const auto& row : rs.rows) {
    TelemetryConsent c;
    HOSHI_ASSIGN_OR_RETURN(c.relationship_id, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(c.buyer_organization_id, row.GetText(1));
    HOSHI_ASSIGN_OR_RETURN(c.buyer_organization_name, row.GetText(2));
    HOSHI_ASSIGN_OR_RETURN(auto warn, row.GetInt(3));
    HOSHI_ASSIGN_OR_RETURN(auto disclose, row.GetInt(4));
    c.warn_buyer = warn != 0;
    c.disclose_identity = disclose != 0;
    HOSHI_ASSIGN_OR_RETURN(c.updated_at, row.GetText(5));
    HOSHI_ASSIGN_OR_RETURN(c.buyer_organization_name_en, row.GetText(6));
    out.push_back(std::move(c));
  }
  return out;
}

Result<TelemetryConsent> TelemetryStore::SetConsent(std::string_view supplier_organization_id,
                                                    std::string_view relationship_id,
                                                    bool warn_buyer, bool disclose_identity,
                                                    std::string_view updated_by) {
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  const std::vector<Value> rp{Text(relationship_id), Text(supplier_organization_id)};
  HOSHI_ASSIGN_OR_RETURN(auto rel, conn_.Query("SELECT buyer_organization_id FROM "
                                               "supplier_relationships WHERE id = ? AND "
                                               "supplier_organization_id = ?",
                                               rp));
  if (rel.rows.empty()) {
    return MakeError(ErrorCode::kNotFound, DefenseMessages(), "defense.consent_not_found",
                     relationship_id);
  }
  HOSHI_ASSIGN_OR_RETURN(auto buyer, rel.rows.front().GetText(0));
  const std::string now = FormatTimestampMillis(clock_.Now());
  const std::vector<Value> p{Text(relationship_id), Int(warn_buyer ? 1 : 0),
                             Int(disclose_identity ? 1 : 0), Text(updated_by), Text(now)};
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("INSERT INTO telemetry_consents (relationship_id, warn_buyer, "
                           "disclose_identity, updated_by, updated_at) VALUES (?, ?, ?, ?, ?) "
                           "ON CONFLICT (relationship_id) DO UPDATE SET warn_buyer = "
                           "excluded.warn_buyer, disclose_identity = excluded.disclose_identity, "
                           "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                           p));
  (void)rs;
  if (warn_buyer) {
    // The buyer learns of the campaigns its supplier is already part of.
    const std::vector<Value> mp{Text(supplier_organization_id)};
    HOSHI_ASSIGN_OR_RETURN(auto campaigns, conn_.Query("SELECT campaign_id FROM "
                                                       "telemetry_campaign_members WHERE "
                                                       "organization_id = ?",
                                                       mp));
    for (const auto& row : campaigns.rows) {
      HOSHI_ASSIGN_OR_RETURN(auto campaign_id, row.GetText(0));
      HOSHI_RETURN_IF_ERROR(
          InsertWarning(campaign_id, buyer, supplier_organization_id, "supplier", now).status());
    }
  }
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  HOSHI_ASSIGN_OR_RETURN(auto all, ConsentsOf(supplier_organization_id));
  for (auto& c : all) {
    if (c.relationship_id == relationship_id) {
      return std::move(c);
    }
  }
  return StoredError("consent");
}

Result<TelemetryStore::SharingInput> TelemetryStore::SharingData(std::int64_t since_us) {
  SharingInput out;
  const std::vector<Value> p{Int(since_us)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("SELECT target, organization_id, kind, max_score, "
                                              "detections, first_ts_us, last_ts_us FROM "
                                              "telemetry_sightings WHERE last_ts_us >= ? ORDER "
                                              "BY target, organization_id",
                                              p));
  std::set<std::string> organizations;
  std::map<std::string, SightingRecord> by_target;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(auto key, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(auto org, row.GetText(1));
    HOSHI_ASSIGN_OR_RETURN(auto kind, row.GetText(2));
    HOSHI_ASSIGN_OR_RETURN(auto score, row.GetDouble(3));
    HOSHI_ASSIGN_OR_RETURN(auto count, row.GetInt(4));
    HOSHI_ASSIGN_OR_RETURN(auto first, row.GetInt(5));
    HOSHI_ASSIGN_OR_RETURN(auto last, row.GetInt(6));
    auto observable = ParseTargetKey(key);
    if (!observable) {
      continue;
    }
    auto [it, fresh] = by_target.try_emplace(key);
    SightingRecord& s = it->second;
    if (fresh) {
      s.observable = std::move(*observable);
      s.first_seen_us = first;
      s.last_seen_us = last;
      s.score = -1;
    }
    if (score > s.score) {
      s.score = score;
      s.detection_kind = kind;
    }
    s.count += static_cast<std::uint64_t>(count);
    s.first_seen_us = std::min(s.first_seen_us, first);
    s.last_seen_us = std::max(s.last_seen_us, last);
    ++s.organizations;
    organizations.insert(std::move(org));
  }
  // Evidence: the highest-scoring detection whose primary target is the key.
  for (auto& [key, s] : by_target) {
    const std::vector<Value> ep{Text(key)};
    HOSHI_ASSIGN_OR_RETURN(auto ev, conn_.Query("SELECT evidence FROM telemetry_detections WHERE "
                                                "target = ? ORDER BY score DESC, id LIMIT 1",
                                                ep));
    if (!ev.rows.empty()) {
      HOSHI_ASSIGN_OR_RETURN(s.evidence, JsonColumn(ev.rows.front(), 0));
    }
    out.sightings.push_back(std::move(s));
  }
  // The victims: every involved organisation's identity and the source addresses of its
  // detections.
  std::set<std::string> addresses;
  for (const auto& org : organizations) {
    const std::vector<Value> op{Text(org)};
    HOSHI_ASSIGN_OR_RETURN(auto o, conn_.Query("SELECT id, corporate_number, name, name_en FROM "
                                               "organizations WHERE id = ?",
                                               op));
    for (const auto& row : o.rows) {
      for (std::size_t i = 0; i < 4; ++i) {
        HOSHI_ASSIGN_OR_RETURN(auto term, row.GetText(i));
        if (!term.empty()) {
          out.victims.organization_terms.push_back(std::move(term));
        }
      }
    }
    // An inbound attacker's address is a detection's source too: it is a target there, not a
    // victim.
    HOSHI_ASSIGN_OR_RETURN(auto srcs, conn_.Query("SELECT DISTINCT src, targets FROM "
                                                  "telemetry_detections WHERE organization_id = ? "
                                                  "AND src <> ''",
                                                  op));
    for (const auto& row : srcs.rows) {
      HOSHI_ASSIGN_OR_RETURN(auto src, row.GetText(0));
      HOSHI_ASSIGN_OR_RETURN(auto targets, row.GetText(1));
      const auto keys = SplitLines(targets);
      if (std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
            return k == "ipv4:" + src || k == "ipv6:" + src;
          })) {
        continue;
      }
      addresses.insert(std::move(src));
    }
  }
  for (const auto& a : addresses) {
    if (auto ip = ParseIp(a)) {
      out.victims.addresses.push_back(*ip);
    }
  }
  return out;
}

}  // namespace hoshi::defense
