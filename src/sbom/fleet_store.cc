// SPDX-License-Identifier: Apache-2.0
// The SBOM fleet: stored SBOMs and components (reverse index), advisories, VEX, findings.
#include <algorithm>
#include <array>
#include <chrono>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

#include "hoshi/core/id.h"
#include "hoshi/core/json.h"
#include "hoshi/sbom/fleet.h"
#include "hoshi/sbom/messages.h"
#include "hoshi/sbom/report.h"
#include "hoshi/storage/bulk_insert.h"

#include "messages_parts.h"

namespace hoshi::sbom {

using storage::Value;

namespace {

constexpr std::array kMessages{
    MessageEntry{"sbom.fleet_not_found", "SBOM「{0}」が見つかりません。",
                 "The SBOM '{0}' was not found."},
    MessageEntry{"sbom.fleet_record", "保存されたアドバイザリ「{0}」を読み込めません。",
                 "The stored advisory '{0}' cannot be read."},
    MessageEntry{"sbom.fleet_finding", "保存された検出結果を読み込めません（{0}）。",
                 "A stored finding cannot be read ({0})."},
};

/// Dates before this are placeholders (the Go database writes 0001-01-01 when it has none).
constexpr std::chrono::sys_days kEarliestUsableDate{std::chrono::year{1990} / 1 / 1};

std::optional<TimePoint> UsableTime(std::string_view text) {
  if (text.empty()) {
    return std::nullopt;
  }
  auto t = ParseTimestamp(text);
  if (!t.ok() || *t < kEarliestUsableDate) {
    return std::nullopt;
  }
  return *t;
}

/// When the advisory (for a modification: its change) became public.
std::string DisclosedAt(const Advisory& advisory, AdvisoryChange change) {
  const auto published = UsableTime(advisory.published);
  const auto modified = UsableTime(advisory.modified);
  if (change == AdvisoryChange::kModified && modified) {
    return advisory.modified;
  }
  if (published) {
    return advisory.published;
  }
  return modified ? advisory.modified : std::string();
}

std::string VexProductsJson(const VexStatement& s) {
  return DumpJson(Json{{"refs", s.product_refs}, {"purls", s.product_purls}}, -1);
}

std::optional<VexStatus> VexStatusFromName(std::string_view name) {
  for (const auto status : {VexStatus::kNotAffected, VexStatus::kAffected, VexStatus::kFixed,
                            VexStatus::kUnderInvestigation}) {
    if (VexStatusName(status) == name) {
      return status;
    }
  }
  return std::nullopt;
}

template <typename Enum, std::size_t N>
Enum EnumFromName(std::string_view name, const std::array<Enum, N>& all,
                  std::string_view (*to_name)(Enum)) {
  for (const Enum e : all) {
    if (to_name(e) == name) {
      return e;
    }
  }
  return all.front();
}

constexpr std::array kStates{FindingState::kOpen, FindingState::kSuppressed,
                             FindingState::kResolved};
constexpr std::array kTriggers{FindingTrigger::kSbomUpload, FindingTrigger::kAdvisoryNew,
                               FindingTrigger::kAdvisoryModified};

constexpr std::string_view kSbomSelect =
    "SELECT id, organization_id, product, product_version, format, spec_version, blob_sha256, "
    "size, component_count, uploaded_by, uploaded_at, superseded_by FROM sbom_documents";

Result<StoredSbom> SbomFromRow(const storage::Row& row) {
  StoredSbom s;
  HOSHI_ASSIGN_OR_RETURN(s.id, row.GetText(0));
  HOSHI_ASSIGN_OR_RETURN(s.organization_id, row.GetText(1));
  HOSHI_ASSIGN_OR_RETURN(s.product, row.GetText(2));
  HOSHI_ASSIGN_OR_RETURN(s.product_version, row.GetText(3));
  HOSHI_ASSIGN_OR_RETURN(s.format, row.GetText(4));
  HOSHI_ASSIGN_OR_RETURN(s.spec_version, row.GetText(5));
  HOSHI_ASSIGN_OR_RETURN(s.blob_sha256, row.GetText(6));
  HOSHI_ASSIGN_OR_RETURN(s.size, row.GetInt(7));
  HOSHI_ASSIGN_OR_RETURN(s.component_count, row.GetInt(8));
  HOSHI_ASSIGN_OR_RETURN(s.uploaded_by, row.GetText(9));
  HOSHI_ASSIGN_OR_RETURN(s.uploaded_at, row.GetText(10));
  HOSHI_ASSIGN_OR_RETURN(s.superseded_by, row.GetText(11));
  return s;
}

/// Columns of a component row in the order ComponentFromRow reads them, from `first`.
constexpr std::string_view kComponentColumns =
    "c.ref, c.name, c.version, c.purl, c.ecosystem, c.package_name";

Result<Component> ComponentFromRow(const storage::Row& row, std::size_t first) {
  Component c;
  HOSHI_ASSIGN_OR_RETURN(c.ref, row.GetText(first));
  HOSHI_ASSIGN_OR_RETURN(c.name, row.GetText(first + 1));
  HOSHI_ASSIGN_OR_RETURN(c.version, row.GetText(first + 2));
  HOSHI_ASSIGN_OR_RETURN(c.purl, row.GetText(first + 3));
  HOSHI_ASSIGN_OR_RETURN(std::string ecosystem, row.GetText(first + 4));
  HOSHI_ASSIGN_OR_RETURN(std::string package_name, row.GetText(first + 5));
  if (!ecosystem.empty()) {
    c.package = PackageKey{std::move(ecosystem), std::move(package_name)};
  }
  return c;
}

/// The VEX statements that apply to one SBOM of an organisation.
/// A VEX statement and the SBOM it belongs to ("" for the whole organisation).
struct StoredVex {
  std::string sbom_id;
  VexStatement statement;
};

/// Every VEX statement of the organisation, in the order they were added.
Result<std::vector<StoredVex>> LoadOrgVex(storage::Connection& conn, std::string_view org_id) {
  const std::vector<Value> p{std::string(org_id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn.Query("SELECT vulnerability, status, justification, detail, "
                                             "source, products, sbom_id FROM sbom_vex WHERE "
                                             "organization_id = ? ORDER BY created_at, id",
                                             p));
  std::vector<StoredVex> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) {
    VexStatement s;
    HOSHI_ASSIGN_OR_RETURN(s.vulnerability, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(std::string status, row.GetText(1));
    s.status = VexStatusFromName(status).value_or(VexStatus::kUnderInvestigation);
    HOSHI_ASSIGN_OR_RETURN(s.justification, row.GetText(2));
    HOSHI_ASSIGN_OR_RETURN(s.detail, row.GetText(3));
    HOSHI_ASSIGN_OR_RETURN(s.source, row.GetText(4));
    HOSHI_ASSIGN_OR_RETURN(std::string products, row.GetText(5));
    HOSHI_ASSIGN_OR_RETURN(Json pj, ParseJson(products));
    s.product_refs = pj.value("refs", std::vector<std::string>{});
    s.product_purls = pj.value("purls", std::vector<std::string>{});
    HOSHI_ASSIGN_OR_RETURN(std::string sbom, row.GetText(6));
    out.push_back(StoredVex{std::move(sbom), std::move(s)});
  }
  return out;
}

/// The statements that apply to one SBOM: the organisation's own and the SBOM's.
std::vector<VexStatement> VexFor(std::span<const StoredVex> org_vex, std::string_view sbom_id) {
  std::vector<VexStatement> out;
  for (const StoredVex& v : org_vex) {
    if (v.sbom_id.empty() || v.sbom_id == sbom_id) {
      out.push_back(v.statement);
    }
  }
  return out;
}

/// The statements that apply to one SBOM of the organisation.
Result<std::vector<VexStatement>> LoadVex(storage::Connection& conn, std::string_view org_id,
                                          std::string_view sbom_id) {
  HOSHI_ASSIGN_OR_RETURN(auto org_vex, LoadOrgVex(conn, org_id));
  return VexFor(org_vex, sbom_id);
}

Status InsertVex(storage::Connection& conn, const Clock& clock, std::string_view org_id,
                 std::string_view sbom_id, std::span<const VexStatement> statements) {
  const std::string now = FormatTimestampMillis(clock.Now());
  for (const auto& s : statements) {
    const std::vector<Value> p{NewId(clock),
                               std::string(org_id),
                               std::string(sbom_id),
                               s.vulnerability,
                               std::string(VexStatusName(s.status)),
                               s.justification,
                               s.detail,
                               s.source,
                               VexProductsJson(s),
                               now};
    HOSHI_RETURN_IF_ERROR(conn.Query(
        "INSERT INTO sbom_vex (id, organization_id, sbom_id, vulnerability, status, justification, "
        "detail, source, products, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p));
  }
  return Status::Ok();
}

/// A new finding row.
struct NewFinding {
  std::string_view sbom_id;
  std::int64_t component_index = 0;
  std::string_view organization_id;
  const Finding* finding = nullptr;
  FindingTrigger trigger = FindingTrigger::kSbomUpload;
  std::string_view identified_at;
  std::string_view disclosed_at;
  std::optional<std::chrono::milliseconds> lead_time;
  bool replace = true;  ///< an older row for the same (SBOM, component, advisory) may exist
};

constexpr std::string_view kFindingTable = "sbom_findings";
constexpr std::string_view kFindingColumns =
    "sbom_id, component_idx, advisory_id, organization_id, detail, state, trigger_kind, "
    "identified_at, disclosed_at, lead_time_ms";

/// The row of kFindingColumns for `f`.
std::vector<Value> FindingRow(const NewFinding& f) {
  const std::string state(
      FindingStateName(f.finding->suppressed_by ? FindingState::kSuppressed : FindingState::kOpen));
  const Value lead =
      f.lead_time ? Value{static_cast<std::int64_t>(f.lead_time->count())} : Value{nullptr};
  return {std::string(f.sbom_id),
          f.component_index,
          f.finding->advisory_id,
          std::string(f.organization_id),
          DumpJson(FindingToJson(*f.finding), -1),
          state,
          std::string(TriggerName(f.trigger)),
          std::string(f.identified_at),
          std::string(f.disclosed_at),
          lead};
}

/// Writes `f`: replacing an older row for the same (SBOM, component, advisory) when f.replace,
/// else through `fresh` (rows that cannot exist yet are written in chunks).
Status UpsertFinding(storage::Connection& conn, storage::BulkInsert& fresh, const NewFinding& f) {
  if (!f.replace) {
    return fresh.Add(FindingRow(f));
  }
  const std::vector<Value> del{std::string(f.sbom_id), f.component_index, f.finding->advisory_id};
  HOSHI_RETURN_IF_ERROR(conn.Query(
      "DELETE FROM sbom_findings WHERE sbom_id = ? AND component_idx = ? AND advisory_id = ?",
      del));
  storage::BulkInsert one(conn, kFindingTable, kFindingColumns, 1);
  HOSHI_RETURN_IF_ERROR(one.Add(FindingRow(f)));
  return one.Flush();
}

Status ResolveFinding(storage::Connection& conn, std::string_view sbom_id, std::int64_t index,
                      std::string_view advisory_id, std::string_view now) {
  const std::vector<Value> p{std::string(FindingStateName(FindingState::kResolved)),
                             std::string(now), std::string(sbom_id), index,
                             std::string(advisory_id)};
  HOSHI_RETURN_IF_ERROR(
      conn.Query("UPDATE sbom_findings SET state = ?, resolved_at = ? WHERE "
                 "sbom_id = ? AND component_idx = ? AND advisory_id = ?",
                 p));
  return Status::Ok();
}

/// How and when a finding was identified (kept while it stays open or suppressed).
struct PriorFinding {
  FindingTrigger trigger = FindingTrigger::kSbomUpload;
  std::string identified_at;
  std::string disclosed_at;
  std::optional<std::chrono::milliseconds> lead_time;
};

/// trigger_kind, identified_at, disclosed_at, lead_time_ms from `first` on.
Result<PriorFinding> IdentificationFromRow(const storage::Row& row, std::size_t first) {
  PriorFinding out;
  HOSHI_ASSIGN_OR_RETURN(std::string trigger, row.GetText(first));
  out.trigger = EnumFromName(trigger, kTriggers, &TriggerName);
  HOSHI_ASSIGN_OR_RETURN(out.identified_at, row.GetText(first + 1));
  HOSHI_ASSIGN_OR_RETURN(out.disclosed_at, row.GetText(first + 2));
  if (!row.IsNull(first + 3)) {
    HOSHI_ASSIGN_OR_RETURN(std::int64_t ms, row.GetInt(first + 3));
    out.lead_time = std::chrono::milliseconds(ms);
  }
  return out;
}

Result<std::optional<PriorFinding>> LoadPrior(storage::Connection& conn, const std::string& sbom_id,
                                              std::int64_t idx, const std::string& advisory_id) {
  const std::vector<Value> p{sbom_id, idx, advisory_id};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn.Query("SELECT trigger_kind, identified_at, disclosed_at, "
                                             "lead_time_ms FROM sbom_findings WHERE sbom_id = ? "
                                             "AND component_idx = ? AND advisory_id = ? AND "
                                             "state <> 'resolved'",
                                             p));
  if (rs.rows.empty()) {
    return std::optional<PriorFinding>();
  }
  HOSHI_ASSIGN_OR_RETURN(PriorFinding prior, IdentificationFromRow(rs.rows.front(), 0));
  return std::optional<PriorFinding>(std::move(prior));
}

/// The package keys an advisory is indexed under, deduplicated.
std::set<std::pair<std::string, std::string>> IndexKeys(const Advisory& advisory) {
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& a : advisory.affected) {
    keys.emplace(std::string(BaseEcosystem(a.package.ecosystem)),
                 NormalizePackageName(a.package.ecosystem, a.package.name));
  }
  return keys;
}

using FindingKey = std::pair<std::string, std::int64_t>;  // (sbom id, component index)

}  // namespace

std::span<const MessageEntry> FleetMessages() {
  return kMessages;
}

std::string_view TriggerName(FindingTrigger trigger) {
  switch (trigger) {
    case FindingTrigger::kSbomUpload:
      return "sbom_upload";
    case FindingTrigger::kAdvisoryNew:
      return "advisory_new";
    case FindingTrigger::kAdvisoryModified:
      return "advisory_modified";
  }
  return "sbom_upload";
}

std::string_view FindingStateName(FindingState state) {
  switch (state) {
    case FindingState::kOpen:
      return "open";
    case FindingState::kSuppressed:
      return "suppressed";
    case FindingState::kResolved:
      return "resolved";
  }
  return "open";
}

bool IsOverdue(const StoredFinding& f, TimePoint now) {
  if (f.state != FindingState::kOpen) {
    return false;
  }
  const Finding& x = f.finding;
  const bool has_fix = x.match.until && x.match.until->kind == RangeEvent::Kind::kFixed;
  const bool in_scope =
      x.known_exploited || (x.base_score && *x.base_score >= 7.0) || (!x.base_score && has_fix);
  if (!in_scope) {
    return false;
  }
  auto start = UsableTime(x.published);
  if (!start) {
    start = UsableTime(f.identified_at);
  }
  return start && now - *start > kPatchWindow;
}

Result<StoredSbom> FleetStore::AddSbom(std::string_view organization_id, std::string_view product,
                                       std::string_view product_version,
                                       const SbomDocument& document, std::string_view blob_sha256,
                                       std::int64_t size, std::string_view uploaded_by,
                                       const AdvisoryDb& db) {
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  const std::string now = FormatTimestampMillis(clock_.Now());
  StoredSbom s{NewId(clock_),
               std::string(organization_id),
               std::string(product),
               std::string(product_version),
               std::string(FormatName(document.format)),
               document.spec_version,
               std::string(blob_sha256),
               size,
               static_cast<std::int64_t>(document.components.size()),
               std::string(uploaded_by),
               now,
               ""};
  // The product's previous SBOMs leave the index; their open findings are resolved.
  const std::vector<Value> prev_p{s.organization_id, s.product};
  HOSHI_ASSIGN_OR_RETURN(auto prev, conn_.Query("SELECT id FROM sbom_documents WHERE "
                                                "organization_id = ? AND product = ? AND "
                                                "superseded_by = ''",
                                                prev_p));
  for (const auto& row : prev.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string old_id, row.GetText(0));
    const std::vector<Value> p1{s.id, old_id};
    HOSHI_RETURN_IF_ERROR(
        conn_.Query("UPDATE sbom_documents SET superseded_by = ? WHERE id = ?", p1));
    const std::vector<Value> p2{old_id};
    HOSHI_RETURN_IF_ERROR(
        conn_.Query("UPDATE sbom_components SET current = 0 WHERE sbom_id = ?", p2));
    const std::vector<Value> p3{now, old_id};
    HOSHI_RETURN_IF_ERROR(
        conn_.Query("UPDATE sbom_findings SET state = 'resolved', resolved_at = ? "
                    "WHERE sbom_id = ? AND state <> 'resolved'",
                    p3));
  }
  const std::vector<Value> p{
      s.id,           s.organization_id, s.product, s.product_version, s.format,
      s.spec_version, s.blob_sha256,     s.size,    s.component_count, s.uploaded_by,
      s.uploaded_at};
  HOSHI_RETURN_IF_ERROR(conn_.Query(
      "INSERT INTO sbom_documents (id, organization_id, product, product_version, format, "
      "spec_version, blob_sha256, size, component_count, uploaded_by, uploaded_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      p));
  storage::BulkInsert components(conn_, "sbom_components",
                                 "sbom_id, idx, ref, name, version, purl, ecosystem, "
                                 "package_name, norm_name");
  std::unordered_map<std::string_view, std::int64_t> index_of;
  index_of.reserve(document.components.size());
  for (std::size_t i = 0; i < document.components.size(); ++i) {
    const Component& c = document.components[i];
    index_of.emplace(c.ref, static_cast<std::int64_t>(i));
    HOSHI_RETURN_IF_ERROR(components.Add(
        {s.id, static_cast<std::int64_t>(i), c.ref, c.package ? c.package->name : c.name, c.version,
         c.purl, c.package ? std::string(BaseEcosystem(c.package->ecosystem)) : std::string(),
         c.package ? c.package->name : std::string(),
         c.package ? NormalizePackageName(c.package->ecosystem, c.package->name) : std::string()}));
  }
  HOSHI_RETURN_IF_ERROR(components.Flush());
  HOSHI_RETURN_IF_ERROR(InsertVex(conn_, clock_, organization_id, s.id, document.vex));
  HOSHI_ASSIGN_OR_RETURN(auto org_vex, LoadVex(conn_, organization_id, s.id));
  // The document's own statements are part of org_vex now.
  const MatchOptions options{false, org_vex};
  const auto findings = MatchComponents(document.components, db, options);
  storage::BulkInsert fresh(conn_, kFindingTable, kFindingColumns);
  for (const Finding& f : findings) {
    const auto it = index_of.find(f.component_ref);
    if (it == index_of.end()) {
      continue;
    }
    HOSHI_RETURN_IF_ERROR(UpsertFinding(
        conn_, fresh,
        NewFinding{s.id, it->second, s.organization_id, &f, FindingTrigger::kSbomUpload, now,
                   DisclosedAt(*db.Find(f.advisory_id), AdvisoryChange::kNew), std::nullopt,
                   /*replace=*/false}));  // a new SBOM has no findings yet
  }
  HOSHI_RETURN_IF_ERROR(fresh.Flush());
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  return s;
}

Result<StoredSbom> FleetStore::GetSbom(std::string_view id) {
  const std::vector<Value> p{std::string(id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query(std::string(kSbomSelect) + " WHERE id = ?", p));
  if (rs.rows.empty()) {
    return MakeError(ErrorCode::kNotFound, SbomMessages(), "sbom.fleet_not_found", id);
  }
  return SbomFromRow(rs.rows.front());
}

Result<std::vector<StoredSbom>> FleetStore::ListSboms(std::string_view organization_id,
                                                      bool include_superseded) {
  const std::vector<Value> p{std::string(organization_id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs,
                         conn_.Query(std::string(kSbomSelect) + " WHERE organization_id = ?" +
                                         (include_superseded ? "" : " AND superseded_by = ''") +
                                         " ORDER BY product, uploaded_at DESC, id",
                                     p));
  std::vector<StoredSbom> out;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(auto s, SbomFromRow(row));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<Component>> FleetStore::Components(std::string_view sbom_id) {
  const std::vector<Value> p{std::string(sbom_id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("SELECT " + std::string(kComponentColumns) +
                                                  " FROM sbom_components c WHERE c.sbom_id = ? "
                                                  "ORDER BY c.idx",
                                              p));
  std::vector<Component> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(auto c, ComponentFromRow(row, 0));
    out.push_back(std::move(c));
  }
  return out;
}

Result<AdvisoryImport> FleetStore::ImportAdvisory(Advisory advisory, std::string_view record,
                                                  std::string_view format, AdvisoryDb& db) {
  const auto started = std::chrono::steady_clock::now();
  AdvisoryImport out;
  out.advisory_id = advisory.id;
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  const std::vector<Value> idp{advisory.id};
  HOSHI_ASSIGN_OR_RETURN(auto existing,
                         conn_.Query("SELECT content_hash FROM advisories WHERE id = ?", idp));
  const std::string now = FormatTimestampMillis(clock_.Now());
  if (!existing.rows.empty()) {
    HOSHI_ASSIGN_OR_RETURN(std::string hash, existing.rows.front().GetText(0));
    if (hash == advisory.content_hash) {
      out.change = AdvisoryChange::kUnchanged;
      if (db.Find(advisory.id) == nullptr) {
        db.Upsert(std::move(advisory));
      }
      out.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - started);
      return out;
    }
    out.change = AdvisoryChange::kModified;
    HOSHI_RETURN_IF_ERROR(conn_.Query("DELETE FROM advisories WHERE id = ?", idp));
  }
  const std::vector<Value> ins{
      advisory.id,        advisory.content_hash, advisory.published,  advisory.modified,
      advisory.withdrawn, std::string(format),   std::string(record), now};
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("INSERT INTO advisories (id, content_hash, published, modified, withdrawn, "
                  "record_format, record, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  ins));

  // Re-match only the current component instances under the advisory's packages.
  const std::string disclosed = DisclosedAt(advisory, out.change);
  const auto disclosed_time = UsableTime(disclosed);
  const auto identified_time = clock_.Now();
  std::optional<std::chrono::milliseconds> lead;
  if (disclosed_time && identified_time >= *disclosed_time) {
    lead = std::chrono::duration_cast<std::chrono::milliseconds>(identified_time - *disclosed_time);
  }
  const FindingTrigger trigger = out.change == AdvisoryChange::kModified
                                     ? FindingTrigger::kAdvisoryModified
                                     : FindingTrigger::kAdvisoryNew;
  std::map<std::string, std::vector<StoredVex>> vex_by_org;
  std::map<std::string, std::vector<VexStatement>> vex_by_sbom;
  storage::BulkInsert fresh(conn_, kFindingTable, kFindingColumns);
  std::set<FindingKey> matched;
  std::set<std::string> affected;
  for (const auto& [ecosystem, norm_name] : IndexKeys(advisory)) {
    const std::vector<Value> kp{ecosystem, norm_name};
    HOSHI_ASSIGN_OR_RETURN(
        auto rs, conn_.Query("SELECT c.sbom_id, c.idx, d.organization_id, " +
                                 std::string(kComponentColumns) +
                                 " FROM sbom_components c JOIN sbom_documents d ON d.id = "
                                 "c.sbom_id WHERE c.ecosystem = ? AND c.norm_name = ? AND "
                                 "c.current = 1",
                             kp));
    out.instances_checked += rs.rows.size();
    for (const auto& row : rs.rows) {
      HOSHI_ASSIGN_OR_RETURN(std::string sbom_id, row.GetText(0));
      HOSHI_ASSIGN_OR_RETURN(std::int64_t idx, row.GetInt(1));
      HOSHI_ASSIGN_OR_RETURN(std::string org_id, row.GetText(2));
      HOSHI_ASSIGN_OR_RETURN(Component component, ComponentFromRow(row, 3));
      auto finding = MatchOne(component, advisory);
      if (!finding) {
        continue;
      }
      // One VEX query per affected organisation (not per SBOM).
      auto vex_it = vex_by_sbom.find(sbom_id);
      if (vex_it == vex_by_sbom.end()) {
        auto org_it = vex_by_org.find(org_id);
        if (org_it == vex_by_org.end()) {
          HOSHI_ASSIGN_OR_RETURN(auto org_vex, LoadOrgVex(conn_, org_id));
          org_it = vex_by_org.emplace(org_id, std::move(org_vex)).first;
        }
        vex_it = vex_by_sbom.emplace(sbom_id, VexFor(org_it->second, sbom_id)).first;
      }
      std::vector<Finding> one{std::move(*finding)};
      ApplyVex(one, vex_it->second);
      matched.emplace(sbom_id, idx);
      affected.insert(sbom_id);
      // A finding already open for this instance keeps its first identification time.
      // A new advisory has no findings yet: no earlier row to look up or replace.
      std::optional<PriorFinding> prior;
      if (out.change != AdvisoryChange::kNew) {
        HOSHI_ASSIGN_OR_RETURN(prior, LoadPrior(conn_, sbom_id, idx, advisory.id));
      }
      NewFinding nf{sbom_id, idx, org_id, &one.front(), trigger, now, disclosed, lead};
      if (prior) {
        nf.trigger = prior->trigger;
        nf.identified_at = prior->identified_at;
        nf.disclosed_at = prior->disclosed_at;
        nf.lead_time = prior->lead_time;
      } else {
        ++out.new_findings;
      }
      nf.replace = out.change != AdvisoryChange::kNew;
      HOSHI_RETURN_IF_ERROR(UpsertFinding(conn_, fresh, nf));
    }
  }
  HOSHI_RETURN_IF_ERROR(fresh.Flush());
  // Findings the advisory no longer supports (range narrowed, package removed, withdrawn).
  HOSHI_ASSIGN_OR_RETURN(auto open, conn_.Query("SELECT sbom_id, component_idx FROM sbom_findings "
                                                "WHERE advisory_id = ? AND state <> 'resolved'",
                                                idp));
  for (const auto& row : open.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string sbom_id, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(std::int64_t idx, row.GetInt(1));
    if (!matched.contains(FindingKey{sbom_id, idx})) {
      HOSHI_RETURN_IF_ERROR(ResolveFinding(conn_, sbom_id, idx, advisory.id, now));
      ++out.resolved_findings;
    }
  }
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  out.affected_sboms.assign(affected.begin(), affected.end());
  db.Upsert(std::move(advisory));
  out.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  return out;
}

Status FleetStore::ImportKev(const KevCatalog& kev, AdvisoryDb& db) {
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  HOSHI_RETURN_IF_ERROR(conn_.Query("DELETE FROM kev_entries"));
  HOSHI_ASSIGN_OR_RETURN(
      auto insert, conn_.Prepare("INSERT INTO kev_entries (cve_id, date_added) VALUES (?, ?)"));
  for (const auto& [cve, date] : kev.date_added) {
    const std::vector<Value> p{cve, date};
    HOSHI_RETURN_IF_ERROR(insert->Execute(p));
  }
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  db.SetKev(kev);
  return Status::Ok();
}

Result<std::size_t> FleetStore::LoadAdvisories(AdvisoryDb& db) {
  HOSHI_ASSIGN_OR_RETURN(auto kev_rows, conn_.Query("SELECT cve_id, date_added FROM kev_entries"));
  if (!kev_rows.rows.empty()) {
    KevCatalog kev;
    for (const auto& row : kev_rows.rows) {
      HOSHI_ASSIGN_OR_RETURN(std::string cve, row.GetText(0));
      HOSHI_ASSIGN_OR_RETURN(std::string date, row.GetText(1));
      kev.date_added.emplace(std::move(cve), std::move(date));
    }
    db.SetKev(std::move(kev));
  }
  HOSHI_ASSIGN_OR_RETURN(
      auto rs, conn_.Query("SELECT id, record_format, record FROM advisories ORDER BY id"));
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string id, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(std::string format, row.GetText(1));
    HOSHI_ASSIGN_OR_RETURN(std::string record, row.GetText(2));
    auto advisory = format == "yaml" ? ParseOsvYaml(record, id) : ParseOsvJson(record, id);
    if (!advisory.ok()) {
      return MakeError(ErrorCode::kInternal, SbomMessages(), "sbom.fleet_record", id)
          .WithDetail(advisory.error().ToString(Lang::kEn));
    }
    db.Upsert(std::move(*advisory));
  }
  return rs.rows.size();
}

Result<std::size_t> FleetStore::CountAdvisories() {
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("SELECT COUNT(*) FROM advisories"));
  HOSHI_ASSIGN_OR_RETURN(std::int64_t n, rs.rows.front().GetInt(0));
  return static_cast<std::size_t>(n);
}

Result<std::size_t> FleetStore::AddVex(std::string_view organization_id,
                                       std::span<const VexStatement> statements) {
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::BeginOrJoin(conn_));
  HOSHI_RETURN_IF_ERROR(InsertVex(conn_, clock_, organization_id, "", statements));
  FindingQuery q;
  q.organization_id = std::string(organization_id);
  q.include_suppressed = false;
  q.limit = 0;
  HOSHI_ASSIGN_OR_RETURN(auto open, Findings(q));
  std::size_t suppressed = 0;
  const std::string now = FormatTimestampMillis(clock_.Now());
  for (auto& sf : open) {
    std::vector<Finding> one{sf.finding};
    ApplyVex(one, statements);
    if (!one.front().suppressed_by) {
      continue;
    }
    const std::vector<Value> p{DumpJson(FindingToJson(one.front()), -1), sf.sbom_id,
                               sf.component_index, sf.finding.advisory_id};
    HOSHI_RETURN_IF_ERROR(
        conn_.Query("UPDATE sbom_findings SET state = 'suppressed', detail = ? "
                    "WHERE sbom_id = ? AND component_idx = ? AND advisory_id = ?",
                    p));
    ++suppressed;
  }
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  return suppressed;
}

Result<std::vector<StoredFinding>> FleetStore::Findings(const FindingQuery& query) {
  std::string sql =
      "SELECT f.sbom_id, f.component_idx, f.organization_id, f.detail, f.state, f.trigger_kind, "
      "f.identified_at, f.disclosed_at, f.lead_time_ms, f.resolved_at, d.product FROM "
      "sbom_findings f JOIN sbom_documents d ON d.id = f.sbom_id WHERE 1 = 1";
  std::vector<Value> p;
  const auto filter = [&](const std::string& value, std::string_view clause) {
    if (!value.empty()) {
      sql += clause;
      p.emplace_back(value);
    }
  };
  filter(query.organization_id, " AND f.organization_id = ?");
  filter(query.sbom_id, " AND f.sbom_id = ?");
  filter(query.advisory_id, " AND f.advisory_id = ?");
  if (!query.include_resolved) {
    sql += " AND f.state <> 'resolved'";
  }
  if (!query.include_suppressed) {
    sql += " AND f.state <> 'suppressed'";
  }
  if (!query.include_superseded && query.sbom_id.empty()) {
    sql += " AND d.superseded_by = ''";
  }
  sql += " ORDER BY f.sbom_id, f.component_idx, f.advisory_id";
  if (query.limit > 0) {
    sql += " LIMIT ?";
    p.emplace_back(static_cast<std::int64_t>(query.limit));
  }
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query(sql, p));
  const TimePoint now = clock_.Now();
  std::vector<StoredFinding> out;
  out.reserve(rs.rows.size());
  for (const auto& row : rs.rows) {
    StoredFinding f;
    HOSHI_ASSIGN_OR_RETURN(f.sbom_id, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(f.component_index, row.GetInt(1));
    HOSHI_ASSIGN_OR_RETURN(f.organization_id, row.GetText(2));
    HOSHI_ASSIGN_OR_RETURN(std::string detail, row.GetText(3));
    HOSHI_ASSIGN_OR_RETURN(Json dj, ParseJson(detail));
    auto finding = FindingFromJson(dj);
    if (!finding.ok()) {
      return MakeError(ErrorCode::kInternal, SbomMessages(), "sbom.fleet_finding", f.sbom_id)
          .WithDetail(finding.error().ToString(Lang::kEn));
    }
    f.finding = std::move(*finding);
    if (const Advisory* a = query.current ? query.current->Find(f.finding.advisory_id) : nullptr) {
      f.finding.base_score = a->base_score;
      f.finding.cvss_vector = a->cvss_vector;
      f.finding.known_exploited = a->known_exploited;
      f.finding.summary = a->summary;
      f.finding.aliases = a->aliases;
    }
    HOSHI_ASSIGN_OR_RETURN(std::string state, row.GetText(4));
    f.state = EnumFromName(state, kStates, &FindingStateName);
    HOSHI_ASSIGN_OR_RETURN(PriorFinding id, IdentificationFromRow(row, 5));
    f.trigger = id.trigger;
    f.identified_at = std::move(id.identified_at);
    f.disclosed_at = std::move(id.disclosed_at);
    f.lead_time = id.lead_time;
    HOSHI_ASSIGN_OR_RETURN(f.resolved_at, row.GetText(9));
    HOSHI_ASSIGN_OR_RETURN(f.product, row.GetText(10));
    f.overdue = IsOverdue(f, now);
    out.push_back(std::move(f));
  }
  // Open first, then the matcher's order (known exploited, score, advisory id).
  std::stable_sort(out.begin(), out.end(), [](const StoredFinding& a, const StoredFinding& b) {
    if (a.state != b.state) {
      return a.state < b.state;
    }
    if (a.finding.known_exploited != b.finding.known_exploited) {
      return a.finding.known_exploited;
    }
    const double sa = a.finding.base_score.value_or(-1);
    const double sb = b.finding.base_score.value_or(-1);
    if (sa != sb) {
      return sa > sb;
    }
    return a.finding.advisory_id < b.finding.advisory_id;
  });
  return out;
}

Status FleetStore::Share(std::string_view supplier_organization_id,
                         std::string_view buyer_organization_id) {
  const std::vector<Value> p{std::string(supplier_organization_id),
                             std::string(buyer_organization_id), FormatTimestamp(clock_.Now())};
  auto rs = conn_.Query(
      "INSERT INTO sbom_shares (supplier_organization_id, buyer_organization_id, created_at) "
      "VALUES (?, ?, ?)",
      p);
  if (!rs.ok() && rs.error().code() != ErrorCode::kAlreadyExists) {
    return std::move(rs).error();
  }
  return Status::Ok();
}

Status FleetStore::Unshare(std::string_view supplier_organization_id,
                           std::string_view buyer_organization_id) {
  const std::vector<Value> p{std::string(supplier_organization_id),
                             std::string(buyer_organization_id)};
  HOSHI_RETURN_IF_ERROR(
      conn_.Query("DELETE FROM sbom_shares WHERE supplier_organization_id = ? "
                  "AND buyer_organization_id = ?",
                  p));
  return Status::Ok();
}

Result<std::vector<std::string>> FleetStore::SharedWith(std::string_view supplier_organization_id) {
  const std::vector<Value> p{std::string(supplier_organization_id)};
  HOSHI_ASSIGN_OR_RETURN(auto rs, conn_.Query("SELECT buyer_organization_id FROM sbom_shares "
                                              "WHERE supplier_organization_id = ? "
                                              "ORDER BY buyer_organization_id",
                                              p));
  std::vector<std::string> out;
  for (const auto& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string id, row.GetText(0));
    out.push_back(std::move(id));
  }
  return out;
}

FindingCounts CountFindings(std::span<const StoredFinding> findings) {
  FindingCounts c;
  for (const auto& f : findings) {
    c.open += f.state == FindingState::kOpen ? 1 : 0;
    c.suppressed += f.state == FindingState::kSuppressed ? 1 : 0;
    c.overdue += f.overdue ? 1 : 0;
    c.known_exploited += f.state == FindingState::kOpen && f.finding.known_exploited ? 1 : 0;
  }
  return c;
}

std::vector<std::string> ResolveAdvisoryIds(const AdvisoryDb& db, std::string_view id_or_alias) {
  std::vector<std::string> ids;
  for (const Advisory* a : db.FindAll(id_or_alias)) {
    ids.push_back(a->id);
  }
  if (ids.empty()) {
    ids.emplace_back(id_or_alias);
  }
  return ids;
}

Result<std::vector<AffectedSupplier>> FleetStore::AffectedSuppliers(
    std::string_view buyer_organization_id, std::span<const std::string> advisory_ids) {
  std::vector<AffectedSupplier> out;
  if (advisory_ids.empty()) {
    return out;
  }
  std::vector<Value> p{std::string(buyer_organization_id)};
  std::string in = "?";
  p.emplace_back(advisory_ids.front());
  for (std::size_t i = 1; i < advisory_ids.size(); ++i) {
    in += ", ?";
    p.emplace_back(advisory_ids[i]);
  }
  HOSHI_ASSIGN_OR_RETURN(
      auto rs,
      conn_.Query("SELECT f.organization_id, d.product, f.sbom_id, c.name, c.version, f.state, "
                  "f.identified_at, f.advisory_id FROM sbom_findings f "
                  "JOIN sbom_shares s ON s.supplier_organization_id = f.organization_id "
                  "JOIN sbom_documents d ON d.id = f.sbom_id "
                  "JOIN sbom_components c ON c.sbom_id = f.sbom_id AND c.idx = f.component_idx "
                  "WHERE s.buyer_organization_id = ? AND f.advisory_id IN (" +
                      in +
                      ") AND f.state <> 'resolved' AND d.superseded_by = '' "
                      "ORDER BY f.organization_id, d.product, c.name, c.version, f.advisory_id",
                  p));
  for (const auto& row : rs.rows) {
    AffectedSupplier a;
    HOSHI_ASSIGN_OR_RETURN(a.supplier_organization_id, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(a.product, row.GetText(1));
    HOSHI_ASSIGN_OR_RETURN(a.sbom_id, row.GetText(2));
    HOSHI_ASSIGN_OR_RETURN(a.component_name, row.GetText(3));
    HOSHI_ASSIGN_OR_RETURN(a.version, row.GetText(4));
    HOSHI_ASSIGN_OR_RETURN(std::string state, row.GetText(5));
    a.state = EnumFromName(state, kStates, &FindingStateName);
    HOSHI_ASSIGN_OR_RETURN(a.identified_at, row.GetText(6));
    HOSHI_ASSIGN_OR_RETURN(a.advisory_id, row.GetText(7));
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace hoshi::sbom
