// SPDX-License-Identifier: Apache-2.0
// SBOMs, findings, VEX, sharing findings with buyers, advisories (issue #5).
#include <algorithm>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>

#include "hoshi/chain/chain.h"
#include "hoshi/core/text.h"
#include "hoshi/org/identity.h"
#include "hoshi/sbom/fleet.h"
#include "hoshi/sbom/report.h"

#include "context.h"

namespace hoshi::api {
namespace {

constexpr std::size_t kMaxProduct = 100;
constexpr std::size_t kMaxComponentsShown = 10'000;
constexpr std::initializer_list<org::Role> kOrgWorkers{org::Role::kOrgAdmin, org::Role::kMember};

Json SbomJson(const sbom::StoredSbom& s) {
  return Json{{"id", s.id},
              {"organization_id", s.organization_id},
              {"product", s.product},
              {"product_version", s.product_version},
              {"format", s.format},
              {"spec_version", s.spec_version},
              {"sha256", s.blob_sha256},
              {"size", s.size},
              {"components", s.component_count},
              {"uploaded_at", s.uploaded_at},
              {"superseded_by", s.superseded_by}};
}

Json StoredFindingJson(const sbom::StoredFinding& f) {
  Json j = sbom::FindingToJson(f.finding);
  j["sbom_id"] = f.sbom_id;
  j["product"] = f.product;
  j["state"] = sbom::FindingStateName(f.state);
  j["trigger"] = sbom::TriggerName(f.trigger);
  j["identified_at"] = f.identified_at;
  j["disclosed_at"] = f.disclosed_at;
  j["lead_time_ms"] = f.lead_time ? Json(f.lead_time->count()) : Json(nullptr);
  j["resolved_at"] = f.resolved_at;
  j["overdue_4_4_4_2"] = f.overdue;
  return j;
}

Json FindingsSummary(const std::vector<sbom::StoredFinding>& findings) {
  const sbom::FindingCounts c = sbom::CountFindings(findings);
  return Json{{"open", c.open},
              {"suppressed", c.suppressed},
              {"overdue", c.overdue},
              {"known_exploited", c.known_exploited}};
}

/// The SBOM, when the caller is a member of its organisation (else hidden).
Result<sbom::StoredSbom> LoadSbom(Context& ctx) {
  sbom::FleetStore fleet(ctx.conn, ctx.clock());
  auto s = fleet.GetSbom(ctx.Param("id"));
  if (!s.ok() || !ctx.me().IsMember(s->organization_id)) {
    return Hidden("sbom", ctx.Param("id"));
  }
  return s;
}

/// All findings the query selects (no row limit: the order — open, known exploited, score —
/// and the summary counts need the whole set), with the current advisory data.
Result<std::vector<sbom::StoredFinding>> QueryFindings(Context& ctx, sbom::FindingQuery q) {
  sbom::FleetStore fleet(ctx.conn, ctx.clock());
  std::shared_lock lock(ctx.shared.advisories->mu);
  q.current = &ctx.shared.advisories->db;
  q.limit = 0;
  return fleet.Findings(q);
}

constexpr std::size_t kDefaultFindingsPage = 1'000;
constexpr std::size_t kMaxFindingsPage = 10'000;

/// One page (`?limit=&offset=`) of `findings` that pass `keep`, as JSON, with the paging fields:
/// `total` (after `keep`), `limit`, `offset` and `next_offset` (null on the last page).
Result<Json> FindingsPage(const Context& ctx, const std::vector<sbom::StoredFinding>& findings,
                          const std::function<bool(const sbom::StoredFinding&)>& keep) {
  HOSHI_ASSIGN_OR_RETURN(std::size_t limit,
                         QueryCount(ctx, "limit", kDefaultFindingsPage, kMaxFindingsPage));
  if (limit == 0) {
    return BadField("limit");  // an empty page would never advance
  }
  HOSHI_ASSIGN_OR_RETURN(std::size_t offset,
                         QueryCount(ctx, "offset", 0, std::numeric_limits<std::uint32_t>::max()));
  Json list = Json::array();
  std::size_t total = 0;
  for (const auto& f : findings) {
    if (!keep(f)) {
      continue;
    }
    if (total >= offset && total - offset < limit) {
      list.push_back(StoredFindingJson(f));
    }
    ++total;
  }
  return Json{{"findings", std::move(list)},
              {"total", total},
              {"limit", limit},
              {"offset", offset},
              {"next_offset", offset + limit < total ? Json(offset + limit) : Json(nullptr)}};
}

/// The buyer named in the path must be one of the organisation's buyers.
Status RequireBuyer(Context& ctx, const std::string& org_id, const std::string& buyer) {
  chain::ChainStore chains(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto buyers, chains.BuyersOf(org_id));
  for (const auto& rel : buyers) {
    if (rel.buyer_organization_id == buyer) {
      return Status::Ok();
    }
  }
  return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.not_a_buyer", buyer);
}

}  // namespace

Result<Reply> UploadSbom(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  const std::string product(ctx.request.QueryValue("product"));
  const std::string version(ctx.request.QueryValue("version"));
  if (product.empty() || Utf8Length(product) > kMaxProduct || Utf8Length(version) > kMaxProduct) {
    return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.sbom_product");
  }
  if (ctx.request.body_file.empty() || ctx.request.body_size == 0) {
    return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.empty_upload");
  }
  sbom::ParseLimits limits;
  limits.max_bytes = ctx.shared.options.max_upload_bytes;
  // Parsed before anything is stored: a bad SBOM leaves no trace.
  HOSHI_ASSIGN_OR_RETURN(sbom::SbomDocument doc, sbom::ReadSbomFile(ctx.request.body_file, limits));
  std::ifstream in(ctx.request.body_file, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kIoError, ApiMessages(), "api.upload_io");
  }
  HOSHI_ASSIGN_OR_RETURN(std::string sha,
                         ctx.shared.blobs->PutStream(in, ctx.shared.options.max_upload_bytes));
  sbom::FleetStore fleet(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  std::shared_lock lock(ctx.shared.advisories->mu);
  HOSHI_ASSIGN_OR_RETURN(sbom::StoredSbom stored,
                         fleet.AddSbom(org_id, product, version, doc, sha,
                                       static_cast<std::int64_t>(ctx.request.body_size),
                                       ctx.me().user.id, ctx.shared.advisories->db));
  lock.unlock();
  HOSHI_RETURN_IF_ERROR(
      Audit(ctx, org_id, "sbom.uploaded", "sbom", stored.id,
            Json{{"product", product}, {"sha256", sha}, {"components", stored.component_count}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  sbom::FindingQuery q;
  q.sbom_id = stored.id;
  HOSHI_ASSIGN_OR_RETURN(auto findings, QueryFindings(ctx, q));
  Reply r;
  r.status = 201;
  r.body = Json{{"sbom", SbomJson(stored)},
                {"invalid_purls", doc.invalid_purls},
                {"findings", FindingsSummary(findings)}};
  return r;
}

Result<Reply> ListSboms(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  sbom::FleetStore fleet(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(const bool all, QueryFlag(ctx, "all"));
  HOSHI_ASSIGN_OR_RETURN(auto list, fleet.ListSboms(org_id, all));
  // Each current SBOM's finding counts (superseded ones have only resolved findings).
  sbom::FindingQuery q;
  q.organization_id = org_id;
  HOSHI_ASSIGN_OR_RETURN(auto findings, QueryFindings(ctx, q));
  std::map<std::string, std::vector<sbom::StoredFinding>> by_sbom;
  for (auto& f : findings) {
    by_sbom[f.sbom_id].push_back(std::move(f));
  }
  Json out = Json::array();
  for (const auto& s : list) {
    Json j = SbomJson(s);
    j["findings"] = FindingsSummary(by_sbom[s.id]);
    out.push_back(std::move(j));
  }
  Reply r;
  r.body = Json{{"sboms", std::move(out)}};
  return r;
}

Result<Reply> GetSbom(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(sbom::StoredSbom s, LoadSbom(ctx));
  sbom::FleetStore fleet(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto components, fleet.Components(s.id));
  Json list = Json::array();
  for (std::size_t i = 0; i < components.size() && i < kMaxComponentsShown; ++i) {
    const auto& c = components[i];
    list.push_back(Json{{"ref", c.ref},
                        {"name", c.name},
                        {"version", c.version},
                        {"purl", c.purl},
                        {"ecosystem", c.package ? c.package->ecosystem : ""}});
  }
  Reply r;
  r.body = SbomJson(s);
  r.body["component_list"] = std::move(list);
  r.body["component_list_truncated"] = components.size() > kMaxComponentsShown;
  return r;
}

Result<Reply> SbomFindings(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(sbom::StoredSbom s, LoadSbom(ctx));
  const std::string format(ctx.request.QueryValue("format"));
  if (!format.empty() && format != "json" && format != "sarif" && format != "cyclonedx") {
    return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.report_format");
  }
  sbom::FindingQuery q;
  q.sbom_id = s.id;
  HOSHI_ASSIGN_OR_RETURN(q.include_resolved, QueryFlag(ctx, "resolved"));
  HOSHI_ASSIGN_OR_RETURN(auto findings, QueryFindings(ctx, q));
  Reply r;
  if (format.empty() || format == "json") {
    HOSHI_ASSIGN_OR_RETURN(const bool overdue_only, QueryFlag(ctx, "overdue"));
    HOSHI_ASSIGN_OR_RETURN(r.body, FindingsPage(ctx, findings, [&](const sbom::StoredFinding& f) {
                             return !overdue_only || f.overdue;
                           }));
    r.body["sbom"] = SbomJson(s);
    r.body["summary"] = FindingsSummary(findings);
    return r;
  }
  sbom::ScanReport report;
  report.tool_version = HOSHI_VERSION;
  report.generated_at = FormatTimestamp(ctx.clock().Now());
  report.serial = "urn:uuid:" + s.id;
  report.documents.push_back({s.product, s.format, s.spec_version, s.product, s.product_version,
                              static_cast<std::size_t>(s.component_count), 0});
  for (auto& f : findings) {
    report.findings.push_back({0, std::move(f.finding)});
  }
  r.raw = DumpJson(format == "sarif" ? sbom::ReportToSarif(report)
                                     : sbom::ReportToCycloneDxVdr(report)) +
          "\n";
  r.raw_type = format == "sarif" ? "application/sarif+json" : "application/vnd.cyclonedx+json";
  return r;
}

Result<Reply> OrgFindings(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  sbom::FindingQuery q;
  q.organization_id = org_id;
  HOSHI_ASSIGN_OR_RETURN(q.include_resolved, QueryFlag(ctx, "resolved"));
  HOSHI_ASSIGN_OR_RETURN(auto findings, QueryFindings(ctx, q));
  HOSHI_ASSIGN_OR_RETURN(const bool overdue_only, QueryFlag(ctx, "overdue"));
  Reply r;
  HOSHI_ASSIGN_OR_RETURN(r.body, FindingsPage(ctx, findings, [&](const sbom::StoredFinding& f) {
                           return !overdue_only || f.overdue;
                         }));
  r.body["summary"] = FindingsSummary(findings);
  return r;
}

Result<Reply> AddVex(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  HOSHI_ASSIGN_OR_RETURN(auto statements, sbom::ParseVex(DumpJson(ctx.body, -1)));
  sbom::FleetStore fleet(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(std::size_t suppressed, fleet.AddVex(org_id, statements));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, org_id, "sbom.vex_added", "organization", org_id,
                              Json{{"statements", statements.size()}, {"suppressed", suppressed}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.status = 201;
  r.body = Json{{"statements", statements.size()}, {"suppressed", suppressed}};
  return r;
}

Result<Reply> ListSbomShares(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  chain::ChainStore chains(ctx.conn, ctx.clock());
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  sbom::FleetStore fleet(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto buyers, chains.BuyersOf(org_id));
  HOSHI_ASSIGN_OR_RETURN(auto shared, fleet.SharedWith(org_id));
  Json out = Json::array();
  std::set<std::string> listed;
  for (const auto& rel : buyers) {
    if (!listed.insert(rel.buyer_organization_id).second) {
      continue;  // one row per buyer, however many relationships
    }
    HOSHI_ASSIGN_OR_RETURN(org::Organization b, ids.GetOrganization(rel.buyer_organization_id));
    out.push_back(Json{{"buyer", OrganizationJson(b)},
                       {"shared", std::find(shared.begin(), shared.end(),
                                            rel.buyer_organization_id) != shared.end()}});
  }
  Reply r;
  r.body = Json{{"shares", std::move(out)}};
  return r;
}

Result<Reply> ShareSbomFindings(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  const std::string& buyer = ctx.Param("buyer");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, {org::Role::kOrgAdmin}));
  HOSHI_RETURN_IF_ERROR(RequireBuyer(ctx, org_id, buyer));
  sbom::FleetStore fleet(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_RETURN_IF_ERROR(fleet.Share(org_id, buyer));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, org_id, "sbom.findings_shared", "organization", buyer));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.body = Json{{"shared_with", buyer}};
  return r;
}

Result<Reply> UnshareSbomFindings(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  const std::string& buyer = ctx.Param("buyer");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, {org::Role::kOrgAdmin}));
  sbom::FleetStore fleet(ctx.conn, ctx.clock());
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_RETURN_IF_ERROR(fleet.Unshare(org_id, buyer));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, org_id, "sbom.findings_unshared", "organization", buyer));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.status = 204;
  return r;
}

