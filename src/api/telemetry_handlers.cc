// SPDX-License-Identifier: Apache-2.0
// Collective-defense telemetry (issue #6): ingest, batches, detections, early warnings, consent to
// warn buyers, campaigns (operator), and de-identified sharing as STIX 2.1 and a read-only TAXII
// 2.1 collection.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>

#include "hoshi/core/file.h"
#include "hoshi/core/id.h"
#include "hoshi/core/text.h"
#include "hoshi/defense/logs.h"
#include "hoshi/defense/sharing.h"
#include "hoshi/defense/telemetry_store.h"
#include "hoshi/defense/telemetry_worker.h"

#include "context.h"

namespace hoshi::api {
namespace {

constexpr std::initializer_list<org::Role> kOrgWorkers{org::Role::kOrgAdmin, org::Role::kMember};
constexpr std::size_t kMaxName = 255;
constexpr std::size_t kMaxSource = 100;
constexpr std::size_t kMaxLimit = 1000;
constexpr std::int64_t kDayUs = std::int64_t{86'400} * 1'000'000;
/// What the STIX export and the TAXII collection cover by default.
constexpr std::int64_t kDefaultSharingWindowUs = 30 * kDayUs;
/// The one TAXII collection: de-identified indicators and sightings (a fixed id, so that
/// consumers can keep polling it).
constexpr std::string_view kTaxiiCollectionId = "1c8e2d5a-6f0b-4c3e-9a7d-2b5f8e4c1a60";
constexpr std::string_view kTaxiiApiRoot = "/taxii2/hoshitori/";

std::int64_t NowUs(const Context& ctx) {
  return std::chrono::duration_cast<std::chrono::microseconds>(ctx.clock().Now().time_since_epoch())
      .count();
}

std::string TimeUs(std::int64_t us) {
  return FormatTimestampMillis(TimePoint(std::chrono::microseconds(us)));
}

Json OptTime(const std::optional<std::int64_t>& us) {
  return us ? Json(TimeUs(*us)) : Json(nullptr);
}

Json BatchJson(const defense::StoredBatch& b) {
  return Json{{"id", b.id},
              {"source", b.source},
              {"received_at", b.received_at},
              {"processed_at", b.processed_at},
              {"bytes", b.bytes},
              {"lines", b.lines},
              {"events", b.events},
              {"skipped", b.skipped},
              {"malformed", b.malformed},
              {"malformed_by_reason", b.malformed_detail.value("by_reason", Json::object())},
              {"malformed_samples", b.malformed_detail.value("samples", Json::array())},
              {"detections", b.detections},
              {"first_event_at", OptTime(b.first_ts_us)},
              {"last_event_at", OptTime(b.last_ts_us)}};
}

Json DetectionJson(const defense::StoredDetection& d) {
  return Json{{"id", d.id},
              {"batch_id", d.batch_id},
              {"kind", d.kind},
              {"score", d.score},
              {"src", d.src},
              {"dst", d.dst},
              {"name", d.name},
              {"targets", d.targets},
              {"events", d.events},
              {"first_seen", TimeUs(d.first_ts_us)},
              {"last_seen", TimeUs(d.last_ts_us)},
              {"evidence", d.evidence},
              {"created_at", d.created_at}};
}

Json CampaignJson(const defense::Campaign& c) {
  Json j{{"id", c.id},
         {"target", c.target},
         {"kind", c.kind},
         {"max_score", c.max_score},
         {"organizations", c.organizations},
         {"first_seen", TimeUs(c.first_ts_us)},
         {"last_seen", TimeUs(c.last_ts_us)},
         {"created_at", c.created_at},
         {"updated_at", c.updated_at}};
  if (const auto o = defense::ParseTargetKey(c.target)) {
    j["target_type"] = defense::ObservableTypeName(o->type);
    j["target_value"] = o->value;
  }
  return j;
}

Json WarningJson(const defense::EarlyWarning& w, Lang lang) {
  const bool self = w.relation == "self";
  const std::string subject = !w.identity_disclosed
                                  ? Lookup(ApiMessages(), "api.undisclosed_supplier").In(lang)
                                  : (lang == Lang::kEn && !w.subject_organization_name_en.empty()
                                         ? w.subject_organization_name_en
                                         : w.subject_organization_name);
  const LocalizedText text = self ? FormatMessage(ApiMessages(), "api.warning_self",
                                                  w.campaign.organizations, w.campaign.target)
                                  : FormatMessage(ApiMessages(), "api.warning_supplier", subject,
                                                  w.campaign.organizations, w.campaign.target);
  Json j{{"id", w.id},
         {"relation", w.relation},
         {"identity_disclosed", w.identity_disclosed},
         {"subject_organization", w.identity_disclosed
                                      ? Json{{"id", w.subject_organization_id},
                                             {"name", w.subject_organization_name},
                                             {"name_en", w.subject_organization_name_en}}
                                      : Json(nullptr)},
         {"campaign", CampaignJson(w.campaign)},
         {"summary", text.In(lang)},
         {"created_at", w.created_at},
         {"acknowledged_at", w.acknowledged_at.empty() ? Json(nullptr) : Json(w.acknowledged_at)}};
  return j;
}

Json ConsentJson(const defense::TelemetryConsent& c) {
  return Json{{"relationship_id", c.relationship_id},
              {"buyer_organization_id", c.buyer_organization_id},
              {"buyer_organization_name", c.buyer_organization_name},
              {"buyer_organization_name_en", c.buyer_organization_name_en},
              {"warn_buyer", c.warn_buyer},
              {"disclose_identity", c.disclose_identity},
              {"updated_at", c.updated_at.empty() ? Json(nullptr) : Json(c.updated_at)}};
}

/// An RFC 3339 query parameter as microseconds; nullopt when absent.
Result<std::optional<std::int64_t>> QueryTime(const Context& ctx, std::string_view name) {
  const std::string_view text = ctx.request.QueryValue(name);
  if (text.empty()) {
    return std::optional<std::int64_t>();
  }
  auto t = ParseTimestamp(text);
  if (!t.ok()) {
    return BadField(name);
  }
  return std::optional<std::int64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(t->time_since_epoch()).count());
}

/// A printable, single-line label from the query (a file name, a sensor name).
Result<std::string> QueryLabel(const Context& ctx, std::string_view name, std::size_t max,
                               std::string_view fallback) {
  std::string text(ctx.request.QueryValue(name));
  if (text.empty()) {
    return std::string(fallback);
  }
  if (Utf8Length(text) > max || std::any_of(text.begin(), text.end(), [](unsigned char c) {
        return c < 0x20 || c == 0x7f;
      })) {
    return BadField(name);
  }
  return text;
}

defense::TelemetryStore Store(Context& ctx) {
  return defense::TelemetryStore(ctx.conn, ctx.clock(), ctx.shared.options.correlation);
}

/// The de-identified bundle of everything seen since `since_us`.
Result<defense::ShareResult> Share(Context& ctx, std::int64_t since_us) {
  auto store = Store(ctx);
  HOSHI_ASSIGN_OR_RETURN(auto input, store.SharingData(since_us));
  defense::ShareOptions options;
  options.now_us = NowUs(ctx);
  options.lang = ctx.lang;
  return defense::ExportStix(input.sightings, input.victims, options);
}

Reply TaxiiReply(const Json& body) {
  Reply r;
  r.raw = DumpJson(body) + "\n";
  r.raw_type = std::string(defense::kTaxiiMediaType);
  return r;
}

}  // namespace

// ---- ingest and the organisation's own data -----------------------------------------------------

Result<Reply> IngestTelemetry(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  HOSHI_ASSIGN_OR_RETURN(std::string name, QueryLabel(ctx, "name", kMaxName, ""));
  HOSHI_ASSIGN_OR_RETURN(std::string source, QueryLabel(ctx, "source", kMaxSource, "api"));
  if (ctx.request.body_file.empty() || ctx.request.body_size == 0) {
    return MakeError(ErrorCode::kInvalidArgument, ApiMessages(), "api.empty_upload");
  }
  const TelemetryState& telemetry = *ctx.shared.telemetry;
  if (ctx.request.body_size > telemetry.max_payload) {
    return MakeError(ErrorCode::kTooLarge, ApiMessages(), "api.telemetry_too_large",
                     FormatNumber(static_cast<long long>(telemetry.max_payload)));
  }
  HOSHI_ASSIGN_OR_RETURN(std::string payload,
                         ReadFile(ctx.request.body_file, telemetry.max_payload));
  // A plain log must start in a known format (gzip is checked by the worker, which records an
  // unreadable batch with the reason).
  HOSHI_RETURN_IF_ERROR(defense::CheckLogStart(payload, name.empty() ? "batch" : name));
  stream::Message m;
  m.organization_id = org_id;
  m.id = NewId(ctx.clock());
  m.kind = std::string(defense::kTelemetryBatchKind);
  const std::uint64_t bytes = payload.size();
  m.payload = defense::EncodeBatchEnvelope(
      {source, name, FormatTimestampMillis(ctx.clock().Now()), std::move(payload)});
  HOSHI_RETURN_IF_ERROR(telemetry.broker->Publish(m));
  Reply r;
  r.status = 202;
  const std::string location = "/api/v1/orgs/" + org_id + "/telemetry/batches/" + m.id;
  r.headers.push_back({"Location", location});
  r.body = Json{{"batch_id", m.id}, {"status", "queued"}, {"bytes", bytes}, {"location", location}};
  return r;
}

Result<Reply> ListTelemetryBatches(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  HOSHI_ASSIGN_OR_RETURN(std::size_t limit, QueryCount(ctx, "limit", 100, kMaxLimit));
  auto store = Store(ctx);
  HOSHI_ASSIGN_OR_RETURN(auto batches, store.ListBatches(org_id, limit));
  HOSHI_ASSIGN_OR_RETURN(auto totals, store.Totals(org_id));
  Json list = Json::array();
  for (const auto& b : batches) {
    list.push_back(BatchJson(b));
  }
  Reply r;
  r.body = Json{{"totals",
                 {{"batches", totals.batches},
                  {"events", totals.events},
                  {"malformed", totals.malformed},
                  {"detections", totals.detections}}},
                {"batches", std::move(list)}};
  return r;
}

Result<Reply> GetTelemetryBatch(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  auto store = Store(ctx);
  HOSHI_ASSIGN_OR_RETURN(auto batch, store.GetBatch(org_id, ctx.Param("id")));
  Reply r;
  r.body = BatchJson(batch);
  return r;
}

Result<Reply> ListDetections(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  defense::DetectionQuery q;
  if (const std::string_view kind = ctx.request.QueryValue("kind"); !kind.empty()) {
    constexpr std::array kKinds{"beacon",      "strobe",      "long_connection",
                                "dns_entropy", "c2_over_dns", "indicator_hit"};
    if (std::find(kKinds.begin(), kKinds.end(), kind) == kKinds.end()) {
      return BadField("kind");
    }
    q.kind = std::string(kind);
  }
  if (const std::string_view text = ctx.request.QueryValue("min_score"); !text.empty()) {
    double v = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || !(v >= 0 && v <= 1)) {
      return BadField("min_score");
    }
    q.min_score = v;
  }
  HOSHI_ASSIGN_OR_RETURN(q.since_us, QueryTime(ctx, "since"));
  HOSHI_ASSIGN_OR_RETURN(q.limit, QueryCount(ctx, "limit", 100, kMaxLimit));
  HOSHI_ASSIGN_OR_RETURN(q.offset, QueryCount(ctx, "offset", 0, 1'000'000));
  auto store = Store(ctx);
  HOSHI_ASSIGN_OR_RETURN(auto detections, store.Detections(org_id, q));
  Json list = Json::array();
  for (const auto& d : detections) {
    list.push_back(DetectionJson(d));
  }
  Reply r;
  r.body = Json{{"detections", std::move(list)}, {"limit", q.limit}, {"offset", q.offset}};
  return r;
}

