// SPDX-License-Identifier: Apache-2.0
// Private to the api module: the per-request context handed to route handlers, and the shared
// authorisation helpers every handler uses.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "hoshi/api/platform.h"
#include "hoshi/assess/store.h"
#include "hoshi/catalog/registry.h"
#include "hoshi/core/json.h"
#include "hoshi/cred/issuer_key.h"
#include "hoshi/cred/vc.h"
#include "hoshi/defense/indicators.h"
#include "hoshi/defense/telemetry_worker.h"
#include "hoshi/org/identity.h"
#include "hoshi/org/roles.h"
#include "hoshi/sbom/advisory.h"
#include "hoshi/storage/blob_store.h"
#include "hoshi/storage/database.h"
#include "hoshi/storage/pool.h"
#include "hoshi/stream/stream.h"

namespace hoshi::api {

/// The authenticated caller.
struct Principal {
  org::User user;
  std::vector<org::Membership> memberships;
  bool via_session = false;

  [[nodiscard]] bool IsMember(std::string_view org_id) const;
  [[nodiscard]] bool HasRole(std::string_view org_id, org::Role role) const;
  [[nodiscard]] bool HasRoleAnywhere(org::Role role) const;
  [[nodiscard]] bool IsOperator() const { return HasRoleAnywhere(org::Role::kOperator); }
};

/// A handler's successful answer.
struct Reply {
  int status = 200;
  Json body;
  std::vector<http::Header> headers;
  std::optional<std::string> raw;  ///< sent as is (with raw_type) instead of `body`
  std::string raw_type;
};

/// The advisories in memory (loaded from the database at start, updated by imports). Readers
/// (SBOM uploads, finding views) share the lock; an import holds it alone.
struct AdvisoryState {
  std::shared_mutex mu;
  sbom::AdvisoryDb db;
};

/// Collective-defense telemetry: where ingested batches go, and the indicators the workers match
/// (replaced as a whole on reload; readers keep the set they took).
struct TelemetryState {
  std::unique_ptr<stream::Broker> broker;  ///< MemoryQueue (embedded) or JetStream (scale-out)
  std::uint64_t max_payload = 0;           ///< largest message the broker takes
  mutable std::mutex mu;
  std::shared_ptr<const defense::IndicatorSet> indicators;
  [[nodiscard]] std::shared_ptr<const defense::IndicatorSet> Indicators() const {
    const std::lock_guard lock(mu);
    return indicators;
  }
};

/// Shared, read-only-after-start state of the platform.
struct Shared {
  PlatformOptions options;
  const Clock* clock = nullptr;
  catalog::CatalogRegistry registry;
  std::optional<storage::BlobStore> blobs;
  std::optional<cred::IssuerKey> issuer;
  std::string issuer_did;
  org::PasswordPolicy password_policy;
  const Platform* platform = nullptr;  ///< for values that may change after start (public URL)
  std::shared_ptr<AdvisoryState> advisories = std::make_shared<AdvisoryState>();
  std::shared_ptr<TelemetryState> telemetry = std::make_shared<TelemetryState>();
};

struct Platform::Impl {
  Shared shared;
  mutable std::mutex url_mu;
  std::unique_ptr<storage::ConnectionPool> pool;
  std::optional<SystemClock> system_clock;
  // Embedded telemetry workers (StartTelemetryWorkers); stopped before anything above goes.
  std::mutex workers_mu;
  std::atomic<bool> workers_stop{false};
  std::vector<std::unique_ptr<stream::Consumer>> consumers;
  std::vector<std::unique_ptr<defense::TelemetryWorker>> workers;
  std::vector<std::thread> worker_threads;
  void StopTelemetryWorkers();
  ~Impl() { StopTelemetryWorkers(); }
};

struct Context {
  http::Request& request;
  const Route& route;
  std::map<std::string, std::string, std::less<>> params;  ///< path parameters
  Lang lang = Lang::kJa;
  storage::Connection& conn;
  Shared& shared;
  std::optional<Principal> principal;  ///< set for Access::kUser routes
  Json body;                           ///< parsed JSON body (BodyKind::kJson)