Result<Reply> AffectedSuppliers(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  std::vector<std::string> advisory_ids;
  {
    std::shared_lock lock(ctx.shared.advisories->mu);
    advisory_ids = sbom::ResolveAdvisoryIds(ctx.shared.advisories->db, ctx.Param("advisory"));
  }
  sbom::FleetStore fleet(ctx.conn, ctx.clock());
  org::IdentityStore ids(ctx.conn, ctx.clock(), ctx.shared.password_policy);
  HOSHI_ASSIGN_OR_RETURN(auto affected, fleet.AffectedSuppliers(org_id, advisory_ids));
  Json list = Json::array();
  for (const auto& a : affected) {
    HOSHI_ASSIGN_OR_RETURN(org::Organization o, ids.GetOrganization(a.supplier_organization_id));
    list.push_back(Json{{"supplier", OrganizationJson(o)},
                        {"product", a.product},
                        {"sbom_id", a.sbom_id},
                        {"component", a.component_name},
                        {"version", a.version},
                        {"state", sbom::FindingStateName(a.state)},
                        {"identified_at", a.identified_at},
                        {"advisory", a.advisory_id}});
  }
  Reply r;
  // "advisory": the first record (sorted by id); "advisories": all records of the id or alias.
  r.body = Json{{"advisory", advisory_ids.front()},
                {"advisories", advisory_ids},
                {"affected", std::move(list)}};
  return r;
}