// ---- early warnings and consent
// ------------------------------------------------------------------

Result<Reply> ListEarlyWarnings(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  auto store = Store(ctx);
  HOSHI_ASSIGN_OR_RETURN(auto warnings, store.WarningsFor(org_id));
  Json list = Json::array();
  std::size_t open = 0;
  for (const auto& w : warnings) {
    open += w.acknowledged_at.empty() ? 1 : 0;
    list.push_back(WarningJson(w, ctx.lang));
  }
  Reply r;
  r.body = Json{{"open", open}, {"warnings", std::move(list)}};
  return r;
}

Result<Reply> AcknowledgeEarlyWarning(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  auto store = Store(ctx);
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(auto warning, store.AcknowledgeWarning(org_id, ctx.Param("id")));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, org_id, "telemetry.warning_acknowledged", "early_warning",
                              warning.id, Json{{"campaign", warning.campaign.id}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.body = WarningJson(warning, ctx.lang);
  return r;
}

Result<Reply> ListTelemetryConsents(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, kOrgWorkers));
  auto store = Store(ctx);
  HOSHI_ASSIGN_OR_RETURN(auto consents, store.ConsentsOf(org_id));
  Json list = Json::array();
  for (const auto& c : consents) {
    list.push_back(ConsentJson(c));
  }
  Reply r;
  r.body = Json{{"consents", std::move(list)}};
  return r;
}

