// SPDX-License-Identifier: Apache-2.0
#include "hoshi/api/platform.h"

#include <algorithm>
#include <exception>

#include <spdlog/spdlog.h>

#include "hoshi/assess/certification.h"
#include "hoshi/core/file.h"
#include "hoshi/org/audit.h"
#include "hoshi/sbom/fleet.h"
#include "hoshi/storage/pool.h"
#include "hoshi/stream/jetstream.h"
#include "hoshi/stream/memory_queue.h"

#include "context.h"

namespace hoshi::api {

namespace {

constexpr std::string_view kSessionCookie = "hoshi_session";

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

/// Matches `path` against a route pattern, filling `params`.
bool Match(std::string_view pattern, std::string_view path,
           std::map<std::string, std::string, std::less<>>& params) {
  const auto want = Segments(pattern);
  const auto have = Segments(path);
  if (want.size() != have.size()) {
    return false;
  }
  std::map<std::string, std::string, std::less<>> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    const std::string_view w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (have[i].empty()) {
        return false;
      }
      found.emplace(std::string(w.substr(1, w.size() - 2)), std::string(have[i]));
    } else if (w != have[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

struct Found {
  const Route* route = nullptr;
  bool path_matched = false;  ///< some route has this path (for 405)
  std::map<std::string, std::string, std::less<>> params;
};

Found FindRoute(std::string_view method, std::string_view path) {
  Found f;
  for (const Route& r : Routes()) {
    std::map<std::string, std::string, std::less<>> params;
    if (!Match(r.path, path, params)) {
      continue;
    }
    f.path_matched = true;
    if (r.method == method) {
      f.route = &r;
      f.params = std::move(params);
      return f;
    }
  }
  return f;
}

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t semi = header.find(';');
    std::string_view part = header.substr(0, semi);
    while (!part.empty() && part.front() == ' ') {
      part.remove_prefix(1);
    }
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    if (semi == std::string_view::npos) {
      break;
    }
    header.remove_prefix(semi + 1);
  }
  return {};
}

bool IsUnsafe(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

Error ApiError(ErrorCode code, std::string_view key) {
  return MakeError(code, ApiMessages(), key);
}

/// Authenticates the request: a Bearer API token, or the session cookie (with the CSRF header on
/// unsafe methods).
Result<Principal> Authenticate(const http::Request& req, org::IdentityStore& ids) {
  Principal p;
  std::string user_id;
  const std::string_view authz = req.HeaderValue("Authorization");
  if (!authz.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (authz.substr(0, kBearer.size()) != kBearer) {
      return ApiError(ErrorCode::kUnauthenticated, "api.bad_authorization");
    }
    HOSHI_ASSIGN_OR_RETURN(user_id, ids.LookupApiToken(authz.substr(kBearer.size())));
  } else {
    const std::string token = CookieValue(req.HeaderValue("Cookie"), kSessionCookie);
    if (token.empty()) {
      return ApiError(ErrorCode::kUnauthenticated, "api.login_required");
    }
    HOSHI_ASSIGN_OR_RETURN(org::IdentityStore::SessionInfo session, ids.LookupSession(token));
    if (IsUnsafe(req.method) &&
        !ConstantTimeEquals(req.HeaderValue("X-CSRF-Token"), session.csrf_token)) {
      return ApiError(ErrorCode::kPermissionDenied, "api.csrf");
    }
    user_id = session.user_id;
    p.via_session = true;
  }
  HOSHI_ASSIGN_OR_RETURN(p.user, ids.GetUser(user_id));
  if (p.user.disabled) {
    return ApiError(ErrorCode::kUnauthenticated, "api.login_required");
  }
  HOSHI_ASSIGN_OR_RETURN(p.memberships, ids.Memberships(user_id));
  return p;
}

Lang RequestLang(const http::Request& req) {
  const std::string_view q = req.QueryValue("lang");
  if (q == "en") {
    return Lang::kEn;
  }
  if (q == "ja") {
    return Lang::kJa;
  }
  return http::LangFromAcceptLanguage(req.HeaderValue("Accept-Language"));
}

http::Response ToResponse(Reply reply) {
  http::Response r;
  r.status = reply.status;
  r.headers = std::move(reply.headers);
  if (reply.raw) {
    r.body = std::move(*reply.raw);
    r.content_type = reply.raw_type;
  } else if (reply.status != 204) {
    r.body = DumpJson(reply.body, -1);
  }
  return r;
}

}  // namespace

Platform::Platform(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Platform::~Platform() = default;

Result<std::unique_ptr<Platform>> Platform::Create(const PlatformOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->shared.options = options;
  if (options.clock == nullptr) {
    impl->system_clock.emplace();
    impl->shared.clock = &*impl->system_clock;
  } else {
    impl->shared.clock = options.clock;
  }
  impl->shared.password_policy =
      options.test_password_policy ? org::MinimumPasswordPolicy() : org::DefaultPasswordPolicy();
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir / "uploads", ec);
  if (ec) {
    return MakeError(ErrorCode::kIoError, ApiMessages(), "api.data_dir", options.data_dir.string())
        .WithDetail(ec.message());
  }
  std::filesystem::permissions(options.data_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  HOSHI_ASSIGN_OR_RETURN(impl->pool,
                         storage::ConnectionPool::Create(options.db_url, options.db_connections));
  {
    HOSHI_ASSIGN_OR_RETURN(storage::Lease conn, impl->pool->Acquire());
    HOSHI_RETURN_IF_ERROR(storage::Migrate(*conn));
    HOSHI_ASSIGN_OR_RETURN(impl->shared.registry, catalog::CatalogRegistry::LoadBuiltin());
    HOSHI_RETURN_IF_ERROR(impl->shared.registry.LoadStored(*conn));
    sbom::FleetStore fleet(*conn, *impl->shared.clock);
    HOSHI_RETURN_IF_ERROR(fleet.LoadAdvisories(impl->shared.advisories->db));
  }
  HOSHI_ASSIGN_OR_RETURN(storage::BlobStore blobs,
                         storage::BlobStore::Open(options.data_dir / "blobs"));
  impl->shared.blobs.emplace(std::move(blobs));
  HOSHI_ASSIGN_OR_RETURN(
      cred::IssuerKey issuer,
      cred::LoadOrCreateIssuerKey(options.data_dir / "keys" / "issuer.key",
                                  "独立行政法人情報処理推進機構 (demo operator)"));
  impl->shared.issuer_did = cred::DidKey(issuer.key.public_key());
  // The public half, for `hoshitori verify` and for publishing (the seed never leaves issuer.key).
  HOSHI_RETURN_IF_ERROR(
      WriteFileAtomic(options.data_dir / "keys" / "issuer.did", impl->shared.issuer_did + "\n"));
  impl->shared.issuer.emplace(std::move(issuer));
  // Telemetry batches: an in-process queue (embedded) or NATS JetStream (scale-out).
  TelemetryState& telemetry = *impl->shared.telemetry;
  if (options.nats_url.empty()) {
    stream::MemoryQueueOptions qo;
    qo.max_bytes = std::max<std::size_t>(qo.max_bytes, 4 * options.max_telemetry_bytes);
    HOSHI_ASSIGN_OR_RETURN(auto queue, stream::MemoryQueue::Create(qo));
    telemetry.broker = std::move(queue);
    telemetry.max_payload = options.max_telemetry_bytes;
  } else {
    stream::JetStreamOptions jo;
    jo.url = options.nats_url;
    HOSHI_ASSIGN_OR_RETURN(auto js, stream::JetStream::Connect(jo));
    const auto server_max = static_cast<std::uint64_t>(std::max<std::int64_t>(
        0, js->max_payload() - static_cast<std::int64_t>(defense::kMaxEnvelopeMetadataBytes)));
    telemetry.max_payload = std::min(options.max_telemetry_bytes, server_max);
    telemetry.broker = std::move(js);
  }
  auto platform = std::unique_ptr<Platform>(new Platform(std::move(impl)));
  platform->impl_->shared.platform = platform.get();
  HOSHI_RETURN_IF_ERROR(platform->ExpireDue());
  HOSHI_RETURN_IF_ERROR(platform->ReloadIndicators().status());
  return platform;
}

Result<std::size_t> Platform::ReloadIndicators() {
  const PlatformOptions& o = impl_->shared.options;
  const std::filesystem::path dir =
      o.indicators_dir.empty() ? o.data_dir / "indicators" : o.indicators_dir;
  std::shared_ptr<defense::IndicatorSet> set;
  std::error_code ec;
  if (std::filesystem::exists(dir, ec)) {
    HOSHI_ASSIGN_OR_RETURN(defense::IndicatorLoad load, defense::LoadIndicatorPaths({dir}));
    for (const Error& e : load.file_errors) {
      spdlog::warn("indicators: {} ({})", e.ToString(Lang::kEn), e.detail());
    }
    set = std::move(load.set);
  } else {
    set = std::make_shared<defense::IndicatorSet>();
    set->Freeze();
  }
  const std::size_t n = set->size();
  const std::lock_guard lock(impl_->shared.telemetry->mu);
  impl_->shared.telemetry->indicators = std::move(set);
  return n;
}

Status Platform::StartTelemetryWorkers() {
  Impl& impl = *impl_;
  const std::lock_guard lock(impl.workers_mu);
  if (!impl.shared.options.nats_url.empty() || !impl.worker_threads.empty()) {
    return Status::Ok();
  }
  stream::Broker& broker = *impl.shared.telemetry->broker;
  const std::size_t n =
      std::clamp<std::size_t>(impl.shared.options.telemetry_workers, 1, broker.partitions());
  defense::WorkerOptions wo;
  wo.correlation = impl.shared.options.correlation;
  HOSHI_RETURN_IF_ERROR(defense::ValidateCorrelationConfig(wo.correlation));
  impl.workers_stop = false;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::uint32_t> partitions;
    for (std::uint32_t p = 0; p < broker.partitions(); ++p) {
      if (p % n == i) {
        partitions.push_back(p);
      }
    }
    HOSHI_ASSIGN_OR_RETURN(auto consumer, broker.OpenConsumer(std::move(partitions)));
    impl.consumers.push_back(std::move(consumer));
    impl.workers.push_back(std::make_unique<defense::TelemetryWorker>(
        *impl.consumers.back(), *impl.pool, *impl.shared.clock,
        [state = impl.shared.telemetry] { return state->Indicators(); }, wo));
  }
  for (auto& worker : impl.workers) {
    impl.worker_threads.emplace_back([&impl, w = worker.get()] { w->Run(impl.workers_stop); });
  }
  return Status::Ok();
}

void Platform::Impl::StopTelemetryWorkers() {
  const std::lock_guard lock(workers_mu);
  workers_stop = true;
  for (auto& t : worker_threads) {
    t.join();
  }
  worker_threads.clear();
  workers.clear();
  consumers.clear();
}

void Platform::SetPublicBaseUrl(std::string url) {
  const std::lock_guard lock(impl_->url_mu);
  impl_->shared.options.public_base_url = std::move(url);
}

std::string Platform::PublicBaseUrl() const {
  const std::lock_guard lock(impl_->url_mu);
  return impl_->shared.options.public_base_url;
}

std::filesystem::path Platform::upload_dir() const {
  return impl_->shared.options.data_dir / "uploads";
}

std::string Platform::IssuerDid() const {
  return impl_->shared.issuer_did;
}

http::BodyPolicy Platform::PolicyFor(const http::Request& head) const {
  const Found f = FindRoute(head.method, head.path);
  http::BodyPolicy p;
  p.max_bytes = impl_->shared.options.max_json_bytes;
  if (f.route != nullptr && f.route->body == BodyKind::kUpload) {
    p.stream_to_file = true;
    p.max_bytes = f.route->handler == &IngestTelemetry ? impl_->shared.telemetry->max_payload
                                                       : impl_->shared.options.max_upload_bytes;
  }
  return p;
}

Status Platform::Ready() {
  HOSHI_ASSIGN_OR_RETURN(storage::Lease conn, impl_->pool->Acquire());
  auto rs = conn->Query("SELECT 1");
  if (!rs.ok()) {
    conn.MarkBroken();
    return std::move(rs).error();
  }
  return Status::Ok();
}

Result<std::size_t> Platform::ReloadAdvisories() {
  sbom::AdvisoryDb fresh;
  {
    HOSHI_ASSIGN_OR_RETURN(storage::Lease conn, impl_->pool->Acquire());
    sbom::FleetStore fleet(*conn, *impl_->shared.clock);
    HOSHI_RETURN_IF_ERROR(fleet.LoadAdvisories(fresh));
  }
  const std::size_t n = fresh.size();
  const std::unique_lock lock(impl_->shared.advisories->mu);
  impl_->shared.advisories->db = std::move(fresh);
  return n;
}

Status Platform::ExpireDue() {
  HOSHI_ASSIGN_OR_RETURN(storage::Lease conn, impl_->pool->Acquire());
  {
    // Housekeeping of the same sweep: expired sessions, tokens and old login failures.
    org::IdentityStore ids(*conn, *impl_->shared.clock, impl_->shared.password_policy);
    HOSHI_RETURN_IF_ERROR(ids.PurgeExpired().status());
  }
  const Date today = Date::FromTimePoint(impl_->shared.clock->Now());
  HOSHI_ASSIGN_OR_RETURN(
      storage::ResultSet rs,
      conn->Query("SELECT a.id, a.organization_id, c.expires_on FROM assessments a JOIN "
                  "certifications c ON c.assessment_id = a.id WHERE a.state = 'certified'"));
  assess::AssessmentStore store(*conn, *impl_->shared.clock);
  org::AuditLog audit(*conn, *impl_->shared.clock);
  for (const storage::Row& row : rs.rows) {
    HOSHI_ASSIGN_OR_RETURN(std::string id, row.GetText(0));
    HOSHI_ASSIGN_OR_RETURN(std::string org_id, row.GetText(1));
    HOSHI_ASSIGN_OR_RETURN(std::string expires, row.GetText(2));
    HOSHI_ASSIGN_OR_RETURN(Date expires_on, Date::Parse(expires));
    if (today <= expires_on) {
      continue;
    }
    HOSHI_ASSIGN_OR_RETURN(auto tx, storage::Transaction::Begin(*conn));
    HOSHI_RETURN_IF_ERROR(store.RecordTransition(id, assess::State::kCertified,
                                                 assess::Event::kExpire, assess::State::kExpired));
    HOSHI_RETURN_IF_ERROR(audit.Append(org_id, "", "assessment.expired", "assessment", id,
                                       Json{{"expires_on", expires_on.ToIso()}}));
    HOSHI_RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

http::Response Platform::Handle(http::Request& request) {
  const Lang lang = RequestLang(request);
  auto fail = [&](const Error& e) {
    if (e.code() == ErrorCode::kInternal || e.code() == ErrorCode::kUnavailable ||
        e.code() == ErrorCode::kIoError) {
      spdlog::error("request {}: {} {}: {} ({})", request.request_id, request.method, request.path,
                    e.ToString(Lang::kEn), e.detail());
    }
    return http::ErrorResponse(e, lang, request.request_id);
  };
  Found found = FindRoute(request.method, request.path);
  if (found.route == nullptr) {
    if (found.path_matched) {
      return fail(ApiError(ErrorCode::kInvalidArgument, "api.method_not_allowed"));
    }
    return fail(MakeError(ErrorCode::kNotFound, ApiMessages(), "api.no_route"));
  }
  auto lease = impl_->pool->Acquire();
  if (!lease.ok()) {
    return fail(lease.error());
  }
  storage::Lease conn = std::move(lease).value();
  Context ctx{request,      *found.route, std::move(found.params), lang, *conn, impl_->shared,
              std::nullopt, Json()};
  if (found.route->access == Access::kUser) {
    org::IdentityStore ids(*conn, *impl_->shared.clock, impl_->shared.password_policy);
    auto principal = Authenticate(request, ids);
    if (!principal.ok()) {
      const ErrorCode c = principal.error().code();
      if (c == ErrorCode::kUnavailable) {
        conn.MarkBroken();
        return fail(principal.error());
      }
      if (c == ErrorCode::kPermissionDenied) {
        return fail(principal.error());
      }
      // Unknown, expired or forged credentials all read the same.
      return fail(ApiError(ErrorCode::kUnauthenticated, "api.login_required"));
    }
    ctx.principal = std::move(principal).value();
  }
  if (found.route->body == BodyKind::kJson) {
    if (request.body.empty()) {
      ctx.body = Json::object();
    } else {
      auto parsed = ParseJson(request.body, "request body");
      if (!parsed.ok()) {
        return fail(Error(ErrorCode::kInvalidArgument, parsed.error().message())
                        .WithReason("api.malformed_json"));
      }
      if (!parsed->is_object()) {
        return fail(ApiError(ErrorCode::kInvalidArgument, "api.body_not_object"));
      }
      ctx.body = std::move(parsed).value();
    }
  }
  Result<Reply> reply = Error(ErrorCode::kInternal, LocalizedText{});
  try {
    reply = found.route->handler(ctx);
  } catch (const std::exception& e) {
    // Last-resort barrier: a bug in a handler. The transaction (if any) rolls back with its
    // scope; the client sees a 500 with the request id, the log the detail.
    spdlog::error("request {}: unhandled exception in {} {}: {}", request.request_id,
                  request.method, found.route->path, e.what());
    return fail(ApiError(ErrorCode::kInternal, "api.internal"));
  }
  if (!reply.ok()) {
    if (reply.error().code() == ErrorCode::kUnavailable) {
      conn.MarkBroken();
    }
    return fail(reply.error());
  }
  return ToResponse(std::move(reply).value());
}

}  // namespace hoshi::api