  [[nodiscard]] const Clock& clock() const { return *shared.clock; }
  [[nodiscard]] Date Today() const { return Date::FromTimePoint(clock().Now()); }
  [[nodiscard]] const std::string& Param(std::string_view name) const;
  [[nodiscard]] const Principal& me() const { return *principal; }
};

// ---- errors -------------------------------------------------------------------------------------

/// kNotFound for an object the caller may not see (not revealing that it exists).
[[nodiscard]] Error Hidden(std::string_view what, std::string_view id);
/// kPermissionDenied for an action the caller may not take on an object they can see.
[[nodiscard]] Error Denied();
[[nodiscard]] Error BadField(std::string_view field);

// ---- body access --------------------------------------------------------------------------------

[[nodiscard]] Result<std::string> BodyString(const Context& ctx, std::string_view key,
                                             std::size_t max_chars, bool required = true);
[[nodiscard]] Result<bool> BodyBool(const Context& ctx, std::string_view key, bool fallback);
[[nodiscard]] Result<int> BodyInt(const Context& ctx, std::string_view key);

// ---- query parameters ---------------------------------------------------------------------------

/// A non-negative integer query parameter (`limit`, `offset`): `fallback` when absent, a 400
/// naming the parameter when not a number or above `max`.
[[nodiscard]] Result<std::size_t> QueryCount(const Context& ctx, std::string_view name,
                                             std::size_t fallback, std::size_t max);
/// A boolean query parameter: absent → false, "true" / "false", anything else a 400 naming it
/// (so that a typo such as `?overdue=yes` is not silently ignored).
[[nodiscard]] Result<bool> QueryFlag(const Context& ctx, std::string_view name);

// ---- authorisation ------------------------------------------------------------------------------

/// The caller holds one of `roles` in `org_id`, else a 404 (not a member: the organisation is
/// hidden) or a 403 (a member without the role).
[[nodiscard]] Status RequireOrgRole(const Context& ctx, std::string_view org_id,
                                    std::initializer_list<org::Role> roles);
[[nodiscard]] Status RequireOperator(const Context& ctx);

/// How the caller relates to an assessment.
struct AssessmentAccess {
  bool owner_member = false;  ///< member of the supplier organisation
  bool owner_admin = false;
  bool expert = false;        ///< the assigned ★3 expert
  bool evaluator = false;     ///< the assigned ★4 evaluator
  bool shared_buyer = false;  ///< member of a buyer the supplier shared it with
  bool operator_ = false;
  [[nodiscard]] bool reviewer() const { return expert || evaluator; }
  [[nodiscard]] bool CanRead() const {
    return owner_member || expert || evaluator || shared_buyer || operator_;
  }
};

/// Loads the assessment and how the caller relates to it; a 404 when the caller may not read it.
[[nodiscard]] Result<std::pair<assess::AssessmentRecord, AssessmentAccess>> LoadAssessment(
    Context& ctx, std::string_view id, bool with_answers);

/// Appends one audit event for `org_id` in the current transaction.
[[nodiscard]] Status Audit(Context& ctx, std::string_view org_id, std::string_view action,
                           std::string_view object_type, std::string_view object_id,
                           const Json& payload = Json::object());

// ---- JSON views ---------------------------------------------------------------------------------

[[nodiscard]] Json OrganizationJson(const org::Organization& o);
[[nodiscard]] Json UserJson(const org::User& u);
[[nodiscard]] Json Localized(const LocalizedText& text);
[[nodiscard]] Json AssessmentSummaryJson(const assess::AssessmentRecord& rec);

// ---- handlers (one file per area) ---------------------------------------------------------------
// NOLINTBEGIN(readability-identifier-naming)
#define HOSHI_API_HANDLER(name) [[nodiscard]] Result<Reply> name(Context& ctx)
// auth_handlers.cc
HOSHI_API_HANDLER(Login);
HOSHI_API_HANDLER(Logout);
HOSHI_API_HANDLER(Me);
HOSHI_API_HANDLER(CreateToken);
HOSHI_API_HANDLER(RevokeToken);
HOSHI_API_HANDLER(Signup);
HOSHI_API_HANDLER(GetOrganization);
HOSHI_API_HANDLER(ListMembers);
HOSHI_API_HANDLER(AddMember);
HOSHI_API_HANDLER(ListReviewers);
HOSHI_API_HANDLER(OrgAudit);
HOSHI_API_HANDLER(CreateOrganization);
HOSHI_API_HANDLER(ListCatalogs);
HOSHI_API_HANDLER(GetCatalog);
// assessment_handlers.cc
HOSHI_API_HANDLER(ListAssessments);
HOSHI_API_HANDLER(CreateAssessment);
HOSHI_API_HANDLER(GetAssessment);
HOSHI_API_HANDLER(PutAnswers);
HOSHI_API_HANDLER(UploadEvidence);
HOSHI_API_HANDLER(GetEvidence);
HOSHI_API_HANDLER(GetEvaluation);
HOSHI_API_HANDLER(Submit);
HOSHI_API_HANDLER(Reopen);
HOSHI_API_HANDLER(AssignReviewer);
HOSHI_API_HANDLER(Share);
HOSHI_API_HANDLER(Unshare);
HOSHI_API_HANDLER(ReviewQueue);
HOSHI_API_HANDLER(AddComment);
HOSHI_API_HANDLER(ListComments);
HOSHI_API_HANDLER(StartReview);
HOSHI_API_HANDLER(ReturnAssessment);
HOSHI_API_HANDLER(ConfirmAssessment);
HOSHI_API_HANDLER(RecordReview);
HOSHI_API_HANDLER(UploadReport);
HOSHI_API_HANDLER(Declare);
// cert_handlers.cc
HOSHI_API_HANDLER(Certify);
HOSHI_API_HANDLER(ListCertifications);
HOSHI_API_HANDLER(GetCredential);
HOSHI_API_HANDLER(RevokeCertification);
HOSHI_API_HANDLER(GetAnnual);
HOSHI_API_HANDLER(SubmitAnnual);
HOSHI_API_HANDLER(PublicLookup);
HOSHI_API_HANDLER(PublicRevocations);
HOSHI_API_HANDLER(PublicIssuer);
HOSHI_API_HANDLER(Registry);
HOSHI_API_HANDLER(Statistics);
// chain_handlers.cc
HOSHI_API_HANDLER(AddSupplier);
HOSHI_API_HANDLER(Portfolio);
HOSHI_API_HANDLER(SendRequest);
HOSHI_API_HANDLER(ListRequests);
HOSHI_API_HANDLER(AcceptRequest);
HOSHI_API_HANDLER(DeclineRequest);
HOSHI_API_HANDLER(ListBuyers);
HOSHI_API_HANDLER(SetNameConsent);
// sbom_handlers.cc
HOSHI_API_HANDLER(UploadSbom);
HOSHI_API_HANDLER(ListSboms);
HOSHI_API_HANDLER(GetSbom);
HOSHI_API_HANDLER(SbomFindings);
HOSHI_API_HANDLER(OrgFindings);
HOSHI_API_HANDLER(AddVex);
HOSHI_API_HANDLER(ListSbomShares);
HOSHI_API_HANDLER(ShareSbomFindings);
HOSHI_API_HANDLER(UnshareSbomFindings);
HOSHI_API_HANDLER(AffectedSuppliers);
HOSHI_API_HANDLER(ImportAdvisory);
HOSHI_API_HANDLER(GetAdvisory);
// telemetry_handlers.cc
HOSHI_API_HANDLER(IngestTelemetry);
HOSHI_API_HANDLER(ListTelemetryBatches);
HOSHI_API_HANDLER(GetTelemetryBatch);
HOSHI_API_HANDLER(ListDetections);
HOSHI_API_HANDLER(ListEarlyWarnings);
HOSHI_API_HANDLER(AcknowledgeEarlyWarning);
HOSHI_API_HANDLER(ListTelemetryConsents);
HOSHI_API_HANDLER(SetTelemetryConsent);
HOSHI_API_HANDLER(ListCampaigns);
HOSHI_API_HANDLER(GetCampaign);
HOSHI_API_HANDLER(ExportStix);
HOSHI_API_HANDLER(TaxiiDiscovery);
HOSHI_API_HANDLER(TaxiiApiRoot);
HOSHI_API_HANDLER(TaxiiCollections);
HOSHI_API_HANDLER(TaxiiCollection);
HOSHI_API_HANDLER(TaxiiObjects);
HOSHI_API_HANDLER(TaxiiManifest);
HOSHI_API_HANDLER(TaxiiObject);
HOSHI_API_HANDLER(TaxiiObjectVersions);
#undef HOSHI_API_HANDLER
// NOLINTEND(readability-identifier-naming)

}  // namespace hoshi::api