Result<Reply> SetTelemetryConsent(Context& ctx) {
  const std::string& org_id = ctx.Param("org");
  HOSHI_RETURN_IF_ERROR(RequireOrgRole(ctx, org_id, {org::Role::kOrgAdmin}));
  if (!ctx.body.contains("warn_buyer")) {
    return BadField("warn_buyer");
  }
  HOSHI_ASSIGN_OR_RETURN(bool warn, BodyBool(ctx, "warn_buyer", false));
  HOSHI_ASSIGN_OR_RETURN(bool disclose, BodyBool(ctx, "disclose_identity", false));
  if (disclose && !warn) {
    return BadField("disclose_identity");
  }
  auto store = Store(ctx);
  HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(ctx.conn));
  HOSHI_ASSIGN_OR_RETURN(auto consent, store.SetConsent(org_id, ctx.Param("relationship"), warn,
                                                        disclose, ctx.me().user.id));
  HOSHI_RETURN_IF_ERROR(Audit(ctx, org_id, "telemetry.consent_set", "relationship",
                              consent.relationship_id,
                              Json{{"warn_buyer", warn}, {"disclose_identity", disclose}}));
  HOSHI_RETURN_IF_ERROR(tx.Commit());
  Reply r;
  r.body = ConsentJson(consent);
  return r;
}

