// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "hoshi/core/clock.h"
#include "hoshi/core/i18n.h"
#include "hoshi/core/result.h"
#include "hoshi/defense/telemetry_store.h"
#include "hoshi/http/server.h"

namespace hoshi::api {

/// Settings of one platform instance.
struct PlatformOptions {
  std::string db_url;              ///< sqlite:PATH or postgres://…
  std::filesystem::path data_dir;  ///< blobs/, keys/, uploads/ live here (outside any web root)
  std::size_t db_connections = 4;
  std::uint64_t max_json_bytes = 1U << 20;
  std::uint64_t max_upload_bytes = 20U << 20;
  bool secure_cookies = false;  ///< add `Secure` to cookies (behind TLS)
  std::string public_base_url = "http://127.0.0.1:8080";
  /// The issuer name written into every credential (the scheme operator).
  std::string issuer_name = "情報処理推進機構（デモ運営者）";
  const Clock* clock = nullptr;  ///< nullptr: the system clock
  /// Tests only: the cheapest Argon2id parameters, so sanitizer builds stay quick.
  bool test_password_policy = false;

  // ---- collective-defense telemetry (issue #6) ----
  /// Empty: the embedded mode — telemetry batches go to an in-process queue worked by
  /// `telemetry_workers` threads of this process (StartTelemetryWorkers). Otherwise the
  /// scale-out mode: batches are published to NATS JetStream at this URL and `hoshitori worker`
  /// processes consume them.
  std::string nats_url;
  std::size_t telemetry_workers = 1;
  /// Largest accepted ingest body (in the scale-out mode also bounded by the NATS server's
  /// max_payload).
  std::uint64_t max_telemetry_bytes = 32U << 20;
  /// Indicator files (STIX 2.1 bundles, plain lists; *.json / *.txt / *.list / *.csv) loaded at
  /// start and by ReloadIndicators(); empty: data_dir/indicators.
  std::filesystem::path indicators_dir;
  /// When a target seen at several organisations becomes a campaign.
  defense::CorrelationConfig correlation;
};

/// What `hoshitori admin create-operator` and the demo set-up print.
struct LoginInfo {
  std::string role;  ///< e.g. "発注者 管理者"
  std::string email;
  std::string password;
  std::string organization;
};

/// Who may call a route before any object-level check.
enum class Access {
  kPublic,  ///< anyone, no credentials
  kUser,    ///< any authenticated user; the handler checks organisation and role
};

struct Context;
struct Reply;
using RouteHandler = Result<Reply> (*)(Context& ctx);

/// What a route's request body is.
enum class BodyKind { kNone, kJson, kUpload };

/// One API route. The table of these is the single source of the router, the body limits, the
/// authorisation test's coverage check and docs/api/openapi.yaml.
struct Route {
  std::string_view method;
  std::string_view path;  ///< "/api/v1/assessments/{id}"
  Access access;
  BodyKind body;
  RouteHandler handler;
  std::string_view tag;
  std::string_view summary_ja;
  std::string_view summary_en;
  std::string_view who;  ///< who may call it (documentation of the object-level rule)
};

[[nodiscard]] std::span<const Route> Routes();

/// The OpenAPI 3.1 document (YAML) generated from Routes().
[[nodiscard]] std::string OpenApiYaml();
/// The route table of docs/api.md (Markdown), generated from Routes().
[[nodiscard]] std::string RouteTableMarkdown();

class Platform {
 public:
  /// Opens the database (migrating it), the blob store, the catalogs and the issuer key.
  [[nodiscard]] static Result<std::unique_ptr<Platform>> Create(const PlatformOptions& options);
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;

  /// The HTTP handler: routing, authentication, CSRF, authorisation, handlers, error mapping.
  [[nodiscard]] http::Response Handle(http::Request& request);
  /// Body limits and streaming per route (uploads stream to disk).
  [[nodiscard]] http::BodyPolicy PolicyFor(const http::Request& head) const;
  /// The upload temp folder for the HTTP server.
  [[nodiscard]] std::filesystem::path upload_dir() const;
  /// The operator's public key as did:key (what `hoshitori verify` trusts).
  [[nodiscard]] std::string IssuerDid() const;
  /// Ok when the database answers (for /readyz).
  [[nodiscard]] Status Ready();
  /// Marks certifications past their expiry as expired and purges expired sessions (runs at
  /// start and then hourly under `serve`).
  [[nodiscard]] Status ExpireDue();
  /// Reloads the advisories from the database (records imported by `sbom import-advisories`
  /// while the server runs); runs hourly under `serve`. Returns how many are held.
  [[nodiscard]] Result<std::size_t> ReloadAdvisories();
  /// Reloads the indicator files of PlatformOptions::indicators_dir (new matching applies to
  /// batches analysed afterwards). Returns how many indicators are loaded.
  [[nodiscard]] Result<std::size_t> ReloadIndicators();
  /// Embedded mode: starts the in-process telemetry workers (idempotent); the destructor stops
  /// them. In the scale-out mode this does nothing (`hoshitori worker` processes consume).
  [[nodiscard]] Status StartTelemetryWorkers();
  /// Creates the operator organisation (once; empty `org_number`/`org_name`: the demo operator,
  /// 法人番号 4010001999993) and an operator user in it.
  [[nodiscard]] Result<LoginInfo> CreateOperator(std::string_view email,
                                                 std::string_view display_name,
                                                 std::string_view password,
                                                 std::string_view org_number = {},
                                                 std::string_view org_name = {});
  /// The URL the platform is reached at (named in credentials as the revocation list's home);
  /// `serve` sets it once the listening port is known.
  void SetPublicBaseUrl(std::string url);
  [[nodiscard]] std::string PublicBaseUrl() const;
  /// Loads the demo data set (a buyer, two tier-1 suppliers, a tier-2 supplier, an expert, an
  /// evaluator, an operator; assessments in several states) through the API itself. Does nothing
  /// and returns the logins when the demo operator already exists.
  [[nodiscard]] Result<std::vector<LoginInfo>> SeedDemo();

  struct Impl;

 private:
  explicit Platform(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Calls the platform in-process, as a logged-in user would over HTTP (demo set-up and tests).
class LocalSession {
 public:
  explicit LocalSession(Platform& platform) : platform_(platform) {}
  /// Logs in; kUnauthenticated etc. as the API answers.
  [[nodiscard]] Status Login(std::string_view email, std::string_view password);
  /// One call; `body` is sent as JSON unless empty. Adds the session cookie and CSRF header.
  [[nodiscard]] http::Response Call(std::string_view method, std::string_view target,
                                    std::string_view body = {},
                                    const std::vector<http::Header>& extra = {});
  /// Streams `bytes` as an upload (the way the server hands a streamed body to the handler).
  [[nodiscard]] http::Response Upload(std::string_view target, std::string_view bytes);
  [[nodiscard]] const std::string& cookie() const { return cookie_; }
  [[nodiscard]] const std::string& csrf() const { return csrf_; }

 private:
  Platform& platform_;
  std::string cookie_;
  std::string csrf_;
};

/// The API's messages (ja/en).
[[nodiscard]] std::span<const MessageEntry> ApiMessages();

}  // namespace hoshi::api