Result<Reply> ImportAdvisory(Context& ctx) {
  HOSHI_RETURN_IF_ERROR(RequireOperator(ctx));
  const std::string record = DumpJson(ctx.body, -1);
  HOSHI_ASSIGN_OR_RETURN(sbom::Advisory advisory, sbom::ParseOsvJson(record, "body"));
  sbom::FleetStore fleet(ctx.conn, ctx.clock());
  std::unique_lock lock(ctx.shared.advisories->mu);
  HOSHI_ASSIGN_OR_RETURN(
      sbom::AdvisoryImport result,
      fleet.ImportAdvisory(std::move(advisory), record, "json", ctx.shared.advisories->db));
  lock.unlock();
  static constexpr std::array<std::string_view, 3> kChange{"new", "modified", "unchanged"};
  Reply r;
  r.status = result.change == sbom::AdvisoryChange::kNew ? 201 : 200;
  r.body = Json{{"advisory", result.advisory_id},
                {"change", kChange.at(static_cast<std::size_t>(result.change))},
                {"instances_checked", result.instances_checked},
                {"affected_sboms", result.affected_sboms.size()},
                {"new_findings", result.new_findings},
                {"resolved_findings", result.resolved_findings},
                {"elapsed_us", result.elapsed.count()}};
  return r;
}