// ---- the operator's view
// ---------------------------------------------------------------------------

Result<Reply> ListCampaigns(Context& ctx) {
  HOSHI_RETURN_IF_ERROR(RequireOperator(ctx));
  HOSHI_ASSIGN_OR_RETURN(std::size_t limit, QueryCount(ctx, "limit", 100, kMaxLimit));
  auto store = Store(ctx);
  HOSHI_ASSIGN_OR_RETURN(auto campaigns, store.Campaigns(limit));
  Json list = Json::array();
  for (const auto& c : campaigns) {
    list.push_back(CampaignJson(c));
  }
  Reply r;
  r.body = Json{{"min_organizations", ctx.shared.options.correlation.min_organizations},
                {"window_days", ctx.shared.options.correlation.window_us / kDayUs},
                {"campaigns", std::move(list)}};
  return r;
}

Result<Reply> GetCampaign(Context& ctx) {
  HOSHI_RETURN_IF_ERROR(RequireOperator(ctx));
  auto store = Store(ctx);
  HOSHI_ASSIGN_OR_RETURN(auto c, store.GetCampaign(ctx.Param("id")));
  Reply r;
  r.body = CampaignJson(c);
  r.body["member_organization_ids"] = c.member_organization_ids;
  return r;
}

// ---- de-identified sharing
// -------------------------------------------------------------------------

Result<Reply> ExportStix(Context& ctx) {
  HOSHI_ASSIGN_OR_RETURN(auto since, QueryTime(ctx, "since"));
  HOSHI_ASSIGN_OR_RETURN(auto shared,
                         Share(ctx, since.value_or(NowUs(ctx) - kDefaultSharingWindowUs)));
  Reply r;
  r.raw = DumpJson(shared.bundle) + "\n";
  r.raw_type = std::string(defense::kStixMediaType);
  return r;
}

Result<Reply> TaxiiDiscovery(Context& ctx) {
  defense::TaxiiDiscoveryInfo info;
  info.title = "hoshitori collective defense";
  info.description = Lookup(ApiMessages(), "api.taxii_description").In(ctx.lang);
  info.default_api_root = std::string(kTaxiiApiRoot);
  info.api_roots = {std::string(kTaxiiApiRoot)};
  return TaxiiReply(defense::TaxiiDiscovery(info));
}

Result<Reply> TaxiiApiRoot(Context& ctx) {
  defense::TaxiiApiRootInfo info;
  info.title = "hoshitori";
  info.description = Lookup(ApiMessages(), "api.taxii_read_only").In(ctx.lang);
  return TaxiiReply(defense::TaxiiApiRoot(info));
}

namespace {
defense::TaxiiCollectionInfo CollectionInfo(const Context& ctx) {
  defense::TaxiiCollectionInfo c;
  c.id = std::string(kTaxiiCollectionId);
  c.title = Lookup(ApiMessages(), "api.taxii_collection_title").In(ctx.lang);
  c.description = Lookup(ApiMessages(), "api.taxii_collection_description").In(ctx.lang);
  c.alias = "indicators";
  return c;
}

Status RequireCollection(const Context& ctx) {
  if (ctx.Param("collection") != kTaxiiCollectionId) {
    return MakeError(ErrorCode::kNotFound, ApiMessages(), "api.no_route");
  }
  return Status::Ok();
}
}  // namespace

Result<Reply> TaxiiCollections(Context& ctx) {
  const std::array collections{CollectionInfo(ctx)};
  return TaxiiReply(defense::TaxiiCollections(collections));
}

Result<Reply> TaxiiCollection(Context& ctx) {
  HOSHI_RETURN_IF_ERROR(RequireCollection(ctx));
  return TaxiiReply(defense::TaxiiCollection(CollectionInfo(ctx)));
}

namespace {
/// A page of the collection's objects in `view`, for the request's query; `object_id` (from the
/// path) narrows it to one object, which must exist (404 otherwise).
Result<Reply> TaxiiPageReply(Context& ctx, defense::TaxiiView view,
                             std::string_view object_id = {}) {
  HOSHI_RETURN_IF_ERROR(RequireCollection(ctx));
  HOSHI_ASSIGN_OR_RETURN(auto query, defense::ParseTaxiiQuery(ctx.request.query));
  if (!object_id.empty()) {
    query.match_ids = {ToLowerAscii(object_id)};
  }
  HOSHI_ASSIGN_OR_RETURN(auto shared, Share(ctx, NowUs(ctx) - kDefaultSharingWindowUs));
  std::vector<Json> objects;
  if (shared.bundle.contains("objects")) {
    for (const auto& o : shared.bundle["objects"]) {
      objects.push_back(o);
    }
  }
  defense::TaxiiPage page = defense::TaxiiEnvelope(objects, query, view);
  if (!object_id.empty() && page.date_added_first.empty() && !query.next && !query.added_after_us) {
    return MakeError(ErrorCode::kNotFound, ApiMessages(), "api.no_route");
  }
  Reply r = TaxiiReply(page.envelope);
  if (!page.date_added_first.empty()) {
    r.headers.push_back({"X-TAXII-Date-Added-First", page.date_added_first});
    r.headers.push_back({"X-TAXII-Date-Added-Last", page.date_added_last});
  }
  return r;
}
}  // namespace

Result<Reply> TaxiiObjects(Context& ctx) {
  return TaxiiPageReply(ctx, defense::TaxiiView::kObjects);
}

Result<Reply> TaxiiManifest(Context& ctx) {
  return TaxiiPageReply(ctx, defense::TaxiiView::kManifest);
}

Result<Reply> TaxiiObject(Context& ctx) {
  return TaxiiPageReply(ctx, defense::TaxiiView::kObjects, ctx.Param("object"));
}

Result<Reply> TaxiiObjectVersions(Context& ctx) {
  return TaxiiPageReply(ctx, defense::TaxiiView::kVersions, ctx.Param("object"));
}

}  // namespace hoshi::api