Result<Reply> GetAdvisory(Context& ctx) {
  std::shared_lock lock(ctx.shared.advisories->mu);
  const sbom::AdvisoryDb& db = ctx.shared.advisories->db;
  const std::vector<const sbom::Advisory*> all = db.FindAll(ctx.Param("id"));
  if (all.empty()) {
    return Hidden("advisory", ctx.Param("id"));
  }
  // The record with exactly this id, else the first of those listing it as an alias.
  const auto exact = std::find_if(
      all.begin(), all.end(), [&](const sbom::Advisory* x) { return x->id == ctx.Param("id"); });
  const sbom::Advisory* a = exact != all.end() ? *exact : all.front();
  Json related = Json::array();
  for (const sbom::Advisory* x : all) {
    if (x != a) {
      related.push_back(x->id);
    }
  }
  Json packages = Json::array();
  for (const auto& affected : a->affected) {
    packages.push_back(
        Json{{"ecosystem", affected.package.ecosystem}, {"name", affected.package.name}});
  }
  Reply r;
  r.body = Json{{"id", a->id},
                {"aliases", a->aliases},
                {"summary", a->summary},
                {"published", a->published},
                {"modified", a->modified},
                {"withdrawn", a->withdrawn},
                {"base_score", a->base_score ? Json(*a->base_score) : Json(nullptr)},
                {"severity", sbom::SeverityLabel(a->base_score)},
                {"cvss_vector", a->cvss_vector},
                {"known_exploited", a->known_exploited},
                {"packages", std::move(packages)},
                {"related", std::move(related)}};
  return r;
}

}  // namespace hoshi::api
